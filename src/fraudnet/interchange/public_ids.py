"""Ids that interchange formats derive from values, and the guard that keeps them out of packages.

A STIX observable id is uuid5 over a published namespace and the object's values, and a
FollowTheMoney id from `make_id` is SHA-1 of its parts: anyone holding an account number can
recompute either, so they identify as plainly as the number itself. A shared package names
subjects only by keyed tokens (`fraudnet.share.tokens`); `refuse_public_ids` stops a package
that carries a string shaped like either id anywhere but in a `raw` field (raw values travel
only when personal data is allowed, and are the values themselves, not pseudonyms).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fraudnet.errors import FraudnetError

STIX_ID = re.compile(
    r"\b[a-z][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"
)
FTM_ID = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{40}(?![0-9A-Za-z])")  # SHA-1 hex, alone
RAW_KEYS = frozenset({"raw"})


class PublicIdInPackage(FraudnetError):
    """A package was about to carry a STIX or FtM id, which anyone can recompute from values."""


def public_ids(value: Any) -> list[str]:
    """Every STIX- or FtM-shaped id in the strings of `value` (dicts, lists), `raw` skipped."""
    found: list[str] = []
    for text in _strings(value):
        found.extend(m.group(0) for m in STIX_ID.finditer(text))
        found.extend(m.group(0) for m in FTM_ID.finditer(text))
    return found


def refuse_public_ids(value: Any) -> None:
    found = public_ids(value)
    if found:
        raise PublicIdInPackage(
            f"package would carry {len(found)} STIX/FtM id(s) (e.g. {found[0]}): these are "
            "unkeyed hashes of the values and must never stand in for a token"
        )


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in RAW_KEYS:
                yield from _strings(key)
                yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
