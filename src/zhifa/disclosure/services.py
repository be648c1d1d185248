"""Every change of a publication's state: one function per use case, each in
one transaction with its ledger record (architecture.md, "The spine").

Rules: rules.md §1.1 (GB118-04..09), §13 (PUB-01..13), §15.1 items 15–16.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhifa.cases import publicity
from zhifa.disclosure import masking, search
from zhifa.disclosure.models import (
    OPEN_STATUSES,
    ErrorReport,
    ExemptReason,
    PartyReply,
    Publication,
    PublicationKind,
    PublicationStatus,
)
from zhifa.disclosure.periods import period_rule_for
from zhifa.disclosure.selectors import correction_reply_period
from zhifa.disclosure.source import decision_text, known_people, primary_party, sha256
from zhifa.ledger import services as ledger
from zhifa.ledger.services import personal_ref
from zhifa.orgs.models import Role
from zhifa.orgs.services import SYSTEM
from zhifa.rules.services import RuleNotConfigured, deadline
from zhifa.workdays.calendar import CalendarNotAvailable

S = PublicationStatus

# Who does what (rules.md §15.1 item 15: a person confirms before publishing).
EDIT_ROLES = frozenset({Role.OFFICER, Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.LEGAL_REVIEWER})
CONFIRM_ROLES = frozenset({Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.LEGAL_REVIEWER})
PUBLISH_ROLES = frozenset({Role.UNIT_HEAD, Role.AGENCY_HEAD})
HEAD_ROLES = frozenset({Role.AGENCY_HEAD})
ANSWER_ROLES = frozenset({Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.LEGAL_REVIEWER})

DUE_RULES = {
    PublicationKind.PENALTY: "disclosure.penalty",  # GB118-05: 7 working days
    PublicationKind.LICENSE: "disclosure.license",  # GB118-05: 7 working days
    PublicationKind.OTHER: "disclosure.other",  # GB118-04: 20 working days
}
WITHDRAW_RULE = "penalty.withdraw_publication"  # APL-14, PUB-06: 3 working days
# Status U (rules.md §0.1): 118号 and PUB-09 require only "及时更正"; 20 working
# days by analogy to 政府信息公开条例 第三十三条 (OGI-04), overridable per region.
REPLY_RULE = "disclosure.correction_reply"

# PUB-07: no early removal after these penalties.
NO_EARLY_REMOVAL = frozenset(
    {
        "suspend_business",
        "restrict_business",
        "lower_qualification",
        "revoke_permit",
        "suspend_permit",
        "restrict_practice",
        "close",
    }
)

G118 = "国办发〔2018〕118号 二、（六）"
PUB_RULE = "市场监督管理行政处罚信息公示规定"
MAX_REASON = 1000
MAX_REPORT = 2000
MAX_REPLY = 500


class DisclosureError(Exception):
    """Refused; nothing was changed. The message is Chinese and says why."""

    def __init__(self, message: str, *, citation: str = "", field: str = "") -> None:
        self.message = message
        self.citation = citation
        self.field = field
        super().__init__(f"{message}（{citation}）" if citation else message)


class NotAllowed(DisclosureError):
    """The actor does not hold a role that may do this for this agency."""


def user_roles(user, agency) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    if getattr(user, "is_superuser", False):
        return set(Role.values)
    return set(
        user.role_assignments.filter(active=True, agency=agency).values_list("role", flat=True)
    )


def _require(actor, publication: Publication, roles: frozenset[str], what: str) -> None:
    if actor is SYSTEM:
        return
    if not user_roles(actor, publication.agency) & roles:
        wanted = "、".join(Role(r).label for r in sorted(roles))
        raise NotAllowed(f"只有{publication.agency_name}的{wanted}可以{what}。")


def _status(publication: Publication, allowed, what: str) -> None:
    if publication.status not in allowed:
        raise DisclosureError(
            f"该公开信息当前状态为“{publication.get_status_display()}”，不能{what}。"
        )


def _reason(text: str, what: str, *, field: str = "reason") -> str:
    text = (text or "").strip()
    if not text:
        raise DisclosureError(f"{what}必须说明理由。", field=field)
    if len(text) > MAX_REASON:
        raise DisclosureError(f"{what}的理由不能超过 {MAX_REASON} 字。", field=field)
    return text


def _due(rule_id: str, start: date, region_code: str) -> tuple[date | None, str]:
    """A statutory due date, or None with the reason when it cannot be computed."""
    try:
        return deadline(rule_id, start, region_code=region_code).due, ""
    except CalendarNotAvailable as exc:
        return None, str(exc)[:300]
    except RuleNotConfigured as exc:
        return None, str(exc)[:300]


def _record(publication: Publication, actor, action: str, payload: dict) -> None:
    ledger.record(
        agency=publication.agency,
        subject=publication,
        actor=None if actor is None else actor,
        action=action,
        payload={"series": str(publication.series), "version": publication.version} | payload,
    )


def _clear_public_text(publication: Publication) -> None:
    """Once a version leaves the portal its text is dropped from the read
    model (the hash stays, and the ledger holds it): a withdrawn, superseded
    or expired decision can never be shown again by mistake."""
    publication.text = ""
    publication.manifest = []
    search.unindex(publication)


# --------------------------------------------------------------------------
# The obligation


def kind_for(case) -> str:
    kind = case.definition.kind if case.definition else ""
    if kind == "penalty":
        return PublicationKind.PENALTY
    if kind == "license":
        return PublicationKind.LICENSE
    return PublicationKind.OTHER


def automatic_exemption(case) -> tuple[str, str] | None:
    """Grounds known from the case itself (`zhifa.cases.publicity`, which the
    decision document's publication notice also follows); secrecy and privacy
    are the agency's call."""
    found = publicity.not_published(case)
    if found is None:
        return None
    code, reason = found
    return ExemptReason(code), reason


def obligation_create(*, actor, case, document, decided_on: date) -> Publication:
    """A decision was made: the agency now owes its publication (GB118-04/05).

    Idempotent: the same decision never creates a second obligation.
    """
    existing = Publication.objects.filter(document_id=document.pk, previous__isnull=True).first()
    if existing is not None:
        return existing
    agency = case.agency
    region = agency.region
    kind = kind_for(case)
    rule = DUE_RULES[kind]
    due_on, note = _due(rule, decided_on, region.code)
    party = primary_party(case)
    ident = (party.uscc or party.id_number) if party else ""
    try:
        with transaction.atomic():
            pub = Publication.objects.create(
                agency=agency,
                agency_name=agency.name,
                region_code=region.code,
                region_name=region.name,
                case_id=case.pk,
                case_number=case.number,
                document_id=document.pk,
                document_type=document.doc_type,
                source_sha256=document.content_sha256,
                kind=kind,
                title=case.title,
                decision_number=document.number,
                decided_on=decided_on,
                party_kind=party.kind if party else "",
                party_ref=personal_ref(_normal_ident(ident)) if ident else "",
                penalty_types=list(case.penalty_types or []),
                fine_amount=case.fine_amount if "fine" in (case.penalty_types or []) else None,
                due_rule=rule,
                due_on=due_on,
                calendar_note=note,
            )
            _record(
                pub,
                actor,
                "disclosure.obligation_created",
                {
                    "case": case.number,
                    "decision": document.number,
                    "source_sha256": document.content_sha256,
                    "kind": kind,
                    "rule": rule,
                    "due_on": due_on.isoformat() if due_on else None,
                    # PUB-04: the decision itself says it will be published.
                    "party_told": bool((document.content or {}).get("publication")),
                },
            )
            exemption = automatic_exemption(case)
            if exemption is not None:
                _exempt(pub, actor, exemption[0], exemption[1])
    except IntegrityError:
        # A concurrent receiver created it first.
        return Publication.objects.get(document_id=document.pk, previous__isnull=True)
    return pub


def _normal_ident(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def _exempt(pub: Publication, actor, reason: str, note: str) -> None:
    pub.status = S.EXEMPT
    pub.exempt_reason = reason
    pub.exempt_note = note
    pub.exempted_at = timezone.now()
    pub.save()
    _record(pub, actor, "disclosure.exempted", {"reason": reason, "note_sha256": sha256(note)})


def publication_exempt(*, actor, publication: Publication, reason: str, note: str) -> Publication:
    """Not publishing, with a recorded reason the supervisor sees (rules.md §7)."""
    _require(actor, publication, HEAD_ROLES, "决定不予公开")
    _status(publication, OPEN_STATUSES, "决定不予公开")
    if reason not in ExemptReason.values:
        raise DisclosureError("请选择不予公开的理由。", field="reason")
    note = _reason(note, "不予公开", field="note")
    with transaction.atomic():
        pub = Publication.objects.select_for_update().get(pk=publication.pk)
        _status(pub, OPEN_STATUSES, "决定不予公开")
        _exempt(pub, actor, reason, note)
    return pub


# --------------------------------------------------------------------------
# Redaction: draft, masks, confirmation


def _source(pub: Publication) -> tuple[object, str]:
    """The issued decision and its plain text, checked against what the
    obligation recorded (an issued document never changes)."""
    from zhifa.cases.models import Document

    document = Document.objects.select_related("case", "agency").get(pk=pub.document_id)
    if document.status != "issued" or document.content_sha256 != pub.source_sha256:
        raise DisclosureError("决定书内容与产生公开义务时记录的哈希不一致，不能据此公开。")
    return document, decision_text(document)


def source_text(publication: Publication) -> str:
    """The served decision's text (staff side only: the review page)."""
    return _source(publication)[1]


def party_told(publication: Publication) -> bool:
    """Whether the served decision tells the party in writing that it will be
    published (PUB-04, 市场监督管理行政处罚信息公示规定 第八条). A warning on the
    review page, not a gate: the decision has been served already."""
    document, _ = _source(publication)
    return bool((document.content or {}).get("publication"))


def _refresh_text(pub: Publication, source: str) -> None:
    applied = masking.apply(source, pub.masks)
    pub.text = applied.text
    pub.manifest = applied.manifest
    pub.redaction_confirmed_by = None
    pub.redaction_confirmed_at = None


def _kinds(masks: list[dict]) -> dict[str, int]:
    return dict(Counter(m["kind"] for m in masks))


def publication_draft(*, actor, publication: Publication) -> Publication:
    """Run redaction over the served decision: first what the case knows about
    its people, then the engine's detectors; the proposal awaits a reviewer."""
    _require(actor, publication, EDIT_ROLES, "生成公开稿")
    _status(publication, OPEN_STATUSES, "生成公开稿")
    document, text = _source(publication)
    case = document.case
    known = known_people(case)
    masks = masking.detect(text, known)
    party = primary_party(case)
    with transaction.atomic():
        pub = Publication.objects.select_for_update().get(pk=publication.pk)
        _status(pub, OPEN_STATUSES, "生成公开稿")
        pub.source_text_sha256 = sha256(text)
        pub.masks = masks
        pub.released = []
        if pub.version == 1:
            pub.title = masking.redact_short(case.title, known)
        if party is not None:
            # A company's name stays (protected as a known organisation); a
            # natural person's, or an individual business's 字号 made of the
            # operator's name, follows the agency's policy.
            pub.party_display = masking.redact_short(party.name, known)
        content = document.content or {}
        pub.penalty_content = masking.redact_short(
            str(content.get("penalty_content") or "").strip(), known
        )
        _refresh_text(pub, text)
        pub.status = S.DRAFTED
        pub.drafted_at = timezone.now()
        pub.save()
        _record(
            pub,
            actor,
            "disclosure.drafted",
            {"source_text_sha256": pub.source_text_sha256, "masks": _kinds(masks)},
        )
    return pub


def _editable(pub: Publication, what: str) -> None:
    _status(pub, (S.DRAFTED,), what)


def publication_mask_add(
    *,
    actor,
    publication: Publication,
    kind: str,
    phrase: str = "",
    start: int | None = None,
    end: int | None = None,
    note: str = "",
) -> Publication:
    """A reviewer masks what the engine missed: every occurrence of `phrase`
    in the served text, or the span `start`..`end`."""
    _require(actor, publication, EDIT_ROLES, "增加遮蔽")
    _editable(publication, "增加遮蔽")
    if kind not in masking.KIND_LABELS:
        raise DisclosureError("请选择遮蔽的信息类别。", field="kind")
    _, text = _source(publication)
    if phrase:
        phrase = phrase.strip()
        spans, pos = [], text.find(phrase)
        while phrase and pos >= 0:
            spans.append((pos, pos + len(phrase)))
            pos = text.find(phrase, pos + len(phrase))
        if not spans:
            raise DisclosureError(f"决定书原文中没有“{phrase[:30]}”。", field="phrase")
    elif start is not None and end is not None and 0 <= start < end <= len(text):
        spans = [(start, end)]
    else:
        raise DisclosureError("请填写要遮蔽的文字。", field="phrase")
    with transaction.atomic():
        pub = Publication.objects.select_for_update().get(pk=publication.pk)
        _editable(pub, "增加遮蔽")
        added = []
        for s, e in spans:
            candidate = {"start": s, "end": e}
            if any(m["start"] <= s and e <= m["end"] for m in pub.masks):
                continue  # already hidden
            if any(masking.overlaps(candidate, m) for m in pub.masks):
                raise DisclosureError(
                    "要遮蔽的文字与已有遮蔽部分重叠：请先取消原有遮蔽，再整体遮蔽。", field="phrase"
                )
            added.append(
                {
                    "start": s,
                    "end": e,
                    "kind": kind,
                    "rule": "reviewer",
                    "replacement": masking.replacement_for(kind, text[s:e]),
                    "origin": "reviewer",
                }
            )
        if not added:
            raise DisclosureError("这些文字已经遮蔽。", field="phrase")
        pub.masks = sorted([*pub.masks, *added], key=lambda m: (m["start"], m["end"]))
        pub.released = [r for r in pub.released if not any(masking.overlaps(r, a) for a in added)]
        _refresh_text(pub, text)
        pub.save()
        _record(
            pub,
            actor,
            "disclosure.mask_added",
            {
                "spans": [[a["start"], a["end"]] for a in added],
                "kind": kind,
                "note_sha256": sha256(note) if note else None,
            },
        )
    return pub


def publication_mask_remove(
    *, actor, publication: Publication, index: int, reason: str
) -> Publication:
    """Unmask one span; an engine hit left visible is released with the
    reviewer's reason (the publish gate then accepts it)."""
    _require(actor, publication, EDIT_ROLES, "取消遮蔽")
    _editable(publication, "取消遮蔽")
    reason = _reason(reason, "取消遮蔽")
    _, text = _source(publication)
    with transaction.atomic():
        pub = Publication.objects.select_for_update().get(pk=publication.pk)
        _editable(pub, "取消遮蔽")
        if not 0 <= index < len(pub.masks):
            raise DisclosureError("该遮蔽不存在或已取消，请刷新页面。", field="index")
        mask = pub.masks[index]
        pub.masks = [m for i, m in enumerate(pub.masks) if i != index]
        pub.released = [
            *pub.released,
            {
                "start": mask["start"],
                "end": mask["end"],
                "kind": mask["kind"],
                "rule": mask["rule"],
                "reason": reason,
                "by": str(getattr(actor, "public_id", "")),
                "at": timezone.now().isoformat(),
            },
        ]
        _refresh_text(pub, text)
        pub.save()
        _record(
            pub,
            actor,
            "disclosure.mask_removed",
            {
                "span": [mask["start"], mask["end"]],
                "kind": mask["kind"],
                "rule": mask["rule"],
                "reason_sha256": sha256(reason),
            },
        )
    return pub


def unresolved_hits(publication: Publication, text: str | None = None) -> list[dict]:
    """Engine hits still visible and not released (the publish gate)."""
    document, source = _source(publication)
    if text is not None:
        source = text
    detected = masking.detect(source, known_people(document.case))
    return masking.unresolved(detected, publication.masks, publication.released)


def publication_redaction_confirm(*, actor, publication: Publication) -> Publication:
    """A reviewer has checked every masked span against the original."""
    _require(actor, publication, CONFIRM_ROLES, "确认去标识化核对结果")
    _editable(publication, "确认去标识化核对结果")
    left = unresolved_hits(publication)
    if left:
        raise DisclosureError(
            f"仍有 {len(left)} 处检出的个人信息既未遮蔽也未说明不遮蔽的理由"
            f"（{'、'.join(sorted({masking.kind_label(h['kind']) for h in left}))}），请逐项处理。",
            citation="rules.md §15.1 第15项；市场监督管理行政处罚信息公示规定第五条、第六条",
        )
    with transaction.atomic():
        pub = Publication.objects.select_for_update().get(pk=publication.pk)
        _editable(pub, "确认去标识化核对结果")
        pub.redaction_confirmed_by = actor if getattr(actor, "pk", None) else None
        pub.redaction_confirmed_at = timezone.now()
        pub.save()
        _record(
            pub,
            actor,
            "disclosure.redaction_confirmed",
            {"masks": _kinds(pub.masks), "released": _kinds(pub.released)},
        )
    return pub


# --------------------------------------------------------------------------
# Publish, correct, withdraw, expire


def period_end(pub: Publication, start: date) -> tuple[str, date | None, str]:
    rule = period_rule_for(pub)
    if not rule:
        return "", None, ""
    end, note = _due(rule, start, pub.region_code)
    return rule, end, note


def publication_publish(*, actor, publication: Publication) -> Publication:
    """Publish the reviewed text (rules.md §15.1 item 15: blocked until the
    redaction is confirmed and no detected personal data is left unhandled;
    PUB-02: the text is the served text with nothing changed but the masks)."""
    _require(actor, publication, PUBLISH_ROLES, "公开")
    if publication.status == S.PUBLISHED:
        raise DisclosureError("该决定信息已经公开，不能重复公开。")
    _editable(publication, "公开")
    if publication.redaction_confirmed_at is None:
        raise DisclosureError(
            "去标识化结果尚未经人工核对确认，不能公开。",
            citation="rules.md §15.1 第15项；市场监督管理行政处罚信息公示规定第五条",
        )
    _, source = _source(publication)
    if sha256(source) != publication.source_text_sha256:
        raise DisclosureError("决定书文本与生成公开稿时不一致，请重新生成公开稿。")
    left = unresolved_hits(publication)
    if left:
        raise DisclosureError(
            f"仍有 {len(left)} 处检出的个人信息未处理，不能公开。",
            citation="rules.md §15.1 第15项",
        )
    applied = masking.apply(source, publication.masks)
    today = timezone.localdate()
    with transaction.atomic():
        pub = Publication.objects.select_for_update().get(pk=publication.pk)
        if pub.status == S.PUBLISHED:
            raise DisclosureError("该决定信息已经公开，不能重复公开。")
        _editable(pub, "公开")
        previous = None
        if pub.previous_id:
            previous = Publication.objects.select_for_update().get(pk=pub.previous_id)
            if previous.status != S.PUBLISHED:
                raise DisclosureError(
                    f"被更正的版本当前为“{previous.get_status_display()}”，更正稿不能再公开。"
                )
        pub.text = applied.text
        pub.manifest = applied.manifest
        pub.text_sha256 = sha256(applied.text)
        pub.status = S.PUBLISHED
        pub.published_at = timezone.now()
        pub.published_by = actor if getattr(actor, "pk", None) else None
        if previous is not None and previous.period_ends_on:
            # A correction does not restart the publication period (PUB-07: 自公示之日起).
            pub.period_rule, pub.period_ends_on = previous.period_rule, previous.period_ends_on
        else:
            pub.period_rule, pub.period_ends_on, note = period_end(pub, today)
            if note:
                pub.calendar_note = note
        pub.save()
        if previous is not None:
            previous.status = S.SUPERSEDED
            previous.superseded_at = pub.published_at
            _clear_public_text(previous)
            previous.save()
        search.index(pub)
        on_time = pub.due_on is None or today <= pub.due_on
        _record(
            pub,
            actor,
            "disclosure.published",
            {
                "source_sha256": pub.source_sha256,
                "source_text_sha256": pub.source_text_sha256,
                "text_sha256": pub.text_sha256,
                "manifest": _kinds(pub.manifest),
                "released": _kinds(pub.released),
                "due_on": pub.due_on.isoformat() if pub.due_on else None,
                "on_time": on_time,
                "period_ends_on": pub.period_ends_on.isoformat() if pub.period_ends_on else None,
                "supersedes": str(previous.public_id) if previous else None,
            },
        )
    return pub


def publication_correct(
    *, actor, publication: Publication, note: str, title: str = ""
) -> Publication:
    """Start a corrected version (GB118-07, PUB-09). The current version stays
    public until the correction is reviewed and published; then it is
    superseded and the history of versions stays visible. The text itself can
    only change by its masks (PUB-02); the title may be corrected."""
    _require(actor, publication, PUBLISH_ROLES, "更正公示信息")
    _status(publication, (S.PUBLISHED,), "更正")
    note = _reason(note, "更正", field="note")
    title = " ".join((title or "").split())
    if len(title) > 200:
        raise DisclosureError("标题不能超过 200 字。", field="title")
    if Publication.objects.filter(previous=publication).exists():
        raise DisclosureError("该公示信息已有待发布的更正稿，请在更正稿上继续。")
    with transaction.atomic():
        pub = Publication.objects.select_for_update().get(pk=publication.pk)
        _status(pub, (S.PUBLISHED,), "更正")
        fields = {
            f.name: getattr(pub, f.name)
            for f in Publication._meta.concrete_fields
            if f.name
            not in {
                "id",
                "public_id",
                "version",
                "previous",
                "status",
                "redaction_confirmed_by",
                "redaction_confirmed_at",
                "text_sha256",
                "published_at",
                "published_by",
                "correction_note",
                "created_at",
                "updated_at",
                "withdrawal_cause",
                "withdrawal_due_on",
            }
        }
        if title:
            fields["title"] = title
        new = Publication.objects.create(
            **fields,
            version=pub.version + 1,
            previous=pub,
            status=S.DRAFTED,
            correction_note=note,
        )
        _record(
            new,
            actor,
            "disclosure.corrected",
            {
                "corrects": str(pub.public_id),
                "note_sha256": sha256(note),
                "title_changed": bool(title) and title != pub.title,
            },
        )
    return new


def withdrawal_require(*, actor, case_id: int, outcome: str, on: date) -> list[Publication]:
    """The decision was changed, revoked, declared unlawful or void: a published
    decision must come down within `penalty.withdraw_publication` working days
    with a public reason (APL-14, PUB-06, §15.1 item 16); one not yet
    published is no longer owed."""
    changed = []
    for pub in Publication.objects.filter(case_id=case_id).select_related("agency"):
        with transaction.atomic():
            pub = Publication.objects.select_for_update().get(pk=pub.pk)
            if pub.status == S.PUBLISHED and not pub.withdrawal_cause:
                pub.withdrawal_cause = outcome or "changed"
                pub.withdrawal_due_on, note = _due(WITHDRAW_RULE, on, pub.region_code)
                if note:
                    pub.calendar_note = note
                pub.save()
                _record(
                    pub,
                    actor,
                    "disclosure.withdrawal_required",
                    {
                        "outcome": pub.withdrawal_cause,
                        "on": on.isoformat(),
                        "due_on": pub.withdrawal_due_on.isoformat()
                        if pub.withdrawal_due_on
                        else None,
                    },
                )
                changed.append(pub)
            elif pub.status in OPEN_STATUSES:
                pub.status = S.CANCELLED
                pub.withdrawal_cause = outcome or "changed"
                pub.text = ""
                pub.manifest = []
                pub.save()
                _record(pub, actor, "disclosure.cancelled", {"outcome": pub.withdrawal_cause})
                changed.append(pub)
    return changed


def publication_withdraw(*, actor, publication: Publication, reason: str) -> Publication:
    """Take the decision down; its page becomes a notice with the reason and
    the date, without the decision's text (行政处罚法 第四十八条)."""
    _require(actor, publication, PUBLISH_ROLES, "撤回公示信息")
    reason = _reason(reason, "撤回公示信息")
    _status(publication, (S.PUBLISHED,), "撤回")
    with transaction.atomic():
        pub = Publication.objects.select_for_update().get(pk=publication.pk)
        _status(pub, (S.PUBLISHED,), "撤回")
        # A pending correction of a withdrawn decision is moot.
        for draft in Publication.objects.filter(previous=pub, status__in=OPEN_STATUSES):
            draft.status = S.CANCELLED
            draft.text, draft.manifest = "", []
            draft.save()
            _record(draft, actor, "disclosure.cancelled", {"outcome": "withdrawn"})
        now = timezone.now()
        pub.status = S.WITHDRAWN
        pub.withdrawn_at = now
        pub.withdrawal_reason = reason
        _clear_public_text(pub)
        pub.save()
        due = pub.withdrawal_due_on
        _record(
            pub,
            actor,
            "disclosure.withdrawn",
            {
                "reason": reason,
                "cause": pub.withdrawal_cause or "agency",
                "due_on": due.isoformat() if due else None,
                "on_time": due is None or timezone.localdate() <= due,
            },
        )
    return pub


def publications_expire(*, actor=SYSTEM, today: date | None = None) -> list[Publication]:
    """Stop showing publications whose period has ended (PUB-07, PUB-12, PUB-13);
    each removal is recorded. Run daily (`zhifa disclosure_expire`)."""
    today = today or timezone.localdate()
    done = []
    due = Publication.objects.filter(status=S.PUBLISHED, period_ends_on__lte=today)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            pub = Publication.objects.select_for_update().select_related("agency").get(pk=pk)
            if pub.status != S.PUBLISHED or not pub.period_ends_on or pub.period_ends_on > today:
                continue
            pub.status = S.EXPIRED
            pub.expired_at = timezone.now()
            _clear_public_text(pub)
            pub.save()
            _record(
                pub,
                actor,
                "disclosure.expired",
                {"rule": pub.period_rule, "period_ends_on": pub.period_ends_on.isoformat()},
            )
            done.append(pub)
    return done


def publication_remove_early(*, actor, publication: Publication, reason: str) -> Publication:
    """Credit repair: early removal on request, approved by the agency head
    (PUB-07; not after suspension, restriction, lowered qualification or
    revocation)."""
    _require(actor, publication, HEAD_ROLES, "批准提前停止公示")
    _status(publication, (S.PUBLISHED,), "提前停止公示")
    reason = _reason(reason, "提前停止公示")
    barred = NO_EARLY_REMOVAL & set(publication.penalty_types or [])
    if barred:
        raise DisclosureError(
            "责令停产停业、限制开展生产经营活动、降低资质等级、吊销许可证件等处罚信息不得提前停止公示。",
            citation=f"{PUB_RULE}第十四条（PUB-07）",
        )
    with transaction.atomic():
        pub = Publication.objects.select_for_update().get(pk=publication.pk)
        _status(pub, (S.PUBLISHED,), "提前停止公示")
        pub.status = S.EXPIRED
        pub.expired_at = timezone.now()
        pub.removal_reason = reason
        _clear_public_text(pub)
        pub.save()
        _record(pub, actor, "disclosure.removed_early", {"reason_sha256": sha256(reason)})
    return pub


# --------------------------------------------------------------------------
# The public: error reports and the party's reply


def error_report_submit(
    *,
    publication: Publication,
    content: str,
    reporter_name: str = "",
    reporter_contact: str = "",
) -> ErrorReport:
    """Anyone may report an error (GB118-07, PUB-09); the agency answers by
    `disclosure.correction_reply`."""
    if publication.status != S.PUBLISHED:
        raise DisclosureError("只能对正在公示的信息提出纠错。")
    content = (content or "").strip()
    if len(content) < 5:
        raise DisclosureError("请写明哪里有误（至少 5 个字）。", field="content")
    if len(content) > MAX_REPORT:
        raise DisclosureError(f"纠错内容不能超过 {MAX_REPORT} 字。", field="content")
    now = timezone.now()
    due, note = _due(REPLY_RULE, timezone.localdate(), publication.region_code)
    period = correction_reply_period(publication.region_code)
    with transaction.atomic():
        report = ErrorReport.objects.create(
            publication=publication,
            content=content,
            reporter_name=(reporter_name or "").strip()[:50],
            reporter_contact=(reporter_contact or "").strip()[:100],
            submitted_at=now,
            answer_due_on=due,
            calendar_note=note,
        )
        _record(
            publication,
            None,
            "disclosure.error_reported",
            {
                "report": str(report.public_id),
                "content_sha256": sha256(content),
                "answer_due_on": due.isoformat() if due else None,
                "answer_rule": REPLY_RULE,
                "answer_period": period.period if period else None,
                "answer_basis": period.basis if period else None,
                "answer_period_unverified": period.unverified if period else None,
            },
        )
    return report


def error_report_answer(*, actor, report: ErrorReport, answer: str, outcome: str) -> ErrorReport:
    pub = report.publication
    _require(actor, pub, ANSWER_ROLES, "答复纠错申请")
    if report.status != ErrorReport.Status.OPEN:
        raise DisclosureError("该纠错申请已经答复。")
    if outcome not in ErrorReport.Outcome.values:
        raise DisclosureError("请选择处理结果。", field="outcome")
    answer = _reason(answer, "答复纠错申请", field="answer")
    with transaction.atomic():
        report = ErrorReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ErrorReport.Status.OPEN:
            raise DisclosureError("该纠错申请已经答复。")
        report.answer = answer
        report.outcome = outcome
        report.status = ErrorReport.Status.ANSWERED
        report.answered_at = timezone.now()
        report.answered_by = actor if getattr(actor, "pk", None) else None
        report.save()
        due = report.answer_due_on
        _record(
            pub,
            actor,
            "disclosure.error_answered",
            {
                "report": str(report.public_id),
                "outcome": outcome,
                "answer_sha256": sha256(answer),
                "on_time": due is None or timezone.localdate() <= due,
            },
        )
    return report


def reply_submit(*, publication: Publication, identifier: str, text: str) -> PartyReply:
    """The party's right of reply. The party proves who they are with the ID
    number or USCC on the decision, compared as a keyed hash."""
    if publication.status != S.PUBLISHED:
        raise DisclosureError("只能对正在公示的信息提交说明。")
    if (
        not publication.party_ref
        or personal_ref(_normal_ident(identifier)) != publication.party_ref
    ):
        raise DisclosureError(
            "证件号码或统一社会信用代码与决定书记载的当事人不符。", field="identifier"
        )
    text = (text or "").strip()
    if not text:
        raise DisclosureError("请填写说明内容。", field="text")
    if len(text) > MAX_REPLY:
        raise DisclosureError(f"说明不能超过 {MAX_REPLY} 字。", field="text")
    if publication.replies.filter(status=PartyReply.Status.PENDING).exists():
        raise DisclosureError("您已提交的说明正在审核，请等待审核结果。")
    with transaction.atomic():
        reply = PartyReply.objects.create(
            publication=publication, text=text, submitted_at=timezone.now()
        )
        _record(
            publication,
            None,
            "disclosure.reply_submitted",
            {"reply": str(reply.public_id), "text_sha256": sha256(text)},
        )
    return reply


def reply_moderate(*, actor, reply: PartyReply, approve: bool, note: str = "") -> PartyReply:
    """Show the party's statement beside the publication, or decline with a reason."""
    pub = reply.publication
    _require(actor, pub, ANSWER_ROLES, "审核当事人说明")
    if reply.status != PartyReply.Status.PENDING:
        raise DisclosureError("该说明已经审核。")
    note = (note or "").strip()
    if not approve:
        note = _reason(note, "不予展示", field="note")
    with transaction.atomic():
        reply = PartyReply.objects.select_for_update().get(pk=reply.pk)
        if reply.status != PartyReply.Status.PENDING:
            raise DisclosureError("该说明已经审核。")
        reply.status = PartyReply.Status.APPROVED if approve else PartyReply.Status.REJECTED
        reply.moderation_note = note
        reply.moderated_at = timezone.now()
        reply.moderated_by = actor if getattr(actor, "pk", None) else None
        reply.save()
        _record(
            pub,
            actor,
            "disclosure.reply_moderated",
            {"reply": str(reply.public_id), "approved": approve},
        )
    return reply


__all__ = [
    "DisclosureError",
    "NotAllowed",
    "error_report_answer",
    "error_report_submit",
    "obligation_create",
    "publication_correct",
    "publication_draft",
    "publication_exempt",
    "publication_mask_add",
    "publication_mask_remove",
    "publication_publish",
    "publication_redaction_confirm",
    "publication_remove_early",
    "publication_withdraw",
    "publications_expire",
    "reply_moderate",
    "reply_submit",
    "withdrawal_require",
]
