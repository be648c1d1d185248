"""The open data shape of a publication, shared by the CSV/JSON downloads and
the read-only API: a published version with its text, or a withdrawal notice
with its reason and date and never the text."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

EXPORT_LIMIT = 10000

CSV_FIELDS = [
    ("id", "标识"),
    ("status", "状态"),
    ("version", "版本"),
    ("kind", "类别"),
    ("agency", "执法主体"),
    ("region_code", "区划代码"),
    ("region", "区划"),
    ("decision_number", "决定书文号"),
    ("decided_on", "决定日期"),
    ("title", "标题"),
    ("party", "当事人"),
    ("penalty_content", "处罚内容"),
    ("fine_amount", "罚款金额（元）"),
    ("published_at", "公开时间"),
    ("period_ends_on", "公示期至"),
    ("withdrawn_at", "撤回时间"),
    ("withdrawal_reason", "撤回理由"),
    ("url", "网址"),
    ("text_sha256", "公开文本SHA-256"),
    ("text", "公开文本"),
]


def permalink(pub, request=None) -> str:
    """The absolute address of a publication's page, shared by all its
    versions: ZHIFA_PUBLIC_URL if set, else the request's own host (a bare
    path only when there is neither)."""
    path = reverse("disclosure:detail", args=[pub.series])
    base = (getattr(settings, "ZHIFA_PUBLIC_URL", "") or "").rstrip("/")
    if not base and request is not None:
        return request.build_absolute_uri(path)
    return base + path


def _common(pub, request=None) -> dict:
    return {
        "id": str(pub.series),
        "version": pub.version,
        "kind": pub.get_kind_display(),
        "agency": pub.agency_name,
        "region_code": pub.region_code,
        "region": pub.region_name,
        "decision_number": pub.decision_number,
        "decided_on": pub.decided_on.isoformat(),
        "title": pub.title,
        "url": permalink(pub, request),
    }


def publication_row(pub, request=None) -> dict:
    return _common(pub, request) | {
        "status": "published",
        "party": pub.party_display,
        "penalty_content": pub.penalty_content,
        "fine_amount": str(pub.fine_amount) if pub.fine_amount is not None else None,
        "published_at": pub.published_at.isoformat() if pub.published_at else None,
        "period_ends_on": pub.period_ends_on.isoformat() if pub.period_ends_on else None,
        "withdrawn_at": None,
        "withdrawal_reason": None,
        "text_sha256": pub.text_sha256,
        "text": pub.text,
        "redactions": [
            {"start": m["start"], "end": m["end"], "kind": m["kind"], "rule": m["rule"]}
            for m in pub.manifest
        ],
    }


def notice_row(pub, request=None) -> dict:
    """A withdrawn publication: what was withdrawn, why and when — no text."""
    return _common(pub, request) | {
        "status": "withdrawn",
        "party": None,
        "penalty_content": None,
        "fine_amount": None,
        "published_at": pub.published_at.isoformat() if pub.published_at else None,
        "period_ends_on": None,
        "withdrawn_at": pub.withdrawn_at.isoformat() if pub.withdrawn_at else None,
        "withdrawal_reason": pub.withdrawal_reason,
        "text_sha256": None,
        "text": None,
        "redactions": [],
    }
