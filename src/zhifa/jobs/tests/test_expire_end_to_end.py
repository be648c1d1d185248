"""Issue #8 item 5: at the end of the publication period the publication
leaves public view by itself, and the removal is recorded and signed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhifa.cases.tests import factories as f
from zhifa.disclosure.models import Publication, PublicationStatus
from zhifa.disclosure.tests.factories import PERSON, decided, publish
from zhifa.jobs.models import JobRun
from zhifa.ledger import selectors as ledger_selectors
from zhifa.ledger.models import Entry
from zhifa.ledger.services import default_log


# checkpoint_create opens durable transactions: real commits, as in production.
@pytest.mark.django_db(transaction=True)
def test_worker_once_removes_an_expired_publication_and_records_it(
    time_machine, django_capture_on_commit_callbacks, capsys
):
    f.freeze(time_machine)
    w = f.world()
    _, pub = decided(w, django_capture_on_commit_callbacks, party=PERSON)
    pub = publish(w, pub)
    assert Publication.objects.public().filter(pk=pub.pk).exists()
    Publication.objects.filter(pk=pub.pk).update(
        period_ends_on=timezone.localdate() - timedelta(days=1)
    )

    call_command("worker", "--once")

    pub.refresh_from_db()
    assert pub.status == PublicationStatus.EXPIRED and pub.text == ""
    assert not Publication.objects.public().filter(pk=pub.pk).exists()
    removal = Entry.objects.get(action="disclosure.expired")
    runs = {run.job: run for run in JobRun.objects.all()}
    assert runs["disclosure.expire"].ok and runs["disclosure.expire"].period == "2026-07-15"
    assert runs["disclosure.expire"].detail == "处理 1 项"
    # Checkpoints run last, so the removal is already under a signed tree head.
    assert runs["ledger.checkpoint"].ok
    assert ledger_selectors.latest_checkpoint(default_log()).tree_size > removal.seq
    assert "公示期届满停止公示" in capsys.readouterr().out
