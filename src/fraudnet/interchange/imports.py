"""The interchange inputs as source formats: `fraudnet ingest STORE FILE --format goaml`.

Each expands a file (or a directory of them) into one load per canonical table the document
feeds, all read by the same registered document reader; the loads commit together, so a
report's payments never land without their accounts.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from fraudnet.ingest.load import FileLoad, IngestError
from fraudnet.ingest.mapping import Mapping
from fraudnet.ingest.sources import SourceFormat
from fraudnet.interchange import import_ftm as _import_ftm
from fraudnet.interchange import import_goaml, iso20022

ORDER = ("parties", "accounts", "transactions")


class DocumentSource(SourceFormat):
    """A document format fed through `input_format`, one load per table it holds."""

    input_format: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]] = (".xml",)

    def loads(self, directory: Path, with_labels: bool) -> list[FileLoad]:
        if with_labels:
            raise IngestError(f"--with-labels does not apply to {self.name} documents")
        files = _files(directory, self.suffixes)
        return [
            FileLoad(path, self.input_format, Mapping(table=table))
            for path in files
            for table in ORDER
        ]


def _files(location: Path, suffixes: tuple[str, ...]) -> list[Path]:
    if location.is_file():
        return [location]
    if location.is_dir():
        found = sorted(
            p for p in location.iterdir() if p.is_file() and p.suffix.lower() in suffixes
        )
        if not found:
            raise IngestError(f"no {'/'.join(suffixes)} files in the directory", file=str(location))
        return found
    raise IngestError("no such file or directory", file=str(location))


class GoamlSource(DocumentSource):
    name: ClassVar[str] = "goaml"
    description: ClassVar[str] = "goAML STR/SAR reports (XML), one file or a directory"
    input_format: ClassVar[str] = import_goaml.GoamlReportFormat.name


class Camt053Source(DocumentSource):
    name: ClassVar[str] = "camt053"
    description: ClassVar[str] = "ISO 20022 camt.053 bank-to-customer statements (XML)"
    input_format: ClassVar[str] = iso20022.Camt053Format.name


class Pain001Source(DocumentSource):
    name: ClassVar[str] = "pain001"
    description: ClassVar[str] = "ISO 20022 pain.001 customer credit transfer initiations (XML)"
    input_format: ClassVar[str] = iso20022.Pain001Format.name


class FtmSource(DocumentSource):
    name: ClassVar[str] = "ftm"
    description: ClassVar[str] = (
        "FollowTheMoney entities, JSON lines (Person, BankAccount, Payment)"
    )
    input_format: ClassVar[str] = _import_ftm.FtmFormat.name
    suffixes: ClassVar[tuple[str, ...]] = (".json", ".jsonl", ".ftm", ".ijson")
