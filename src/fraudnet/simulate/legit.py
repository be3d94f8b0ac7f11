"""Ordinary financial life, including the look-alikes that cause false alarms in real banks.

Every generator is vectorised over people: one numpy pass per kind of payment.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from fraudnet.simulate import clock
from fraudnet.simulate.ledger import Ledger, refs, shape_pence
from fraudnet.simulate.params import SimulationParams
from fraudnet.simulate.population import (
    AGENT,
    BILLER,
    EMPLOYER,
    EXCHANGE,
    LENDER,
    LUXURY,
    MERCHANT,
    PAYER,
    SHELL,
    TRADER,
    Population,
    foreign_exchanges,
    local_people,
    town_members,
)

MINUTE = clock.MINUTE
HOUR = clock.HOUR


class LegitLife:
    """Generates a population's everyday payments into a ledger."""

    def __init__(
        self,
        rng: np.random.Generator,
        params: SimulationParams,
        pop: Population,
        ledger: Ledger,
        reserved: np.ndarray,
    ) -> None:
        """`reserved` marks accounts the criminal plan uses (never woken from dormancy here)."""
        self.rng, self.params, self.pop, self.ledger = rng, params, pop, ledger
        self.reserved = reserved
        self.second = _second_accounts(pop)
        self.active = np.flatnonzero(pop.main_account >= 0)
        self.months = pop.days / 30.0
        self.start_weekday = params.start.weekday()
        self.dom = _day_of_month(params.start, pop.days)
        self.towns = town_members(pop)
        # how busy each person is (some people barely use their account)
        self.activity = rng.lognormal(-0.18, 0.6, size=pop.n_persons)

    def generate(self) -> None:
        for step in (
            self.salaries, self.benefits, self.housing, self.bills, self.card, self.p2p,
            self.students, self.own_transfers, self.traders, self.b2b, self.sellers,
            self.cash, self.crypto_and_remittances, self.large_payments, self.reawaken,
        ):  # fmt: skip
            step()

    # ---- helpers ----------------------------------------------------------------------
    def _monthly_days(self, dom: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row index, day offset) for every day in the window falling on each day-of-month."""
        rows, days = [], []
        for d in np.unique(dom):
            hits = np.flatnonzero(self.dom == d)
            who = np.flatnonzero(dom == d)
            rows.append(np.repeat(who, len(hits)))
            days.append(np.tile(hits, len(who)))
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(rows), np.concatenate(days)

    def _poisson_rows(self, who: np.ndarray, per_month: np.ndarray | float) -> np.ndarray:
        counts = self.rng.poisson(np.asarray(per_month) * self.months, size=len(who))
        return np.repeat(who, counts)

    def _days(self, n: int) -> np.ndarray:
        return self.rng.integers(0, self.pop.days, size=n)

    def _times(self, days: np.ndarray, profile: str) -> np.ndarray:
        return clock.times_on_days(self.rng, self.pop.start_us, days, profile)

    def _lognormal(self, median: float, sigma: float, n: int) -> np.ndarray:
        return median * self.rng.lognormal(0.0, sigma, size=n)

    def _accounts(self, kind: int) -> np.ndarray:
        return self.pop.accounts_of(kind)

    def _pick(self, accounts: np.ndarray, n: int, skew: float = 1.0) -> np.ndarray:
        """Accounts drawn with a fixed popularity skew (a few big merchants, many small)."""
        weights = 1.0 / np.arange(1, len(accounts) + 1) ** skew
        return accounts[self.rng.choice(len(accounts), size=n, p=weights / weights.sum())]

    # ---- income -----------------------------------------------------------------------
    def salaries(self) -> None:
        pop = self.pop
        paid = np.flatnonzero((pop.employer >= 0) & (pop.main_account >= 0))
        weekly = self.rng.random(len(paid)) < 0.15
        # monthly: employers pay on a fixed day of month, moved to a working day
        monthly = paid[~weekly]
        employer_dom = 24 + pop.employer[monthly] % 5
        rows, days = self._monthly_days(employer_dom)
        days = clock.next_weekday(self.start_weekday, days)
        keep = days < pop.days
        who, days = monthly[rows[keep]], days[keep]
        wobble = np.where(self.rng.random(len(who)) < 0.3, self.rng.normal(1, 0.06, len(who)), 1)
        pence = (pop.pay_pence[who] * wobble).astype(np.int64)
        self.ledger.add(
            "salary", pop.employer[who], pop.main_account[who], self._times(days, "batch"),
            pence, "bacs", refs(self.rng, "salary", len(who)),
        )  # fmt: skip
        # weekly: every Friday
        fridays = np.flatnonzero(clock.weekday(self.start_weekday, np.arange(pop.days)) == 4)
        who = np.repeat(paid[weekly], len(fridays))
        days = np.tile(fridays, int(weekly.sum()))
        pence = (pop.pay_pence[who] * 12 / 52 * self.rng.normal(1, 0.08, len(who))).astype(np.int64)
        self.ledger.add(
            "salary", pop.employer[who], pop.main_account[who], self._times(days, "batch"),
            pence, "bacs", refs(self.rng, "salary", len(who)),
        )  # fmt: skip

    def benefits(self) -> None:
        pop = self.pop
        payers = self._accounts(PAYER)
        who = np.flatnonzero(
            (pop.main_account >= 0)
            & (pop.employer < 0)
            & ~pop.student
            & (self.rng.random(pop.n_persons) < 0.85)
        )
        dom = self.rng.integers(1, 29, size=len(who))
        rows, days = self._monthly_days(dom)
        who = who[rows]
        pounds = np.where(pop.retired[who], 1100.0, 620.0) * self.rng.lognormal(0, 0.25, len(who))
        self.ledger.add(
            "benefit", self._pick(payers, len(who)), pop.main_account[who],
            self._times(days, "batch"), shape_pence(self.rng, pounds, 0.0), "bacs",
            refs(self.rng, "pension", len(who)),
        )  # fmt: skip
        # student finance: a maintenance instalment lands on some students in the window
        students = np.flatnonzero(pop.student & (pop.main_account >= 0))
        got = students[self.rng.random(len(students)) < min(1.0, pop.days / 120)]
        pounds = self._lognormal(2300.0, 0.3, len(got))
        self.ledger.add(
            "benefit", self._pick(payers, len(got)), pop.main_account[got],
            self._times(self._days(len(got)), "batch"), shape_pence(self.rng, pounds, 0.1),
            "bacs", refs(self.rng, "slc", len(got)),
        )  # fmt: skip

    # ---- housing and bills ------------------------------------------------------------
    def housing(self) -> None:
        pop, rng = self.pop, self.rng
        adults = self.active[(pop.age[self.active] <= 70)]
        landlord_pool = self.active[
            (pop.age[self.active] >= 32)
            & (rng.random(len(self.active)) < self.params.landlord_share)
        ]
        renter = adults[
            rng.random(len(adults)) < self.params.private_renter_share + 0.3 * pop.student[adults]
        ]
        renter = renter[~np.isin(renter, landlord_pool)]
        # tenants of the same landlord: a fan-in of rent to a personal account each month
        to_agent = rng.random(len(renter)) < 0.3
        landlord_acc = (
            pop.main_account[
                landlord_pool[rng.integers(0, max(len(landlord_pool), 1), size=len(renter))]
            ]
            if len(landlord_pool)
            else self._pick(self._accounts(AGENT), len(renter))
        )
        dst = np.where(to_agent, self._pick(self._accounts(AGENT), len(renter)), landlord_acc)
        rent = shape_pence(
            rng,
            self._lognormal(self.params.median_rent, 0.35, len(renter))
            * np.where(pop.student[renter], 0.6, 1.0),
            0.85,
            5.0,
        )
        dom = rng.integers(1, 29, size=len(renter))
        rows, days = self._monthly_days(dom)
        self.ledger.add(
            "rent", pop.main_account[renter[rows]], dst[rows], self._times(days, "batch"),
            rent[rows], "fps", refs(rng, "rent", len(rows)),
        )  # fmt: skip
        owners = adults[
            (pop.age[adults] >= 28) & ~np.isin(adults, renter) & (rng.random(len(adults)) < 0.55)
        ]
        lenders = self._accounts(LENDER)
        lender = self._pick(lenders, len(owners), 0.5)
        payment = shape_pence(rng, self._lognormal(820.0, 0.45, len(owners)), 0.05)
        dom = rng.integers(1, 29, size=len(owners))
        rows, days = self._monthly_days(dom)
        self.ledger.add(
            "mortgage", pop.main_account[owners[rows]], lender[rows],
            self._times(days, "batch"), payment[rows], "bacs", refs(rng, "mortgage", len(rows)),
        )  # fmt: skip

    def bills(self) -> None:
        pop, rng = self.pop, self.rng
        low, high = self.params.bills_per_person
        per_person = rng.integers(low, high + 1, size=len(self.active))
        payer = np.repeat(self.active, per_person)
        biller = self._pick(self._accounts(BILLER), len(payer), 0.6)
        amount = shape_pence(rng, self._lognormal(42.0, 0.7, len(payer)), 0.25, 1.0)
        dom = rng.integers(1, 29, size=len(payer))
        rows, days = self._monthly_days(dom)
        self.ledger.add(
            "bill", pop.main_account[payer[rows]], biller[rows], self._times(days, "batch"),
            amount[rows], "bacs", refs(rng, "bill", len(rows)),
        )  # fmt: skip

    # ---- spending and transfers -------------------------------------------------------
    def card(self) -> None:
        pop, rng = self.pop, self.rng
        who = self._poisson_rows(
            self.active, self.params.card_per_month * self.activity[self.active]
        )
        merchants = np.r_[self._accounts(MERCHANT), self._accounts(LUXURY)]
        rng_m = self._pick(merchants, len(who), 0.9)
        scale = np.where(pop.student[who], 0.7, 1.0)
        pounds = self._lognormal(self.params.median_card_amount, 1.0, len(who)) * scale
        self.ledger.add(
            "card", self._spending_account(who, 0.2), rng_m,
            self._times(self._days(len(who)), "card"),
            shape_pence(rng, pounds, 0.06, 1.0), "card", refs(rng, "none", len(who)),
        )  # fmt: skip

    def _spending_account(self, who: np.ndarray, second_share: float) -> np.ndarray:
        """Mostly the main account; sometimes the person's other current account."""
        other = self.second[who]
        use = (other >= 0) & (self.rng.random(len(who)) < second_share)
        return np.where(use, other, self.pop.main_account[who])

    def reawaken(self) -> None:
        """Some dormant accounts come back to life: a transfer in, then some spending."""
        pop, rng = self.pop, self.rng
        dormant = np.flatnonzero(pop.acc_dormant & (pop.acc_person >= 0) & ~self.reserved)
        woken = dormant[rng.random(len(dormant)) < self.params.dormant_wake_share]
        main = pop.main_account[pop.acc_person[woken]]
        woken, main = woken[main >= 0], main[main >= 0]
        wake = rng.integers(0, pop.days, size=len(woken))
        pounds = self._lognormal(150.0, 1.0, len(woken))
        self.ledger.add(
            "own", main, woken, self._times(wake, "online"), shape_pence(rng, pounds, 0.7, 10.0),
            "fps", refs(rng, "own", len(woken)),
        )  # fmt: skip
        rows = self._poisson_rows(np.arange(len(woken)), 4.0)
        days = np.minimum(wake[rows] + rng.integers(0, 20, len(rows)), pop.days - 1)
        shops = self._pick(self._accounts(MERCHANT), len(rows), 0.9)
        pounds = self._lognormal(self.params.median_card_amount, 1.0, len(rows))
        self.ledger.add(
            "card", woken[rows], shops, self._times(days, "card"),
            shape_pence(rng, pounds, 0.06, 1.0), "card", refs(rng, "none", len(rows)),
        )  # fmt: skip

    def p2p(self) -> None:
        pop, rng = self.pop, self.rng
        who = self._poisson_rows(
            self.active, self.params.p2p_per_month * self.activity[self.active]
        )
        payee = local_people(rng, pop, pop.town[who], self.towns)
        # family members often share a household: pick a housemate where the draw lands on one
        same = payee == who
        payee[same] = local_people(rng, pop, pop.town[who[same]], self.towns)
        ok = (pop.main_account[payee] >= 0) & (payee != who)
        who, payee = who[ok], payee[ok]
        pounds = self._lognormal(28.0, 0.9, len(who))
        self.ledger.add(
            "p2p", self._spending_account(who, 0.1), pop.main_account[payee],
            self._times(self._days(len(who)), "online"), shape_pence(rng, pounds, 0.55, 5.0),
            "fps", refs(rng, "p2p", len(who)),
        )  # fmt: skip

    def students(self) -> None:
        pop, rng = self.pop, self.rng
        kids = np.flatnonzero(pop.student & (pop.main_account >= 0) & (pop.parent >= 0))
        kids = kids[pop.main_account[pop.parent[kids]] >= 0]
        weekly = rng.random(len(kids)) < 0.4
        amount_w = shape_pence(rng, self._lognormal(60.0, 0.4, len(kids)), 0.8, 10.0)
        amount_m = shape_pence(rng, self._lognormal(300.0, 0.4, len(kids)), 0.8, 50.0)
        wk = kids[weekly]
        start_day = rng.integers(0, 7, size=len(wk))
        n_weeks = (self.pop.days - start_day + 6) // 7
        rows = np.repeat(np.arange(len(wk)), n_weeks)
        days = start_day[rows] + 7 * (
            np.arange(len(rows)) - np.repeat(np.cumsum(n_weeks) - n_weeks, n_weeks)
        )
        self.ledger.add(
            "student", pop.main_account[pop.parent[wk[rows]]], pop.main_account[wk[rows]],
            self._times(days, "online"), amount_w[weekly][rows], "fps",
            refs(rng, "student", len(rows)),
        )  # fmt: skip
        mo = kids[~weekly]
        rows, days = self._monthly_days(rng.integers(1, 29, size=len(mo)))
        self.ledger.add(
            "student", pop.main_account[pop.parent[mo[rows]]], pop.main_account[mo[rows]],
            self._times(days, "online"), amount_m[~weekly][rows], "fps",
            refs(rng, "student", len(rows)),
        )  # fmt: skip

    def own_transfers(self) -> None:
        """People moving money between their own accounts, at the same or another bank."""
        pop, rng = self.pop, self.rng
        personal = np.flatnonzero((pop.acc_person >= 0) & ~pop.acc_dormant)
        holder = pop.acc_person[personal]
        main = pop.main_account[holder]
        other = personal[(personal != main) & (main >= 0)]
        owner = pop.acc_person[other]
        main = pop.main_account[owner]
        same_bank = pop.acc_bank[other] == pop.acc_bank[main]
        # savers: a standing order to savings each month
        saver = rng.random(len(other)) < self.params.saver_share + 0.3 * same_bank
        amount = shape_pence(rng, self._lognormal(150.0, 0.8, len(other)), 0.9, 25.0)
        rows, days = self._monthly_days(rng.integers(1, 29, size=len(other)))
        rows_s = rows[saver[rows]]
        days_s = days[saver[rows]]
        channel = np.where(same_bank[rows_s], 8, 0).astype(np.int8)  # internal or fps
        self.ledger.add(
            "own", main[rows_s], other[rows_s], self._times(days_s, "online"), amount[rows_s],
            channel, refs(rng, "own", len(rows_s)),
        )  # fmt: skip
        # occasional moves either way between own accounts
        moves = self._poisson_rows(np.arange(len(other)), 1.2)
        back = rng.random(len(moves)) < 0.5
        src = np.where(back, other[moves], main[moves])
        dst = np.where(back, main[moves], other[moves])
        pounds = self._lognormal(200.0, 1.1, len(moves))
        channel = np.where(same_bank[moves], 8, 0).astype(np.int8)
        self.ledger.add(
            "own", src, dst, self._times(self._days(len(moves)), "online"),
            shape_pence(rng, pounds, 0.7, 10.0), channel, refs(rng, "own", len(moves)),
        )  # fmt: skip
        self._pay_passthrough(other, owner, main, same_bank)

    def _pay_passthrough(
        self, other: np.ndarray, owner: np.ndarray, main: np.ndarray, same_bank: np.ndarray
    ) -> None:
        """Pay lands at one bank and most of it leaves for the person's other bank fast.

        The same shape as a mule's pass-through, by one person across two of their own
        accounts: a hard negative that entity resolution has to explain.
        """
        pop, rng = self.pop, self.rng
        fast = (~same_bank) & (pop.employer[owner] >= 0)
        fast &= rng.random(len(other)) < self.params.own_transfer_fast_share
        chosen = other[fast]
        who = owner[fast]
        dom = 24 + pop.employer[who] % 5
        rows, days = self._monthly_days(dom)
        days = clock.next_weekday(self.start_weekday, days)
        keep = days < pop.days
        rows, days = rows[keep], days[keep]
        arrive = clock.times_on_days(rng, pop.start_us, days, "batch")
        delay = (rng.lognormal(np.log(40.0), 1.3, size=len(rows)) * MINUTE).astype(np.int64)
        share = rng.uniform(0.6, 0.95, size=len(rows))
        pounds = pop.pay_pence[who[rows]] / 100.0 * share
        self.ledger.add(
            "own", main[fast][rows], chosen[rows], arrive + delay + 6 * HOUR,
            shape_pence(rng, pounds, 0.6, 50.0), "fps", refs(rng, "own", len(rows)),
        )  # fmt: skip

    # ---- businesses -------------------------------------------------------------------
    def traders(self) -> None:
        """Sole traders and shops: many small payments in from unrelated customers (fan-in)."""
        pop, rng = self.pop, self.rng
        traders = self._accounts(TRADER)
        size = rng.lognormal(0, 0.7, size=len(traders))
        sales = self._poisson_rows(
            np.arange(len(traders)), self.params.trader_sales_per_month * size
        )
        customers = self.active[rng.integers(0, len(self.active), size=len(sales))]
        pounds = self._lognormal(55.0, 0.8, len(sales))
        self.ledger.add(
            "trade", pop.main_account[customers], traders[sales],
            self._times(self._days(len(sales)), "business"), shape_pence(rng, pounds, 0.5, 5.0),
            "fps", refs(rng, "trade", len(sales)),
        )  # fmt: skip
        # cash takings paid in, and the owner paying themselves
        deposits = self._poisson_rows(np.arange(len(traders)), 3.0 * size)
        self.ledger.add(
            "cash_in", -1, traders[deposits], self._times(self._days(len(deposits)), "business"),
            shape_pence(rng, self._lognormal(350.0, 0.7, len(deposits)), 0.7, 5.0), "cash_in",
            refs(rng, "none", len(deposits)),
        )  # fmt: skip
        owners = self.active[rng.integers(0, len(self.active), size=len(traders))]
        draws = self._poisson_rows(np.arange(len(traders)), 2.0)
        self.ledger.add(
            "trade", traders[draws], pop.main_account[owners[draws]],
            self._times(self._days(len(draws)), "online"),
            shape_pence(rng, self._lognormal(800.0, 0.6, len(draws)), 0.7, 50.0), "fps",
            refs(rng, "own", len(draws)),
        )  # fmt: skip

    def b2b(self) -> None:
        rng = self.rng
        business = np.flatnonzero(self.pop.acc_business & (self.pop.acc_org != SHELL))
        rate = np.where(self.pop.acc_org[business] == TRADER, 2.0, 8.0)
        payer = business[self._poisson_rows(np.arange(len(business)), rate)]
        payee = self._pick(business[rng.permutation(len(business))], len(payer), 0.8)
        pounds = self._lognormal(900.0, 1.2, len(payer))
        channel = np.where(pounds > 25_000, 1, np.where(rng.random(len(payer)) < 0.5, 2, 0))
        ok = payer != payee
        self.ledger.add(
            "b2b", payer[ok], payee[ok], self._times(self._days(int(ok.sum())), "business"),
            shape_pence(rng, pounds[ok], 0.15, 10.0), channel[ok].astype(np.int8),
            refs(rng, "b2b", int(ok.sum())),
        )  # fmt: skip
        # shell-like small companies that are legitimate: a few invoices in, a few out
        small = self._accounts(SHELL)
        rows = self._poisson_rows(np.arange(len(small)), 1.5)
        self.ledger.add(
            "b2b", self.pop.main_account[self.active[rng.integers(0, len(self.active), len(rows))]],
            small[rows], self._times(self._days(len(rows)), "business"),
            shape_pence(rng, self._lognormal(1200.0, 1.0, len(rows)), 0.4, 50.0), "fps",
            refs(rng, "trade", len(rows)),
        )  # fmt: skip

    def sellers(self) -> None:
        """Second-hand sellers: payments from strangers across the country."""
        pop, rng = self.pop, self.rng
        seller = self.active[rng.random(len(self.active)) < self.params.seller_share]
        sales = self._poisson_rows(seller, 3.0 * self.activity[seller])
        buyers = self.active[rng.integers(0, len(self.active), size=len(sales))]
        ok = buyers != sales
        sales, buyers = sales[ok], buyers[ok]
        big = rng.random(len(sales)) < 0.04
        pounds = np.where(
            big, self._lognormal(4000, 0.6, len(sales)), self._lognormal(45, 0.9, len(sales))
        )
        self.ledger.add(
            "sale", pop.main_account[buyers], pop.main_account[sales],
            self._times(self._days(len(sales)), "online"), shape_pence(rng, pounds, 0.65, 5.0),
            "fps", refs(rng, "sale", len(sales)),
        )  # fmt: skip

    def cash(self) -> None:
        pop, rng = self.pop, self.rng
        who = self._poisson_rows(
            self.active, self.params.cash_per_month * self.activity[self.active]
        )
        notes = np.asarray([20, 30, 40, 50, 60, 80, 100, 150, 200, 250, 300, 500])
        weights = np.asarray([14, 6, 10, 12, 5, 4, 12, 5, 6, 2, 3, 1], dtype=np.float64)
        pounds = notes[rng.choice(len(notes), size=len(who), p=weights / weights.sum())]
        self.ledger.add(
            "cash", pop.main_account[who], -1, self._times(self._days(len(who)), "cash"),
            pounds * 100, "cash_out", refs(rng, "none", len(who)),
        )  # fmt: skip

    def crypto_and_remittances(self) -> None:
        pop, rng = self.pop, self.rng
        exchanges = self._accounts(EXCHANGE)
        abroad = foreign_exchanges(pop)
        buyers = self.active[rng.random(len(self.active)) < self.params.crypto_buyer_share]
        buys = self._poisson_rows(buyers, 1.5)
        venue = np.where(
            rng.random(len(buys)) < 0.8,
            self._pick(exchanges, len(buys)),
            abroad[rng.integers(0, len(abroad), len(buys))],
        )
        self.ledger.add(
            "crypto", pop.main_account[buys], venue, self._times(self._days(len(buys)), "online"),
            shape_pence(rng, self._lognormal(150.0, 1.0, len(buys)), 0.7, 10.0), "crypto",
            refs(rng, "crypto", len(buys)),
        )  # fmt: skip
        family_abroad = self.legit_foreign()
        senders = self.active[rng.random(len(self.active)) < self.params.remitter_share]
        target = family_abroad[rng.integers(0, len(family_abroad), size=len(senders))]
        rows, days = self._monthly_days(rng.integers(1, 29, size=len(senders)))
        pounds = self._lognormal(250.0, 0.7, len(senders))
        self.ledger.add(
            "remit", pop.main_account[senders[rows]], target[rows], self._times(days, "online"),
            shape_pence(rng, pounds, 0.6, 10.0)[rows], "intl_wire", refs(rng, "remit", len(rows)),
        )  # fmt: skip

    def legit_foreign(self) -> np.ndarray:
        """Foreign accounts of ordinary people (the first three are crypto exchanges)."""
        foreign = np.flatnonzero(self.pop.acc_foreign >= 0)
        return foreign[3 : max(4, len(foreign) // 2)]

    def large_payments(self) -> None:
        """House deposits and cars: rare big CHAPS or Faster Payments by ordinary people."""
        pop, rng = self.pop, self.rng
        who = self.active[rng.random(len(self.active)) < 0.004 * self.months]
        dst = np.where(
            rng.random(len(who)) < 0.5,
            self._pick(self._accounts(LENDER), len(who)),
            self._pick(self._accounts(TRADER), len(who)),
        )
        pounds = self._lognormal(15_000.0, 0.7, len(who))
        channel = np.where(pounds > 20_000, 1, 0).astype(np.int8)
        self.ledger.add(
            "large", pop.main_account[who], dst, self._times(self._days(len(who)), "business"),
            shape_pence(rng, pounds, 0.6, 100.0), channel, refs(rng, "sale", len(who)),
        )  # fmt: skip


def _second_accounts(pop: Population) -> np.ndarray:
    """Each person's other non-dormant personal account (highest slot), -1 if none."""
    second = np.full(pop.n_persons, -1, dtype=np.int64)
    personal = np.flatnonzero((pop.acc_person >= 0) & ~pop.acc_dormant)
    holder = pop.acc_person[personal]
    other = personal[personal != pop.main_account[holder]]
    second[pop.acc_person[other]] = other  # later (higher-slot) accounts overwrite earlier ones
    return second


def _day_of_month(start: dt.datetime, days: int) -> np.ndarray:
    base = np.datetime64(start.date(), "D")
    dates = base + np.arange(days)
    months = dates.astype("datetime64[M]")
    return (dates - months).astype(np.int64) + 1


__all__ = ["EMPLOYER", "LegitLife"]
