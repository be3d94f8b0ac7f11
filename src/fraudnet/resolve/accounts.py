"""Accounts held by one resolved person, for detection and networks.

A transfer between two accounts of the same entity is someone moving their own money, not
mule pass-through; later stages join these pairs to exclude or down-weight such transfers.
"""

from __future__ import annotations

import pyarrow as pa

from fraudnet.engine import Engine

SAME_PERSON_ACCOUNTS_SQL = """
SELECT a.account_id AS account_a, b.account_id AS account_b, ea.entity_id AS entity_id
FROM accounts a
JOIN entities ea ON a.holder_party_id = ea.party_id
JOIN entities eb ON ea.entity_id = eb.entity_id
JOIN accounts b ON b.holder_party_id = eb.party_id
WHERE a.account_id < b.account_id
ORDER BY account_a, account_b
"""


def same_person_account_pairs(engine: Engine) -> pa.Table:
    """(account_a, account_b, entity_id) for every pair of accounts of one entity, a < b."""
    result = engine.sql(SAME_PERSON_ACCOUNTS_SQL)
    schema = pa.schema(
        [("account_a", pa.string()), ("account_b", pa.string()), ("entity_id", pa.string())]
    )
    return result.select(schema.names).cast(schema)
