"""The alert queue as an analyst works it: the latest alerts with reasons and decisions, paged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyarrow as pa

from fraudnet.engine import Engine
from fraudnet.errors import InvalidValueError
from fraudnet.workspace.guard import literal, require
from fraudnet.workspace.permissions import READ_QUEUE

SORT_COLUMNS = {
    "rank": "q.rank",
    "score": "q.score",
    "account_id": "q.account_id",
    "alert_day": "q.alert_day",
}
MAX_PAGE_SIZE = 500

DECISIONS_SQL = """
SELECT subject, arg_max(label, decided_at) AS decision, arg_max(decided_by, decided_at)
  AS decided_by, MAX(decided_at) AS decided_at
FROM labels WHERE source = 'analyst' GROUP BY subject
"""
"""The latest analyst decision per subject: what the queue and account page show."""


@dataclass(frozen=True, slots=True)
class QueuePage:
    """One page of the queue and how many alerts the whole queue holds."""

    total: int
    page: int
    page_size: int
    items: pa.Table  # rank, account_id, score, reasons, alert_day, as_of, network_id, decision...


def alert_queue(
    engine: Engine,
    user_id: str,
    sort: str = "rank",
    descending: bool = False,
    page: int = 1,
    page_size: int = 50,
    day: date | None = None,
) -> QueuePage:
    """The newest detect run's alerts, sorted by `sort`, with each account's latest decision."""
    require(engine, user_id, READ_QUEUE)
    if sort not in SORT_COLUMNS:
        raise InvalidValueError(f"sort must be one of {', '.join(SORT_COLUMNS)}, not {sort!r}")
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidValueError(f"page must be >= 1 and page_size 1 to {MAX_PAGE_SIZE}")
    on_day = f" AND a.alert_day = DATE {literal(day.isoformat())}" if day else ""
    queue = "SELECT a.* FROM alerts a WHERE a.as_of = (SELECT MAX(as_of) FROM alerts)" + on_day
    total = int(engine.sql(f"SELECT COUNT(*) AS n FROM ({queue})").column("n")[0].as_py())
    direction = "DESC" if descending else "ASC"
    items = engine.sql(
        f"""WITH q AS ({queue}), d AS ({DECISIONS_SQL}),
        nets AS (SELECT subject, MIN(network_id) AS network_id FROM network_roles
                 WHERE subject_kind = 'account' GROUP BY subject)
        SELECT q.rank, q.account_id, q.score, q.reasons, q.alert_day, q.as_of, nets.network_id,
               d.decision, d.decided_by, d.decided_at
        FROM q LEFT JOIN d ON d.subject = q.account_id
        LEFT JOIN nets ON nets.subject = q.account_id
        ORDER BY {SORT_COLUMNS[sort]} {direction} NULLS LAST, q.rank, q.account_id
        LIMIT {page_size} OFFSET {(page - 1) * page_size}"""
    )
    return QueuePage(total, page, page_size, items)


def split_reasons(reasons: str | None) -> list[str]:
    """The stored '; '-separated reasons as a list, strongest first."""
    return [part.strip() for part in (reasons or "").split("; ") if part.strip()]


__all__ = ["DECISIONS_SQL", "MAX_PAGE_SIZE", "SORT_COLUMNS", "QueuePage", "alert_queue"]
