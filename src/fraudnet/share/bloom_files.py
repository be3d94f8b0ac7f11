"""Fuzzy person matching between two organisations by files of hardened Bloom encodings.

Each organisation encodes its own people (name, date of birth, address) under a secret it
shares with one partner only: both derive it from their X25519 keys (`share.keys`) with
HKDF, bound to the pair and not to a direction, so neither sends a secret and a file made
for one partner is noise to anyone else. The file holds a party id and a filter per person
and the settings needed to compare, never a name, date or address. Matching is Dice on the
filters, best candidates per record, then one-to-one links above a threshold.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fraudnet.engine import Engine
from fraudnet.errors import FraudnetError
from fraudnet.share.bloom import best_pairs, top_candidates
from fraudnet.share.bloom_profiles import DEFAULT_PROFILE, party_records, person_encoder, profile
from fraudnet.share.keys import OrgKeys, check_org

FORMAT = "fraudnet-bloom-encodings/1"
SECRET_INFO = b"fraudnet bloom-filter secret v1"
DEFAULT_THRESHOLD = 0.8
"""Balanced filters have half their bits set, so unrelated people already score about 0.5."""

MATCH_SCHEMA = pa.schema(
    [("left_party_id", pa.string()), ("right_party_id", pa.string()), ("dice", pa.float64())]
)


def pair_secret(keys: OrgKeys, partner: str) -> bytes:
    """The Bloom-filter secret `keys.org` and `partner` both derive (same on either side)."""
    if check_org(partner) == keys.org:
        raise FraudnetError("a Bloom-filter secret is shared with a partner, not with oneself")
    shared = keys.agreement.exchange(keys.partner(partner).agreement_public)
    info = SECRET_INFO + "\x1f".join(("", *sorted((keys.org, partner)))).encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(shared)


@dataclass(frozen=True)
class Encodings:
    """One organisation's encoded people, for one partner."""

    org: str
    partner: str
    profile: str
    party_ids: list[str]
    filters: np.ndarray  # packed uint64 rows
    created_at: str

    def to_bytes(self) -> bytes:
        record = {
            "format": FORMAT,
            "org": self.org,
            "partner": self.partner,
            "profile": self.profile,
            "bits": int(self.filters.shape[1] * 64),
            "created_at": self.created_at,
            "records": [
                {"party_id": p, "filter": base64.b64encode(row.tobytes()).decode("ascii")}
                for p, row in zip(self.party_ids, self.filters, strict=True)
            ],
        }
        return (json.dumps(record, indent=0) + "\n").encode()

    @classmethod
    def read(cls, path: str | Path) -> Encodings:
        """An encodings file, or one error naming the file and what is wrong with it."""
        source = str(path)
        try:
            record = json.loads(Path(path).read_bytes())
        except OSError as err:
            raise FraudnetError(f"cannot read ({err.strerror})", file=source) from None
        except (UnicodeDecodeError, ValueError):
            raise FraudnetError("not a fraudnet encodings file (not JSON)", file=source) from None
        if not isinstance(record, dict) or record.get("format") != FORMAT:
            raise FraudnetError(f"not a {FORMAT} file", file=source)
        try:
            bits = int(record["bits"])
            rows = [base64.b64decode(r["filter"], validate=True) for r in record["records"]]
            ids = [str(r["party_id"]) for r in record["records"]]
            name = str(record["profile"])
            profile(name)
            filters = np.frombuffer(b"".join(rows), dtype=np.uint64).reshape(len(rows), bits // 64)
            return cls(
                check_org(str(record["org"])),
                check_org(str(record["partner"])),
                name,
                ids,
                filters,
                str(record["created_at"]),
            )
        except (KeyError, TypeError, ValueError, binascii.Error) as err:
            raise FraudnetError(f"damaged encodings file ({err})", file=source) from None


def encode_store(
    engine: Engine, keys: OrgKeys, partner: str, profile_name: str = DEFAULT_PROFILE
) -> Encodings:
    """This store's people (parties of kind person) encoded for `partner`."""
    parties = engine.table("parties")
    people = parties.filter(pc.fill_null(pc.equal(parties.column("kind"), "person"), False))
    encoder = person_encoder(pair_secret(keys, partner), profile_name)
    return Encodings(
        keys.org,
        partner,
        profile_name,
        people.column("party_id").to_pylist(),
        encoder.encode(party_records(people)),
        datetime.now(UTC).isoformat(timespec="seconds"),
    )


def match_encodings(
    left: Encodings, right: Encodings, threshold: float = DEFAULT_THRESHOLD
) -> pa.Table:
    """One-to-one links at or above `threshold` Dice, best first: left and right party ids."""
    if {left.org, left.partner} != {right.org, right.partner} or left.org == right.org:
        raise FraudnetError(
            f"encodings were made by {left.org} for {left.partner} and by {right.org} for "
            f"{right.partner}: only a pair made for each other can be compared"
        )
    if left.profile != right.profile or left.filters.shape[1] != right.filters.shape[1]:
        raise FraudnetError(
            f"encodings use different profiles ({left.profile}, {right.profile}): "
            "both sides must encode with the same one"
        )
    if not 0.0 < threshold <= 1.0:
        raise FraudnetError(f"threshold {threshold}: use a Dice value in (0, 1]")
    if not left.party_ids or not right.party_ids:
        return MATCH_SCHEMA.empty_table()
    links = best_pairs(top_candidates(left.filters, right.filters), threshold)
    return pa.Table.from_pylist(
        [
            {
                "left_party_id": left.party_ids[i],
                "right_party_id": right.party_ids[j],
                "dice": round(float(score), 4),
            }
            for i, j, score in links
        ],
        schema=MATCH_SCHEMA,
    )
