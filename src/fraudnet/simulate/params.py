"""Every knob of the synthetic world, with its default and where the default comes from.

Sources are the public figures collected in /work/shared/facts.md; anything marked
"assumption" is a modelling choice, documented in docs/simulator.md so it can be argued with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace
from typing import Any

FACTS = "/work/shared/facts.md"


def _p(default: Any, source: str, doc: str) -> Any:
    """A dataclass field carrying its public source and meaning as metadata."""
    if isinstance(default, dict | list | tuple):
        frozen = default
        return field(default_factory=lambda: frozen, metadata={"source": source, "doc": doc})
    return field(default=default, metadata={"source": source, "doc": doc})


FRAUD_TYPE_CASE_SHARE = {
    "purchase": 0.62,
    "investment": 0.05,
    "romance": 0.02,
    "advance_fee": 0.12,
    "invoice_mandate": 0.02,
    "ceo": 0.003,
    "impersonation_police_bank": 0.07,
    "impersonation_other": 0.097,
}
# Median payment in pounds and log-normal sigma, by scam type.
FRAUD_TYPE_AMOUNT = {
    "purchase": (180.0, 1.0),
    "investment": (2500.0, 1.1),
    "romance": (900.0, 1.1),
    "advance_fee": (350.0, 1.0),
    "invoice_mandate": (4500.0, 1.2),
    "ceo": (9000.0, 1.1),
    "impersonation_police_bank": (2800.0, 1.0),
    "impersonation_other": (700.0, 1.0),
}
# Mean number of payments per victim, by scam type (repeat payments).
FRAUD_TYPE_PAYMENTS = {
    "purchase": 1.15,
    "investment": 3.0,
    "romance": 5.0,
    "advance_fee": 1.8,
    "invoice_mandate": 1.2,
    "ceo": 1.3,
    "impersonation_police_bank": 2.2,
    "impersonation_other": 1.6,
}
# Mean victim age by scam type (impersonation and romance skew older, purchase younger).
FRAUD_TYPE_VICTIM_AGE = {
    "purchase": 38.0,
    "investment": 52.0,
    "romance": 58.0,
    "advance_fee": 40.0,
    "invoice_mandate": 48.0,
    "ceo": 45.0,
    "impersonation_police_bank": 64.0,
    "impersonation_other": 50.0,
}


@dataclass(frozen=True)
class SimulationParams:
    """All parameters of the world. Override any with `dataclasses.replace` or `with_`."""

    # ---- size and time --------------------------------------------------------------
    start: dt.datetime = _p(  # noqa: RUF009
        dt.datetime(2025, 1, 6), "assumption", "First instant of the simulated window (UTC)."
    )
    # ---- population -----------------------------------------------------------------
    business_account_share: float = _p(
        0.05, "assumption", "Share of accounts held by organisations (employers, shops, ...)."
    )
    foreign_account_share: float = _p(
        0.012, "assumption", "Share of accounts at foreign banks (IBANs receiving wires)."
    )
    accounts_per_person: tuple[float, ...] = _p(
        (0.55, 0.32, 0.13),
        "assumption",
        "Probabilities of a person holding 1, 2 or 3 personal accounts.",
    )
    second_account_same_bank: float = _p(
        0.35,
        "assumption",
        "Probability an extra account is at the same bank (savings) rather than another bank.",
    )
    adult_age_bands: tuple[tuple[int, int, float], ...] = _p(
        ((18, 20, 0.047), (21, 29, 0.145), (30, 44, 0.245), (45, 64, 0.32), (65, 90, 0.243)),
        "assumption (close to ONS mid-year estimates of UK adults)",
        "Age bands (inclusive) and their share of adult account holders.",
    )
    student_share_18_22: float = _p(
        0.4, "assumption", "Share of 18-22 year olds who are students supported by a parent."
    )
    employed_share: float = _p(
        0.75, "assumption", "Share of 23-66 year olds with a salary (others: benefits/none)."
    )
    landlord_share: float = _p(
        0.025, "assumption", "Share of persons who let property to private tenants."
    )
    private_renter_share: float = _p(
        0.2, "assumption", "Share of working-age persons paying rent to a private landlord."
    )
    seller_share: float = _p(
        0.06,
        "assumption",
        "Share of persons who sell second-hand goods online during the window.",
    )
    saver_share: float = _p(
        0.35, "assumption", "Share of salaried persons with a monthly transfer to savings."
    )
    crypto_buyer_share: float = _p(
        0.04, "assumption", "Share of persons who buy crypto-assets through an exchange."
    )
    remitter_share: float = _p(
        0.04, "assumption", "Share of persons sending money to family abroad by wire."
    )
    own_transfer_fast_share: float = _p(
        0.3,
        "assumption",
        "Share of multi-bank persons who move their pay on to their other bank within hours.",
    )
    dormant_account_share: float = _p(
        0.04, "assumption", "Share of accounts with no activity in the window."
    )
    recent_account_share: float = _p(
        0.06, "assumption", "Share of accounts opened in the year before or during the window."
    )
    closed_account_share: float = _p(
        0.005, "assumption", "Share of accounts closed during the window (all roles alike)."
    )
    household_size_probs: tuple[float, ...] = _p(
        (0.3, 0.35, 0.15, 0.15, 0.05),
        "assumption (close to ONS household size mix)",
        "Probabilities of households of 1..5 adults.",
    )
    shared_device_household_share: float = _p(
        0.15,
        "assumption",
        "Share of multi-person households where two members log in from one shared device.",
    )
    mobile_ip_share: float = _p(
        0.35,
        "assumption",
        "Share of logins from mobile networks, whose carrier-grade NAT IPs many share.",
    )
    # ---- legitimate activity rates (per active person per 30 days) ------------------
    card_per_month: float = _p(9.0, "assumption", "Card payments per person per 30 days.")
    p2p_per_month: float = _p(1.6, "assumption", "Transfers to friends/family per 30 days.")
    cash_per_month: float = _p(0.7, "assumption", "Cash withdrawals per person per 30 days.")
    bills_per_person: tuple[int, int] = _p(
        (2, 5), "assumption", "Range of monthly direct debits per person."
    )
    logins_per_month: float = _p(
        4.0, "assumption", "Online/app banking logins per active account per 30 days."
    )
    trader_sales_per_month: float = _p(
        40.0, "assumption", "Customer payments per sole trader or shop per 30 days."
    )
    median_net_pay: float = _p(
        2100.0,
        "assumption (near ONS median net monthly pay)",
        "Median monthly net pay, pounds.",
    )
    median_rent: float = _p(
        950.0, "assumption (near ONS private rent index)", "Median monthly rent, pounds."
    )
    median_card_amount: float = _p(16.0, "assumption", "Median card payment, pounds.")
    # ---- mules and networks ---------------------------------------------------------
    mule_account_share: float = _p(
        0.006,
        "elevated on purpose: about 37,000 UK accounts showed muling in 2023 (Cifas via Home "
        f"Office, {FACTS}); a test bed needs enough positives",
        "Share of accounts used as mule accounts (tier 1, tier 2 and collectors).",
    )
    mule_age_shares: tuple[float, float] = _p(
        (0.23, 0.65),
        f"Home Office, 1 March 2024 ({FACTS}): 23% of mules under 21, 65% under 30",
        "Cumulative shares of mules under 21 and under 30.",
    )
    tier1_per_network: tuple[int, int] = _p(
        (3, 14), "assumption", "Range of tier-1 mules per network."
    )
    tier2_ratio: float = _p(0.35, "assumption", "Tier-2 mules per tier-1 mule.")
    collectors_per_network: tuple[int, int] = _p(
        (1, 2), "assumption", "Range of collector accounts per network."
    )
    second_herder_share: float = _p(0.15, "assumption", "Share of networks run by two herders.")
    mule_new_account_share: float = _p(
        0.3,
        "assumption; Cifas and FCA describe new and dormant accounts as favoured",
        "Share of mule accounts opened shortly before first use.",
    )
    mule_dormant_account_share: float = _p(
        0.15,
        "assumption; Cifas and FCA describe new and dormant accounts as favoured",
        "Share of mule accounts that were dormant before first use.",
    )
    mule_complicit_share: float = _p(
        0.55,
        "assumption; Cifas distinguishes complicit and unwitting mules",
        "Share of mules who knowingly hand control to the herder.",
    )
    digital_bank_mule_uplift: float = _p(
        1.0,
        "assumption",
        "Extra weight on easy-onboarding banks when choosing mule accounts (multiplies the "
        "bank's onboarding factor).",
    )
    mule_active_days: tuple[int, int] = _p(
        (10, 60), "assumption", "Range of days a mule account is in use."
    )
    victims_per_tier1_per_month: float = _p(
        2.5,
        f"assumption; ~186,000 APP cases a year (UK Finance 2025, {FACTS}) against tens of "
        "thousands of mule accounts",
        "Scam victims paying each tier-1 mule per 30 days of its activity.",
    )
    fraud_type_case_share: dict[str, float] = _p(  # noqa: RUF009
        FRAUD_TYPE_CASE_SHARE,
        f"UK Finance APP categories ({FACTS}); shares approximate UK Finance case volumes "
        "(purchase scams are the majority of cases): approximate, check before quoting",
        "Share of scam cases by UK Finance category.",
    )
    fraud_type_amount: dict[str, tuple[float, float]] = _p(  # noqa: RUF009
        FRAUD_TYPE_AMOUNT,
        f"calibrated so the mean case is near £2,400 (£450.7m over ~186,000 cases, {FACTS})",
        "Median payment (pounds) and log-normal sigma by scam type.",
    )
    fraud_type_payments: dict[str, float] = _p(  # noqa: RUF009
        FRAUD_TYPE_PAYMENTS, "assumption", "Mean payments per victim by scam type."
    )
    fraud_type_victim_age: dict[str, float] = _p(  # noqa: RUF009
        FRAUD_TYPE_VICTIM_AGE, "assumption", "Mean victim age by scam type."
    )
    report_rate: float = _p(
        0.6,
        "assumption; only a share of fraud is ever reported (FCA Jan 2025: firms reported "
        f"6-66% of offboarded mules to Cifas, {FACTS})",
        "Share of scam cases the victim reports.",
    )
    report_delay_days: float = _p(
        4.0, "assumption", "Median days from a victim's last payment to the report."
    )
    report_type_noise: float = _p(
        0.05, "assumption", "Share of reports whose fraud_type is recorded as unknown."
    )
    false_report_share: float = _p(
        0.03,
        "assumption",
        "Reports filed on ordinary second-hand purchases (disputes): label noise.",
    )
    moved_within_15min: float = _p(
        0.28,
        f"RUSI 'Following the Fraud' (2025), secondary ({FACTS})",
        "Share of tier-1 mule receipts moved on within 15 minutes.",
    )
    moved_within_hour: float = _p(
        0.5,
        f"RUSI 'Following the Fraud' (2025), secondary ({FACTS})",
        "Share of tier-1 mule receipts moved on within an hour.",
    )
    mule_exit_channels: dict[str, float] = _p(  # noqa: RUF009
        {"fps": 0.57, "card": 0.20, "cash_out": 0.10, "other": 0.13},
        f"RUSI/Lloyds: 57% Faster Payments, 20% debit card, 10% cash ({FACTS})",
        "How money leaves tier-1 mule accounts (other = crypto and international wires).",
    )
    mule_cut: tuple[float, float] = _p(
        (0.04, 0.15), "assumption", "Range of the share of each receipt a tier-1 mule keeps."
    )
    overseas_share: float = _p(
        0.7,
        f"Home Office, March 2024: around 70% of UK fraud has an overseas link ({FACTS})",
        "Share of collector outflows that go overseas (international wire or crypto).",
    )
    herder_fee_share: float = _p(
        0.6, "assumption", "Share of mules paid a recruitment fee from a herder account."
    )
    herder_login_share: float = _p(
        0.7,
        "assumption",
        "Share of a complicit mule's logins made from the herder's devices.",
    )
    shared_phone_share: float = _p(
        0.25,
        "assumption",
        "Share of complicit mules whose bank holds a herder-controlled phone number.",
    )
    shared_address_share: float = _p(
        0.15,
        "assumption",
        "Share of new mule accounts registered at an address the herder controls.",
    )
    repeat_other_mule_share: float = _p(
        0.3, "assumption", "Share of a victim's repeat payments sent to another tier-1 mule."
    )
    tier1_to_tier2_share: float = _p(
        0.65,
        "assumption",
        "Share of a tier-1 mule's Faster Payments out that go to a tier-2 mule (else collector).",
    )
    crypto_share_of_other_exits: float = _p(
        0.6,
        "assumption",
        "Share of tier-1 'other' exits that go to crypto exchanges (else international wires).",
    )
    tier2_delay_minutes: float = _p(
        90.0, "assumption", "Median minutes before a tier-2 mule moves a receipt on."
    )
    collector_delay_hours: float = _p(
        10.0, "assumption", "Median hours before a collector pays a receipt out."
    )
    dormant_wake_share: float = _p(
        0.25, "assumption", "Share of ordinary dormant accounts that come back to life."
    )
    login_before_payment_share: float = _p(
        0.75, "assumption", "Share of payments made online that follow a login minutes before."
    )
    vpn_login_share: float = _p(
        0.02, "assumption", "Share of ordinary logins through VPN exits (which herders use too)."
    )
    parent_phone_share: float = _p(
        0.2, "assumption", "Share of students' accounts whose bank holds a parent's phone."
    )

    def with_(self, **changes: Any) -> SimulationParams:
        """A copy with some parameters changed."""
        return replace(self, **changes)


def parameter_rows() -> list[tuple[str, str, str, str]]:
    """(name, default, meaning, source) for every parameter: the docs table is built from it."""
    defaults = SimulationParams()
    return [
        (f.name, repr(getattr(defaults, f.name)), f.metadata["doc"], f.metadata["source"])
        for f in fields(SimulationParams)
    ]
