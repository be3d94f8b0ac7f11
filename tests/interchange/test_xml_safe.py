"""Hostile XML is refused with a message naming the file, before it can do harm."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fraudnet.interchange.xml_safe import UnsafeXmlError, parse_xml

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<report><reason>&lol9;</reason></report>
"""


def _xxe(secret: Path) -> bytes:
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE report [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        "<report><reason>&xxe;</reason></report>\n"
    ).encode()


def test_billion_laughs_is_refused_quickly_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "laughs.xml"
    path.write_bytes(BILLION_LAUGHS)
    started = time.monotonic()
    with pytest.raises(UnsafeXmlError) as err:
        parse_xml(path)
    assert time.monotonic() - started < 5
    assert str(path) in str(err.value)
    assert "entity declaration 'lol" in str(err.value)


def test_external_entity_is_refused_and_the_file_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    path = tmp_path / "xxe.xml"
    path.write_bytes(_xxe(secret))
    with pytest.raises(UnsafeXmlError) as err:
        parse_xml(path)
    message = str(err.value)
    assert str(path) in message and "external entity 'xxe'" in message
    assert "TOP-SECRET-VALUE" not in message


def test_external_dtd_and_bare_doctype_are_refused() -> None:
    external = b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd"><r/>'
    with pytest.raises(UnsafeXmlError, match="DOCTYPE"):
        parse_xml(external, name="ext.xml")
    with pytest.raises(UnsafeXmlError, match=r"bare\.xml: document type"):
        parse_xml(b"<!DOCTYPE r><r/>", name="bare.xml")


def test_200_mb_document_is_refused_before_parsing(tmp_path: Path) -> None:
    """Streamed to disk in 1 MB pieces, refused by size, then deleted."""
    path = tmp_path / "huge.xml"
    piece = b"<t><amount>1.00</amount></t>" * (1024 * 1024 // 28)
    with open(path, "wb") as fh:
        fh.write(b"<report>")
        written = 0
        while written < 200 * 1024 * 1024:
            fh.write(piece)
            written += len(piece)
        fh.write(b"</report>")
    try:
        started = time.monotonic()
        with pytest.raises(UnsafeXmlError) as err:
            parse_xml(path)
        assert time.monotonic() - started < 2  # refused by size, not parsed
        assert str(path) in str(err.value) and "over the 104,857,600-byte limit" in str(err.value)
    finally:
        path.unlink()


def test_cap_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = b"<r>" + b"x" * 100 + b"</r>"
    monkeypatch.setenv("FRAUDNET_XML_MAX_BYTES", "50")
    with pytest.raises(UnsafeXmlError, match="over the 50-byte limit"):
        parse_xml(doc, name="small.xml")
    monkeypatch.delenv("FRAUDNET_XML_MAX_BYTES")
    assert parse_xml(doc).getroot().tag == "r"


def test_malformed_xml_names_file_and_line() -> None:
    with pytest.raises(UnsafeXmlError) as err:
        parse_xml(b"<r>\n<a>\n</r>", name="broken.xml")
    assert err.value.file == "broken.xml" and err.value.row is not None
    assert "not well-formed" in str(err.value)


def test_ordinary_document_keeps_source_lines() -> None:
    tree = parse_xml(b"<r>\n  <a>Zo\xc3\xab</a>\n</r>")
    (a,) = tree.getroot()
    assert a.text == "Zoë" and a.sourceline == 2


def test_unknown_declared_encoding_is_a_clear_error() -> None:
    with pytest.raises(UnsafeXmlError) as err:
        parse_xml(b'<?xml version="1.0" encoding="UTM-8"?><r/>', name="enc.xml")
    assert str(err.value).startswith("enc.xml")
