"""Source formats: a directory laid out by a known producer, expanded into file loads.

A source format is a registered class with a `name` and a `loads(directory, with_labels)`;
adding one (ISO 20022, FollowTheMoney, ...) is adding a class, not editing a switch.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import ClassVar

from fraudnet.ingest.load import FileLoad, IngestError

SOURCE_FORMATS: dict[str, type[SourceFormat]] = {}


class SourceFormat(ABC):
    name: ClassVar[str]
    description: ClassVar[str]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in vars(cls):  # an intermediate base without a name is not a format
            SOURCE_FORMATS[cls.name] = cls

    @abstractmethod
    def loads(self, directory: Path, with_labels: bool) -> list[FileLoad]:
        """The file loads that bring this directory into the canonical tables."""


def get_source_format(name: str) -> SourceFormat:
    import fraudnet.ingest.amlsim
    import fraudnet.interchange.imports  # noqa: F401  (goAML, FtM, ISO 20022)

    if name not in SOURCE_FORMATS:
        known = ", ".join(sorted(SOURCE_FORMATS))
        raise IngestError(f"unknown source format {name!r}; known: {known}")
    return SOURCE_FORMATS[name]()


def require_file(directory: Path, name: str) -> Path:
    path = directory / name
    if not directory.is_dir():
        raise IngestError(f"{directory}: not a directory (a source format reads a directory)")
    if not path.exists():
        raise IngestError(f"{path}: missing; this source format needs {name} in {directory}")
    return path
