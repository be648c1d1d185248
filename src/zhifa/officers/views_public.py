"""执法人员公示, 执法证件核验 (public, no login, no JavaScript) and the staff card PDF.

The lists are cacheable (``Cache-Control: public``); verification answers are
never cached, because "valid right now" must be read now. Lookups (by number
or by QR) are rate-limited per client address against enumeration.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_safe
from django.views.decorators.vary import vary_on_cookie

from zhifa.core.access import public, staff
from zhifa.officers import card, qr
from zhifa.officers import public as selectors
from zhifa.officers.models import Certificate
from zhifa.orgs.models import Agency

LIST_MAX_AGE = 300  # seconds; a roster changes rarely, and status is re-read on verification
MAX_QUERY = 50


def _query(request, name: str = "q") -> str:
    return request.GET.get(name, "").strip()[:MAX_QUERY]


def _rate_limited(request, decision) -> HttpResponse:
    response = render(
        request,
        "officers/public_rate_limited.html",
        {"retry_minutes": max(1, -(-decision.retry_after // 60))},
        status=429,
    )
    response["Retry-After"] = str(decision.retry_after)
    return response


def _key_context() -> dict:
    key = qr.platform_qr_key().public
    return {"qr_vkey": key.vkey, "qr_pem": key.pem}


@public
@require_safe
@vary_on_cookie  # the large-text cookie changes the page
@cache_control(public=True, max_age=LIST_MAX_AGE)
def public_list(request):
    query = _query(request)
    today = timezone.localdate()
    return render(
        request,
        "officers/public_list.html",
        {
            "rows": selectors.agency_list_for_public(today=today, query=query),
            "q": query,
            "today": today,
        },
    )


@public
@require_safe
@vary_on_cookie
@cache_control(public=True, max_age=LIST_MAX_AGE)
def public_agency(request, public_id):
    try:
        agency = selectors.agency_get_for_public(public_id=public_id)
    except (Agency.DoesNotExist, ValidationError):
        raise Http404("执法主体不存在") from None
    query = _query(request)
    today = timezone.localdate()
    roster = selectors.officer_roster_for_public(agency, today=today, query=query)
    return render(
        request,
        "officers/public_agency.html",
        {"agency": agency, "roster": roster, "q": query, "today": today},
    )


@public
@require_safe
@never_cache
def verify(request):
    """Enter a certificate number (GET, so it works without JavaScript and from a bookmark)."""
    raw = _query(request, "number")
    number = selectors.normalize_certificate_number(raw)
    context = {"number": raw, "searched": bool(number), **_key_context()}
    if number:
        decision = selectors.verify_lookup_allowed(request)
        if not decision.allowed:
            return _rate_limited(request, decision)
        context["result"] = selectors.certificate_lookup(number, today=timezone.localdate())
    return render(request, "officers/public_verify.html", context)


@public
@require_safe
@never_cache
def verify_qr(request, token):
    """A scanned QR code: is it ours, and what is the certificate's status now."""
    decision = selectors.verify_lookup_allowed(request)
    if not decision.allowed:
        return _rate_limited(request, decision)
    check = selectors.qr_verify(token, today=timezone.localdate())
    return render(
        request,
        "officers/public_verify.html",
        {"qr": check, "forged_warning": qr.FORGED_WARNING, **_key_context()},
    )


@public
@require_safe
@cache_control(public=True, max_age=3600)
def verify_key(request):
    """The QR public key as text, for offline checks (format in zhifa.officers.qr)."""
    key = qr.platform_qr_key().public
    text = "\n".join(
        [
            "# 执法证件二维码签名公钥（Ed25519）",
            "# 令牌格式见 zhifa/officers/qr.py；离线核验：",
            "#   python -m zhifa.officers.qr '<二维码网址>' --key '<下一行的公钥>'",
            key.vkey,
            "",
            "# 同一公钥的 PEM 格式（SubjectPublicKeyInfo）：",
            key.pem.rstrip("\n"),
            "",
        ]
    )
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@staff()
@require_GET
def certificate_card(request, public_id):
    """The printable card (PDF) of a certificate the user may see; 404 otherwise."""
    try:
        cert = (
            Certificate.objects.visible_to(request.user)
            .select_related("officer", "officer__unit", "agency", "area")
            .prefetch_related("categories")
            .get(public_id=public_id)
        )
    except (Certificate.DoesNotExist, ValidationError):
        raise Http404("执法证件不存在") from None
    base_url = getattr(settings, "ZHIFA_PUBLIC_URL", "") or request.build_absolute_uri("/")
    pdf = card.certificate_card_pdf(cert, base_url=base_url, today=timezone.localdate())
    response = HttpResponse(pdf, content_type="application/pdf")
    safe_number = "".join(c for c in cert.number if c.isascii() and (c.isalnum() or c in "-_"))
    response["Content-Disposition"] = f'inline; filename="certificate-{safe_number or "card"}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
