"""The UK 3x5x2 intelligence grading every package carries (College of Policing APP).

Source evaluation: 1 reliable, 2 untested, 3 not reliable. Intelligence assessment: A known
directly, B known indirectly but corroborated, C known indirectly, D not known, E suspected
to be false. Handling code: P lawful sharing permitted; C lawful sharing permitted with
conditions, which travel with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fraudnet.errors import FraudnetError

SOURCE_EVALUATIONS = {"1": "reliable", "2": "untested", "3": "not reliable"}
ASSESSMENTS = {
    "A": "known directly to the source",
    "B": "known indirectly to the source but corroborated",
    "C": "known indirectly to the source",
    "D": "not known",
    "E": "suspected to be false",
}
HANDLING_CODES = {"P": "lawful sharing permitted", "C": "lawful sharing permitted with conditions"}
DEFAULT_CONDITIONS = (
    "for fraud prevention and asset recovery only; keyed tokens only; "
    "no onward disclosure without the sender's consent"
)


@dataclass(frozen=True, slots=True)
class Grading:
    """A 3x5x2 grade; the default is the cautious one: untested source, handling with conditions."""

    source_evaluation: str = "2"
    intelligence_assessment: str = "C"
    handling_code: str = "C"
    handling_conditions: str = DEFAULT_CONDITIONS

    def __post_init__(self) -> None:
        _check("source evaluation", self.source_evaluation, SOURCE_EVALUATIONS)
        _check("intelligence assessment", self.intelligence_assessment, ASSESSMENTS)
        _check("handling code", self.handling_code, HANDLING_CODES)
        if self.handling_code == "C" and not self.handling_conditions.strip():
            raise FraudnetError("handling code C needs its conditions stated")

    @property
    def permits_personal_data(self) -> bool:
        """Only handling code P lets raw personal data travel (and only to an entitled partner)."""
        return self.handling_code == "P"

    def as_dict(self) -> dict[str, str]:
        return {
            "source_evaluation": self.source_evaluation,
            "intelligence_assessment": self.intelligence_assessment,
            "handling_code": self.handling_code,
            "handling_conditions": self.handling_conditions,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Grading:
        if not isinstance(data, dict):
            raise FraudnetError("package grading is not an object")
        try:
            return cls(**{k: str(data[k]) for k in cls.__dataclass_fields__})
        except KeyError as err:
            raise FraudnetError(f"package grading lacks {err.args[0]}") from err


def _check(what: str, value: str, allowed: dict[str, str]) -> None:
    if value not in allowed:
        raise FraudnetError(f"{what} {value!r}: one of {', '.join(allowed)}")
