"""Devices, IP addresses and login events for everyone.

Families share a tablet, flatmates share a home IP, mobile users share carrier NAT addresses,
and herders log in to several mule accounts from their own devices and IPs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from fraudnet.simulate import clock
from fraudnet.simulate.arrowkit import MICROS_PER_DAY, digits, join, unique_random
from fraudnet.simulate.ledger import CH
from fraudnet.simulate.networks import COLLECTOR, Criminals
from fraudnet.simulate.params import SimulationParams
from fraudnet.simulate.population import Population, _household_heads

ONLINE_CHANNELS = np.asarray([CH[c] for c in ("fps", "chaps", "intl_wire", "crypto", "internal")])


@dataclass
class Logins:
    account: np.ndarray
    ts: np.ndarray
    device: np.ndarray  # device number (see DeviceBook)
    ip: np.ndarray  # ip number
    app: np.ndarray  # bool: mobile app (else web)


class DeviceBook:
    """Who owns which device and IP numbers; strings are made once at the end."""

    def __init__(
        self, rng: np.random.Generator, params: SimulationParams, pop: Population, crim: Criminals
    ) -> None:
        self.rng, self.params, self.pop, self.crim = rng, params, pop, crim
        n_p, n_a = pop.n_persons, pop.n_accounts
        heads = _household_heads(pop.household)
        size = np.bincount(pop.household)[pop.household]
        shared = (size > 1) & (rng.random(n_p) < params.shared_device_household_share)
        shared_flag = shared[heads]  # the whole household shares, or not
        self.dev1 = np.arange(n_p)
        self.dev2 = np.where(shared_flag & (rng.random(n_p) < 0.8), heads, n_p + np.arange(n_p))
        self.business_dev = 2 * n_p + np.arange(n_a)
        burners = [int(rng.integers(1, 3)) for _ in range(crim.n_networks)]
        base = 2 * n_p + n_a
        self.herder_devices: list[np.ndarray] = []
        for i, k in enumerate(burners):
            own = self.dev1[crim.herders[i]]
            self.herder_devices.append(np.r_[own, base + np.arange(k)])
            base += k
        self.n_devices = base
        n_households = int(pop.household.max()) + 1
        self.home_ip = pop.household  # ip number = household number
        self.mobile_pool = n_households + np.arange(max(50, n_p // 400))
        self.office_ip = self.mobile_pool[-1] + 1 + np.arange(n_a)
        vpn_base = self.office_ip[-1] + 1
        self.vpn_pool = vpn_base + np.arange(max(10, crim.n_networks // 3 + 5))
        self.n_ips = int(self.vpn_pool[-1]) + 1

    def device_strings(self) -> pa.Array:
        codes = unique_random(self.rng, self.n_devices, 0, 16**12)
        return join("dev-", digits(codes, 15))

    def ip_strings(self) -> pa.Array:
        codes = unique_random(self.rng, self.n_ips, 16_777_216, 3_741_319_167)
        octets = [digits((codes >> s) & 255, 1) for s in (24, 16, 8, 0)]
        return join(*octets, sep=".")


def build_logins(
    rng: np.random.Generator,
    params: SimulationParams,
    pop: Population,
    crim: Criminals,
    book: DeviceBook,
    txn: dict[str, np.ndarray],
) -> Logins:
    months = pop.days / 30.0
    uk = np.flatnonzero((pop.acc_foreign < 0) & ~pop.acc_dormant)
    holder = pop.acc_person[uk]
    is_main = (holder >= 0) & (pop.main_account[np.maximum(holder, 0)] == uk)
    rate = np.where(pop.acc_business[uk], 6.0, np.where(is_main, params.logins_per_month, 1.2))
    counts = rng.poisson(rate * months)
    account = np.repeat(uk, counts)
    days = rng.integers(0, pop.days, size=len(account))
    ts = clock.times_on_days(rng, pop.start_us, days, "online")
    # a login shortly before each payment made online
    online = np.isin(txn["channel"], ONLINE_CHANNELS) & (txn["src"] >= 0)
    online &= rng.random(len(online)) < params.login_before_payment_share
    pay_acc = txn["src"][online]
    pay_ts = txn["ts"][online] - rng.integers(20_000_000, 8 * clock.MINUTE, size=len(pay_acc))
    account = np.r_[account, pay_acc]
    ts = np.r_[ts, pay_ts]
    keep = (ts >= pop.start_us) & (ts < pop.end_us) & (ts > pop.acc_opened_us[account])
    closed = pop.acc_closed_us[account]
    keep &= (closed < 0) | (ts < closed)
    account, ts = account[keep], ts[keep]
    device, ip = _own_devices(rng, params, pop, book, account)
    _herder_control(rng, params, pop, crim, book, account, ts, device, ip)
    app = rng.random(len(account)) < 0.8
    return Logins(account, ts, device, ip, app)


def _own_devices(
    rng: np.random.Generator,
    params: SimulationParams,
    pop: Population,
    book: DeviceBook,
    account: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    holder = pop.acc_person[account]
    person = np.maximum(holder, 0)
    second = rng.random(len(account)) < 0.35
    device = np.where(second, book.dev2[person], book.dev1[person])
    mobile = rng.random(len(account)) < params.mobile_ip_share
    mobile_ip = book.mobile_pool[rng.integers(0, len(book.mobile_pool), size=len(account))]
    ip = np.where(mobile, mobile_ip, book.home_ip[person])
    # a few ordinary people bank through a VPN, whose exit addresses herders use too
    vpn = rng.random(len(account)) < params.vpn_login_share
    ip = np.where(vpn, book.vpn_pool[rng.integers(0, len(book.vpn_pool), len(account))], ip)
    business = holder < 0
    device = np.where(business, book.business_dev[account], device)
    ip = np.where(business, book.office_ip[account], ip)
    return device, ip


def _herder_control(
    rng: np.random.Generator,
    params: SimulationParams,
    pop: Population,
    crim: Criminals,
    book: DeviceBook,
    account: np.ndarray,
    ts: np.ndarray,
    device: np.ndarray,
    ip: np.ndarray,
) -> None:
    """Complicit mules' accounts (and some collectors') are operated from herder devices/IPs."""
    row_of = np.full(pop.n_accounts, -1, dtype=np.int64)
    row_of[crim.mule_account] = np.arange(len(crim.mule_account))
    row = row_of[account]
    is_mule = row >= 0
    r = np.maximum(row, 0)
    margin = 2 * MICROS_PER_DAY
    in_window = (ts >= crim.mule_start_us[r] - margin) & (ts <= crim.mule_end_us[r] + margin)
    controlled = is_mule & in_window & crim.mule_complicit[r]
    controlled &= rng.random(len(account)) < params.herder_login_share
    collector = crim.acc_role[account] == COLLECTOR
    controlled |= collector & (rng.random(len(account)) < 0.5 * params.herder_login_share)
    idx = np.flatnonzero(controlled)
    net = np.where(is_mule, crim.mule_network[r], crim.acc_network[account])[idx]
    sizes = np.asarray([len(d) for d in book.herder_devices])
    flat = np.concatenate(book.herder_devices)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    device[idx] = flat[starts[net] + (rng.random(len(idx)) * sizes[net]).astype(np.int64)]
    herder_home = np.asarray([book.home_ip[h[0]] for h in crim.herders])
    vpn = book.vpn_pool[(net * 7 + rng.integers(0, 2, len(idx))) % len(book.vpn_pool)]
    ip[idx] = np.where(rng.random(len(idx)) < 0.4, herder_home[net], vpn)
