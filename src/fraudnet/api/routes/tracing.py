"""Fraud reports, their traces, Sankey data and the freeze list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from fraudnet.api.auth import CallerDep
from fraudnet.api.convert import rows, utc
from fraudnet.api.models import (
    FraudReport,
    FraudReportList,
    FreezeRow,
    FreezeView,
    SankeyLink,
    SankeyView,
    TraceView,
)
from fraudnet.workspace.tracing import (
    fraud_reports,
    report_freeze_list,
    sankey_data,
    stored_trace,
)

router = APIRouter(prefix="/api", tags=["tracing"])

ReportId = Annotated[str, Path(min_length=1, max_length=200)]
Rule = Annotated[str, Query(min_length=1, max_length=40, description="fifo, lifo, pro_rata, ...")]


@router.get("/reports", response_model=FraudReportList)
def reports(
    caller: CallerDep,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> FraudReportList:
    """Victims' fraud reports, newest first, with the rules each has been traced under."""
    total, found = fraud_reports(caller.engine, caller.user_id, page, page_size)
    items = [
        FraudReport(**{**r, "traced_rules": (r["traced_rules"] or "").split(",")})
        for r in rows(found)
    ]
    for item in items:
        item.traced_rules = [rule for rule in item.traced_rules if rule]
    return FraudReportList(total=total, items=items)


@router.get("/reports/{report_id}/trace", response_model=TraceView)
def trace(caller: CallerDep, report_id: ReportId, rule: Rule = "fifo") -> TraceView:
    """Where the report's money is under `rule`: held, exited or unexplained, and each flow."""
    result = stored_trace(caller.engine, caller.user_id, report_id, rule)
    return TraceView(
        report_id=report_id,
        rule=rule,
        as_of=utc(result.as_of),
        upper_bound=result.upper_bound,
        totals=result.totals(),
        traces=rows(result.traces),
        flows=rows(result.trace_flows),
    )


@router.get("/reports/{report_id}/sankey", response_model=SankeyView)
def sankey(caller: CallerDep, report_id: ReportId, rule: Rule = "fifo") -> SankeyView:
    """The report's Sankey diagram: accounts and exits as nodes, tainted money as links."""
    result = stored_trace(caller.engine, caller.user_id, report_id, rule)
    data = sankey_data(result, report_id)
    return SankeyView(
        report_id=report_id,
        rule=rule,
        nodes=data.nodes,
        links=[SankeyLink(**link) for link in data.links],
    )


@router.get("/reports/{report_id}/freeze", response_model=FreezeView)
def report_freeze(caller: CallerDep, report_id: ReportId, rule: Rule = "fifo") -> FreezeView:
    """What of this report's money can still be frozen, by institution and account."""
    result = stored_trace(caller.engine, caller.user_id, report_id, rule)
    table = rows(report_freeze_list(result))
    return FreezeView(report_id=report_id, rule=rule, rows=[FreezeRow(**r) for r in table])


@router.get("/freeze", response_model=FreezeView)
def freeze(caller: CallerDep, rule: Rule = "fifo") -> FreezeView:
    """The freeze list over every traced report: per institution, accounts and whose money."""
    result = stored_trace(caller.engine, caller.user_id, None, rule)
    table = rows(report_freeze_list(result))
    return FreezeView(report_id=None, rule=rule, rows=[FreezeRow(**r) for r in table])
