"""Public proofs, the 记录核验 page, and staff receipts."""

import base64
import json

import pytest

from zhifa.ledger import checkpoints, merkle, note, services
from zhifa.ledger.tests.factories import record_n
from zhifa.orgs.tests.factories import AgencyFactory, Role, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_log():
    agency = AgencyFactory(name="本溪满族自治县市场监督管理局")
    entries = record_n(6, agency=agency, subject=("case", "2026-001"))
    checkpoints.checkpoint_create()
    return agency, entries


def test_latest_checkpoint_and_keys_are_public(client, agency_log):
    response = client.get("/ledger/checkpoint")
    assert response.status_code == 200 and response["Cache-Control"] == "no-cache"
    signed = note.parse_note(response.content.decode())
    keys = [
        note.parse_vkey(line)
        for line in client.get("/ledger/keys").content.decode().splitlines()
        if line and not line.startswith("#")
    ]
    assert len(note.verify_signatures(signed, keys)) == 2


def test_inclusion_proof_verifies_against_the_published_checkpoint(client, agency_log):
    _, entries = agency_log
    seq = entries[2].seq
    data = client.get(f"/ledger/proof/inclusion?index={seq}").json()
    cp = note.parse_checkpoint(note.parse_note(data["checkpoint"]).text)
    proof = [base64.b64decode(h) for h in data["hashes"]]
    leaf = base64.b64decode(data["leaf_hash"])
    assert merkle.verify_inclusion(leaf, seq, cp.size, proof, cp.root)


def test_proof_for_an_unsigned_size_is_refused_in_chinese(client, agency_log):
    response = client.get("/ledger/proof/inclusion?index=1&size=3")
    assert response.status_code == 400 and "没有对应的签名检查点" in response.json()["error"]
    response = client.get("/ledger/proof/inclusion?index=abc")
    assert "非负整数" in response.json()["error"]


def test_consistency_proof_between_checkpoints(client, agency_log):
    old = services.default_log().state.tree_size
    old_root = note.parse_checkpoint(
        note.parse_note(client.get("/ledger/checkpoint").content.decode()).text
    ).root
    record_n(5)
    checkpoints.checkpoint_create()
    data = client.get(f"/ledger/proof/consistency?from={old}").json()
    new = note.parse_checkpoint(note.parse_note(data["checkpoint"]).text)
    proof = [base64.b64decode(h) for h in data["hashes"]]
    assert merkle.verify_consistency(old, new.size, old_root, new.root, proof)


def test_staff_receipt_is_scoped_and_verifies_on_the_public_page(client, agency_log):
    agency, entries = agency_log
    seq = entries[0].seq
    outsider = UserFactory()
    grant(outsider, Role.OFFICER, agency=AgencyFactory())
    client.force_login(outsider)
    assert client.get(f"/staff/ledger/entries/{seq}/receipt.json").status_code == 404
    officer = UserFactory()
    grant(officer, Role.OFFICER, agency=agency)
    client.force_login(officer)
    receipt_text = client.get(f"/staff/ledger/entries/{seq}/receipt.json").content.decode()
    assert json.loads(receipt_text)["index"] == seq
    client.logout()
    page = client.post("/verify/", {"receipt": receipt_text}).content.decode()
    assert "回执有效" in page and f"序号 {seq}" in page


def test_tampered_receipt_fails_on_the_public_page(client, agency_log):
    _, entries = agency_log
    receipt = checkpoints.receipt_for(entries[1])
    entry = json.loads(base64.b64decode(receipt["entry"]))
    entry["payload"] = {"i": 42}
    receipt["entry"] = base64.b64encode(
        json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    ).decode()
    page = client.post("/verify/", {"receipt": json.dumps(receipt)}).content.decode()
    assert "回执未通过核验" in page


def test_verify_page_explains_empty_and_garbage_input(client, agency_log):
    assert "请粘贴回执内容" in client.post("/verify/", {"receipt": " "}).content.decode()
    page = client.post("/verify/", {"receipt": "not json"}).content.decode()
    assert "回执未通过核验" in page


def test_portal_links_to_the_verify_page(client):
    assert 'href="/verify/"' in client.get("/").content.decode()
