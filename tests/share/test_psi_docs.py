"""docs/sharing.md's PSI walkthrough runs as written and says what the page says it says."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.cli.process import cli_env

DOC = Path(__file__).resolve().parents[2] / "docs" / "sharing.md"


def psi_script() -> str:
    """The page's first block (the split world) and every block of the PSI section."""
    text = DOC.read_text()
    world = re.findall(r"```bash\n(.*?)```", text, flags=re.S)[0]
    section = text[text.index("## Matching without sharing data") :]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    fraudnet = f"{shlex.quote(sys.executable)} -m fraudnet.cli.main"
    return f'set -euo pipefail\nfraudnet() {{ {fraudnet} "$@"; }}\n' + "\n".join([world, *blocks])


@pytest.mark.slow
def test_the_documented_psi_exchange_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        ["bash", "-c", psi_script()],
        cwd=tmp_path,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    counts = re.findall(r"westgate-bank holds (\d+) of (\d+) account values \((\w+)\)", output)
    assert [mode for *_, mode in counts] == ["cardinality", "intersection"]
    assert counts[0][:2] == counts[1][:2] and int(counts[0][0]) > 0
    assert "query cap reached for 'northern-counties-bank': 2 of 2 queries" in output
    orgs = tmp_path / "orgs"
    with duckdb.connect(str(orgs / "westgate-bank.duckdb"), read_only=True) as con:
        westgate_own = {r[0] for r in con.sql("SELECT account_id FROM accounts").fetchall()}
        refused = con.sql("SELECT refused FROM psi_query_log WHERE refused IS NOT NULL").fetchall()
    with duckdb.connect(str(orgs / "northern-counties-bank.duckdb"), read_only=True) as con:
        hits = {r[0] for r in con.sql("SELECT value FROM psi_matches").fetchall()}
    assert len(hits) == int(counts[1][0]) and hits <= westgate_own
    assert len(refused) == 1 and "query cap" in refused[0][0]
