"""Opens a source file: gzip or zstd by magic bytes (or extension), then text by BOM or encoding.

Readers see one thing: `SourceText`, the decoded text of the file and the hash of its
bytes (so the same content from another folder is recognised as the same file). UTF-8
that is not valid is decoded with `surrogateescape`, so a bad byte spoils one row, not
the file; any other encoding must decode cleanly or the file is refused with a position.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from fraudnet.errors import FraudnetError

MAGIC = {b"\x1f\x8b": "gzip", b"\x28\xb5\x2f\xfd": "zstd"}
COMPRESSED_SUFFIXES = {".gz": "gzip", ".gzip": "gzip", ".zst": "zstd", ".zstd": "zstd"}
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
UTF8_NAMES = {"utf-8", "utf-8-sig"}


@dataclass(frozen=True)
class SourceText:
    """A file's decoded text; `sha256` is of the bytes on disk, before decompression."""

    text: str
    sha256: str
    encoding: str
    compression: str | None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def compression_of(path: Path, head: bytes) -> str | None:
    """The container by magic bytes; an extension that promises one the bytes deny is an error."""
    by_magic = next((kind for magic, kind in MAGIC.items() if head.startswith(magic)), None)
    by_name = COMPRESSED_SUFFIXES.get(path.suffix.lower())
    if by_name and by_magic != by_name:
        raise FraudnetError(f"named {path.suffix} but is not {by_name} data", file=str(path))
    return by_magic


def decompress(path: Path, data: bytes, kind: str | None) -> bytes:
    if kind is None:
        return data
    try:
        if kind == "gzip":
            return gzip.decompress(data)
        stream = pa.CompressedInputStream(pa.BufferReader(data), "zstd")
        return bytes(stream.read())
    except (OSError, EOFError, zlib.error, pa.ArrowException) as err:
        raise FraudnetError(f"damaged or truncated {kind} data ({err})", file=str(path)) from err


def read_source(path: Path, encoding: str | None = None) -> SourceText:
    """Decompress and decode `path`; a BOM decides the encoding unless `encoding` is given."""
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    kind = compression_of(path, data[:4])
    plain = decompress(path, data, kind)
    chosen, body = _encoding(path, plain, encoding)
    return SourceText(_decode(path, body, chosen), sha256, chosen, kind)


def _encoding(path: Path, data: bytes, encoding: str | None) -> tuple[str, bytes]:
    wanted = _codec_name(path, encoding) if encoding else None
    for bom, name in BOMS:
        if data.startswith(bom):
            if wanted and not name.startswith(wanted.removesuffix("-sig")):
                raise FraudnetError(
                    f"starts with a {name} byte-order mark but --encoding says {encoding}",
                    file=str(path),
                )
            return name, data[len(bom) :]
    return wanted or "utf-8", data


def _codec_name(path: Path, encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name.replace("_", "-")
    except LookupError as err:
        raise FraudnetError(f"unknown encoding {encoding!r}", file=str(path)) from err


def _decode(path: Path, data: bytes, encoding: str) -> str:
    if encoding in UTF8_NAMES:
        return data.decode("utf-8", errors="surrogateescape")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data[: err.start].decode(encoding, errors="replace").count("\n") + 1
        raise FraudnetError(
            f"not valid {encoding} at byte {err.start} ({err.reason}); say the file's encoding "
            "with --encoding",
            file=str(path),
            row=line,
        ) from err


def has_bad_utf8(text: str) -> bool:
    """True when `text` holds bytes that `surrogateescape` kept because they were not UTF-8."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def printable(text: str) -> str:
    """`text` with undecodable bytes shown as U+FFFD, for the quarantine's raw column."""
    return text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")
