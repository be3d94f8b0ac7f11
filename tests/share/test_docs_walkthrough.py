"""docs/sharing.md's commands run as written: two stores and more complete the exchange."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.share.doc_scripts import DOC, bash_blocks, run_blocks


@pytest.mark.slow
def test_the_documented_exchange_runs(tmp_path: Path) -> None:
    returncode, output = run_blocks(bash_blocks(DOC.read_text()), tmp_path)
    assert returncode == 0, output[-3000:]
    assert "already received" in output
    assert "error: refused: addressed to 'westgate-bank', not to 'albion-bank'" in output
    assert "refused, as it should be" in output
    assert output.count("matched pairs of") == 2  # people matched from files, then a store
    direct = (tmp_path / "orgs" / "people-matches-direct.csv").read_text()
    assert (tmp_path / "orgs" / "people-matches.csv").read_text() == direct
    with duckdb.connect(str(tmp_path / "orgs" / "westgate-bank.duckdb"), read_only=True) as con:
        rows = con.sql(
            "SELECT sender, COUNT(*), COUNT(DISTINCT package_id), COUNT(subject_account) "
            "FROM shared_intel GROUP BY sender"
        ).fetchall()
    assert len(rows) == 1 and rows[0][0] == "northern-counties-bank"
    assert rows[0][1] > 0 and rows[0][2] == 1 and rows[0][3] > 0
    with duckdb.connect(str(tmp_path / "orgs" / "albion-bank.duckdb"), read_only=True) as con:
        kinds = con.sql("SELECT DISTINCT package_kind FROM shared_intel").fetchall()
    assert kinds == [("freeze",)]
    seeds = (tmp_path / "orgs" / "westgate-seeds.txt").read_text().split()
    assert 0 < len(seeds) <= rows[0][3]
