"""Built-in mapping for IBM AMLSim output (transactions.csv, accounts.csv).

AMLSim's `acct_id` is kept verbatim as `account_id` so results join back to the source.
Its ground-truth columns (`is_sar`, `alert_id`, `prior_sar_count`) never reach a feature
table: they become `labels` rows with source `ground_truth`, and only with `--with-labels`.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from fraudnet.ingest.load import FileLoad
from fraudnet.ingest.mapping import Mapping
from fraudnet.ingest.sources import SourceFormat, require_file

TIMESTAMP_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y%m%d %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
)
DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%m/%d/%Y")
TRUTHY = "LOWER(TRIM({col})) IN ('true', 't', 'yes', 'y', '1')"
PRIOR_SAR_TRUTHY = TRUTHY.format(col='"prior_sar_count"')
PARTY_ID = "'amlsim-party-' || TRIM(\"acct_id\")"
CHANNELS = {
    "CASH-OUT": "cash_out",
    "CASH_OUT": "cash_out",
    "CASH-IN": "cash_in",
    "CASH_IN": "cash_in",
    "DEPOSIT": "cash_in",
}
ACCOUNT_KINDS = {"I": "personal", "INDIVIDUAL": "personal", "O": "business"}
ACCOUNT_KINDS |= {"ORGANIZATION": "business", "B": "business", "BUSINESS": "business"}
PARTY_KINDS = {k: ("org" if v == "business" else "person") for k, v in ACCOUNT_KINDS.items()}


class AmlSim(SourceFormat):
    name: ClassVar[str] = "amlsim"
    description: ClassVar[str] = "IBM AMLSim output: transactions.csv and accounts.csv"

    def loads(self, directory: Path, with_labels: bool) -> list[FileLoad]:
        txns = require_file(directory, "transactions.csv")
        accts = require_file(directory, "accounts.csv")
        loads = [
            FileLoad(accts, "csv", _accounts()),
            FileLoad(accts, "csv", _parties()),
            FileLoad(accts, "csv", _documents()),
            FileLoad(txns, "csv", _transactions()),
        ]
        if with_labels:
            loads += [
                FileLoad(txns, "csv", _sar_labels("orig_acct")),
                FileLoad(txns, "csv", _sar_labels("bene_acct")),
                FileLoad(accts, "csv", _prior_sar_labels()),
            ]
        return loads


def _transactions() -> Mapping:
    return Mapping(
        table="transactions",
        columns={
            "tran_id": "txn_id",
            "orig_acct": "src_account",
            "bene_acct": "dst_account",
            "base_amt": "amount",
            "tran_timestamp": "ts",
            "tx_type": "channel",
        },
        constants={"currency": "USD", "source": "amlsim:transactions.csv"},
        values={"channel": CHANNELS},
        value_defaults={"channel": "other"},
        timestamp_formats=TIMESTAMP_FORMATS,
        date_formats=DATE_FORMATS,
    )


def _accounts() -> Mapping:
    return Mapping(
        table="accounts",
        columns={
            "acct_id": "account_id",
            "bank_id": "institution",
            "country": "jurisdiction",
            "open_dt": "opened_at",
            "close_dt": "closed_at",
            "type": "kind",
            "acct_rptng_crncy": "currency",
            "initial_deposit": "opening_balance",
        },
        constants={"source": "amlsim:accounts.csv"},
        expressions={"holder_party_id": PARTY_ID},
        values={"kind": ACCOUNT_KINDS},
        value_defaults={"kind": "personal"},
        defaults={"currency": "USD"},
        timestamp_formats=TIMESTAMP_FORMATS,
        date_formats=DATE_FORMATS,
        lenient=("opened_at", "closed_at", "opening_balance"),
    )


def _parties() -> Mapping:
    return Mapping(
        table="parties",
        columns={
            "dsply_nm": "name",
            "first_name": "given_name",
            "last_name": "family_name",
            "birth_date": "dob",
            "gender": "gender",
            "street_addr": "address",
            "zip": "postcode",
            "city": "city",
            "country": "country",
            "type": "kind",
        },
        expressions={"party_id": PARTY_ID},
        constants={"source": "amlsim:accounts.csv"},
        values={"kind": PARTY_KINDS},
        value_defaults={"kind": "person"},
        date_formats=DATE_FORMATS,
        lenient=("dob",),
        filter_sql="NULLIF(TRIM(\"acct_id\"), '') IS NOT NULL",
    )


def _documents() -> Mapping:
    return Mapping(
        table="identifiers",
        columns={"ssn": "value"},
        expressions={"owner": PARTY_ID},
        constants={"owner_kind": "party", "kind": "document", "source": "amlsim:accounts.csv"},
        filter_sql="NULLIF(TRIM(\"ssn\"), '') IS NOT NULL AND NULLIF(TRIM(\"acct_id\"), '') "
        "IS NOT NULL",
    )


def _sar_labels(account_column: str) -> Mapping:
    return Mapping(
        table="labels",
        columns={account_column: "subject"},
        expressions={
            "network_id": "CASE WHEN TRIM(\"alert_id\") IN ('', '-1') THEN NULL "
            "ELSE 'amlsim-alert-' || TRIM(\"alert_id\") END"
        },
        constants={"label": "suspicious", "source": "ground_truth", "decided_by": "amlsim"},
        filter_sql=TRUTHY.format(col='"is_sar"'),
    )


def _prior_sar_labels() -> Mapping:
    return Mapping(
        table="labels",
        columns={"acct_id": "subject"},
        constants={"label": "suspicious", "source": "ground_truth", "decided_by": "amlsim"},
        filter_sql=f'({PRIOR_SAR_TRUTHY} OR TRY_CAST("prior_sar_count" AS BIGINT) > 0)',
    )
