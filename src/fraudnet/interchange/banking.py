"""Small facts about account ids and institutions that several formats need."""

from __future__ import annotations

import re

from stdnum import iban as _iban  # python-stdnum, installed with followthemoney

BIC = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")


def is_iban(account_id: str) -> bool:
    """True for an account id that is a valid IBAN (the store keeps IBANs without spaces)."""
    return bool(_iban.is_valid(account_id))


def is_bic(institution: str | None) -> bool:
    return bool(institution and BIC.match(institution))
