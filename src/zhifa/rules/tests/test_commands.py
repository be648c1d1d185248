"""`zhifa rules` and `zhifa deadline`, and the admin for regional overrides."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhifa.rules.models import RuleOverride
from zhifa.rules.registry import all_rules

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as excinfo:
        run(*args)
    # run_from_argv exits with this status: the shell sees a failure.
    assert excinfo.value.returncode != 0
    return excinfo.value


# zhifa deadline
def test_deadline_prints_the_date_alone_on_the_first_line():
    out = run("deadline", "penalty.serve_decision", "2026-09-30")
    lines = out.splitlines()
    assert lines[0] == "2026-10-15"
    assert "第六十一条" in out


def test_deadline_prints_the_outer_limit_for_calendar_periods():
    lines = run("deadline", "penalty.pay", "2025-09-20").splitlines()
    assert lines[0] == "2025-10-05"
    assert lines[1] == "法定届满日（遇节假日顺延，民事诉讼法 第八十五条）：2025-10-09"


def test_deadline_json():
    data = json.loads(run("deadline", "coercion.seizure", "2026-01-20", "--json"))
    assert data["rule"] == "coercion.seizure"
    assert data["start"] == "2026-01-20"
    assert data["due"] == "2026-02-19"
    assert data["outer_limit"] == "2026-02-24"
    assert data["unit"] == "calendar_days"
    assert "行政强制法" in data["citation"] and "ACL-07" in data["citation"]


def test_deadline_json_for_working_days_has_no_outer_limit():
    data = json.loads(run("deadline", "disclosure.penalty", "2025-09-26", "--json"))
    assert data["due"] == "2025-10-13"
    assert data["outer_limit"] is None


def test_deadline_with_region_override():
    RuleOverride.objects.create(
        rule_id="review.legal_review_days",
        region_code="210000",
        value=Decimal(10),
        basis="某省法制审核办法 第九条",
    )
    out = run("deadline", "review.legal_review_days", "2025-09-26", "--region", "210521")
    assert out.splitlines()[0] == "2025-10-16"
    assert "某省法制审核办法 第九条" in out


def test_unknown_rule_is_refused():
    error = refused("deadline", "penalty.serve", "2026-09-30")
    assert "没有编号为“penalty.serve”" in str(error)
    assert "penalty.serve_decision" in str(error)


@pytest.mark.parametrize(
    "text", ["2026-02-30", "2026/09/30", "20260930", "30.09.2026", "2026-9-30"]
)
def test_malformed_or_impossible_date_is_refused(text):
    assert "起算日" in str(refused("deadline", "penalty.pay", text))


def test_threshold_rule_is_refused():
    assert "不是期限" in str(refused("deadline", "penalty.summary_fine_citizen", "2026-09-30"))


def test_unknown_year_is_refused():
    message = str(refused("deadline", "penalty.serve_decision", "2026-12-28"))
    assert "2027年的工作日历尚未录入" in message


def test_unconfigured_regional_value_is_refused():
    message = str(
        refused("deadline", "penalty.statement_period", "2026-09-30", "--region", "210521")
    )
    assert "没有全国统一的数值" in message


def test_bad_region_code_is_refused():
    assert "区划代码" in str(
        refused("deadline", "penalty.statement_period", "2026-09-30", "--region", "21")
    )


# zhifa rules
def test_rules_table_lists_every_rule_with_chinese_units():
    out = run("rules")
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["编号", "数值", "单位", "依据"]
    assert len(lines) == 1 + len(all_rules())
    serve = next(line for line in lines if line.startswith("penalty.serve_decision "))
    assert "7" in serve and "工作日" in serve and "第六十一条" in serve and "APL-26" in serve
    pay = next(line for line in lines if line.startswith("penalty.pay "))
    assert " 日 " in pay
    large = next(line for line in lines if line.startswith("penalty.hearing_large_fine_citizen "))
    assert "由地方规定（未配置）" in large and "元" in large
    ratio = next(line for line in lines if line.startswith("penalty.surcharge_daily_rate "))
    assert "0.03" in ratio and "比例" in ratio


def test_rules_json():
    data = json.loads(run("rules", "--json"))
    by_id = {row["id"]: row for row in data}
    assert by_id["penalty.decide"]["value"] == "90"
    assert by_id["penalty.decide"]["unit"] == "calendar_days"
    assert by_id["penalty.decide"]["outer_limit"] is True
    assert by_id["penalty.hearing_large_fine_citizen"]["value"] is None


def test_rules_for_a_region_show_its_overrides():
    RuleOverride.objects.create(
        rule_id="penalty.hearing_large_fine_citizen",
        region_code="210000",
        value=Decimal(5000),
        basis="某省规定 第三条",
    )
    data = {row["id"]: row for row in json.loads(run("rules", "--json", "--region", "210521"))}
    assert data["penalty.hearing_large_fine_citizen"]["value"] == "5000"
    assert data["penalty.hearing_large_fine_organisation"]["value"] is None
    assert data["penalty.pay"]["value"] == "15"


# Admin
def test_admin_form_offers_only_overridable_rules(admin_client):
    body = admin_client.get("/admin/rules/ruleoverride/add/").content.decode()
    assert "penalty.hearing_large_fine_citizen" in body
    assert "由地方规定（未配置）" in body
    assert 'value="penalty.serve_decision"' not in body


def test_admin_saves_an_override(admin_client):
    response = admin_client.post(
        "/admin/rules/ruleoverride/add/",
        {
            "rule_id": "penalty.hearing_large_fine_citizen",
            "region_code": "210000",
            "value": "5000",
            "basis": "某省行政处罚听证程序规定 第三条",
            "effective_from": "",
        },
    )
    assert response.status_code == 302
    assert RuleOverride.objects.get().value == Decimal(5000)
    changelist = admin_client.get("/admin/rules/ruleoverride/").content.decode()
    assert "较大数额罚款" in changelist


def test_admin_errors_are_chinese(admin_client):
    response = admin_client.post(
        "/admin/rules/ruleoverride/add/",
        {
            "rule_id": "penalty.serve_decision",
            "region_code": "2100",
            "value": "0",
            "basis": "",
            "effective_from": "",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "不是可由地方设定的规则" in body
    assert "请填写设定该数值的地方规定及条款" in body
    assert not RuleOverride.objects.exists()


# One real process, to see the exit status a shell sees. A malformed date is
# refused before the database is touched, so no migrated database is needed.
def test_deadline_exits_non_zero_in_a_real_process(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "ZHIFA_DATA_DIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "zhifa", "deadline", "penalty.pay", "2026-02-30"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode != 0
    assert "不是有效的日期" in proc.stderr
    assert proc.stdout == ""
