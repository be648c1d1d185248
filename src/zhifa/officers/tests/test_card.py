"""The printable certificate card: a PDF with Chinese text and a signed QR, for staff in scope."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.core.cache import cache

from zhifa.officers import card, qr, services
from zhifa.officers.models import Certificate
from zhifa.officers.tests.test_public import make_world
from zhifa.orgs.tests.factories import Role, UserFactory, grant

pytestmark = [pytest.mark.django_db, pytest.mark.urls("zhifa.officers.tests.test_public")]


@pytest.fixture(autouse=True)
def _qr_key(settings, tmp_path):
    settings.ZHIFA_QR_KEY_FILE = tmp_path / "officers" / "qr.key"
    cache.clear()


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def cert(world) -> Certificate:
    c = world.certify(
        world.officer("王小明"),
        "BX-2026-0001",
        issued_on=date.today(),
        expires_on=date.today() + timedelta(days=1800),
    )
    return Certificate.objects.select_related("officer", "agency", "area").get(pk=c.pk)


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "card.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout


def test_card_pdf_is_produced_with_the_holders_name_and_number(cert, tmp_path):
    pdf = card.certificate_card_pdf(cert, base_url="https://zhifa.example.cn")
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = pdf_text(pdf, tmp_path)
    for expected in [
        "中华人民共和国行政执法证",
        "王小明",
        "BX-2026-0001",
        "市场监管",
        "本溪满族自治县市场监督管理局",
    ]:
        assert expected in text.replace(" ", ""), expected


def test_card_qr_points_at_the_verify_url_with_a_genuine_token(cert):
    html_context = card.card_context(
        cert,
        verify_url=qr.verify_url(
            qr.platform_qr_key().sign(qr.claims_for_certificate(cert)), "https://zhifa.example.cn"
        ),
        today=date.today(),
    )
    url = html_context["verify_url"]
    assert url.startswith("https://zhifa.example.cn/officers/verify/q/")
    check = qr.verify_token(qr.token_from_text(url), [qr.platform_qr_key().public])
    assert check.genuine and check.claims.number == "BX-2026-0001"
    assert check.claims.holder_name == "王小明"
    assert html_context["qr_data_uri"].startswith("data:image/svg+xml")
    assert html_context["void_label"] == ""


def test_card_html_uses_the_configured_font_chain(cert, settings):
    settings.ZHIFA_CARD_FONT_FAMILIES = ["FangSong_GB2312", "Noto Serif CJK SC"]
    html = card.card_html(cert, verify_url="https://h/officers/verify/q/x", today=date.today())
    assert 'font-family: "FangSong_GB2312", "Noto Serif CJK SC", serif;' in html
    assert "王小明" in html and "BX-2026-0001" in html


def test_font_family_css_default_and_refusals():
    assert card.font_family_css(None) == (
        '"Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN", serif'
    )
    assert card.font_family_css("Foo, sans-serif") == '"Foo", sans-serif'
    for bad in ['Evil"; } body { x', "a;b", "x{y}"]:
        with pytest.raises(ValueError):
            card.font_family_css([bad])


def test_card_of_a_revoked_certificate_is_marked_void(world, cert):
    services.certificate_revoke(
        actor=world.actor, certificate=cert, reason="调动", on_date=date.today()
    )
    cert.refresh_from_db()
    html = card.card_html(cert, verify_url="https://h/officers/verify/q/x", today=date.today())
    assert "注销 · 作废" in html


def test_staff_in_scope_download_the_card(client, cert):
    user = UserFactory()
    grant(user, Role.AGENCY_HEAD, agency=cert.agency)
    client.force_login(user)
    response = client.get(f"/staff/officers/certificates/{cert.public_id}/card.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    assert 'filename="certificate-BX-2026-0001.pdf"' in response["Content-Disposition"]


def test_staff_of_another_agency_get_404(client, cert):
    outsider = UserFactory()
    grant(outsider, Role.AGENCY_HEAD, agency=make_world("桓仁满族自治县市场监督管理局").agency)
    client.force_login(outsider)
    assert client.get(f"/staff/officers/certificates/{cert.public_id}/card.pdf").status_code == 404
    missing = "/staff/officers/certificates/00000000-0000-0000-0000-000000000000/card.pdf"
    assert client.get(missing).status_code == 404


def test_anonymous_is_sent_to_login(client, cert):
    response = client.get(f"/staff/officers/certificates/{cert.public_id}/card.pdf")
    assert response.status_code == 302 and "login" in response["Location"]
