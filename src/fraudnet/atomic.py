"""Files fraudnet writes appear whole or not at all, and are readable by their owner only.

Every output (exports, freeze lists, Sankey pages, reports, evaluation files) is written to
a hidden temporary name in the destination folder, flushed to disk and renamed over the
final name, so a killed process leaves either the old file or the new one, never half of
one. Files are created with mode 0600 and the folders fraudnet creates with mode 0700.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: str | Path) -> Path:
    """Create `path` and missing parents with mode 0700; existing folders are left alone."""
    folder = Path(path)
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for part in reversed(missing):
        with contextlib.suppress(FileExistsError):
            part.mkdir(mode=DIR_MODE)
            os.chmod(part, DIR_MODE)  # mkdir's mode is narrowed by the umask, never widened
    return folder


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a private temporary file beside `path`; on success it is renamed onto `path`.

    Hand the yielded path to a writer that wants a file name (pyarrow, matplotlib, Chromium).
    On any exception the temporary file is removed and `path` is untouched.
    """
    final = Path(path)
    private_dir(final.parent)
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:12]}.tmp")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    try:
        yield tmp
        os.chmod(tmp, FILE_MODE)  # a writer may have replaced the file we created
        _fsync(tmp)
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(final.parent)


def write_atomic(path: str | Path, content: bytes | str, encoding: str = "utf-8") -> Path:
    """Write `content` to `path` through a temporary file and a rename; mode 0600."""
    final = Path(path)
    data = content.encode(encoding) if isinstance(content, str) else content
    with atomic_path(final) as tmp:
        tmp.write_bytes(data)
    return final


def make_private(path: str | Path) -> None:
    """Restrict an existing file (a store fraudnet just created) to its owner."""
    os.chmod(path, FILE_MODE)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every filesystem lets a folder be fsynced
        _fsync(folder)


__all__ = ["DIR_MODE", "FILE_MODE", "atomic_path", "make_private", "private_dir", "write_atomic"]
