"""Evidence for treating card purchases as exits: the same trace with card payments followed.

On the demo world (seed 0, 20,000 accounts, 90 days) every report is traced under fifo and
pro_rata twice: as fraudnet does (a card payment is money spent, `exited`), and with every
card payment relabelled an ordinary transfer so the tracer follows it into merchants and on
through their payrolls. Records accounts reachable, restricted ledger rows, trace rows,
accounts left holding a victim's money, and seconds for each. Written for docs/decisions.md
("Tracing: card purchases are exits").

    nice -n 10 .venv/bin/python bench/trace_card_exits.py
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from provenance import RunRecord

from fraudnet.engine import Engine, open_engine
from fraudnet.simulate import DEMO_ACCOUNTS, DEMO_DAYS, simulate_world
from fraudnet.trace import prepare, trace_ledger

RESULTS = Path(__file__).parent / "results" / "trace_card_exits.json"
RULES = ("fifo", "pro_rata")


def follow_cards(engine: Engine) -> int:
    """Relabel card payments as transfers, so no card payment is an exit; returns how many."""
    count = engine.sql("SELECT COUNT(*) AS n FROM transactions WHERE channel = 'card'")
    engine.execute("UPDATE transactions SET channel = 'fps' WHERE channel = 'card'")
    return int(count.column("n")[0].as_py())


def trace_all(engine: Engine) -> dict[str, Any]:
    """Restrict once, then trace every report under each rule (nothing stored)."""
    started = time.perf_counter()
    ledger = prepare(engine)
    restricted = time.perf_counter()
    out: dict[str, Any] = {
        "reports": len(ledger.reports),
        "reachable_accounts": len(ledger.accounts),
        "restricted_ledger_rows": ledger.rows.num_rows,
        "restrict_s": round(restricted - started, 2),
        "rules": {},
    }
    for rule in RULES:
        begun = time.perf_counter()
        result = trace_ledger(engine, ledger, rule, store=False)
        out["rules"][rule] = {
            "seconds": round(time.perf_counter() - begun, 2),
            "traces": result.traces.num_rows,
            "trace_flows": result.trace_flows.num_rows,
            "accounts_holding_taint": _held_accounts(result.traces),
            "totals": {k: str(v) for k, v in result.totals().items()},
        }
    return out


def _held_accounts(traces: pa.Table) -> int:
    held = traces.filter(pc.equal(traces.column("kind"), "held"))
    return len(pc.unique(held.column("account_id")))


def measure(seed: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, open_engine(Path(tmp) / "w.duckdb") as engine:
        simulate_world(engine, accounts=DEMO_ACCOUNTS, days=DEMO_DAYS, seed=seed)
        ledger_rows = int(engine.sql("SELECT COUNT(*) AS n FROM transactions").column("n")[0])
        cards_exit = trace_all(engine)
        relabelled = follow_cards(engine)
        cards_followed = trace_all(engine)
    return {
        "world": {"seed": seed, "accounts": DEMO_ACCOUNTS, "days": DEMO_DAYS},
        "ledger_rows": ledger_rows,
        "card_payments": relabelled,
        "cards_exit": cards_exit,
        "cards_followed": cards_followed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    run = RunRecord()
    result = {"benchmark": "trace_card_exits", **measure(args.seed), "run": run.finish()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
