"""Stolen money moving: victims pay tier-1 mules, who move it on fast to tier-2 mules,
collectors, cash machines, crypto exchanges and foreign accounts. Vectorised over payments."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fraudnet.simulate import clock
from fraudnet.simulate.arrowkit import MICROS_PER_DAY
from fraudnet.simulate.ledger import CH, Ledger, refs, shape_pence
from fraudnet.simulate.networks import FRAUD_TYPES, TIER1, TIER2, Criminals
from fraudnet.simulate.params import SimulationParams
from fraudnet.simulate.population import (
    EXCHANGE,
    LUXURY,
    MERCHANT,
    Population,
    foreign_exchanges,
)

MINUTE = clock.MINUTE
HOUR = clock.HOUR

# Share of a scam type's payments that are round sums, and the unit they round to (pounds).
_SCAM_ROUNDING = {
    "purchase": (0.45, 5.0),
    "investment": (0.7, 100.0),
    "romance": (0.6, 50.0),
    "advance_fee": (0.5, 5.0),
    "invoice_mandate": (0.05, 1.0),
    "ceo": (0.2, 100.0),
    "impersonation_police_bank": (0.6, 100.0),
    "impersonation_other": (0.5, 10.0),
}


@dataclass
class VictimPayments:
    """Every scam payment: its ledger position, case, victim, amount and the mule paid."""

    position: np.ndarray
    case: np.ndarray
    ts: np.ndarray
    pence: np.ndarray
    mule: np.ndarray


@dataclass
class Hops:
    """Receipt-to-payout links inside mule accounts, for diagnostics and tests."""

    in_position: np.ndarray
    out_position: np.ndarray
    delay_us: np.ndarray
    tier: np.ndarray


class MoneyFlows:
    def __init__(
        self,
        rng: np.random.Generator,
        params: SimulationParams,
        pop: Population,
        crim: Criminals,
        ledger: Ledger,
    ) -> None:
        self.rng, self.params, self.pop, self.crim, self.ledger = rng, params, pop, crim, ledger
        self.hops: list[Hops] = []
        self.exchanges_uk = pop.accounts_of(EXCHANGE)
        self.exchanges_abroad = foreign_exchanges(pop)
        self.card_sinks = np.r_[pop.accounts_of(LUXURY), pop.accounts_of(MERCHANT)[:5]]

    def run(self) -> VictimPayments:
        victims = self.victim_payments()
        t2_in = self.tier1_out(victims)
        c_in = self.tier2_out(t2_in)
        self.collector_out(c_in)
        self.herder_fees()
        self.mule_everyday_life()
        return victims

    # ---- victims ----------------------------------------------------------------------
    def victim_payments(self) -> VictimPayments:
        rng, crim, pop, params = self.rng, self.crim, self.pop, self.params
        n_cases = len(crim.case_mule)
        names = [FRAUD_TYPES[t] for t in crim.case_type]
        mean_pay = np.asarray([params.fraud_type_payments[n] for n in names])
        n_pay = np.minimum(1 + rng.poisson(np.maximum(mean_pay - 1, 0)), 15)
        case = np.repeat(np.arange(n_cases), n_pay)
        k = np.arange(len(case)) - np.repeat(np.cumsum(n_pay) - n_pay, n_pay)
        mule = crim.case_mule[case]
        span = crim.mule_end_us[mule] - crim.mule_start_us[mule]
        first = crim.mule_start_us[crim.case_mule] + (
            rng.random(n_cases) * span[np.cumsum(n_pay) - n_pay]
        ).astype(np.int64)
        gap_days = np.where(np.isin(crim.case_type, [0, 3, 4, 5]), 1.5, 5.0)
        gaps = (rng.exponential(gap_days[case]) * MICROS_PER_DAY).astype(np.int64) * (k > 0)
        ts = first[case] + _group_cumsum(gaps, case)
        ts = _to_profile_hour(rng, ts, "online")
        # repeat payments sometimes go to another tier-1 mule of the same network
        switch = (k > 0) & (rng.random(len(case)) < params.repeat_other_mule_share)
        mule = np.where(switch, self._other_tier1(mule), mule)
        pence = self._scam_amounts(case, crim.case_type[case])
        src = pop.main_account[crim.case_victim[case]]
        ok = (
            (ts < pop.end_us)
            & (ts > pop.acc_opened_us[src])
            & (ts > pop.acc_opened_us[crim.mule_account[mule]])
        )
        case, ts, pence, mule, src = case[ok], ts[ok], pence[ok], mule[ok], src[ok]
        channel = np.where(
            (pence > 2_500_000) & (rng.random(len(case)) < 0.5), CH["chaps"], CH["fps"]
        )
        ref = np.zeros(len(case), dtype=np.int16)
        for t, name in enumerate(FRAUD_TYPES):
            rows = crim.case_type[case] == t
            ref[rows] = refs(rng, name, int(rows.sum()))
        position = self.ledger.add(
            "victim", src, crim.mule_account[mule], ts, pence, channel.astype(np.int8), ref
        )
        return VictimPayments(position, case, ts, pence, mule)

    def _other_tier1(self, mule: np.ndarray) -> np.ndarray:
        crim = self.crim
        net = crim.mule_network[mule]
        tier1 = np.flatnonzero(crim.mule_tier == TIER1)
        order = tier1[np.argsort(crim.mule_network[tier1], kind="stable")]
        nets = crim.mule_network[order]
        start = np.searchsorted(nets, net, side="left")
        size = np.searchsorted(nets, net, side="right") - start
        return order[start + (self.rng.random(len(mule)) * size).astype(np.int64)]

    def _scam_amounts(self, case: np.ndarray, case_type: np.ndarray) -> np.ndarray:
        pence = np.zeros(len(case), dtype=np.int64)
        for t, name in enumerate(FRAUD_TYPES):
            rows = np.flatnonzero(case_type == t)
            median, sigma = self.params.fraud_type_amount[name]
            share, unit = _SCAM_ROUNDING[name]
            pounds = median * self.rng.lognormal(0.0, sigma, size=len(rows))
            pence[rows] = shape_pence(self.rng, np.minimum(pounds, 250_000), share, unit)
        return pence

    # ---- tier 1 -----------------------------------------------------------------------
    def tier1_out(self, v: VictimPayments) -> tuple[np.ndarray, ...]:
        """Each receipt leaves in one to three parts, the first fast (RUSI timings)."""
        rng, crim, params = self.rng, self.crim, self.params
        n = len(v.ts)
        parts = rng.choice(3, size=n, p=[0.65, 0.25, 0.10]) + 1
        row = np.repeat(np.arange(n), parts)
        k = np.arange(len(row)) - np.repeat(np.cumsum(parts) - parts, parts)
        mule = v.mule[row]
        lo, hi = params.mule_cut
        cut = np.where(
            crim.mule_keeps_cut[v.mule], rng.uniform(lo, hi, n), rng.uniform(0.0, 0.01, n)
        )
        frac = _dirichlet_split(rng, parts, row)
        pounds = v.pence[row] / 100.0 * (1 - cut[row]) * frac
        delay = self._first_delay(n)[row] + (k > 0) * (
            rng.exponential(40.0, len(row)) * MINUTE
        ).astype(np.int64)
        ts = v.ts[row] + delay
        exits = params.mule_exit_channels
        kinds = np.asarray(["fps", "card", "cash_out", "other"])
        p = np.asarray([exits[name] for name in kinds])
        kind = rng.choice(4, size=len(row), p=p / p.sum())
        dst, channel, pence = self._route_tier1(kind, mule, pounds)
        src = crim.mule_account[mule]
        position = self._post("tier1_out", src, dst, ts, pence, channel)
        self.hops.append(Hops(v.position[row], position, delay, np.full(len(row), TIER1)))
        to_t2 = np.flatnonzero(channel == CH["fps"])
        return position[to_t2], dst[to_t2], ts[to_t2], pence[to_t2], crim.mule_network[mule[to_t2]]

    def _first_delay(self, n: int) -> np.ndarray:
        """About 28% within 15 minutes and half within the hour; the rest within days."""
        rng, p = self.rng, self.params
        u = rng.random(n)
        fast = rng.uniform(1.0, 15.0, n)
        hour = rng.uniform(15.0, 60.0, n)
        slow = 60.0 + rng.lognormal(np.log(180.0), 1.1, n)
        minutes = np.where(
            u < p.moved_within_15min, fast, np.where(u < p.moved_within_hour, hour, slow)
        )
        return (np.minimum(minutes, 6 * 24 * 60.0) * MINUTE).astype(np.int64) + rng.integers(
            0, MINUTE, n
        )

    def _route_tier1(
        self, kind: np.ndarray, mule: np.ndarray, pounds: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rng, crim = self.rng, self.crim
        n = len(kind)
        net = crim.mule_network[mule]
        dst = np.full(n, -1, dtype=np.int64)
        channel = np.zeros(n, dtype=np.int8)
        fps = kind == 0
        tier2_dst = self._network_pick(net, tier=TIER2)
        coll_dst = self._collector_pick(net)
        go_t2 = fps & (tier2_dst >= 0) & (rng.random(n) < self.params.tier1_to_tier2_share)
        dst[fps] = np.where(go_t2, tier2_dst, coll_dst)[fps]
        channel[fps] = CH["fps"]
        card = kind == 1
        dst[card] = self.card_sinks[rng.integers(0, len(self.card_sinks), int(card.sum()))]
        channel[card] = CH["card"]
        cash = kind == 2
        channel[cash] = CH["cash_out"]
        other = kind == 3
        crypto = other & (rng.random(n) < self.params.crypto_share_of_other_exits)
        wire = other & ~crypto
        dst[crypto] = self._exchange(int(crypto.sum()), abroad_share=0.4)
        channel[crypto] = CH["crypto"]
        dst[wire] = self._foreign_pick(net[wire])
        channel[wire] = CH["intl_wire"]
        pence = shape_pence(rng, pounds, 0.5, 10.0, down=True)
        pence[cash] = _cash_pence(pounds[cash])
        return dst, channel, pence

    # ---- tier 2 and collectors --------------------------------------------------------
    def tier2_out(self, arrivals: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
        rng, crim = self.rng, self.crim
        pos, dst_acc, ts, pence, net = arrivals
        at_t2 = crim.acc_role[dst_acc] == TIER2
        direct = tuple(a[~at_t2] for a in arrivals)
        pos, acc, ts, pence, net = (a[at_t2] for a in arrivals)
        n = len(pos)
        median = self.params.tier2_delay_minutes
        delay = (rng.lognormal(np.log(median), 1.2, n) * MINUTE).astype(np.int64)
        cut = np.where(rng.random(n) < 0.5, rng.uniform(0.01, 0.06, n), 0.0)
        kind = rng.choice(4, size=n, p=[0.7, 0.1, 0.1, 0.1])
        dst = np.where(kind == 0, self._collector_pick(net), -1)
        dst = np.where(kind == 2, self._exchange(n, 0.5), dst)
        dst = np.where(kind == 3, self._foreign_pick(net), dst)
        channel = np.asarray([CH["fps"], CH["cash_out"], CH["crypto"], CH["intl_wire"]])[kind]
        pounds = pence / 100.0 * (1 - cut)
        out = shape_pence(rng, pounds, 0.5, 10.0, down=True)
        out[kind == 1] = _cash_pence(pounds[kind == 1])
        position = self._post("tier2_out", acc, dst, ts + delay, out, channel)
        self.hops.append(Hops(pos, position, delay, np.full(n, TIER2)))
        to_c = kind == 0
        merged = (
            np.r_[direct[0], position[to_c]],
            np.r_[direct[1], dst[to_c]],
            np.r_[direct[2], (ts + delay)[to_c]],
            np.r_[direct[3], out[to_c]],
            np.r_[direct[4], net[to_c]],
        )
        return merged

    def collector_out(self, arrivals: tuple[np.ndarray, ...]) -> None:
        """Collectors send most money abroad (about 70% overseas link) or cash it out."""
        rng, params = self.rng, self.params
        _, acc, ts, pence, net = arrivals
        n = len(acc)
        parts = rng.choice(2, size=n, p=[0.7, 0.3]) + 1
        row = np.repeat(np.arange(n), parts)
        frac = _dirichlet_split(rng, parts, row)
        pounds = pence[row] / 100.0 * frac * rng.uniform(0.9, 1.0, len(row))
        median = params.collector_delay_hours * 60.0
        delay = (rng.lognormal(np.log(median), 1.0, len(row)) * MINUTE).astype(np.int64)
        overseas = rng.random(len(row)) < params.overseas_share
        wire = overseas & (rng.random(len(row)) < 0.65)
        crypto_abroad = overseas & ~wire
        u = rng.random(len(row))
        cash = ~overseas & (u < 0.4)
        crypto_uk = ~overseas & (u >= 0.4) & (u < 0.7)
        to_herder = ~overseas & (u >= 0.7)
        dst = np.full(len(row), -1, dtype=np.int64)
        dst[wire] = self._foreign_pick(net[row][wire])
        dst[crypto_abroad] = self.exchanges_abroad[
            rng.integers(0, len(self.exchanges_abroad), int(crypto_abroad.sum()))
        ]
        dst[crypto_uk] = self.exchanges_uk[
            rng.integers(0, len(self.exchanges_uk), int(crypto_uk.sum()))
        ]
        dst[to_herder] = self._herder_pick(net[row][to_herder])
        channel = np.full(len(row), CH["fps"], dtype=np.int8)
        channel[wire] = CH["intl_wire"]
        channel[crypto_abroad | crypto_uk] = CH["crypto"]
        channel[cash] = CH["cash_out"]
        out = shape_pence(rng, pounds, 0.6, 50.0, down=True)
        out[cash] = _cash_pence(pounds[cash])
        ts_out = np.minimum(ts[row] + delay, self.pop.end_us - MINUTE)
        ok = ts_out > ts[row]
        self._post("collector_out", acc[row][ok], dst[ok], ts_out[ok], out[ok], channel[ok])

    # ---- herders and the mules' own lives ---------------------------------------------
    def herder_fees(self) -> None:
        """Mules who do not keep a cut are paid by a herder account, often late."""
        rng, crim = self.rng, self.crim
        paid = np.flatnonzero(~crim.mule_keeps_cut)
        paid = paid[rng.random(len(paid)) < 0.9]
        herder_acc = self._herder_pick(crim.mule_network[paid])
        ok = herder_acc >= 0
        paid, herder_acc = paid[ok], herder_acc[ok]
        when = crim.mule_start_us[paid] + (
            rng.random(len(paid)) * (crim.mule_end_us[paid] - crim.mule_start_us[paid])
        ).astype(np.int64)
        pounds = rng.lognormal(np.log(250.0), 0.6, len(paid))
        when = _to_profile_hour(rng, when, "online")
        self.ledger.add(
            "herder_fee", herder_acc, crim.mule_account[paid], when,
            shape_pence(rng, pounds, 0.7, 50.0), "fps", refs(rng, "fee", len(paid)),
        )  # fmt: skip

    def mule_everyday_life(self) -> None:
        """New and reawakened mule accounts get a little ordinary use too."""
        rng, crim, pop = self.rng, self.crim, self.pop
        quiet = np.flatnonzero(
            crim.mule_account != pop.main_account[np.maximum(pop.acc_person[crim.mule_account], 0)]
        )
        counts = rng.poisson(4.0, size=len(quiet))
        row = np.repeat(quiet, counts)
        span = crim.mule_end_us[row] - crim.mule_start_us[row]
        when = crim.mule_start_us[row] + (rng.random(len(row)) * span).astype(np.int64)
        merchants = pop.accounts_of(MERCHANT)
        pounds = self.params.median_card_amount * rng.lognormal(0, 1.0, len(row))
        shop = merchants[rng.integers(0, len(merchants), len(row))]
        self.ledger.add(
            "mule_life", crim.mule_account[row], shop,
            _to_profile_hour(rng, when, "card"), shape_pence(rng, pounds, 0.06, 1.0), "card",
            refs(rng, "none", len(row)),
        )  # fmt: skip
        # a top-up from the holder's main account when the account is first used
        holder = pop.acc_person[crim.mule_account[quiet]]
        main = pop.main_account[holder]
        has_main = main >= 0
        when = crim.mule_start_us[quiet][has_main] - rng.integers(
            HOUR, 5 * MICROS_PER_DAY, int(has_main.sum())
        )
        when = np.maximum(when, pop.acc_opened_us[crim.mule_account[quiet][has_main]] + HOUR)
        pounds = rng.lognormal(np.log(60.0), 0.8, int(has_main.sum()))
        self.ledger.add(
            "mule_life", main[has_main], crim.mule_account[quiet][has_main], when,
            shape_pence(rng, pounds, 0.7, 10.0), "fps", refs(rng, "own", int(has_main.sum())),
        )  # fmt: skip

    def _post(
        self,
        purpose: str,
        src: np.ndarray,
        dst: np.ndarray,
        ts: np.ndarray,
        pence: np.ndarray,
        channel: np.ndarray,
    ) -> np.ndarray:
        """Add mule payments; large cash is taken out in cash-machine sized withdrawals.

        Returns the ledger position of each payment (of its first withdrawal for cash).
        """
        rng = self.rng
        n = len(ts)
        # under £10 cannot come out of a cash machine: spent by card instead
        petty = (channel == CH["cash_out"]) & (pence < 1000)
        channel = np.where(petty, CH["card"], channel).astype(np.int8)
        sinks = self.card_sinks[rng.integers(0, len(self.card_sinks), size=n)]
        dst = np.where(petty, sinks, dst)
        cash = channel == CH["cash_out"]
        cap = rng.choice(np.asarray([250, 300, 400, 500]), size=n) * 100
        k = np.where(cash, np.maximum(-(-pence // cap), 1), 1)
        row = np.repeat(np.arange(n), k)
        j = np.arange(len(row)) - np.repeat(np.cumsum(k) - k, k)
        left = pence[row] - j * cap[row]
        chunk = np.maximum(np.minimum(cap[row], left) // 1000 * 1000, 1000)
        amount = np.where(cash[row], chunk, pence[row])
        gap = (rng.uniform(3.0, 26.0, size=len(row)) * HOUR).astype(np.int64)
        when = ts[row] + j * gap
        position = self.ledger.add(
            purpose, src[row], dst[row], when, amount, channel[row], refs(rng, "mule", len(row))
        )
        return position[np.cumsum(k) - k]

    # ---- pickers ----------------------------------------------------------------------
    def _network_pick(self, net: np.ndarray, tier: int) -> np.ndarray:
        crim = self.crim
        rows = np.flatnonzero(crim.mule_tier == tier)
        order = rows[np.argsort(crim.mule_network[rows], kind="stable")]
        nets = crim.mule_network[order]
        start = np.searchsorted(nets, net, side="left")
        size = np.searchsorted(nets, net, side="right") - start
        pick = start + (self.rng.random(len(net)) * size).astype(np.int64)
        pick = np.minimum(pick, max(len(order) - 1, 0))
        return np.where(size > 0, crim.mule_account[order][pick] if len(order) else -1, -1)

    def _grouped_pick(self, groups: list[np.ndarray], net: np.ndarray) -> np.ndarray:
        sizes = np.asarray([len(g) for g in groups])
        flat = np.concatenate(groups) if groups else np.zeros(0, np.int64)
        starts = np.r_[0, np.cumsum(sizes)[:-1]]
        pick = starts[net] + (self.rng.random(len(net)) * sizes[net]).astype(np.int64)
        return np.where(sizes[net] > 0, flat[np.minimum(pick, len(flat) - 1)], -1)

    def _collector_pick(self, net: np.ndarray) -> np.ndarray:
        return self._grouped_pick(self.crim.collectors, net)

    def _foreign_pick(self, net: np.ndarray) -> np.ndarray:
        return self._grouped_pick(self.crim.foreign, net)

    def _herder_pick(self, net: np.ndarray) -> np.ndarray:
        return self._grouped_pick(self.crim.herder_accounts, net)

    def _exchange(self, n: int, abroad_share: float) -> np.ndarray:
        abroad = self.rng.random(n) < abroad_share
        uk = self.exchanges_uk[self.rng.integers(0, len(self.exchanges_uk), n)]
        foreign = self.exchanges_abroad[self.rng.integers(0, len(self.exchanges_abroad), n)]
        return np.where(abroad, foreign, uk)


def _cash_pence(pounds: np.ndarray) -> np.ndarray:
    """Whole tens of pounds, rounded down; sums under £10 keep their pennies."""
    tens = (np.floor(pounds / 10) * 1000).astype(np.int64)
    return np.where(tens > 0, tens, np.maximum(np.floor(pounds * 100).astype(np.int64), 1))


def _group_cumsum(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Running sum within consecutive groups."""
    if not len(values):
        return values
    total = np.cumsum(values)
    starts = np.r_[0, np.flatnonzero(group[1:] != group[:-1]) + 1]
    base = np.repeat(total[starts] - values[starts], np.diff(np.r_[starts, len(values)]))
    return total - base


def _dirichlet_split(rng: np.random.Generator, parts: np.ndarray, row: np.ndarray) -> np.ndarray:
    """Fractions summing to one within each row's parts."""
    w = rng.gamma(2.0, 1.0, size=len(row))
    sums = np.bincount(row, weights=w, minlength=len(parts))
    return w / sums[row]


def _to_profile_hour(rng: np.random.Generator, ts: np.ndarray, profile: str) -> np.ndarray:
    """Keep the day of each time but redraw its hour from an intra-day profile."""
    day = ts - ts % MICROS_PER_DAY
    hours = rng.choice(24, size=len(ts), p=clock.profile(profile))
    return day + hours * HOUR + rng.integers(0, HOUR, size=len(ts))
