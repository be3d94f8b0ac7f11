"""A goAML profile: one FIU's codes, mandatory fields and the reporting entity, as YAML.

Every FIU running goAML customises it: its own lookup codes (transmode, funds type, report
code, indicators), fields it makes mandatory beyond the standard, and the reporting entity
id it assigned. The schema checks structure; the profile checks what only the FIU knows.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fraudnet.errors import FraudnetError

EXAMPLE_PROFILE = Path(__file__).parent / "profiles" / "goaml-example.yaml"
PROFILE_KEYS = (
    "fiu",
    "reporting_entity",
    "submission_code",
    "report_code",
    "currency_code_local",
    "transaction_location",
    "default_country",
    "indicators",
    "lookups",
    "mandatory",
    "transmode_comment",
    "ascii_names",
)
LOOKUP_KEYS = (
    "report_code",
    "indicator",
    "transmode",
    "funds",
    "gender",
    "account_type",
    "signatory_role",
)


class ProfileError(FraudnetError, ValueError):
    """A profile that cannot drive a report, or a report that breaks its profile."""


@dataclass(frozen=True)
class GoamlProfile:
    """What one FIU expects; see profiles/goaml-example.yaml for every key."""

    fiu: str
    rentity_id: int
    reporting_entity: dict[str, Any]
    submission_code: str = "E"
    report_code: str = "STR"
    currency_code_local: str = "GBP"
    transaction_location: str = "Online banking"
    default_country: str = "GB"
    indicators: tuple[str, ...] = ()
    transmode: dict[str, str] = field(default_factory=dict)
    funds: dict[str, str] = field(default_factory=dict)
    gender: dict[str, str] = field(default_factory=dict)
    account_type: dict[str, str] = field(default_factory=dict)
    signatory_role: str = "A"
    report_codes: tuple[str, ...] = ()
    indicator_codes: tuple[str, ...] = ()
    mandatory: dict[str, tuple[str, ...]] = field(default_factory=dict)
    transmode_comment: str | None = None
    """Fixed `transmode_comment` text; unset: fraudnet's channel (one FIU caps it at 1 letter)."""
    ascii_names: bool = False
    """Names in ASCII letters only, as FIUs whose schema allows `[a-zA-Z0-9 .'-]` require."""

    @classmethod
    def from_yaml(cls, path: Path | str | None = None) -> GoamlProfile:
        """The profile at `path` (the shipped example when None); errors name the key."""
        location = Path(path) if path is not None else EXAMPLE_PROFILE
        try:
            raw = yaml.safe_load(location.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError, UnicodeDecodeError) as err:
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise ProfileError(f"cannot read goAML profile: {first}", file=str(location)) from err
        if not isinstance(raw, dict):
            raise ProfileError("a goAML profile must be a YAML mapping", file=str(location))
        try:
            return cls.from_dict(raw)
        except ProfileError as err:
            raise ProfileError(err.message, file=str(location), field=err.field) from err

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> GoamlProfile:
        _known(raw, PROFILE_KEYS, "")
        entity = raw.get("reporting_entity")
        if not isinstance(entity, dict) or "rentity_id" not in entity:
            raise ProfileError("must be a mapping with rentity_id", field="reporting_entity")
        try:
            rentity_id = int(entity["rentity_id"])
        except (TypeError, ValueError) as err:
            raise ProfileError(
                "must be a whole number", field="reporting_entity.rentity_id"
            ) from err
        lookups = raw.get("lookups") or {}
        if not isinstance(lookups, dict):
            raise ProfileError("must be a mapping", field="lookups")
        _known(lookups, LOOKUP_KEYS, "lookups.")
        mandatory = raw.get("mandatory") or {}
        if not isinstance(mandatory, dict) or not all(
            isinstance(v, list) for v in mandatory.values()
        ):
            raise ProfileError("must map element names to lists of child paths", field="mandatory")
        profile = cls(
            fiu=str(raw.get("fiu") or "unnamed FIU"),
            rentity_id=rentity_id,
            reporting_entity=dict(entity),
            submission_code=str(raw.get("submission_code", "E")),
            report_code=str(raw.get("report_code", "STR")),
            currency_code_local=str(raw.get("currency_code_local", "GBP")),
            transaction_location=str(raw.get("transaction_location", "Online banking")),
            default_country=str(raw.get("default_country", "GB")),
            indicators=tuple(str(i) for i in raw.get("indicators") or ()),
            transmode=_texts(lookups, "transmode"),
            funds=_texts(lookups, "funds"),
            gender=_texts(lookups, "gender"),
            account_type=_texts(lookups, "account_type"),
            signatory_role=str(lookups.get("signatory_role", "A")),
            report_codes=tuple(str(c) for c in lookups.get("report_code") or ()),
            indicator_codes=tuple(str(c) for c in lookups.get("indicator") or ()),
            mandatory={str(k): tuple(str(p) for p in v) for k, v in mandatory.items()},
            transmode_comment=(
                str(raw["transmode_comment"]) if raw.get("transmode_comment") else None
            ),
            ascii_names=bool(raw.get("ascii_names", False)),
        )
        profile.check_self()
        return profile

    def check_self(self) -> None:
        if self.report_codes and self.report_code not in self.report_codes:
            raise ProfileError(
                f"{self.report_code!r} is not in lookups.report_code", field="report_code"
            )
        for code in self.indicators:
            if self.indicator_codes and code not in self.indicator_codes:
                raise ProfileError(f"{code!r} is not in lookups.indicator", field="indicators")
        if not self.indicators:
            raise ProfileError("a goAML report needs at least one indicator", field="indicators")

    def channel_for(self, transmode_code: str, comment: str | None) -> str:
        """fraudnet's channel for a code: the comment when it names one, else the first mapped."""
        if comment and self.transmode.get(comment) == transmode_code:
            return comment
        for channel, code in self.transmode.items():
            if code == transmode_code:
                return channel
        return "other"

    def violations(self, tree: Any) -> list[str]:
        """Where a report breaks this profile: mandatory fields absent, codes not in lookups."""
        found: list[str] = []
        root = tree.getroot() if hasattr(tree, "getroot") else tree
        for element_name, paths in self.mandatory.items():
            elements = [root] if root.tag == element_name else list(root.iter(element_name))
            for element in elements:
                for path in paths:
                    child = element.find(path)
                    if child is None or (len(child) == 0 and not (child.text or "").strip()):
                        where = element.getroottree().getpath(element)
                        found.append(f"{where}: {path} is mandatory for {self.fiu}")
        allowed = {
            "report_code": self.report_codes,
            "indicator": self.indicator_codes,
            "transmode_code": tuple(set(self.transmode.values())),
            "from_funds_code": tuple(set(self.funds.values())),
            "to_funds_code": tuple(set(self.funds.values())),
        }
        for tag, codes in allowed.items():
            if not codes:
                continue
            for element in root.iter(tag):
                if (element.text or "") not in codes:
                    where = element.getroottree().getpath(element)
                    found.append(f"{where}: {element.text!r} is not a {self.fiu} {tag} code")
        return found


def _known(raw: dict[str, Any], keys: tuple[str, ...], prefix: str) -> None:
    for key in raw:
        if key not in keys:
            close = difflib.get_close_matches(str(key), keys, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ProfileError(
                f"unknown key in goAML profile{hint}; known: {', '.join(keys)}",
                field=f"{prefix}{key}",
            )


def _texts(lookups: dict[str, Any], key: str) -> dict[str, str]:
    value = lookups.get(key) or {}
    if not isinstance(value, dict):
        raise ProfileError("must be a mapping of fraudnet values to codes", field=f"lookups.{key}")
    return {str(k): str(v) for k, v in value.items()}
