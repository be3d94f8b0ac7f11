"""Every parameter is documented with its source; defaults are calibrated to public figures."""

from __future__ import annotations

import math
from pathlib import Path

from fraudnet.simulate import SimulationParams, parameter_rows

DOC = Path(__file__).parents[2] / "docs" / "simulator.md"


def test_every_parameter_is_in_the_docs_with_default_and_source() -> None:
    text = DOC.read_text()
    for name, default, _meaning, source in parameter_rows():
        row = next((line for line in text.splitlines() if line.startswith(f"| `{name}` |")), None)
        assert row is not None, name
        assert default.replace("|", "\\|") in row, name
        assert source in row, name


def test_public_figures_are_cited() -> None:
    sources = " ".join(source for *_, source in parameter_rows())
    for figure in ("Home Office", "RUSI", "UK Finance", "facts.md"):
        assert figure in sources


def test_fraud_mix_is_a_distribution() -> None:
    shares = SimulationParams().fraud_type_case_share
    assert math.isclose(sum(shares.values()), 1.0, abs_tol=1e-9)


def test_expected_loss_per_case_is_near_uk_finance_average() -> None:
    """£450.7m over about 186,000 APP cases in 2024 is about £2,423 a case."""
    p = SimulationParams()
    expected = sum(
        share
        * p.fraud_type_payments[kind]
        * p.fraud_type_amount[kind][0]
        * math.exp(p.fraud_type_amount[kind][1] ** 2 / 2)
        for kind, share in p.fraud_type_case_share.items()
    )
    assert abs(expected - 450.7e6 / 186_000) / 2423 < 0.15
