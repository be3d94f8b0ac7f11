"""Closed vocabularies used by the canonical tables, declared once."""

from __future__ import annotations

CHANNELS = (
    "fps",
    "chaps",
    "bacs",
    "card",
    "cash_in",
    "cash_out",
    "intl_wire",
    "crypto",
    "internal",
    "other",
)
"""Payment channels. `cash_out`, `crypto` and `intl_wire` to an unknown account leave the system."""

EXIT_CHANNELS = ("cash_out", "crypto", "intl_wire")

ACCOUNT_KINDS = ("personal", "business")
PARTY_KINDS = ("person", "org")
IDENTIFIER_KINDS = ("phone", "email", "device", "ip", "address", "document", "card")
OWNER_KINDS = ("party", "account")

FRAUD_TYPES = (
    "purchase",
    "investment",
    "romance",
    "advance_fee",
    "invoice_mandate",
    "ceo",
    "impersonation_police_bank",
    "impersonation_other",
    "unknown",
)
"""UK Finance authorised push-payment scam categories (Annual Fraud Report)."""

LABELS = (
    "mule",
    "mule_tier1",
    "mule_tier2plus",
    "herder",
    "collector",
    "victim",
    "legitimate",
    "suspicious",
)
LABEL_SOURCES = ("analyst", "ground_truth")

EVENT_KINDS = ("login", "booking", "call", "advert", "visa_sponsorship", "other")

CURRENCIES = (
    "GBP",
    "EUR",
    "USD",
    "CHF",
    "JPY",
    "CNY",
    "HKD",
    "AED",
    "INR",
    "NGN",
    "ZAR",
    "CAD",
    "AUD",
    "PLN",
    "RON",
    "TRY",
    "SEK",
    "NOK",
    "DKK",
    "SGD",
    "BRL",
    "MXN",
    "RUB",
    "PKR",
    "KES",
    "GHS",
    "THB",
    "MYR",
    "PHP",
    "IDR",
    "VND",
    "KRW",
    "NZD",
    "CZK",
    "HUF",
    "BGN",
    "ILS",
    "SAR",
    "QAR",
    "EGP",
    "MAD",
    "USDT",
    "BTC",
    "ETH",
)
"""ISO 4217 codes accepted at ingest (plus the crypto assets mule networks cash out into)."""
