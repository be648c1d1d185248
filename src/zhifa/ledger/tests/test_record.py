"""ledger.record: the spine every service writes through."""

import pytest
from django.db import DatabaseError, transaction

from zhifa import ledger
from zhifa.ledger import canonical, merkle, selectors, services
from zhifa.ledger.models import Entry, LogState, Node
from zhifa.ledger.tests.factories import record_n
from zhifa.orgs.models import Unit
from zhifa.orgs.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused():
    with pytest.raises(services.LedgerError, match="必须在业务事务中调用"):
        services.record(agency=None, subject=("x", "1"), actor=None, action="evidence.viewed")


def test_unregistered_action_is_refused():
    with transaction.atomic(), pytest.raises(services.LedgerError, match="未登记的事件类型"):
        services.record(agency=None, subject=("x", "1"), actor=None, action="case.made_up")


def test_the_log_starts_with_its_parameters_as_entry_zero():
    entry = record_n(1)[0]
    first = Entry.objects.get(seq=0)
    assert first.action == "ledger.log_created"
    assert canonical.decode(first.data)["payload"]["hash_alg"] == "sha256"
    assert entry.seq == 1


def test_sequence_numbers_are_gap_free_and_leaves_canonical():
    record_n(10)
    seqs = list(Entry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(11))
    for entry in Entry.objects.all():
        assert canonical.is_canonical(bytes(entry.data))
        assert bytes(entry.leaf_hash) == merkle.leaf_hash(bytes(entry.data))


def test_a_failing_action_leaves_no_record():
    agency = AgencyFactory()
    before = Entry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        unit = Unit.objects.create(agency=agency, name="临时股")
        ledger.record(agency=agency, subject=unit, actor=None, action="evidence.viewed")
        raise RuntimeError("the service failed after recording")
    assert Entry.objects.count() == before
    assert not Unit.objects.filter(name="临时股").exists()


def test_a_record_that_cannot_be_written_stops_the_action():
    agency = AgencyFactory()
    with pytest.raises(services.LedgerError), transaction.atomic():
        Unit.objects.create(agency=agency, name="另一个股")
        ledger.record(
            agency=agency,
            subject=("x", "1"),
            actor=None,
            action="evidence.viewed",
            payload={"amount": 1.5},
        )
    assert not Unit.objects.filter(name="另一个股").exists()


def test_entries_chain_per_subject():
    a1, b1, a2 = [
        record_n(1, subject=subject)[0] for subject in [("case", "A"), ("case", "B"), ("case", "A")]
    ]
    assert canonical.decode(a2.data)["prev"] == bytes(a1.leaf_hash).hex()
    assert canonical.decode(b1.data)["prev"] is None


def test_state_and_stored_nodes_match_the_tree():
    record_n(37)
    leaves = [bytes(e.data) for e in Entry.objects.order_by("seq")]
    log = services.default_log()
    state = LogState.objects.get(log=log)
    assert state.tree_size == 38
    assert merkle.CompactRange("sha256", 38, state.peaks()).root() == merkle.root_hash(leaves)
    assert selectors.root_at(log, 38) == merkle.root_hash(leaves)
    assert selectors.root_at(log, 20) == merkle.root_hash(leaves[:20])
    # Amortised O(1): 2n - popcount(n) nodes in all, leaves kept in Entry.
    assert Node.objects.count() == 38 - bin(38).count("1")


def test_proofs_from_stored_nodes_verify():
    record_n(25)
    log = services.default_log()
    leaves = [bytes(e.data) for e in Entry.objects.order_by("seq")]
    root = merkle.root_hash(leaves)
    for seq in (0, 7, 25):
        proof = selectors.inclusion_proof(log, seq, 26)
        assert proof == merkle.inclusion_proof(leaves, seq)
        assert merkle.verify_inclusion(merkle.leaf_hash(leaves[seq]), seq, 26, proof, root)
    old_root = merkle.root_hash(leaves[:9])
    proof = selectors.consistency_proof(log, 9, 26)
    assert merkle.verify_consistency(9, 26, old_root, root, proof)


def test_proof_beyond_the_tree_is_refused_in_chinese():
    record_n(3)
    log = services.default_log()
    with pytest.raises(services.LedgerError, match="超出范围"):
        selectors.inclusion_proof(log, 1, 99)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_entry SET action = 'x'",
        "DELETE FROM ledger_entry",
        "UPDATE ledger_node SET hash = hash",
    ],
)
def test_database_refuses_updates_and_deletes(sql):
    record_n(3)
    with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute(sql)
    assert Entry.objects.count() == 4
