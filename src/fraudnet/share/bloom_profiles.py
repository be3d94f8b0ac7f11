"""Named encoder profiles for person records (name, date of birth, address), looked up by name.

Both organisations pick the same profile and hold the same secret. `hardened` is the
default: names salted with the year of birth (a salt the attacker's public name lists do
not carry), then balanced. The salt is kept off the date and address fields so that a
mistyped year of birth costs one field's similarity, not the whole record's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pyarrow as pa

from fraudnet.errors import FraudnetError
from fraudnet.share.bloom import BloomEncoder, EncoderSettings, FieldSpec

PERSON_FIELDS = (
    FieldSpec("given_name", hashes=10),
    FieldSpec("family_name", hashes=10),
    FieldSpec("dob", hashes=8, q=1),
    FieldSpec("address", hashes=4),
    FieldSpec("postcode", hashes=4, q=1),
    FieldSpec("city", hashes=4),
)
NAME_FIELDS = ("given_name", "family_name")

PROFILES: dict[str, EncoderSettings] = {
    "unhardened": EncoderSettings(fields=PERSON_FIELDS),
    "balanced": EncoderSettings(fields=PERSON_FIELDS, hardening=("balance",)),
    "hardened": EncoderSettings(
        fields=PERSON_FIELDS,
        salt_field="dob_year",
        salted_fields=NAME_FIELDS,
        hardening=("balance",),
    ),
}
DEFAULT_PROFILE = "hardened"


def profile(name: str) -> EncoderSettings:
    """The registered profile called `name`."""
    if name not in PROFILES:
        raise FraudnetError(f"unknown encoder profile {name!r}; known: {', '.join(PROFILES)}")
    return PROFILES[name]


def person_encoder(secret: bytes, name: str = DEFAULT_PROFILE) -> BloomEncoder:
    return BloomEncoder(secret, profile(name))


def _dob_text(value: object) -> str | None:
    return value.strftime("%Y%m%d") if isinstance(value, date) else None


def party_records(parties: pa.Table) -> Iterator[dict[str, str | None]]:
    """`parties` rows as the text fields the person profiles encode (dob as YYYYMMDD)."""
    for row in parties.select(
        ["given_name", "family_name", "dob", "address", "postcode", "city"]
    ).to_pylist():
        dob = _dob_text(row["dob"])
        yield {**row, "dob": dob, "dob_year": dob[:4] if dob else None}
