"""The one way fraudnet parses XML: size-capped, no DTD, no entities, nothing fetched.

goAML reports, camt.053 statements and pain.001 files come from outside; a crafted document
can expand entities until memory runs out ("billion laughs"), read local files or reach the
network through external entities (XXE), or simply be too big. lxml runs with a hardened
parser (entities never substituted, no DTD loaded, no network, libxml2's default depth and
amplification limits), the size is checked before a byte is parsed, and an expat screen of the
prolog refuses any document that declares a DTD before lxml sees it: no report format
fraudnet reads needs one (the same rule as defusedxml's `forbid_dtd`).
"""

from __future__ import annotations

import os
import xml.parsers.expat
from pathlib import Path
from typing import Any

from lxml import etree

from fraudnet.errors import FraudnetError

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
MAX_BYTES_ENV = "FRAUDNET_XML_MAX_BYTES"


class UnsafeXmlError(FraudnetError, ValueError):
    """An XML document refused before or while parsing: too big, DTD, entities, malformed."""


def max_xml_bytes() -> int:
    """The size cap: `FRAUDNET_XML_MAX_BYTES` when set to a positive whole number, else 100 MB."""
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return DEFAULT_MAX_BYTES


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        collect_ids=False,
    )


def parse_xml(
    source: Path | str | bytes, *, name: str | None = None, max_bytes: int | None = None
) -> Any:
    """The parsed tree (`lxml.etree._ElementTree`) of a file or bytes, or `UnsafeXmlError`.

    `name` labels bytes in messages (a file is named by its path). Elements keep their source
    line (`element.sourceline`) so a rejected entry can be named by line and XPath.
    """
    cap = max_bytes if max_bytes is not None else max_xml_bytes()
    label = name or (str(source) if not isinstance(source, bytes) else "<xml>")
    data = _read_capped(source, label, cap)
    _screen_prolog(data, label)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as err:
        line = err.lineno if isinstance(err.lineno, int) and err.lineno > 0 else None
        raise UnsafeXmlError(
            f"not well-formed XML: {_first_line(err)}", file=label, row=line
        ) from err
    except (ValueError, LookupError, MemoryError, RecursionError) as err:
        raise UnsafeXmlError(f"cannot parse XML: {_first_line(err)}", file=label) from err
    tree = root.getroottree()
    _refuse_dtd(tree, label)
    return tree


def _read_capped(source: Path | str | bytes, label: str, cap: int) -> bytes:
    if isinstance(source, bytes):
        if len(source) > cap:
            raise _too_big(len(source), cap, label)
        return source
    path = Path(source)
    try:
        size = path.stat().st_size
    except OSError as err:
        raise UnsafeXmlError(f"cannot read: {err.strerror or err}", file=label) from err
    if size > cap:
        raise _too_big(size, cap, label)
    with open(path, "rb") as fh:
        data = fh.read(cap + 1)  # a file that grew since stat() is still capped
    if len(data) > cap:
        raise _too_big(len(data), cap, label)
    return data


def _too_big(size: int, cap: int, label: str) -> UnsafeXmlError:
    return UnsafeXmlError(
        f"XML document of {size:,} bytes is over the {cap:,}-byte limit "
        f"(raise it with {MAX_BYTES_ENV} if the file is trusted); nothing was parsed",
        file=label,
    )


class _RootReached(Exception):
    pass


def _screen_prolog(data: bytes, label: str) -> None:
    """Expat over the prolog only (it stops at the root's start tag): a DOCTYPE is refused there.

    Entity declarations are collected, never expanded (expansion happens only where content
    refers to one), so the refusal can say whether the DTD held external entities (XXE) or
    nested ones (billion laughs). A prolog expat cannot read (an encoding it lacks) is left
    to lxml, which substitutes no entity and whose tree is checked for a DTD afterwards.
    """
    parser = xml.parsers.expat.ParserCreate()
    seen: dict[str, Any] = {"doctype": None, "external": [], "internal": []}

    def start_doctype(name: str, system_id: str | None, *_: object) -> None:
        seen["doctype"] = (name, system_id)

    def entity(
        name: str, _param: int, value: str | None, _b: object, system_id: object, *_: object
    ) -> None:
        seen["external" if value is None else "internal"].append((name, system_id))

    def end_doctype() -> None:
        raise _RootReached

    def root(*_: object) -> None:
        raise _RootReached

    parser.StartDoctypeDeclHandler = start_doctype
    parser.EntityDeclHandler = entity
    parser.EndDoctypeDeclHandler = end_doctype
    parser.StartElementHandler = root
    try:
        parser.Parse(data, True)
    except _RootReached:
        pass
    except (xml.parsers.expat.ExpatError, LookupError, ValueError):
        return
    if seen["doctype"] is None:
        return
    if seen["external"]:
        name, system_id = seen["external"][0]
        raise UnsafeXmlError(
            f"external entity {name!r} ({system_id}) refused: XML with external entities is "
            "never read (XXE)",
            file=label,
        )
    if seen["internal"]:
        raise UnsafeXmlError(
            f"entity declaration {seen['internal'][0][0]!r} refused: XML with entity "
            "declarations is never expanded (entity-expansion attack)",
            file=label,
        )
    raise UnsafeXmlError(
        "document type declaration (DOCTYPE) refused: the formats fraudnet reads need none",
        file=label,
    )


def _refuse_dtd(tree: Any, label: str) -> None:
    """After lxml: a DTD the prolog screen could not see is refused, naming what it held."""
    dtd = tree.docinfo.internalDTD
    if dtd is not None:
        for entity in dtd.iterentities():
            if entity.system_url:
                raise UnsafeXmlError(
                    f"external entity {entity.name!r} ({entity.system_url}) refused: XML with "
                    "external entities is never read (XXE)",
                    file=label,
                )
        for entity in dtd.iterentities():
            raise UnsafeXmlError(
                f"entity declaration {entity.name!r} refused: XML with entity declarations is "
                "never expanded (entity-expansion attack)",
                file=label,
            )
    doctype = tree.docinfo.doctype
    if dtd is not None or doctype or tree.docinfo.system_url:
        raise UnsafeXmlError(
            "document type declaration (DOCTYPE) refused: the formats fraudnet reads need none",
            file=label,
        )


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
