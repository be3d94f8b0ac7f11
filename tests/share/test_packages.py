"""Packages leak nothing by default, and a bad package is refused every time."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fraudnet.errors import FraudnetError
from fraudnet.share.contents import package_kinds
from fraudnet.share.envelope import canonical_json
from fraudnet.share.grading import Grading
from fraudnet.share.keys import OrgKeys, import_partner, public_bundle
from fraudnet.share.package import PackageRequest, build_package
from fraudnet.share.receive import receive_package, verified_payload
from fraudnet.store import open_store
from tests.share.conftest import OUTSIDER, RECIPIENT, SENDER, SplitWorld, make_keys
from tests.share.leaks import leaks


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, OrgKeys]:
    return make_keys(tmp_path_factory.mktemp("keys"), SENDER, RECIPIENT, OUTSIDER)


def _package(split_world: SplitWorld, keys: dict[str, OrgKeys], **request: object) -> bytes:
    options: dict[str, object] = {"network_id": split_world.network_ids[0], "recipient": RECIPIENT}
    options.update(request)
    with open_store(split_world.store(SENDER)) as eng:
        return build_package(eng, keys[SENDER], PackageRequest(**options))  # type: ignore[arg-type]


def test_no_personal_data_in_any_package_by_default(
    split_world: SplitWorld, keys: dict[str, OrgKeys]
) -> None:
    assert set(package_kinds()) == {"network", "freeze"}
    sizes = {}
    for network_id in split_world.network_ids:
        for kind in package_kinds():
            data = _package(split_world, keys, network_id=network_id, kind=kind)
            items = json.loads(data)["payload"]["items"]
            sizes[(network_id, kind)] = len(items)
            assert leaks(data, split_world.world) == [], (network_id, kind)
    assert sum(n for (_, kind), n in sizes.items() if kind == "network") > 20
    assert sum(n for (_, kind), n in sizes.items() if kind == "freeze") >= 1


def test_the_scan_finds_raw_values_when_they_are_allowed(
    split_world: SplitWorld, keys: dict[str, OrgKeys], tmp_path: Path
) -> None:
    """The leak scan can fail: raw values (handling P, entitled partner) are found by it."""
    bundle = tmp_path / "r.pub.json"
    bundle.write_text(public_bundle(keys[RECIPIENT]))
    import_partner(keys[SENDER], bundle, entitled=True)
    try:
        raw = _package(split_world, keys, grading=Grading(handling_code="P"), include_personal=True)
    finally:
        import_partner(keys[SENDER], bundle, entitled=False)
    assert any(hit.startswith("account:") for hit in leaks(raw, split_world.world))


def test_personal_data_needs_handling_p_and_an_entitled_recipient(
    split_world: SplitWorld, keys: dict[str, OrgKeys]
) -> None:
    with pytest.raises(FraudnetError, match="handling code P"):
        _package(split_world, keys, include_personal=True)
    with pytest.raises(FraudnetError, match="not entitled"):
        _package(split_world, keys, include_personal=True, grading=Grading(handling_code="P"))


def _resign(envelope: dict[str, object], keys: OrgKeys) -> bytes:
    envelope["signature"] = base64.b64encode(
        keys.signing.sign(canonical_json(envelope["payload"]))
    ).decode()
    return canonical_json(envelope)


def test_tampered_expired_misaddressed_and_forged_packages_are_refused(
    split_world: SplitWorld, keys: dict[str, OrgKeys]
) -> None:
    data = _package(split_world, keys)
    receiver = keys[RECIPIENT]
    assert verified_payload(data, receiver)["recipient"] == RECIPIENT
    envelope = json.loads(data)
    cases: dict[str, tuple[bytes, datetime | None, OrgKeys]] = {}
    for path, value in (("amount", "999999.00"), ("claim", "herder"), ("subject_token", "0" * 64)):
        tampered = json.loads(data)
        tampered["payload"]["items"][-1][path] = value
        cases[f"tampered {path}"] = (canonical_json(tampered), None, receiver)
    flipped = bytearray(data)
    flipped[data.index(b'"signature":"') + 20] ^= 1
    cases["signature byte"] = (bytes(flipped), None, receiver)
    expires = datetime.fromisoformat(envelope["payload"]["expires_at"])
    cases["expired"] = (data, expires + timedelta(seconds=1), receiver)
    cases["misaddressed"] = (data, None, keys[OUTSIDER])
    forged = json.loads(data)
    cases["signed by another partner"] = (_resign(forged, keys[OUTSIDER]), None, receiver)
    readdressed = json.loads(data)
    readdressed["payload"]["recipient"] = OUTSIDER
    cases["readdressed"] = (canonical_json(readdressed), None, keys[OUTSIDER])
    cases["not json"] = (b"\x00garbage", None, receiver)
    malformed: tuple[tuple[str, object], ...] = (
        ("claim", {"x": 1}),
        ("amount", 1.5),
        ("amount", "1e30"),
        ("amount", "0.001"),
        ("evidence", [1]),
    )
    for field, odd_value in malformed:
        odd = json.loads(data)
        odd["payload"]["items"][0][field] = odd_value
        cases[f"malformed {field} {odd_value!r}"] = (_resign(odd, keys[SENDER]), None, receiver)
    for name, (body, now, who) in cases.items():
        with pytest.raises(FraudnetError, match=r"^refused: ") as err:
            verified_payload(body, who, now)
        assert "\n" not in str(err.value), name


def test_received_intel_lands_apart_once(
    split_world: SplitWorld, keys: dict[str, OrgKeys], tmp_path: Path
) -> None:
    package = tmp_path / "p.json"
    package.write_bytes(_package(split_world, keys))
    with open_store(split_world.store(RECIPIENT)) as eng:
        before = {t: eng.count(t) for t in ("accounts", "parties", "labels", "identifiers")}
        first = receive_package(eng, package, keys[RECIPIENT])
        again = receive_package(eng, package, keys[RECIPIENT])
        rows = eng.sql(
            f"SELECT * FROM shared_intel WHERE package_id = '{first.package_id}'"
        ).to_pylist()
        assert {t: eng.count(t) for t in before} == before
        own = set(eng.table("accounts")["account_id"].to_pylist())
        counterparties = set(eng.table("counterparty_accounts")["account_id"].to_pylist())
    assert first.claims == len(rows) > 0 and not first.duplicate
    assert again.duplicate and again.claims == 0
    assert {r["sender"] for r in rows} == {SENDER}
    assert {r["handling_code"] for r in rows} == {"C"}
    matched = {r["subject_account"] for r in rows if r["subject_account"]}
    assert matched and matched <= own | counterparties
    assert first.matched == sum(1 for r in rows if r["subject_account"])
    assert all(
        datetime.fromisoformat(str(r["expires_at"])) > datetime.now(UTC).replace(tzinfo=None)
        for r in rows
    )


def test_no_personal_data_in_psi_messages(
    split_world: SplitWorld, keys: dict[str, OrgKeys]
) -> None:
    """PSI requests and responses carry blinded values only, for every kind of identifier."""
    from fraudnet.share.psi_sets import query_values
    from fraudnet.share.psi_store import QueryCap, respond, send_request

    sent = 0
    with (
        open_store(split_world.store(SENDER)) as ea,
        open_store(split_world.store(RECIPIENT)) as eb,
    ):
        for set_name, kind in (
            ("counterparty-accounts", "account"),
            ("phones", "phone"),
            ("emails", "email"),
        ):
            asked = query_values(ea, set_name, None, kind)
            held = query_values(eb, None, None, kind)
            assert asked and held, set_name
            request = send_request(ea, keys[SENDER], RECIPIENT, kind, asked, "intersection")
            answer = respond(eb, keys[RECIPIENT], request, "req", SENDER, held, QueryCap(), True)
            for message in (request, answer):
                assert leaks(message, split_world.world) == [], set_name
            sent += len(asked)
    assert sent > 100
