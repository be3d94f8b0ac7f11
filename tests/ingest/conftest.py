"""Small input files with known problems, written fresh for each test."""

from __future__ import annotations

from pathlib import Path

import pytest

BAD_TRANSACTIONS = """txn_id,ts,amount,currency,src_account,dst_account,channel
t1,2024-01-01 10:00:00,100.00,GBP,12-34-56 12345678,GB29 NWBK 6016 1331 9268 19,fps
t2,2024-01-01T11:00:00+01:00,"£1,250.50",gbp,A,B,FPS
t3,not a time,5,GBP,A,B,fps
t4,2024-01-02,-5,GBP,A,B,fps
t5,2024-01-02,5,XXX,A,B,fps
t6,2024-01-02,5
t1,2024-01-01 10:00:00,100.00,GBP,12-34-56 12345678,GB29 NWBK 6016 1331 9268 19,fps
t1,2024-01-01 10:00:00,999.00,GBP,A,B,fps
,2024-01-02,5,GBP,A,B,fps
t7,2024-01-02,5,GBP,,,fps
t8,2024-01-02,abc,GBP,A,B,fps
t9,2024-01-03,7.5,GBP,,C,cash_in
t10,2024-01-03,7.5,GBP,C,,teleport
"""

# (line, field, reason) expected in quarantine for BAD_TRANSACTIONS
EXPECTED_QUARANTINE = [
    (4, "ts", "unparseable timestamp in ts"),
    (5, "amount", "negative amount"),
    (6, "currency", "unknown currency"),
    (7, None, "malformed CSV row: wrong number of fields"),
    (9, "txn_id", "same txn_id as line 2 with different content"),
    (10, "txn_id", "missing txn id"),
    (11, "dst_account", "payment has neither a source nor a destination account"),
    (12, "amount", "unparseable amount"),
    (14, "channel", "unknown channel"),
]

AMLSIM_TRANSACTIONS = """tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,alert_id
1,100,200,TRANSFER,500.25,2017-01-01T00:00:00Z,False,-1
2,200,300,TRANSFER,480.00,2017-01-01T02:30:00Z,True,7
3,300,100,TRANSFER,470.10,2017-01-02T00:00:00Z,True,7
4,100,300,TRANSFER,12.5,2017-01-03T00:00:00Z,False,-1
"""

AMLSIM_ACCOUNTS = (
    "acct_id,dsply_nm,type,acct_stat,acct_rptng_crncy,prior_sar_count,branch_id,open_dt,"
    "close_dt,initial_deposit,bank_id,first_name,last_name,street_addr,city,state,country,zip,"
    "gender,birth_date,ssn,lon,lat\n"
    "100,C_100,I,A,USD,False,1,2016-06-01,,1000.0,bank_a,Ann,Lee,1 Main St,Springfield,IL,US,"
    "62701,F,1990-02-03,123-45-6789,-89.6,39.8\n"
    "200,C_200,I,A,USD,True,2,0,1000000,250.5,bank_b,Bob,Ray,2 Oak Ave,Shelbyville,IL,US,62565,"
    "M,1985-07-08,987-65-4321,-88.8,39.4\n"
    "300,C_300,O,A,USD,False,1,2015-01-01,,9000,bank_a,,,3 Elm Rd,Capital City,IL,US,62702,,,,"
    "-89.1,39.7\n"
)


@pytest.fixture
def bad_transactions_csv(tmp_path: Path) -> Path:
    path = tmp_path / "payments.csv"
    path.write_text(BAD_TRANSACTIONS)
    return path


@pytest.fixture
def amlsim_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "amlsim"
    directory.mkdir()
    (directory / "transactions.csv").write_text(AMLSIM_TRANSACTIONS)
    (directory / "accounts.csv").write_text(AMLSIM_ACCOUNTS)
    return directory
