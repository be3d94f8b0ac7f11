"""docs/sharing.md's PSI walkthrough runs as written and says what the page says it says."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.share.doc_scripts import DOC, bash_blocks, run_blocks


def psi_blocks() -> list[str]:
    """The page's first block (the split world), its keys block (PSI messages are signed)
    and every block of the PSI section."""
    text = DOC.read_text()
    keys = text[text.index("### 3. Keys") : text.index("### 4. Package")]
    section = text[text.index("### Hit/no-hit PSI") : text.index("### Fuzzy person matching")]
    return [bash_blocks(text)[0], *bash_blocks(keys), *bash_blocks(section)]


@pytest.mark.slow
def test_the_documented_psi_exchange_runs(tmp_path: Path) -> None:
    returncode, output = run_blocks(psi_blocks(), tmp_path)
    assert returncode == 0, output[-3000:]
    counts = re.findall(r"westgate-bank holds (\d+) of (\d+) account values \((\w+)\)", output)
    assert [mode for *_, mode in counts] == ["cardinality", "intersection"]
    assert counts[0][:2] == counts[1][:2] and int(counts[0][0]) > 0
    assert "query cap reached for 'northern-counties-bank': 2 of 2 queries" in output
    assert "ask1.psi: refused: PSI request is addressed to 'westgate-bank', not 'albion-bank'" in (
        " ".join(output.split())
    )
    orgs = tmp_path / "orgs"
    with duckdb.connect(str(orgs / "westgate-bank.duckdb"), read_only=True) as con:
        westgate_own = {r[0] for r in con.sql("SELECT account_id FROM accounts").fetchall()}
        refused = con.sql("SELECT refused FROM psi_query_log WHERE refused IS NOT NULL").fetchall()
    with duckdb.connect(str(orgs / "northern-counties-bank.duckdb"), read_only=True) as con:
        hits = {r[0] for r in con.sql("SELECT value FROM psi_matches").fetchall()}
    assert len(hits) == int(counts[1][0]) and hits <= westgate_own
    assert len(refused) == 1 and "query cap" in refused[0][0]
