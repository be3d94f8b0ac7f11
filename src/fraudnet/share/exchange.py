"""One round of intelligence exchange between several organisations' stores, in one call.

What the CLI does step by step (docs/sharing.md), for every ordered pair of organisations:
the sender asks the partner by PSI (intersection mode) which of the accounts, devices and
IPs in its networks the partner holds; for each network with a hit it builds a signed,
addressed network package under the default grading (keyed tokens only) and the partner
receives it into `shared_intel`. A network goes only where it touches the partner's own
accounts or customers' devices, never to every partner. Each step is timed and its bytes
counted, so a benchmark can say what sharing costs.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from fraudnet.atomic import write_atomic
from fraudnet.engine import Engine
from fraudnet.share.identifiers import identifier_kind
from fraudnet.share.keys import OrgKeys
from fraudnet.share.package import PackageRequest, build_package
from fraudnet.share.psi_sets import default_set_for
from fraudnet.share.psi_store import QueryCap, finish, respond, send_request
from fraudnet.share.receive import receive_package
from fraudnet.store import open_store

PSI_KINDS = ("account", "device", "ip")
"""Subjects of network roles a partner may hold: its accounts, its customers' logins."""
PSI_MODE = "intersection"


@dataclass(frozen=True, slots=True)
class Organisation:
    """One party to the exchange: its name, its store and its keys (partners imported)."""

    org: str
    store: Path
    keys: OrgKeys


@dataclass(frozen=True, slots=True)
class PsiStep:
    """One PSI query: who asked whom, about what kind, how much it cost, what it found."""

    sender: str
    partner: str
    kind: str
    asked: int
    held: int
    hits: int
    request_bytes: int
    response_bytes: int
    seconds: float


@dataclass(frozen=True, slots=True)
class PackageStep:
    """One package: built by `sender` for `partner`, its size and what the partner matched."""

    sender: str
    partner: str
    network_id: str
    package_bytes: int
    claims: int
    matched: int
    build_seconds: float
    receive_seconds: float
    duplicate: bool = False


@dataclass
class ExchangeReport:
    """Every step of one round, as rows a notebook or a bench can sum."""

    psi: list[PsiStep] = field(default_factory=list)
    packages: list[PackageStep] = field(default_factory=list)

    def totals(self) -> dict[str, float | int]:
        return {
            "psi_queries": len(self.psi),
            "psi_hits": sum(s.hits for s in self.psi),
            "psi_bytes": sum(s.request_bytes + s.response_bytes for s in self.psi),
            "psi_seconds": round(sum(s.seconds for s in self.psi), 2),
            "packages": sum(not p.duplicate for p in self.packages),
            "packages_already_held": sum(p.duplicate for p in self.packages),
            "package_bytes": sum(p.package_bytes for p in self.packages),
            "package_claims": sum(p.claims for p in self.packages),
            "package_claims_matched": sum(p.matched for p in self.packages),
            "package_build_seconds": round(sum(p.build_seconds for p in self.packages), 2),
            "package_receive_seconds": round(sum(p.receive_seconds for p in self.packages), 2),
        }


def network_subjects(
    engine: Engine, kinds: Sequence[str] = PSI_KINDS
) -> dict[str, dict[str, set[str]]]:
    """kind -> normalised value -> the networks it is in, for this store's network members
    (victims left out: a victim is not intelligence about a partner's customer)."""
    rows = engine.sql(
        "SELECT DISTINCT network_id, subject_kind, subject FROM network_roles "
        "WHERE role <> 'victim'"
    ).to_pylist()
    out: dict[str, dict[str, set[str]]] = {kind: {} for kind in kinds}
    for row in rows:
        kind = row["subject_kind"]
        if kind not in out:
            continue
        value = identifier_kind(kind).normalise(str(row["subject"]))
        if value:
            out[kind].setdefault(value, set()).add(str(row["network_id"]))
    return out


def exchange(
    organisations: Sequence[Organisation],
    outbox: str | Path,
    now: datetime,
    kinds: Sequence[str] = PSI_KINDS,
    cap: QueryCap | None = None,
) -> ExchangeReport:
    """One round: every organisation asks every other by PSI, then sends and they receive.

    `now` is the time the packages are dated and received (a replay passes the cut-off it
    means, so detection at that cut-off sees them). Package files are written to `outbox`;
    calling again with the same outbox queries again (PSI is logged and capped) but
    delivers the same packages, which the partners' stores already hold.
    """
    folder = Path(outbox)
    folder.mkdir(parents=True, exist_ok=True)
    cap = cap or QueryCap()
    report = ExchangeReport()
    for sender in organisations:
        with _opened(sender) as eng:
            subjects = network_subjects(eng, kinds)
        for partner in organisations:
            if partner.org == sender.org:
                continue
            hit = _ask(sender, partner, subjects, cap, report)
            for network_id in sorted(hit):
                _send(sender, partner, network_id, folder, now, report)
    return report


def _ask(
    sender: Organisation,
    partner: Organisation,
    subjects: dict[str, dict[str, set[str]]],
    cap: QueryCap,
    report: ExchangeReport,
) -> set[str]:
    """The sender's networks with a member the partner holds, by one PSI query per kind."""
    networks: set[str] = set()
    for kind, by_value in subjects.items():
        if not by_value:
            continue
        started = time.perf_counter()
        with _opened(sender) as eng:
            request = send_request(eng, sender.keys, partner.org, kind, sorted(by_value), PSI_MODE)
        with _opened(partner) as eng:
            held = default_set_for(kind).values(eng)
            answer = respond(eng, partner.keys, request, "exchange", sender.org, held, cap, True)
        with _opened(sender) as eng:
            result = finish(eng, sender.keys, answer, "exchange")
        matched = result.matched_values or ()
        for value in matched:
            networks |= by_value.get(value, set())
        report.psi.append(
            PsiStep(
                sender.org,
                partner.org,
                kind,
                len(by_value),
                len(held),
                len(matched),
                len(request),
                len(answer),
                round(time.perf_counter() - started, 3),
            )
        )
    return networks


def _send(
    sender: Organisation,
    partner: Organisation,
    network_id: str,
    folder: Path,
    now: datetime,
    report: ExchangeReport,
) -> None:
    """Build, write and deliver one package; one already in the outbox is delivered as it
    is, so a second round over the same networks adds nothing to the partner's store."""
    started = time.perf_counter()
    path = folder / f"{sender.org}--{partner.org}--{network_id}.json"
    if path.exists():
        data = path.read_bytes()
    else:
        with _opened(sender) as eng:
            request = PackageRequest(network_id, partner.org)
            data = build_package(eng, sender.keys, request, now=now)
        write_atomic(path, data)
    built = time.perf_counter()
    with _opened(partner) as eng:
        receipt = receive_package(eng, path, partner.keys, now=now)
    report.packages.append(
        PackageStep(
            sender.org,
            partner.org,
            network_id,
            len(data),
            receipt.claims,
            receipt.matched,
            round(built - started, 3),
            round(time.perf_counter() - built, 3),
            receipt.duplicate,
        )
    )


@contextmanager
def _opened(org: Organisation) -> Iterator[Engine]:
    with open_store(org.store) as eng:
        yield eng
