"""goAML export: the report validates against fraudnet's schema and the FIU profile."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from fraudnet.engine import Engine
from fraudnet.interchange.goaml import (
    SCHEMA_PATH,
    GoamlError,
    build_goaml,
    export_goaml,
    goaml_schema,
    validate_goaml,
)
from fraudnet.interchange.goaml_profile import EXAMPLE_PROFILE, GoamlProfile, ProfileError
from fraudnet.interchange.xml_safe import parse_xml
from tests.interchange.world import build_world

WHEN = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)
REAL_NAMES = [
    "O'Brien",
    "Zoë",
    "Nguyễn",
    "Smith-Jones",
    "Jean-Luc",
    "D’Arcy",
    "Øyvind",
    "Müller",
    "Łukasz",
    "José María",
    "St. John",
    "Ng",
    "Ó Súilleabháin",
    "Ἀλέξανδρος",
    "Владимир",
    "محمد",
    "李",
]


def _person_doc(first: str) -> str:
    return f"<first_name>{first}</first_name>"


def test_network_report_validates_and_carries_the_payments(duck_store: Engine) -> None:
    build_world(duck_store)
    report = build_goaml(duck_store, network_id="NW-1", submitted_at=WHEN)
    tree = parse_xml(report.xml)
    assert goaml_schema().is_valid(tree)
    assert validate_goaml(tree, GoamlProfile.from_yaml()) == []
    numbers = [e.text for e in tree.iter("transactionnumber")]
    assert numbers == ["T1", "T2", "T3"]  # T4 cash (not between members), T5 EUR, T6 outside
    assert report.left_out == {"not in GBP (the store holds no exchange rate)": 1}
    assert tree.findtext("submission_date") == "2026-04-01T12:00:00"
    amounts = [e.text for e in tree.iter("amount_local")]
    assert amounts == ["950.00", "900.50", "880.25"]
    names = {e.text for e in tree.iter("last_name")}
    assert {"O'Brien", "Nguyễn", "Smith-Jones"} <= names
    assert tree.findtext(".//to_account/t_entity/name") == "Acme Trading (UK) Ltd & Co"


def test_account_report_holds_its_payments_only(duck_store: Engine, tmp_path: Path) -> None:
    build_world(duck_store)
    out = tmp_path / "str.xml"
    report = export_goaml(
        duck_store, out, account_id="GB-654321-87654321", reason="Business receiving mule funds"
    )
    tree = parse_xml(out)
    assert [e.text for e in tree.iter("transactionnumber")] == ["T3", "T6"]
    assert report.transactions == 2
    assert tree.findtext("reason") == "Business receiving mule funds"
    unknown = tree.find(".//to_account[account='GB-999999-11111111']")
    assert unknown is not None and unknown.findtext("institution_code") == "UNKNOWN"


def test_nothing_to_report_is_a_clear_error(duck_store: Engine) -> None:
    build_world(duck_store)
    with pytest.raises(GoamlError, match="nothing to report for account nobody"):
        build_goaml(duck_store, account_id="nobody")
    with pytest.raises(GoamlError, match="no accounts in network 'NW-X'"):
        build_goaml(duck_store, network_id="NW-X")
    with pytest.raises(GoamlError, match="exactly one"):
        build_goaml(duck_store)


@pytest.mark.parametrize("name", REAL_NAMES)
def test_real_names_pass_the_name_pattern(name: str) -> None:
    person = goaml_schema().types["person_name"]
    assert person.is_valid(name), name


def test_names_with_control_characters_or_symbols_fail() -> None:
    person = goaml_schema().types["person_name"]
    for bad in ["", "Jane\u0007", "<script>", "Robert'); DROP", "x" * 101]:
        assert not person.is_valid(bad), bad


def test_the_anchored_pattern_pitfall_is_real_under_w3c_rules() -> None:
    """Why the schema has no ^...$: in XSD they are literal characters, so Jane fails."""
    anchored = xmlschema.XMLSchema(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="first_name">'
        '<xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="^[a-zA-Z0-9 .\'-]*$"/>'
        "</xs:restriction></xs:simpleType></xs:element></xs:schema>"
    )
    assert not anchored.is_valid(_person_doc("Jane"))
    assert anchored.is_valid(_person_doc("^Jane$"))
    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}
    patterns = parse_xml(SCHEMA_PATH).getroot().findall(".//xs:pattern", ns)
    assert patterns and not [p for p in patterns if p.get("value").startswith("^")]


def test_schema_rejects_a_report_missing_its_from_side(duck_store: Engine) -> None:
    build_world(duck_store)
    tree = parse_xml(build_goaml(duck_store, network_id="NW-1").xml)
    first = tree.find("transaction")
    first.remove(first.find("t_from"))
    errors = validate_goaml(tree)
    assert errors and "/report/transaction[1]" in errors[0]


def test_profile_mandatory_fields_and_lookups_are_enforced(duck_store: Engine) -> None:
    build_world(duck_store)
    profile = GoamlProfile.from_yaml()
    tree = parse_xml(build_goaml(duck_store, network_id="NW-1").xml)
    root = tree.getroot()
    root.remove(root.find("reason"))
    tree.find(".//transmode_code").text = "TELEPORT"
    errors = validate_goaml(tree, profile)
    assert any(e == "/report: reason is mandatory for Example FIU" for e in errors)
    assert any("'TELEPORT' is not a Example FIU transmode_code code" in e for e in errors)


def test_profile_errors_name_the_key(tmp_path: Path) -> None:
    raw = EXAMPLE_PROFILE.read_text().replace("lookups:", "lookup:")
    path = tmp_path / "fiu.yaml"
    path.write_text(raw)
    with pytest.raises(ProfileError) as err:
        GoamlProfile.from_yaml(path)
    assert str(path) in str(err.value) and "lookup" in str(err.value)
    assert "did you mean 'lookups'" in str(err.value)
    path.write_text(EXAMPLE_PROFILE.read_text().replace("report_code: STR", "report_code: XYZ"))
    with pytest.raises(ProfileError, match=r"'XYZ' is not in lookups\.report_code"):
        GoamlProfile.from_yaml(path)


def test_output_is_utf8_with_declaration(duck_store: Engine) -> None:
    build_world(duck_store)
    xml = build_goaml(duck_store, network_id="NW-1").xml
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert "Zoë".encode() in xml
    assert etree.fromstring(xml).tag == "report"


PROFILE_502 = Path(__file__).parent / "goaml-502-style.yaml"


def test_a_502_style_profile_writes_ascii_names_and_its_own_codes(duck_store: Engine) -> None:
    build_world(duck_store)
    profile = GoamlProfile.from_yaml(PROFILE_502)
    tree = parse_xml(build_goaml(duck_store, network_id="NW-1", profile=profile).xml)
    assert validate_goaml(tree, profile) == []
    first = {e.text for e in tree.iter("first_name")}
    last = {e.text for e in tree.iter("last_name")}
    assert {"Siobhan", "Zoe", "Jean-Luc"} <= first and {"Nguyen", "O'Brien"} <= last
    assert {e.text for e in tree.iter("transmode_comment")} == {"-"}
    assert {e.text for e in tree.iter("transmode_code")} == {"ELCFT", "SWIFT"}
    assert tree.findtext("report_indicators/indicator") == "FNACC"


@pytest.mark.skipif(
    not os.environ.get("FRAUDNET_GOAML_502_XSD"),
    reason="set FRAUDNET_GOAML_502_XSD to a national goAML 5.0.2 schema (not shipped)",
)
def test_output_passes_a_national_502_schema(duck_store: Engine) -> None:
    """E.g. the UAE FIU's 5.0.2 schema with its name patterns unanchored (Vyttah/goAML)."""
    build_world(duck_store)
    schema = xmlschema.XMLSchema11(os.environ["FRAUDNET_GOAML_502_XSD"], defuse="always")
    profile = GoamlProfile.from_yaml(PROFILE_502)
    xml = build_goaml(duck_store, network_id="NW-1", profile=profile).xml
    errors = [f"{e.path}: {e.reason}" for e in schema.iter_errors(parse_xml(xml))]
    assert errors == []
