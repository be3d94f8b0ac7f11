"""The console driven as a user in Debian's Chromium against a real uvicorn server on a demo store:
log in, work the queue, open a network, expand, brush the timeline, find a path, confirm a mule,
write a note, and as a supervisor see the audit entry; a screenshot of each page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx

from tests.console.conftest import DemoWorld
from tests.console.pages import (
    BUDGET_ROUTE,
    brush,
    count,
    has_budget_route,
    log_in,
    log_out,
    open_console,
    select_member,
    shot,
    wait_for_count,
)

REASON = "console test: money in from victims and out within the hour"


def test_queue_sorts_and_applies_the_review_budget(
    chromium: Any, bundle: Path, console_url: str, demo_world: DemoWorld, shots: Path
) -> None:
    facts = demo_world.facts
    page, watch = open_console(chromium, console_url)
    server_budget = has_budget_route(console_url)
    log_in(page, console_url, demo_world.logins["analyst"])
    first = page.locator("#alert-table tbody tr").first
    assert first.get_attribute("data-account") == facts.top_alert
    assert first.locator("ul.reasons li").all_inner_texts() == facts.top_reasons

    page.click("th[data-key=score]")  # highest score first
    page.wait_for_selector("th[data-key=score][aria-sort=descending]")
    cells = page.locator("#alert-table tbody tr td:nth-child(2)").all_inner_texts()
    scores = [float(s) for s in cells]
    assert scores == sorted(scores, reverse=True) and abs(scores[0] - facts.max_score) < 5e-4

    page.click("th[data-key=rank]")
    page.wait_for_selector("th[data-key=rank][aria-sort=ascending]")
    if server_budget:  # the team's budget is on the server, and only a supervisor sets it
        assert page.is_disabled("#budget") and page.is_disabled("#budget-save")
        log_out(page)
        log_in(page, console_url, demo_world.logins["supervisor"])
    _set_budget_to_three(page)
    assert ("this browser only" in page.inner_text("#budget-status")) != server_budget
    page.reload()  # the budget outlives the page, on the server or in this browser
    page.wait_for_selector("#alert-table tbody tr.over-budget")
    assert page.input_value("#budget") == "3"
    shot(page, shots, "queue")
    watch.assert_clean()
    page.close()
    if server_budget:
        _analyst_elsewhere_sees_the_servers_budget(chromium, console_url, demo_world)


def _set_budget_to_three(page: Any) -> None:
    page.fill("#budget", "3")
    page.click("#budget-save")
    page.wait_for_selector("#alert-table tbody tr.over-budget")
    due = page.locator("#alert-table tbody tr:not(.over-budget)").count()
    assert due == 3
    assert "fit today's budget of 3" in page.inner_text("#budget-status")


def _analyst_elsewhere_sees_the_servers_budget(
    chromium: Any, console_url: str, demo_world: DemoWorld
) -> None:
    """A fresh browser context (no local storage) as the analyst: the budget can only have come
    from the server, and the server's own answer says who set it."""
    supervisor = demo_world.logins["supervisor"]
    token = httpx.post(
        f"{console_url}/api/login",
        json={"user_id": supervisor.user_id, "password": supervisor.password},
    ).json()["token"]
    kept = httpx.get(
        f"{console_url}{BUDGET_ROUTE}", headers={"authorization": f"Bearer {token}"}
    ).json()
    assert (kept["budget_per_day"], kept["set_by"]) == (3, supervisor.user_id)
    page, watch = open_console(chromium, console_url)
    log_in(page, console_url, demo_world.logins["analyst"])
    page.wait_for_selector("#alert-table tbody tr.over-budget")
    assert page.evaluate("localStorage.getItem('fraudnet.review-budget')") is None
    assert page.input_value("#budget") == "3"
    assert f"set by {supervisor.user_id}" in page.inner_text("#budget-status")
    assert page.locator("#alert-table tbody tr:not(.over-budget)").count() == 3
    watch.assert_clean()
    page.close()


def test_network_decision_and_audit(
    chromium: Any, bundle: Path, console_url: str, demo_world: DemoWorld, shots: Path
) -> None:
    facts = demo_world.facts
    page, watch = open_console(chromium, console_url)
    log_in(page, console_url, demo_world.logins["analyst"])
    assert page.locator("#topbar a[href='#/audit']").count() == 0, "an analyst has no audit page"

    page.click(f"#alert-table tr[data-account='{facts.top_alert}'] a")
    page.wait_for_selector("#graph[data-nodes]")
    wait_for_count(page, "#graph", "data-edges", lambda n: n > 0)
    assert count(page, "#graph", "data-nodes") >= len(facts.member_ids)
    assert page.inner_text("#account-box h2") == facts.top_alert  # the alert opened in focus
    # Selected in the graph: its payments light up on the timeline.
    assert page.locator("svg.timeline circle.payment.highlight").count() > 0
    assert count(page, "#graph", "data-highlighted-edges") > 0
    shot(page, shots, "network")

    # Clicked on the timeline: that payment's edge lights up in the graph.
    page.click(f"svg.timeline circle[data-txn='{facts.member_payment}']")
    page.wait_for_selector(f"#status:has-text('{facts.member_payment}')")
    assert count(page, "#graph", "data-highlighted-edges") == 1
    assert page.locator("svg.timeline circle.payment.highlight").count() == 1

    member, outsider = facts.outside_neighbour
    assert page.locator(f"[data-member='{outsider}']").count() == 0
    select_member(page, member)
    before = count(page, "#graph", "data-nodes")
    page.click("#hide")  # hidden: out of the graph, a chip brings it back
    page.wait_for_selector(f"#hidden-list button:has-text('{member}')")
    assert count(page, "#graph", "data-nodes") == before - 1
    page.click(f"#hidden-list button:has-text('{member}')")
    wait_for_count(page, "#graph", "data-nodes", lambda n: n == before)
    select_member(page, member)
    page.click("#pin")
    page.wait_for_selector("#pin:text-is('Unpin')")
    assert count(page, "#graph", "data-pinned") == 1
    page.click("#expand")
    page.wait_for_selector("#status:has-text('Expanded')")
    assert page.locator(f"[data-member='{outsider}']").count() == 1
    assert count(page, "#graph", "data-nodes") > before
    assert count(page, "#graph", "data-pinned") == 1  # still pinned after the graph grew

    edges = count(page, "#graph", "data-edges")
    brush(page, 0.05, 0.35)
    page.wait_for_selector("#status:has-text('Showing payments from')")
    assert 0 < count(page, "#graph", "data-edges") < edges
    assert page.locator("svg.timeline circle.payment.outside").count() > 0
    assert page.locator("svg.timeline rect.brush").count() == 1
    shot(page, shots, "network-brushed")
    brush(page, 0.5, 0.5)  # a click without a drag clears the brush
    page.wait_for_selector("#status:has-text('Showing all')")

    a, b = facts.path_ends
    page.fill("#path-from", a)
    page.fill("#path-to", b)
    page.click("#path-find")
    page.wait_for_selector("#path-result:has-text('step')")
    found = page.inner_text("#path-result")
    # The strongest path may go round through a wider chain than the one payment a→b.
    assert re.match(r"\d+ steps?, at least £", found), found
    assert found.split(": ", 1)[1].startswith(f"{a} → ") and found.endswith(f" → {b}")

    select_member(page, facts.top_alert)
    page.fill("#decision-reason", REASON)
    page.click("#confirm-mule")
    page.wait_for_selector("#decision-result:has-text('Recorded')")
    assert f"{facts.top_alert} is mule" in page.inner_text("#decision-result")

    page.fill("#note-text", "Ask the receiving bank for the device log.")
    page.click("#note-add")
    page.wait_for_selector("#notes li:has-text('device log')")
    shot(page, shots, "network-decided")

    page.goto(f"{console_url}/#/queue")
    row = page.locator(f"#alert-table tr[data-account='{facts.top_alert}']")
    row.wait_for()
    assert "mule" in row.inner_text()

    log_out(page)
    log_in(page, console_url, demo_world.logins["supervisor"])
    page.click("#topbar a[href='#/audit']")
    page.wait_for_selector("#audit-table tbody tr")
    entry = page.locator(f"#audit-table tr[data-subject='{facts.top_alert}']", has_text=REASON)
    assert entry.count() >= 1
    assert demo_world.logins["analyst"].user_id in entry.first.inner_text()
    seqs = [int(s) for s in page.locator("#audit-table tbody tr td:first-child").all_inner_texts()]
    assert seqs == sorted(seqs, reverse=True) and len(seqs) > 1  # newest first, from the server
    shot(page, shots, "audit")
    watch.assert_clean()
    page.close()


def test_trace_shows_what_can_be_frozen(
    chromium: Any, bundle: Path, console_url: str, demo_world: DemoWorld, shots: Path
) -> None:
    facts = demo_world.facts
    page, watch = open_console(chromium, console_url)
    log_in(page, console_url, demo_world.logins["analyst"])
    page.click("#topbar a[href='#/traces']")
    page.click(f"#report-table a:text-is('{facts.report_id}')")
    page.wait_for_selector("#freeze-table")
    held = page.locator(".kind-held strong").inner_text()
    assert held == f"£{facts.report_held:,.2f}"
    assert page.locator("#freeze-table tbody tr").count() >= 1
    shot(page, shots, "trace")
    watch.assert_clean()
    page.close()


def test_explore_an_alert_outside_any_network(
    chromium: Any, bundle: Path, console_url: str, demo_world: DemoWorld, shots: Path
) -> None:
    page, watch = open_console(chromium, console_url)
    log_in(page, console_url, demo_world.logins["analyst"])
    row = page.locator("#alert-table tbody tr", has=page.locator("a:text-is('explore')")).first
    account = row.get_attribute("data-account")
    row.locator("a").click()
    page.wait_for_selector(f"#account-box h2:text-is('{account}')")
    wait_for_count(page, "#graph", "data-nodes", lambda n: n > 1)
    assert page.inner_text("h1") == f"Around {account}"
    assert count(page, "#graph", "data-edges") > 0
    shot(page, shots, "explore")
    watch.assert_clean()
    page.close()
