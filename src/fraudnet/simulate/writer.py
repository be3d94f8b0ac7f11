"""Write a simulated world into a store in one atomic commit."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from fraudnet.engine import Engine
from fraudnet.errors import InvalidValueError
from fraudnet.simulate.params import SimulationParams
from fraudnet.simulate.world import World, generate_world

WORLD_TABLES = (
    "transactions",
    "accounts",
    "parties",
    "identifiers",
    "events",
    "fraud_reports",
    "labels",
    "party_truth",
)


@dataclass(frozen=True)
class SimulationSummary:
    """What was written: rows per table and the size of the criminal world."""

    accounts: int
    days: int
    seed: int
    rows: dict[str, int] = field(default_factory=dict)
    networks: int = 0
    mule_accounts: int = 0
    victims: int = 0
    generate_seconds: float = 0.0
    write_seconds: float = 0.0
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    """The simulated window, UTC: every transaction and event is in [start, end)."""

    @property
    def transactions(self) -> int:
        return self.rows.get("transactions", 0)


def simulate_world(
    engine: Engine,
    accounts: int,
    days: int,
    seed: int,
    params: SimulationParams | None = None,
    on_stage: Callable[[str], None] | None = None,
    replace: bool = False,
) -> SimulationSummary:
    """Generate a world and write it to the store's tables in one atomic commit.

    A store that already holds accounts is refused unless `replace` is set, in which case
    the world's tables are replaced wholesale (other tables are left alone).
    """
    if not replace and engine.count("accounts"):
        raise InvalidValueError(
            "the store already holds accounts; use replace=True (--replace) to overwrite"
        )
    notify = on_stage or (lambda _stage: None)
    notify("generating")
    started = time.perf_counter()
    world = generate_world(accounts=accounts, days=days, seed=seed, params=params)
    generated = time.perf_counter()
    notify("writing")
    tables = {name: world.tables[name] for name in WORLD_TABLES}
    if replace:
        engine.commit(replaces=tables)
    else:
        engine.commit(appends=tables)
    written = time.perf_counter()
    return summarise(world, accounts, days, seed, generated - started, written - generated, params)


def summarise(
    world: World,
    accounts: int,
    days: int,
    seed: int,
    gen_s: float = 0.0,
    write_s: float = 0.0,
    params: SimulationParams | None = None,
) -> SimulationSummary:
    start = (params or SimulationParams()).start
    return SimulationSummary(
        accounts=accounts,
        days=days,
        seed=seed,
        rows={name: world.tables[name].num_rows for name in WORLD_TABLES},
        networks=world.counts.get("networks", 0),
        mule_accounts=world.counts.get("mule_accounts", 0),
        victims=world.counts.get("victims", 0),
        generate_seconds=round(gen_s, 3),
        write_seconds=round(write_s, 3),
        start=start,
        end=start + dt.timedelta(days=days),
    )
