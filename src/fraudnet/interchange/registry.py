"""Export formats looked up by name: each is one class with a name, a suffix, `export`, `validate`.

A format writes one network to a file its receiving tool opens (Aleph's FollowTheMoney,
MISP, STIX 2.1, i2 Analyst's Notebook). `export` is a template: load the network (personal
fields dropped when `redact`), `render` it, check the file with the format's own validator
before it takes its final name, and record the export in the audit log. A new format is a
new module with a class decorated `@register_format`, and one line in `BUILTIN_MODULES`.
"""

from __future__ import annotations

import abc
import importlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from fraudnet.atomic import atomic_path
from fraudnet.engine import Engine
from fraudnet.errors import FraudnetError

if TYPE_CHECKING:  # the loader pulls in polars and the report module: import on use
    from fraudnet.interchange.network import NetworkData

BUILTIN_MODULES: dict[str, str] = {
    "ftm": "fraudnet.interchange.ftm",
    "misp": "fraudnet.interchange.misp",
    "stix": "fraudnet.interchange.stix",
    "anx": "fraudnet.interchange.anx",
    "goaml": "fraudnet.interchange.goaml",
}
"""Format name -> the module that registers it (imported on first use: the libraries are big)."""

_REGISTRY: dict[str, type[ExportFormat]] = {}


class ExportInvalid(FraudnetError):
    """The written file failed its format's own validator; nothing was left at the path."""


@dataclass(frozen=True)
class ExportOptions:
    """How to export: `redact` drops personal fields; the audit log names `actor` and `reason`.

    `extra` carries a format's own settings (a goAML FIU profile, say) by name.
    """

    redact: bool = False
    actor: str = "api"
    reason: str = "analyst export"
    audit: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportSummary:
    """What a file holds, read back with the format's own library: for round-trip checks."""

    accounts: frozenset[str]
    parties: int
    payments: int
    amount: Decimal
    payment_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str
    network_id: str
    summary: ExportSummary
    redacted: bool


class ExportFormat(abc.ABC):
    """One interchange format. Subclasses set `name`, `suffix`, `description` and implement
    `render`, `validate` and `read_back`; `export` is shared."""

    name: ClassVar[str]
    suffix: ClassVar[str]
    description: ClassVar[str]

    def export(
        self,
        engine: Engine,
        network_id: str,
        out: str | Path,
        options: ExportOptions | None = None,
    ) -> ExportResult:
        """Write `network_id` to `out`: whole and validated, or not at all (mode 0600)."""
        from fraudnet.interchange.network import load_network

        options = options or ExportOptions()
        data = load_network(engine, network_id, redact=options.redact)
        path = Path(out)
        content = self.render(data, options)
        try:
            with atomic_path(path) as tmp:
                tmp.write_bytes(content)
                problems = self.validate(tmp)
                if problems:
                    shown = "; ".join(problems[:5])
                    raise ExportInvalid(
                        f"{self.name} export failed validation: {shown}", file=str(path)
                    )
        except OSError as err:
            why = (err.strerror or str(err)).lower()
            raise FraudnetError(f"cannot write the export here: {why}", file=str(path)) from err
        summary = self.read_back(path)
        if options.audit:
            _audit(engine, self, data, path, options)
        return ExportResult(path, self.name, network_id, summary, options.redact)

    @abc.abstractmethod
    def render(self, data: NetworkData, options: ExportOptions) -> bytes:
        """The file's bytes for one network."""

    @abc.abstractmethod
    def validate(self, path: Path) -> list[str]:
        """Problems the format's own validator finds in the file at `path`; empty if valid."""

    @abc.abstractmethod
    def read_back(self, path: Path) -> ExportSummary:
        """Accounts, parties, payments and their total, as the format's library reads them."""


def register_format(cls: type[ExportFormat]) -> type[ExportFormat]:
    """Class decorator: make `cls` available under `cls.name`."""
    _REGISTRY[cls.name] = cls
    return cls


def export_formats() -> list[str]:
    """Every format name, built-in or registered, without importing any format library."""
    return sorted({*BUILTIN_MODULES, *_REGISTRY})


def export_format(name: str) -> ExportFormat:
    """The format called `name`; an unknown name is an error listing the known ones."""
    if name not in _REGISTRY and name in BUILTIN_MODULES:
        try:
            importlib.import_module(BUILTIN_MODULES[name])
        except ModuleNotFoundError as err:
            raise FraudnetError(
                f"export format {name!r} needs {err.name!r}: pip install 'fraudnet[interchange]'"
            ) from err
    if name not in _REGISTRY:
        known = ", ".join(export_formats())
        raise FraudnetError(f"unknown export format {name!r}; known formats: {known}")
    return _REGISTRY[name]()


def export_network(
    engine: Engine,
    network_id: str,
    fmt: str,
    out: str | Path,
    options: ExportOptions | None = None,
) -> ExportResult:
    """Export one network in format `fmt` to `out` (see `ExportFormat.export`)."""
    return export_format(fmt).export(engine, network_id, out, options)


def _audit(
    engine: Engine, fmt: ExportFormat, data: NetworkData, path: Path, options: ExportOptions
) -> None:
    """An export takes personal data out of the store: the audit log says who, why and what."""
    from fraudnet.workspace import audit

    detail = {
        "format": fmt.name,
        "file": path.name,
        "redacted": options.redact,
        "parties": len(data.parties),
        "accounts": len(data.accounts),
        "payments": len(data.payments),
    }
    audit.record(engine, options.actor, "export_network", data.network_id, options.reason, detail)
