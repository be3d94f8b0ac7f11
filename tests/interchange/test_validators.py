"""The validators catch broken files: each test breaks one thing a receiving tool would reject."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fraudnet.interchange import ExportOptions, export_format, export_network
from tests.interchange.conftest import NetworkStore

NO_AUDIT = ExportOptions(audit=False)


@pytest.fixture(scope="module")
def exports(
    network_store: NetworkStore, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    from fraudnet.engine import open_engine

    folder = tmp_path_factory.mktemp("exports")
    with open_engine(network_store.path, "duckdb") as eng:
        return {
            fmt: export_network(
                eng, network_store.network_id, fmt, folder / f"n.{fmt}", NO_AUDIT
            ).path
            for fmt in ("ftm", "misp", "stix", "anx")
        }


def _copy(path: Path, tmp_path: Path) -> Path:
    target = tmp_path / path.name
    shutil.copy(path, target)
    return target


def test_ftm_payment_without_payer_is_rejected(exports: dict[str, Path], tmp_path: Path) -> None:
    path = _copy(exports["ftm"], tmp_path)
    lines = path.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if '"schema": "Payment"' in line)
    payment = json.loads(lines[index])
    del payment["properties"]["payer"]
    lines[index] = json.dumps(payment)
    path.write_text("\n".join(lines) + "\n")
    problems = export_format("ftm").validate(path)
    assert problems and "payer" in problems[0] and f"line {index + 1}" in problems[0]


def test_ftm_dangling_reference_is_rejected(exports: dict[str, Path], tmp_path: Path) -> None:
    path = _copy(exports["ftm"], tmp_path)
    lines = [ln for ln in path.read_text().splitlines() if '"schema": "BankAccount"' not in ln]
    path.write_text("\n".join(lines) + "\n")
    assert any("missing entity" in p for p in export_format("ftm").validate(path))


def test_ftm_file_loads_in_the_ftm_tools(exports: dict[str, Path], tmp_path: Path) -> None:
    """`ftm validate` re-parses every entity; `ftm export-gexf` builds the graph from it."""
    ftm = Path(sys.executable).with_name("ftm")
    checked = tmp_path / "checked.json"
    subprocess.run([ftm, "validate", "-i", exports["ftm"], "-o", checked], check=True)
    assert len(checked.read_text().splitlines()) == len(exports["ftm"].read_text().splitlines())
    gexf = tmp_path / "network.gexf"
    subprocess.run([ftm, "export-gexf", "-i", exports["ftm"], "-o", gexf], check=True)
    text = gexf.read_text()
    assert text.count("<node ") > 20 and text.count("<edge ") > 20


def test_misp_unknown_relation_and_missing_required_are_rejected(
    exports: dict[str, Path], tmp_path: Path
) -> None:
    path = _copy(exports["misp"], tmp_path)
    event = json.loads(path.read_text())
    account = next(o for o in event["Object"] if o["name"] == "bank-account")
    account["Attribute"] = [a for a in account["Attribute"] if a["object_relation"] != "account"]
    account["Attribute"][0]["object_relation"] = "holder-shoe-size"
    path.write_text(json.dumps(event))
    problems = export_format("misp").validate(path)
    assert any("holder-shoe-size" in p for p in problems)
    assert any("needs one of account, iban" in p for p in problems)


def test_misp_objects_follow_their_templates(exports: dict[str, Path]) -> None:
    from fraudnet.interchange.misp import load_event, template

    event = load_event(exports["misp"])
    names = {o.name for o in event.objects}
    assert {"bank-account", "person", "phone-number", "transaction"} <= names
    for obj in event.objects:
        assert obj.template_uuid == template(obj.name)["uuid"]
    transaction = event.get_objects_by_name("transaction")[0]
    assert {r.relationship_type for r in transaction.references} <= {"from", "to"}


def test_stix_missing_required_property_is_rejected(
    exports: dict[str, Path], tmp_path: Path
) -> None:
    path = _copy(exports["stix"], tmp_path)
    bundle = json.loads(path.read_text())
    rel = next(o for o in bundle["objects"] if o["type"] == "relationship")
    del rel["source_ref"]
    path.write_text(json.dumps(bundle))
    assert any("source_ref" in p for p in export_format("stix").validate(path))


def test_stix_bundle_carries_its_extension_definitions(exports: dict[str, Path]) -> None:
    from fraudnet.interchange.stix import BANK_ACCOUNT_EXTENSION, PAYMENT_EXTENSION, observable_id

    objects = json.loads(exports["stix"].read_text())["objects"]
    definitions = {o["id"]: o for o in objects if o["type"] == "extension-definition"}
    assert definitions[BANK_ACCOUNT_EXTENSION]["extension_types"] == ["new-sco"]
    assert definitions[PAYMENT_EXTENSION]["extension_types"] == ["property-extension"]
    account = next(o for o in objects if o["type"] == "bank-account")
    assert account["id"] == observable_id(account["account_number"])  # uuid5: recomputable


def test_anx_dangling_link_end_is_rejected(exports: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "broken.anx"
    text = exports["anx"].read_bytes().decode("utf-16")
    assert 'End1Id="' in text
    path.write_bytes(text.replace('End1Id="', 'End1Id="999', 1).encode("utf-16"))
    assert any("link end" in p for p in export_format("anx").validate(path))


def test_anx_types_entities_by_role(exports: dict[str, Path]) -> None:
    from fraudnet.interchange.anx import parse_chart

    root = parse_chart(exports["anx"])
    types = {e.get("Name") for e in root.iter("EntityType")}
    assert {"Herder", "Victim", "Mule account (tier 1)", "Collector account"} <= types
    payment_links = [
        item
        for item in root.iter("ChartItem")
        if item.find(".//LinkStyle[@Type='Payment']") is not None
    ]
    assert payment_links and all(item.get("DateSet") == "true" for item in payment_links)


def test_anx_billion_laughs_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.anx"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE Chart [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Chart>&b;</Chart>'
    )
    problems = export_format("anx").validate(path)
    assert problems and "not a readable ANX chart" in problems[0]
