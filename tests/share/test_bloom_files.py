"""Fuzzy person matching by files: `fraudnet share encode` writes no plaintext personal data,
`fraudnet share match` links the same people across two stores, and mismatched or damaged
files are refused with a clear reason."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from typer.testing import CliRunner

from fraudnet.cli.main import app
from fraudnet.engine import open_engine
from fraudnet.errors import FraudnetError
from fraudnet.resolve.febrl import load_febrl4
from fraudnet.share.bloom_files import Encodings, encode_store, match_encodings, pair_secret
from fraudnet.share.bloom_profiles import party_records
from fraudnet.share.keys import OrgKeys
from fraudnet.store import open_store
from tests.share.conftest import OUTSIDER, RECIPIENT, SENDER, SplitWorld, make_keys
from tests.share.leaks import leaks

runner = CliRunner()
PEOPLE = 300


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, OrgKeys]:
    return make_keys(tmp_path_factory.mktemp("keys"), SENDER, RECIPIENT, OUTSIDER)


def _cli(*args: str) -> str:
    result = runner.invoke(app, ["share", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def febrl_stores(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, set[tuple[str, str]]]:
    """Two stores holding FEBRL4's first 300 people of file A and their corrupted copies."""
    parties, pairs = load_febrl4()
    folder = tmp_path_factory.mktemp("febrl")
    wanted = {(a, b) for a, b in pairs if int(a.split("-")[1]) < PEOPLE}
    paths = []
    for org, side in ((SENDER, 0), (RECIPIENT, 1)):
        ids = pa.array(sorted({p[side] for p in wanted}))
        rows = parties.filter(pc.is_in(parties.column("party_id"), ids))
        path = folder / f"{org}.duckdb"
        with open_engine(path) as engine:
            engine.append("parties", rows)
        paths.append(path)
    return paths[0], paths[1], wanted


def test_encodings_file_holds_no_personal_data(
    split_world: SplitWorld, keys: dict[str, OrgKeys], tmp_path: Path
) -> None:
    out = tmp_path / "people.json"
    store = split_world.store(SENDER)
    _cli(
        "encode",
        str(store),
        "--keys",
        str(keys[SENDER].folder),
        "--partner",
        RECIPIENT,
        "--out",
        str(out),
    )
    data = out.read_bytes()
    with open_store(store) as eng:
        people = eng.table("parties").filter(
            pc.equal(eng.table("parties").column("kind"), "person")
        )
    record = json.loads(data)
    assert len(record["records"]) == people.num_rows > 50
    assert leaks(data, split_world.world) == []
    # the scan itself can fail: the plaintext the filters were made from is found by it
    plaintext = json.dumps(list(party_records(people))).encode()
    assert any(hit.startswith("name:") for hit in leaks(plaintext, split_world.world))
    assert any(hit.startswith("dob:") for hit in leaks(plaintext, split_world.world))


def test_match_links_the_same_people_across_two_stores(
    febrl_stores: tuple[Path, Path, set[tuple[str, str]]],
    keys: dict[str, OrgKeys],
    tmp_path: Path,
) -> None:
    store_a, store_b, truth = febrl_stores
    files = {}
    for org, store in ((SENDER, store_a), (RECIPIENT, store_b)):
        files[org] = tmp_path / f"{org}.json"
        partner = SENDER if org == RECIPIENT else RECIPIENT
        _cli(
            "encode",
            str(store),
            "--keys",
            str(keys[org].folder),
            "--partner",
            partner,
            "--out",
            str(files[org]),
        )
    out = tmp_path / "matches.csv"
    output = _cli("match", str(files[SENDER]), str(files[RECIPIENT]), "--out", str(out))
    assert "matched pairs" in output
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    found = {(r[f"{SENDER}_party_id"], r[f"{RECIPIENT}_party_id"]) for r in rows}
    correct = len(found & truth)
    assert correct / len(found) >= 0.97 and correct / len(truth) >= 0.9
    assert all(0.8 <= float(r["dice"]) <= 1.0 for r in rows)
    # the recipient may match the sender's file against its store directly: same pairs
    direct = tmp_path / "direct.csv"
    _cli(
        "match",
        str(files[SENDER]),
        str(store_b),
        "--keys",
        str(keys[RECIPIENT].folder),
        "--out",
        str(direct),
    )
    with direct.open() as handle:
        again = {
            (r[f"{SENDER}_party_id"], r[f"{RECIPIENT}_party_id"]) for r in csv.DictReader(handle)
        }
    assert again == found


def test_both_sides_derive_one_secret_and_outsiders_another(keys: dict[str, OrgKeys]) -> None:
    shared = pair_secret(keys[SENDER], RECIPIENT)
    assert shared == pair_secret(keys[RECIPIENT], SENDER)
    assert shared != pair_secret(keys[SENDER], OUTSIDER)


def test_encodings_for_another_partner_or_profile_are_refused(
    febrl_stores: tuple[Path, Path, set[tuple[str, str]]], keys: dict[str, OrgKeys]
) -> None:
    store_a, store_b, _ = febrl_stores
    with open_engine(store_a) as ea, open_engine(store_b) as eb:
        ours = encode_store(ea, keys[SENDER], RECIPIENT)
        for_outsider = encode_store(eb, keys[RECIPIENT], OUTSIDER)
        other_profile = encode_store(eb, keys[RECIPIENT], SENDER, "unhardened")
    with pytest.raises(FraudnetError, match="only a pair made for each other"):
        match_encodings(ours, for_outsider)
    with pytest.raises(FraudnetError, match="different profiles"):
        match_encodings(ours, other_profile)
    with open_engine(store_a) as ea, pytest.raises(FraudnetError, match="import its public keys"):
        encode_store(ea, keys[SENDER], "unknown-bank")


def test_damaged_files_are_refused_naming_the_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.json"
    junk.write_text('{"format": "fraudnet-bloom-encodings/1", "records": [{"filter": "!"}]}')
    with pytest.raises(FraudnetError, match="damaged encodings file") as err:
        Encodings.read(junk)
    assert "junk.json" in str(err.value)
    result = runner.invoke(app, ["share", "match", str(junk), str(junk), "--out", "x.csv"])
    assert result.exit_code == 2 and "junk.json" in result.output
