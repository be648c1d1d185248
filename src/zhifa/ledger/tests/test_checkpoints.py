"""Signed checkpoints, cosignatures and receipts."""

import pytest

from zhifa.ledger import checkpoints, note, receipt, selectors, services
from zhifa.ledger.models import Checkpoint, Cosignature, WitnessState
from zhifa.ledger.tests.factories import record_n

pytestmark = pytest.mark.django_db


def test_checkpoint_is_signed_cosigned_and_only_made_when_the_tree_grew():
    record_n(5)
    result = checkpoints.checkpoint_create()
    assert result.created and result.cosigned_by == ["zhifa.local/witness"]
    log = services.default_log()
    cp = result.checkpoint
    parsed = note.parse_checkpoint(note.parse_note(cp.note).text)
    assert (parsed.origin, parsed.size) == (log.origin, log.state.tree_size)
    assert parsed.root == selectors.root_at(log, parsed.size)
    keys = [note.parse_vkey(k) for k in checkpoints.log_vkeys(log) + checkpoints.witness_vkeys()]
    verified = note.verify_signatures(note.parse_note(checkpoints.signed_note(cp)), keys)
    assert len(verified) == 2
    assert checkpoints.checkpoint_create() is None
    record_n(1)
    assert checkpoints.checkpoint_create().checkpoint.tree_size == cp.tree_size + 1
    assert WitnessState.objects.get().tree_size == cp.tree_size + 1


def test_the_log_key_is_recorded_in_the_log():
    record_n(1)
    checkpoints.checkpoint_create()
    log = services.default_log()
    assert checkpoints.log_signer(log).vkey in checkpoints.log_vkeys(log)
    assert log.entries.filter(action="ledger.key_registered").count() == 1


def test_witness_refuses_a_rewritten_history():
    record_n(4)
    checkpoints.checkpoint_create()
    log = services.default_log()
    # The witness remembers a different root at an earlier size: as if the
    # operator had rewritten what the witness once cosigned.
    WitnessState.objects.filter().update(root_hash=b"\x00" * 32)
    record_n(2)
    result = checkpoints.checkpoint_create()
    assert result.cosigned_by == [] and "拒绝联署" in result.witness_errors[0]
    assert not Cosignature.objects.filter(checkpoint=result.checkpoint).exists()
    assert Checkpoint.objects.filter(log=log).count() == 2


def test_receipt_of_a_record_verifies_offline():
    entry = record_n(7)[3]
    data = checkpoints.receipt_for(entry)
    log = services.default_log()
    report = receipt.check_receipt(
        data, checkpoints.log_vkeys(log), checkpoints.witness_vkeys(), required_cosignatures=1
    )
    assert report.ok, report.reason
    assert report.index == entry.seq
    assert any("联署" in line for line in report.lines)
