"""The mutation suite: every way of tampering with the stored log is caught
by the full audit, which names the right entry."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from zhifa.ledger import canonical, checkpoints, services
from zhifa.ledger.audit import audit
from zhifa.ledger.models import Checkpoint, Entry

pytestmark = pytest.mark.django_db


def tamper(sql: str, params=()) -> None:
    """Edit the ledger as a database owner would: switch the append-only
    triggers off, change rows, switch them back on."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("INSERT INTO zhifa_ledger_maintenance (purge_allowed) VALUES (%s)", [True])
        cur.execute(sql, params)
        cur.execute("DELETE FROM zhifa_ledger_maintenance")


@pytest.fixture
def log():
    # Three subjects interleaved, 40 records, a checkpoint at 21 and at the end.
    with transaction.atomic():
        for i in range(20):
            services.record(
                agency=None,
                subject=("case", str(i % 3)),
                actor=None,
                action="evidence.viewed",
                payload={"i": i},
            )
    checkpoints.checkpoint_create()
    with transaction.atomic():
        for i in range(20, 40):
            services.record(
                agency=None,
                subject=("case", str(i % 3)),
                actor=None,
                action="evidence.viewed",
                payload={"i": i},
            )
    checkpoints.checkpoint_create()
    return services.default_log()


def run_audit(log, **kwargs):
    return audit(
        log, log_keys=checkpoints.log_vkeys(log), witness_keys=checkpoints.witness_vkeys(), **kwargs
    )


def test_an_intact_log_passes(log):
    report = run_audit(log)
    assert report.ok, report.problems
    assert (report.entries, report.checkpoints, report.cosignatures) == (42, 2, 2)


def _data_with_payload(seq: int, payload: dict) -> bytes:
    body = canonical.decode(bytes(Entry.objects.get(seq=seq).data))
    body["payload"] = payload
    return canonical.encode(body)


def test_edited_payload_is_named(log):
    tamper("UPDATE ledger_entry SET data = %s WHERE seq = 10", [_data_with_payload(10, {"i": 999})])
    report = run_audit(log)
    assert report.first.seq == 10 and report.first.kind == "content"


def test_edited_payload_and_leaf_hash_is_named(log):
    from zhifa.ledger import merkle

    data = _data_with_payload(17, {"i": 999})
    tamper(
        "UPDATE ledger_entry SET data = %s, leaf_hash = %s WHERE seq = 17",
        [data, merkle.leaf_hash(data)],
    )
    report = run_audit(log)
    # Record 20 (same subject) still holds record 17's original hash.
    assert report.first.seq == 17
    assert any(p.kind == "checkpoint" for p in report.problems)


def test_deleted_entry_is_named(log):
    tamper("DELETE FROM ledger_entry WHERE seq = 12")
    report = run_audit(log)
    assert report.first.seq == 12 and report.first.kind == "gap"


def test_truncated_tail_is_found(log):
    tamper("DELETE FROM ledger_entry WHERE seq >= 40")
    report = run_audit(log)
    assert report.first.seq == 40 and report.first.kind == "truncation"


def test_swapped_entries_are_named(log):
    tamper("UPDATE ledger_entry SET seq = 1000000 WHERE seq = 5")
    tamper("UPDATE ledger_entry SET seq = 5 WHERE seq = 9")
    tamper("UPDATE ledger_entry SET seq = 9 WHERE seq = 1000000")
    report = run_audit(log)
    assert report.first.seq == 5


def test_forged_checkpoint_signature_is_found(log):
    cp = Checkpoint.objects.order_by("tree_size").first()
    forged = cp.note.replace(cp.note.splitlines()[-1][-10:], "AAAAAAAAA=")
    tamper("UPDATE ledger_checkpoint SET note = %s WHERE id = %s", [forged, cp.pk])
    report = run_audit(log)
    assert any(p.kind == "signature" for p in report.problems)


def test_checkpoint_signed_by_another_key_is_found(log):
    report = audit(
        log, log_keys=["someone.else+01020304+AU7yDjurvIFsr43prnCL97ahYNjfagwvozvLRr0+mi8r"]
    )
    assert not report.ok


def test_open_maintenance_switch_is_reported(log):
    with connection.cursor() as cur:
        cur.execute("INSERT INTO zhifa_ledger_maintenance (purge_allowed) VALUES (%s)", [True])
    assert run_audit(log).first.kind == "config"


def test_cli_names_the_first_bad_entry(log, capsys):
    call_command("ledger", "verify")
    tamper("UPDATE ledger_entry SET data = %s WHERE seq = 3", [_data_with_payload(3, {})])
    with pytest.raises(CommandError, match="第 3 号记录"):
        call_command("ledger", "verify")


def test_swapped_evidence_file_is_named(log, tmp_path, settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from zhifa.demo.samples import scene_photo_png
    from zhifa.ledger.evidence import evidence_store

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "blobs")},
        },
    }
    from zhifa.orgs.tests.factories import AgencyFactory

    blob = evidence_store(
        agency=AgencyFactory(),
        subject=("case", "0"),
        actor=None,
        file=ContentFile(scene_photo_png(seed=1), name="a.png"),
    )
    assert run_audit(log, blobs=True).ok
    path = default_storage.path(blob.storage_name)
    with open(path, "wb") as fh:
        fh.write(scene_photo_png(seed=2))
    report = run_audit(log, blobs=True)
    assert report.first.seq == blob.entry.seq and report.first.kind == "blob"
