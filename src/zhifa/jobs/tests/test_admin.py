"""Job runs in the admin: the system administrator reads them; nobody edits."""

from __future__ import annotations

import pytest
from django.utils import timezone

from zhifa.jobs.models import JobRun
from zhifa.orgs import services
from zhifa.orgs.tests.factories import AgencyFactory, Role, UserFactory, grant, region_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs():
    now = timezone.now()
    JobRun.objects.create(
        job="disclosure.expire", period="2026-07-15", started_at=now, finished_at=now, ok=True
    )
    return JobRun.objects.create(
        job="ledger.checkpoint", period="2026-07-15T10:00:00+0800", started_at=now
    )


def test_system_administrator_sees_job_runs_and_unfinished_ones(client, runs):
    admin = UserFactory()
    services.role_assign(
        actor=services.SYSTEM, user=admin, role=Role.ADMIN, region=region_tree()[2]
    )
    client.force_login(admin)

    page = client.get("/admin/jobs/jobrun/").content.decode()

    assert "公示期届满停止公示" in page and "签署检查点" in page
    assert "未完成（运行中或进程已中断）" in page
    assert client.get(f"/admin/jobs/jobrun/{runs.pk}/change/").status_code == 200
    assert client.get("/admin/jobs/jobrun/add/").status_code == 403
    assert client.post(f"/admin/jobs/jobrun/{runs.pk}/delete/").status_code == 403


def test_superuser_sees_job_runs(client, runs):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/jobs/jobrun/").status_code == 200


def test_other_staff_do_not_see_job_runs(client, runs):
    head = UserFactory(is_staff=True)
    grant(head, Role.AGENCY_HEAD, agency=AgencyFactory())
    client.force_login(head)

    assert client.get("/admin/jobs/jobrun/").status_code == 403
    assert "后台任务" not in client.get("/admin/").content.decode()
