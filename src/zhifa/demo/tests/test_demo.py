import pytest
from django.core.management import call_command

from zhifa.cases.models import Case
from zhifa.ledger.models import Entry
from zhifa.orgs.models import Agency, Role, RoleAssignment, User

pytestmark = pytest.mark.django_db


def test_demo_loads_one_login_per_role_and_is_safe_to_run_twice(capsys):
    def counts():
        return (
            Agency.objects.count(),
            User.objects.count(),
            RoleAssignment.objects.count(),
            Case.objects.count(),
            Entry.objects.count(),
        )

    call_command("demo", no_serve=True)
    first = counts()
    call_command("demo", no_serve=True)
    assert counts() == first
    out = capsys.readouterr().out
    for role in Role:
        assert role.label in out
    assert {"工业和信息化局", "人力资源和社会保障局", "市场监督管理局", "住房和城乡建设局"} <= {
        name.removeprefix("本溪满族自治县")
        for name in Agency.objects.values_list("name", flat=True)
    }
    assert Agency.objects.filter(is_justice_bureau=True, region__code="210521").exists()


def test_demo_login_works(client):
    call_command("demo", no_serve=True)
    response = client.post("/staff/login/", {"username": "sunli", "password": "zhifa-demo-2026"})
    assert response.status_code == 302
    assert "司法局监督人员" in client.get("/staff/").content.decode()
