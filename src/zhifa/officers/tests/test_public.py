"""执法人员公示 and 执法证件核验: public, no login, never personal data beyond the law's list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, include, path, reverse
from stdnum.cn import ric

from zhifa import urls as project_urls
from zhifa.officers import public, qr, services, views_public
from zhifa.officers.models import EmploymentStatus, ExamKind, LeaveReason
from zhifa.orgs.models import EnforcementCategory
from zhifa.orgs.tests.factories import AgencyFactory, UnitFactory, UserFactory

# The routes of the public side (and the card); officers/urls.py is to include the same.
public_patterns = [
    path("officers/", views_public.public_list, name="public_list"),
    path("officers/agency/<uuid:public_id>/", views_public.public_agency, name="public_agency"),
    path("officers/verify/", views_public.verify, name="verify"),
    path("officers/verify/key", views_public.verify_key, name="verify_key"),
    path("officers/verify/q/<str:token>", views_public.verify_qr, name="verify_qr"),
    path(
        "staff/officers/certificates/<uuid:public_id>/card.pdf",
        views_public.certificate_card,
        name="certificate_card",
    ),
]


def _project_serves(patterns) -> bool:
    try:
        for p in patterns:
            args = ["x"] if "token" in str(p.pattern) else []
            if "public_id" in str(p.pattern):
                args = ["00000000-0000-0000-0000-000000000000"]
            reverse(f"officers:{p.name}", args=args, urlconf=project_urls)
    except NoReverseMatch:
        return False
    return True


# Once officers/urls.py serves these routes, test the project's own wiring.
urlpatterns = (
    project_urls.urlpatterns
    if _project_serves(public_patterns)
    else [path("", include((public_patterns, "officers"))), *project_urls.urlpatterns]
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

TODAY = date(2026, 6, 1)
TZ = ZoneInfo("Asia/Shanghai")


def id_number(serial: int) -> str:
    body = f"210521198001{serial % 28 + 1:02d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")  # it ignores the last character


@dataclass
class World:
    actor: object
    agency: object
    category: object
    unit: object
    serial: int = 0

    def officer(self, name, *, auxiliary=False, phone="", post="执法队员"):
        self.serial += 1
        return services.officer_register(
            actor=self.actor,
            agency=self.agency,
            name=name,
            id_number=id_number(self.serial),
            post=post,
            employment_status=EmploymentStatus.ESTABLISHED,
            unit=self.unit,
            phone=phone or f"139{self.serial:08d}",
            is_auxiliary=auxiliary,
        )

    def certify(self, officer, number, *, issued_on=date(2024, 1, 2), expires_on=date(2029, 1, 1)):
        services.exam_record(
            actor=self.actor,
            officer=officer,
            kind=ExamKind.GENERAL,
            taken_on=date(2014, 6, 1),
            passed=True,
        )
        services.exam_record(
            actor=self.actor,
            officer=officer,
            kind=ExamKind.PROFESSIONAL,
            taken_on=date(2014, 6, 2),
            passed=True,
            category=self.category,
        )
        return services.certificate_issue(
            actor=self.actor,
            officer=officer,
            number=number,
            categories=[self.category],
            area=self.agency.region,
            issued_on=issued_on,
            expires_on=expires_on,
        )


def make_world(agency_name="本溪满族自治县市场监督管理局") -> World:
    category, _ = EnforcementCategory.objects.get_or_create(code="market", name="市场监管")
    agency = AgencyFactory(name=agency_name)
    agency.categories.add(category)
    return World(
        actor=UserFactory(is_superuser=True),
        agency=agency,
        category=category,
        unit=UnitFactory(agency=agency, name="综合执法大队"),
    )


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.ZHIFA_QR_KEY_FILE = tmp_path / "officers" / "qr.key"
    cache.clear()
    with time_machine.travel(datetime(2026, 6, 1, 10, 0, tzinfo=TZ), tick=False):
        yield
    cache.clear()


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def roster(world):
    """有效, 暂扣, 注销 (on post), 过期, an auxiliary, and one who left."""
    valid = world.officer("王小明", phone="13900001111")
    world.certify(valid, "BX-0001")
    suspended = world.officer("赵暂扣")
    cert = world.certify(suspended, "BX-0002")
    services.certificate_suspend(
        actor=world.actor, certificate=cert, reason="年审不合格", on_date=date(2026, 3, 1)
    )
    revoked = world.officer("钱注销")
    cert = world.certify(revoked, "BX-0003")
    services.certificate_revoke(
        actor=world.actor, certificate=cert, reason="违法违纪", on_date=date(2026, 3, 1)
    )
    expired = world.officer("孙过期")
    world.certify(expired, "BX-0004", issued_on=date(2016, 1, 1), expires_on=date(2021, 1, 1))
    aux = world.officer("李辅助", auxiliary=True)
    left = world.officer("周离岗")
    world.certify(left, "BX-0005")
    services.officer_leave(
        actor=world.actor,
        officer=left,
        left_on=date(2026, 4, 1),
        reason=LeaveReason.RETIREMENT,
    )
    world.certify(world.officer("吴新证"), "BX-0006", issued_on=date(2026, 5, 1))
    world.officer("郑未持证")  # on post, no certificate: not an enforcement officer
    return {"valid": valid, "aux": aux, "left": left}


def private_strings(world) -> list[str]:
    from zhifa.officers.models import Officer

    out = []
    for o in Officer.objects.filter(agency=world.agency):
        out += [o.id_number, o.phone, o.masked_id_number, o.id_number[-6:], o.phone[-8:]]
    return [s for s in out if s]


# --------------------------------------------------------------------------- 执法人员公示


def test_index_lists_agencies_with_counts_without_login(client, world, roster):
    make_world("桓仁满族自治县交通运输局")
    response = client.get("/officers/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "执法人员公示" in page and "本溪满族自治县市场监督管理局" in page
    assert "桓仁满族自治县交通运输局" in page
    summary = next(
        s for s in public.agency_list_for_public(today=TODAY) if s.agency == world.agency
    )
    # listed: 王 赵 钱 孙 吴 (周 left, 郑 holds none); valid today: 王 吴
    assert (summary.officers, summary.certified, summary.auxiliaries) == (5, 2, 1)
    assert f"/officers/agency/{world.agency.public_id}/" in page


def test_index_search_by_agency_name(client, world):
    make_world("桓仁满族自治县交通运输局")
    page = client.get("/officers/?q=交通").content.decode()
    assert "桓仁满族自治县交通运输局" in page and "市场监督管理局" not in page


def test_agency_page_lists_officers_with_status_and_auxiliaries_without_certificate(
    client, world, roster
):
    page = client.get(f"/officers/agency/{world.agency.public_id}/").content.decode()
    for text in ["王小明", "综合执法大队", "执法队员", "BX-0001", "市场监管", "本溪满族自治县"]:
        assert text in page
    for name, label in [
        ("王小明", "有效"),
        ("赵暂扣", "暂扣"),
        ("钱注销", "注销"),
        ("孙过期", "过期"),
    ]:
        row = page.split(name, 1)[1].split("</tr>", 1)[0]
        assert f">{label}</span>" in row, name
    row = page.split("吴新证", 1)[1].split("</tr>", 1)[0]
    assert ">有效</span>" in row
    aux_row = page.split("李辅助", 1)[1].split("</tr>", 1)[0]
    assert "执法辅助人员（无执法证件）" in aux_row and "综合执法大队" in aux_row
    assert "周离岗" not in page and "BX-0005" not in page
    assert "郑未持证" not in page


def test_public_pages_never_show_id_numbers_or_phones(client, world, roster):
    secrets = private_strings(world)
    assert len(secrets) > 20
    pages = [
        "/officers/",
        f"/officers/agency/{world.agency.public_id}/",
        f"/officers/agency/{world.agency.public_id}/?q=王",
        f"/officers/agency/{world.agency.public_id}/?q=辅助",
        "/officers/verify/?number=BX-0001",
        "/officers/verify/?number=BX-0005",
    ]
    for url in pages:
        page = client.get(url).content.decode()
        for secret in secrets:
            assert secret not in page, (url, secret)
        assert "身份号码" not in page and "联系电话" not in page and "电话：" not in page


def test_public_rows_carry_no_personal_fields(world, roster):
    result = public.officer_roster_for_public(world.agency, today=TODAY)
    fields = set(result.officers[0].__dataclass_fields__) | set(
        result.auxiliaries[0].__dataclass_fields__
    )
    assert not {"id_number", "phone", "masked_id_number", "user"} & fields
    assert {a.name for a in result.auxiliaries} == {"李辅助"}


def test_agency_page_search_by_name_or_certificate_number(client, world, roster):
    url = f"/officers/agency/{world.agency.public_id}/"
    by_name = client.get(url, {"q": "王小"}).content.decode()
    assert "王小明" in by_name and "赵暂扣" not in by_name
    by_number = client.get(url, {"q": "bx-0003"}).content.decode()
    assert "钱注销" in by_number and "王小明" not in by_number
    full_width = client.get(url, {"q": "ＢＸ－０００２"}).content.decode()
    assert "赵暂扣" in full_width
    nothing = client.get(url, {"q": "不存在的人"}).content.decode()
    assert "没有姓名或证件编号包含“不存在的人”的执法人员" in nothing
    assert "李辅助" in client.get(url, {"q": "李"}).content.decode()


def test_unknown_or_malformed_agency_is_404(client, world):
    assert client.get("/officers/agency/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_lists_are_cacheable_and_public(client, world, roster):
    response = client.get("/officers/")
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    agency = client.get(f"/officers/agency/{world.agency.public_id}/")
    assert "public" in agency["Cache-Control"]
    assert client.head("/officers/").status_code == 200  # caches and monitors use HEAD
    assert client.post("/officers/").status_code == 405


def test_pages_work_without_javascript(client, world, roster):
    page = client.get("/officers/verify/").content.decode()
    assert '<form method="get" action="/officers/verify/"' in page
    assert "hx-" not in page and "x-data" not in page


def test_portal_section_links_to_the_public_list(client, world):
    assert 'href="/officers/"' in client.get("/").content.decode()


# --------------------------------------------------------------------------- lookup by number


def test_number_lookup_of_a_valid_certificate(client, world, roster):
    response = client.get("/officers/verify/", {"number": "BX-0001"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "✔ 证件有效" in page
    for text in [
        "王小明",
        "本溪满族自治县市场监督管理局",
        "综合执法大队",
        "市场监管",
        "辽宁省本溪市本溪满族自治县",
    ]:
        assert text in page
    assert "2024年1月2日 至 2029年1月1日" in page
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("number", "verdict"),
    [
        ("BX-0002", "证件无效（暂扣）"),
        ("BX-0003", "证件无效（注销）"),
        ("BX-0004", "证件无效（过期）"),
        ("BX-0005", "证件无效（注销）"),  # left the post: every certificate revoked
    ],
)
def test_number_lookup_of_certificates_not_valid_today(client, world, roster, number, verdict):
    page = client.get("/officers/verify/", {"number": number}).content.decode()
    assert verdict in page and "✔ 证件有效" not in page


def test_number_lookup_is_forgiving_about_case_width_and_spaces(client, world, roster):
    page = client.get("/officers/verify/", {"number": " ｂｘ－0001 "}).content.decode()
    assert "✔ 证件有效" in page and "王小明" in page


def test_number_lookup_of_an_unknown_number(client, world, roster):
    page = client.get("/officers/verify/", {"number": "BX-9999"}).content.decode()
    assert "没有找到这个证件" in page and "BX-9999" in page


def test_lookup_result_for_an_expired_certificate_in_the_selector(world, roster):
    view = public.certificate_lookup("BX-0004", today=TODAY)
    assert view is not None and not view.valid_now and view.status == "expired"
    assert public.certificate_lookup("BX-0001", today=TODAY).valid_now
    assert public.certificate_lookup("nothing", today=TODAY) is None
    assert public.certificate_lookup("", today=TODAY) is None


def test_not_yet_valid_certificate_is_not_valid(world):
    officer = world.officer("冯未来")
    world.certify(officer, "BX-0100", issued_on=date(2026, 5, 1))
    view = public.certificate_lookup("BX-0100", today=date(2026, 4, 1))
    assert not view.valid_now and view.status == "not_yet_valid"


# --------------------------------------------------------------------------- QR


def token_for(number: str) -> str:
    from zhifa.officers.models import Certificate

    cert = Certificate.objects.select_related("officer", "agency").get(number=number)
    return qr.platform_qr_key().sign(qr.claims_for_certificate(cert))


def test_genuine_qr_of_a_valid_certificate(client, world, roster):
    response = client.get(f"/officers/verify/q/{token_for('BX-0001')}")
    page = response.content.decode()
    assert response.status_code == 200
    assert "二维码是本平台签发的" in page and "✔ 证件有效" in page and "王小明" in page
    assert qr.FORGED_WARNING not in page


def test_genuine_qr_of_a_revoked_certificate_says_revoked(client, world, roster):
    token = token_for("BX-0001")  # printed while valid
    from zhifa.officers.models import Certificate

    services.certificate_revoke(
        actor=world.actor,
        certificate=Certificate.objects.get(number="BX-0001"),
        reason="调动",
        on_date=date(2026, 5, 20),
    )
    page = client.get(f"/officers/verify/q/{token}").content.decode()
    assert "二维码是本平台签发的" in page
    assert "证件无效（注销）" in page and "✔ 证件有效" not in page


def test_forged_qr_shows_the_red_warning(client, world, roster):
    from zhifa.officers.models import Certificate

    cert = Certificate.objects.select_related("officer", "agency").get(number="BX-0001")
    forged = qr.QrKey.generate().sign(qr.claims_for_certificate(cert))
    response = client.get(f"/officers/verify/q/{forged}")
    page = response.content.decode()
    assert response.status_code == 200
    assert "二维码不是本平台签发的，可能是伪造的" in page
    assert 'role="alert"' in page and "✔ 证件有效" not in page
    # Nothing from the forged token, and nothing from the database, is shown as fact.
    assert "王小明" not in page


@pytest.mark.parametrize("mutate", ["flip", "truncate", "garbage"])
def test_tampered_qr_is_forged(client, world, roster, mutate):
    token = token_for("BX-0001")
    if mutate == "flip":
        token = token[:40] + ("A" if token[40] != "A" else "B") + token[41:]
    elif mutate == "truncate":
        token = token[:-5]
    else:
        token = "hello-world"
    page = client.get(f"/officers/verify/q/{token}").content.decode()
    assert qr.FORGED_WARNING in page and "✔ 证件有效" not in page


def test_genuine_qr_shows_what_changed_since_printing(client, world, roster):
    token = token_for("BX-0001")
    services.officer_update(actor=world.actor, officer=roster["valid"], name="王晓明")
    page = client.get(f"/officers/verify/q/{token}").content.decode()
    assert "与平台现在的记录不一致" in page and "王晓明" in page


def test_genuine_qr_of_an_unknown_certificate(world):
    key = qr.platform_qr_key()
    token = key.sign(
        qr.QrClaims("NOPE-1", "某某", world.agency.uscc, date(2024, 1, 1), date(2029, 1, 1))
    )
    result = public.qr_verify(token, today=TODAY)
    assert result.genuine and result.certificate is None


def test_qr_key_is_published_on_the_page_and_as_text(client, world):
    vkey = qr.platform_qr_key().public.vkey
    assert vkey in client.get("/officers/verify/").content.decode()
    response = client.get("/officers/verify/key")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert vkey in text and "BEGIN PUBLIC KEY" in text
    # The published key verifies what the platform signs, offline.
    published = qr.QrPublicKey.from_vkey(
        next(ln for ln in text.splitlines() if ln.startswith(qr.QR_KEY_NAME))
    )
    assert published.check(token_for_claims(world)).genuine


def token_for_claims(world) -> str:
    return qr.platform_qr_key().sign(
        qr.QrClaims("X-1", "测试", world.agency.uscc, date(2024, 1, 1), date(2029, 1, 1))
    )


# --------------------------------------------------------------------------- rate limit


@override_settings(ZHIFA_VERIFY_RATE_LIMIT=(3, 600))
def test_number_lookups_are_rate_limited_per_ip(client, world, roster):
    for _ in range(3):
        assert client.get("/officers/verify/", {"number": "BX-0001"}).status_code == 200
    response = client.get("/officers/verify/", {"number": "BX-0002"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "查询过于频繁" in page and "分钟后再试" in page and "赵暂扣" not in page
    assert 0 < int(response["Retry-After"]) <= 600
    # The QR route shares the budget; another address does not.
    assert client.get(f"/officers/verify/q/{token_for('BX-0001')}").status_code == 429
    other = client.get("/officers/verify/", {"number": "BX-0001"}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200
    # The empty form is not a lookup and is never refused.
    assert client.get("/officers/verify/").status_code == 200


@override_settings(ZHIFA_VERIFY_RATE_LIMIT=(2, 600))
def test_rate_limit_resets_after_the_window(client, world, roster):
    for _ in range(2):
        client.get("/officers/verify/", {"number": "BX-0001"})
    assert client.get("/officers/verify/", {"number": "BX-0001"}).status_code == 429
    with time_machine.travel(datetime(2026, 6, 1, 10, 11, tzinfo=TZ), tick=False):
        assert client.get("/officers/verify/", {"number": "BX-0001"}).status_code == 200


def test_default_limit_is_30_in_10_minutes(client, world, roster):
    assert public.verify_rate_limit() == (30, 600)
    for _ in range(30):
        assert client.get("/officers/verify/", {"number": "BX-9999"}).status_code == 200
    assert client.get("/officers/verify/", {"number": "BX-9999"}).status_code == 429


def test_rate_limit_counter():
    decisions = [
        public.rate_limit_hit("198.51.100.1", scope="t", limit=2, window=60, now=120.0)
        for _ in range(3)
    ]
    assert [d.allowed for d in decisions] == [True, True, False]
    assert decisions[-1].retry_after == 60
    assert public.rate_limit_hit("198.51.100.1", scope="t", limit=2, window=60, now=180.0).allowed


def test_client_ip_groups_ipv6_by_64_and_ignores_forwarded_for_unless_trusted(settings):
    rf = RequestFactory()
    assert public.client_ip(rf.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")) == "2001:db8:1:2::/64"
    assert public.client_ip(rf.get("/", REMOTE_ADDR="::ffff:192.0.2.1")) == "192.0.2.1"
    spoofed = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert public.client_ip(spoofed) == "10.0.0.1"
    settings.ZHIFA_TRUSTED_PROXY_COUNT = 1
    proxied = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert public.client_ip(proxied) == "198.51.100.7"
