"""The printable certificate card (执法证件卡片): an HTML template made into a PDF.

One A4 page carries the card's front and back at ID-1 size (85.6 × 54 mm,
ISO/IEC 7810) with dashed cutting lines. The back has the QR code: a URL to
the verification page with a token signed by the platform's QR key (see
``zhifa.officers.qr``), so a citizen who scans it sees the certificate's
*current* status. A card printed for a certificate that is not valid on the
day of printing carries a red watermark.

Chinese fonts: the CSS ``font-family`` chain comes from
``settings.ZHIFA_CARD_FONT_FAMILIES`` (a list of family names) or
:data:`DEFAULT_FONT_FAMILIES`; agencies with licensed faces (e.g. 仿宋_GB2312,
方正小标宋) put them first. The free defaults are Debian's fonts-noto-cjk and
fonts-arphic-ukai (docs/stack.md §6).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from zhifa.officers import qr
from zhifa.officers.models import Certificate
from zhifa.officers.public import STATUS_LABELS, public_status

DEFAULT_FONT_FAMILIES: tuple[str, ...] = (
    "Noto Serif CJK SC",
    "Noto Sans CJK SC",
    "AR PL UKai CN",
    "serif",
)
_GENERIC_FAMILIES = frozenset(
    {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "math"}
)
_FAMILY_RE = re.compile(r"[^\"'\\;{}<>\n\r]{1,80}")

CARD_TITLE = "中华人民共和国行政执法证"


def font_family_css(families: Sequence[str] | None = None) -> str:
    """A CSS ``font-family`` value; names that could break out of the rule are refused."""
    if families is None:
        families = getattr(settings, "ZHIFA_CARD_FONT_FAMILIES", None) or DEFAULT_FONT_FAMILIES
    if isinstance(families, str):
        families = families.split(",")
    out = []
    for name in families:
        name = name.strip()
        if not name:
            continue
        if not _FAMILY_RE.fullmatch(name):
            raise ValueError(f"字体名称 {name!r} 含有不允许的字符（引号、分号、括号或换行）。")
        out.append(name if name in _GENERIC_FAMILIES else f'"{name}"')
    if not out or out[-1] not in _GENERIC_FAMILIES:
        out.append("serif")
    return ", ".join(out)


def card_context(
    certificate: Certificate, *, verify_url: str, today: date, font_families=None
) -> dict:
    officer = certificate.officer
    status = public_status(certificate, today)
    if status in ("valid", "not_yet_valid"):
        # A card may be printed before its first day; it is void only once it ends.
        on_post = officer.left_on is None or officer.left_on > today
        void_label = "" if on_post else "持证人已离岗"
    else:
        void_label = STATUS_LABELS[status]
    return {
        "title": CARD_TITLE,
        "font_family": font_family_css(font_families),
        "name": officer.name,
        "agency": certificate.agency.name,
        "unit": officer.unit.name if officer.unit_id else "",
        "number": certificate.number,
        "categories": [c.name for c in certificate.categories.all()],
        "area": certificate.area.full_name,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "qr_data_uri": qr.qr_svg_data_uri(verify_url, scale=4, border=2),
        "verify_url": verify_url,
        "verify_hint_url": verify_url.split("/officers/verify/q/", 1)[0] + "/officers/verify/",
        "void_label": void_label,
        "printed_on": today,
    }


def card_html(certificate: Certificate, *, verify_url: str, today: date, font_families=None) -> str:
    return render_to_string(
        "officers/card.html",
        card_context(certificate, verify_url=verify_url, today=today, font_families=font_families),
    )


def certificate_card_pdf(
    certificate: Certificate,
    *,
    base_url: str,
    today: date | None = None,
    key: qr.QrKey | None = None,
    font_families: Sequence[str] | None = None,
) -> bytes:
    """The card as PDF bytes, with a QR pointing at ``<base_url>/officers/verify/q/<token>``."""
    import weasyprint  # heavy import (pango, harfbuzz): only when a card is printed

    html = card_html(
        certificate,
        verify_url=qr.certificate_verify_url(certificate, base_url, key),
        today=today or timezone.localdate(),
        font_families=font_families,
    )
    return weasyprint.HTML(string=html).write_pdf()
