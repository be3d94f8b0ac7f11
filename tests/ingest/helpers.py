"""Small writers for the damaged files the ingest tests feed through the real loader."""

from __future__ import annotations

from pathlib import Path

HEADER = "txn_id,ts,amount,currency,src_account,dst_account,channel\n"


def payment(i: int, amount: str = "5.00", ts: str = "2024-01-01 10:00:00") -> str:
    return f"t{i},{ts},{amount},GBP,A{i},B,fps\n"


def payments(n: int) -> list[str]:
    return [payment(i) for i in range(1, n + 1)]


def write(path: Path, text: str) -> Path:
    path.write_text(text, newline="")
    return path


def quarantine(store: object, where: str = "TRUE") -> list[dict[str, object]]:
    from fraudnet.engine import Engine

    assert isinstance(store, Engine)
    return store.sql(
        f"SELECT line, field, value, reason FROM quarantine WHERE {where} ORDER BY line, reason"
    ).to_pylist()
