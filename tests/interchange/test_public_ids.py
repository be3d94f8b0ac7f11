"""STIX and FtM ids are recomputable from values: shared packages never carry them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fraudnet.engine import open_engine
from fraudnet.interchange import ExportOptions, export_network
from fraudnet.interchange.ftm import entity_id
from fraudnet.interchange.public_ids import PublicIdInPackage, public_ids, refuse_public_ids
from fraudnet.interchange.stix import observable_id
from fraudnet.share import package as package_module
from fraudnet.share.package import PackageRequest, build_package
from tests.interchange.conftest import NetworkStore
from tests.share.conftest import RECIPIENT, SENDER, make_keys

TOKEN = "ab" * 32  # a keyed token: 64 hex digits


def test_guard_finds_stix_and_ftm_ids_but_not_tokens_or_raw_values() -> None:
    stix = observable_id("GB-600063-59499979")
    ftm = entity_id("bankaccount", "GB-600063-59499979")
    assert public_ids({"items": [{"subject_token": TOKEN, "note": "nothing"}]}) == []
    assert public_ids({"items": [{"subject_token": ftm}]}) == [ftm]
    assert public_ids({"items": [{"evidence": {"ref": f"see {stix}"}}]}) == [stix]
    assert public_ids({"items": [{"raw": ftm}]}) == []  # a raw value is the value itself
    with pytest.raises(PublicIdInPackage, match="unkeyed hashes"):
        refuse_public_ids({"items": [{"subject_token": stix}]})


def test_ids_are_recomputable_by_anyone_from_the_value() -> None:
    """Why they are no pseudonyms: same value, same id, with no key involved."""
    assert observable_id("GB-1-2") == observable_id("GB-1-2") != observable_id("GB-1-3")
    assert entity_id("bankaccount", "GB-1-2") == entity_id("bankaccount", "GB-1-2")


def _package(store: NetworkStore, keys_dir: Path) -> bytes:
    keys = make_keys(keys_dir, SENDER, RECIPIENT)
    with open_engine(store.path, "duckdb") as eng:
        request = PackageRequest(network_id=store.network_id, recipient=RECIPIENT)
        return build_package(eng, keys[SENDER], request)


def test_a_network_package_carries_none_of_the_exports_ids(
    network_store: NetworkStore, tmp_path: Path
) -> None:
    ids: set[str] = set()
    with open_engine(network_store.path, "duckdb") as eng:
        for fmt in ("ftm", "stix"):
            out = tmp_path / f"n.{fmt}"
            export_network(eng, network_store.network_id, fmt, out, ExportOptions(audit=False))
            text = out.read_text()
            lines = text.splitlines() if fmt == "ftm" else []
            ids |= {json.loads(line)["id"] for line in lines}
            if fmt == "stix":
                ids |= {o["id"] for o in json.loads(text)["objects"]}
    assert len(ids) > 100
    package = _package(network_store, tmp_path / "keys").decode()
    assert "subject_token" in package
    assert [i for i in ids if i in package] == []


def test_a_token_function_that_emits_ftm_ids_is_refused(
    network_store: NetworkStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(package_module, "token", lambda key, kind, value: entity_id(kind, value))
    with pytest.raises(PublicIdInPackage):
        _package(network_store, tmp_path / "keys")
