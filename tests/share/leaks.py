"""The leak scan the "nothing leaks by default" tests share: every name, date of birth,
account number, phone and email of a world, looked for in the bytes an organisation sends."""

from __future__ import annotations

import re

import pyarrow as pa

from fraudnet.share.identifiers import identifier_kind

MIN_CHARACTERS = 3
"""An initial ("E.") tells nothing and turns up by chance in any binary part."""


def _dob_forms(value: object) -> set[str]:
    if value is None or not hasattr(value, "strftime"):
        return set()
    return {value.strftime(f) for f in ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%d%m%Y")}


def _normalised(kind: str, value: str) -> set[str]:
    written = identifier_kind(kind).normalise(value)
    return {written} if written else set()


def personal_values(world: dict[str, pa.Table]) -> dict[str, set[str]]:
    """Every name, date of birth, account number, phone and email in the whole world, in the
    forms it is stored in and the forms the sharing code writes (E.164, lower-case email)."""
    values: dict[str, set[str]] = {
        "name": set(),
        "dob": set(),
        "account": set(),
        "phone": set(),
        "email": set(),
    }
    for party in world["parties"].to_pylist():
        values["name"].update(
            v for v in (party["name"], party["given_name"], party["family_name"]) if v
        )
        values["dob"].update(_dob_forms(party["dob"]))
        for kind in ("phone", "email"):
            if party[kind]:
                values[kind].update({party[kind], *_normalised(kind, party[kind])})
    for row in world["identifiers"].to_pylist():
        if row["kind"] in ("phone", "email"):
            values[row["kind"]].update({row["value"], *_normalised(row["kind"], row["value"])})
    for account in world["accounts"]["account_id"].to_pylist():
        values["account"].update({account, *account.split("-")[1:]})
        values["account"].update(_normalised("account", account))
    return values


def leaks(data: bytes, world: dict[str, pa.Table]) -> list[str]:
    """Personal values found as whole words in `data` (institution names excepted)."""
    text = data.decode("utf-8", "replace")
    institutions = " ".join(v for v in world["accounts"]["institution"].to_pylist() if v)
    found = []
    for kind, values in personal_values(world).items():
        for value in values:
            if sum(c.isalnum() for c in value) < MIN_CHARACTERS or value not in text:
                continue
            if kind == "name" and re.search(rf"\b{re.escape(value)}\b", institutions):
                continue
            if re.search(rf"(?<![0-9A-Za-z]){re.escape(value)}(?![0-9A-Za-z])", text):
                found.append(f"{kind}: {value}")
    return found
