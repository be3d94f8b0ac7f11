"""Acting in the console as a person would: log in, click, drag, read what the page says."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from fraudnet.demo.logins import DemoLogin
from tests.console.watch import PageWatch

VIEWPORT = {"width": 1400, "height": 900}


BUDGET_ROUTE = "/api/settings/review-budget"


def has_budget_route(url: str) -> bool:
    """Whether the server keeps the review budget (401 without a token where the route exists)."""
    return httpx.get(f"{url}{BUDGET_ROUTE}").status_code != 404


def open_console(chromium: Any, url: str) -> tuple[Any, PageWatch]:
    page = chromium.new_page(viewport=VIEWPORT)
    page.set_default_timeout(20_000)
    watch = PageWatch(url)
    if not has_budget_route(url):  # the queue then keeps the budget in the browser and says so
        watch.expected_errors = (f"404 GET {BUDGET_ROUTE}", f"404 PUT {BUDGET_ROUTE}")
    watch.attach(page)
    return page, watch


def log_in(page: Any, url: str, login: DemoLogin) -> None:
    page.goto(f"{url}/")
    page.wait_for_selector("#login-form")
    page.fill("#user", login.user_id)
    page.fill("#password", login.password)
    page.click("#login-submit")
    page.wait_for_selector("#alert-table tbody tr")


def log_out(page: Any) -> None:
    page.click("#logout")
    page.wait_for_selector("#login-form")


def count(page: Any, selector: str, attribute: str) -> int:
    return int(page.get_attribute(selector, attribute) or 0)


def shot(page: Any, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def brush(page: Any, start: float, end: float) -> None:
    """Drag across the timeline from `start` to `end`, as fractions of its width."""
    box = page.locator("svg.timeline").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * start, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * (start + end) / 2, y, steps=4)
    page.mouse.move(box["x"] + box["width"] * end, y, steps=4)
    page.mouse.up()


def select_member(page: Any, member: str) -> None:
    """Pick an account from the panel's member list (the keyboard's way into the canvas)."""
    if page.get_attribute("#member-list", "open") is None:
        page.click("#member-list summary")
    page.click(f"[data-member='{member}']")
    page.wait_for_selector(f"#account-box h2:text-is('{member}')")


def wait_for_count(
    page: Any, selector: str, attribute: str, test: Callable[[int], bool], timeout: float = 20
) -> int:
    """Poll a count the page writes on an element. Not page.wait_for_function: that evaluates a
    string, which the console's CSP (no 'unsafe-eval') refuses, as it should."""
    deadline = time.monotonic() + timeout
    while True:
        value = int(page.get_attribute(selector, attribute) or 0)
        if test(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{selector} {attribute}={value} after {timeout} s")
        page.wait_for_timeout(100)
