"""Split one simulated world into the stores its organisations would each hold.

A bank sees its own accounts, their holders, identifiers and logins, and every payment
where one side is its customer; of the other side it sees only the account number and the
institution (`counterparty_accounts`), never a party row. A bank also holds the fraud
reports its own customers made (the sending bank handles APP claims); the police store
(a national fraud service) holds every report. Ground truth (`labels`, `party_truth`)
goes to a separate truth store for benchmarks and to no organisation's store.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from fraudnet.atomic import make_private, private_dir
from fraudnet.engine import open_engine
from fraudnet.errors import FraudnetError

POLICE_ORG = "police"
TRUTH_STORE = "truth"
MIN_BANK_ACCOUNTS = 20
"""Institutions holding fewer simulated accounts (foreign correspondents) get no store."""


@dataclass(frozen=True, slots=True)
class OrgStore:
    """One organisation's store and what was written to it."""

    org: str
    institution: str | None
    path: Path
    rows: dict[str, int]


def org_name(institution: str) -> str:
    """A file- and CLI-safe organisation name: 'Albion Bank' -> 'albion-bank'."""
    return re.sub(r"[^a-z0-9]+", "-", institution.lower()).strip("-")


def bank_institutions(accounts: pa.Table, min_accounts: int = MIN_BANK_ACCOUNTS) -> list[str]:
    """Institutions with enough customers to stand as an organisation of their own."""
    counts = pc.value_counts(accounts["institution"]).to_pylist()
    return sorted(c["values"] for c in counts if c["values"] and c["counts"] >= min_accounts)


def bank_view(world: Mapping[str, pa.Table], institution: str) -> dict[str, pa.Table]:
    """The tables `institution` would hold of the world: nothing about other banks' people."""
    accounts = world["accounts"].filter(pc.equal(world["accounts"]["institution"], institution))
    own = accounts["account_id"]
    parties = _rows_in(world["parties"], "party_id", accounts["holder_party_id"])
    txns = world["transactions"]
    mine = pc.or_(pc.is_in(txns["src_account"], own), pc.is_in(txns["dst_account"], own))
    transactions = txns.filter(pc.fill_null(mine, False))
    owners = pa.concat_arrays([own.combine_chunks(), parties["party_id"].combine_chunks()])
    return {
        "accounts": accounts,
        "parties": parties,
        "identifiers": _rows_in(world["identifiers"], "owner", owners),
        "events": _rows_in(world["events"], "subject", owners),
        "transactions": transactions,
        "fraud_reports": _own_reports(world["fraud_reports"], transactions, own),
        "counterparty_accounts": _counterparties(world["accounts"], transactions, own),
    }


def police_view(world: Mapping[str, pa.Table]) -> dict[str, pa.Table]:
    """A national fraud service holds the victims' reports and nothing of the banks' books."""
    return {"fraud_reports": world["fraud_reports"]}


def truth_view(world: Mapping[str, pa.Table]) -> dict[str, pa.Table]:
    """Ground truth for benchmarks, kept out of every organisation's store."""
    labels = world["labels"]
    truth = labels.filter(pc.equal(labels["source"], "ground_truth"))
    return {"labels": truth, "party_truth": world["party_truth"]}


def write_split(
    world: Mapping[str, pa.Table],
    out_dir: str | Path,
    min_accounts: int = MIN_BANK_ACCOUNTS,
    replace: bool = False,
) -> list[OrgStore]:
    """One store per bank, one for the police and one truth store under `out_dir`."""
    folder = private_dir(out_dir)
    views: dict[str, tuple[str | None, dict[str, pa.Table]]] = {
        org_name(inst): (inst, bank_view(world, inst))
        for inst in bank_institutions(world["accounts"], min_accounts)
    }
    if not views:
        raise FraudnetError(f"no institution holds {min_accounts} or more accounts to split by")
    views[POLICE_ORG] = (None, police_view(world))
    views[TRUTH_STORE] = (None, truth_view(world))
    return [
        _write_store(folder, org, inst, tables, replace) for org, (inst, tables) in views.items()
    ]


def _write_store(
    folder: Path, org: str, institution: str | None, tables: dict[str, pa.Table], replace: bool
) -> OrgStore:
    path = folder / f"{org}.duckdb"
    if path.exists() and not replace:
        raise FraudnetError(f"{path}: store exists; use --replace to overwrite it")
    with open_engine(path, "duckdb") as eng:
        eng.commit(replaces=tables)
    make_private(path)
    return OrgStore(org, institution, path, {k: v.num_rows for k, v in tables.items()})


def _rows_in(table: pa.Table, column: str, values: pa.Array | pa.ChunkedArray) -> pa.Table:
    return table.filter(pc.fill_null(pc.is_in(table[column], values), False))


def _own_reports(reports: pa.Table, transactions: pa.Table, own: pa.ChunkedArray) -> pa.Table:
    sent = transactions.filter(pc.fill_null(pc.is_in(transactions["src_account"], own), False))
    return _rows_in(reports, "txn_id", sent["txn_id"])


def _counterparties(
    world_accounts: pa.Table, transactions: pa.Table, own: pa.ChunkedArray
) -> pa.Table:
    sides = pa.concat_arrays(
        [transactions["src_account"].combine_chunks(), transactions["dst_account"].combine_chunks()]
    )
    others = pc.unique(sides.filter(pc.invert(pc.fill_null(pc.is_in(sides, own), True))))
    known = _rows_in(world_accounts, "account_id", others)
    lookup = dict(
        zip(known["account_id"].to_pylist(), known["institution"].to_pylist(), strict=True)
    )
    juris = dict(
        zip(known["account_id"].to_pylist(), known["jurisdiction"].to_pylist(), strict=True)
    )
    ids = [a for a in others.to_pylist() if a]
    return pa.table(
        {
            "account_id": ids,
            "institution": [lookup.get(a) for a in ids],
            "jurisdiction": [juris.get(a) for a in ids],
            "source": ["split_world"] * len(ids),
        }
    )
