"""A document's content: every field as a string, built from the case and the
transition's form data.

`build_content` reads the case (agency, parties, officers and their
certificates, facts, basis, penalty, dates) and adds the form data of the
transition that issues the document. Form values are written as strings:
dates in Chinese (2026年11月22日), model rows by name, lists joined with
"、", booleans as 是/否. The form's `penalty_types`, `fine_amount`,
`confiscation_amount`, `facts` and `legal_basis` take the place of the
case's before the penalty wording is composed (the summary procedure and
the decision form carry them).

Statutory periods in the wording (15 days to pay, 60 days for
reconsideration, 6 months for litigation, the surcharge rate, …) come from
`zhifa.rules` (statutes.toml and regional overrides), never from here.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

from zhifa.cases import publicity
from zhifa.cases.documents.chinese import cn_date, cn_int, percent, rmb_upper, yuan
from zhifa.cases.documents.types import APL_59, DECISION_TYPES, document_type
from zhifa.rules.registry import Unit, get_rule
from zhifa.rules.services import RuleNotConfigured, rule_value

if TYPE_CHECKING:
    from zhifa.cases.models import Case

# Labels of choice values the forms send as codes.
CHOICE_LABELS: dict[str, dict[str, str]] = {
    "relation": {"party": "当事人", "witness": "证人", "other": "其他"},
    "method": {
        "on_spot": "宣告后当场交付",
        "direct": "直接送达",
        "leaving": "留置送达",
        "mail": "邮寄送达",
        "electronic": "电子送达",
        "public_notice": "公告送达",
    },
    "adopted": {
        "adopted": "陈述、申辩成立，予以采纳",
        "partly": "陈述、申辩部分成立，予以部分采纳",
        "rejected": "陈述、申辩不成立，不予采纳",
    },
}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Form values that are inputs to the wording below rather than text of their own.
_INPUTS = frozenset({"penalty_types", "fine_amount", "confiscation_amount"})

APL = "《中华人民共和国行政处罚法》"


# --------------------------------------------------------------------------
# Values as text


def _person_name(obj: Any) -> str:
    return str(getattr(obj, "name", "") or getattr(obj, "title", "") or obj)


def officer_text(officer: Any, on: date) -> str:
    """张三（执法证号：21052126000001）; the certificate valid on `on`, if any."""
    from zhifa.officers.models import Certificate, CertificateStatus

    numbers = [
        c.number
        for c in Certificate.objects.filter(
            officer=officer,
            status=CertificateStatus.VALID,
            issued_on__lte=on,
            expires_on__gte=on,
        ).order_by("-issued_on")
    ]
    return f"{officer.name}（执法证号：{numbers[0]}）" if numbers else officer.name


def as_text(value: Any, *, key: str = "", on: date | None = None) -> str:
    """One form value as document text."""
    from zhifa.officers.models import Officer

    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return cn_date(value)
    if isinstance(value, date):
        return cn_date(value)
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            try:
                return cn_date(date.fromisoformat(value))
            except ValueError:
                return value
        return CHOICE_LABELS.get(key, {}).get(value, value)
    if isinstance(value, Officer):
        return officer_text(value, on or timezone.localdate())
    if isinstance(value, models.Model):
        return _person_name(value)
    if isinstance(value, Mapping):
        return "；".join(f"{k}：{as_text(v, key=str(k), on=on)}" for k, v in value.items())
    if isinstance(value, Iterable):
        return "、".join(t for t in (as_text(v, key=key, on=on) for v in value) if t)
    return str(value)


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


# --------------------------------------------------------------------------
# Statutory periods, worded


def _period(rule_id: str, region_code: str, on: date) -> str:
    """六十日, 六个月, 五个工作日 — the period in force for the region."""
    rule = get_rule(rule_id)
    n = cn_int(int(rule_value(rule_id, region_code=region_code, on_date=on)))
    if rule.unit == Unit.WORKING_DAYS:
        return f"{n}个工作日"
    if rule.unit == Unit.MONTHS:
        return f"{n}个月"
    if rule.unit == Unit.YEARS:
        return f"{n}年"
    return f"{n}日"


# --------------------------------------------------------------------------
# The case


def _party_fields(case: Case) -> dict[str, str]:
    parties = list(case.parties.all())
    if not parties:
        return {}
    first = parties[0]
    fields = {
        "party_name": "、".join(p.name for p in parties),
        "party_kind": first.get_kind_display(),
        "party_legal_representative": first.legal_representative,
        "party_address": first.address,
        "party_phone": first.phone,
    }
    if first.kind == first.Kind.ORGANISATION:
        fields["party_id_label"] = "统一社会信用代码"
        fields["party_id"] = first.uscc
    else:
        fields["party_id_label"] = first.get_id_type_display() or "身份证件号码"
        fields["party_id"] = (
            f"{first.get_id_type_display()} {first.id_number}".strip() if first.id_number else ""
        )
    if len(parties) > 1:
        fields["party_address"] = "；".join(f"{p.name}：{p.address}" for p in parties if p.address)
    fields["you"] = "你单位" if first.kind == first.Kind.ORGANISATION else "你"
    return fields


def _officers(case: Case, on: date) -> tuple[str, str]:
    assignments = (
        case.case_officers.filter(removed_on__isnull=True)
        .select_related("officer")
        .order_by("-is_lead", "assigned_on", "id")
    )
    texts, lead = [], ""
    for a in assignments:
        text = officer_text(a.officer, on)
        texts.append(text)
        if a.is_lead and not lead:
            lead = text
    return "、".join(texts), lead


def _latest_record_data(case: Case, *transitions: str) -> dict[str, Any]:
    from zhifa.cases.models import CaseRecord

    record = (
        CaseRecord.objects.filter(case=case, transition__in=transitions)
        .order_by("-occurred_at", "-id")
        .first()
    )
    return dict(record.data or {}) if record else {}


def _evidence(case: Case, data: Mapping[str, Any]) -> str:
    summary = data.get("evidence_summary") or _latest_record_data(case, "end_investigation").get(
        "evidence_summary"
    )
    if summary:
        return str(summary)
    rows = [f"{e.title}（{e.get_kind_display()}）" for e in case.evidence.all()]
    return "；".join(f"{i}. {row}" for i, row in enumerate(rows, 1))


def _penalty_content(types: list[str], fine: Decimal | None, gains: Decimal | None) -> str:
    from zhifa.catalog.models import PenaltyType

    order = [t.value for t in PenaltyType]
    items = []
    for code in sorted(set(types), key=lambda c: order.index(c) if c in order else len(order)):
        label = PenaltyType(code).label if code in order else code
        if code == PenaltyType.FINE and fine:
            items.append(f"罚款{yuan(fine)}")
        elif code == PenaltyType.CONFISCATE_GAINS and gains:
            items.append(f"没收违法所得{yuan(gains)}")
        else:
            items.append(label)
    if len(items) == 1:
        return items[0] + "。"
    return "；".join(f"{i}. {item}" for i, item in enumerate(items, 1)) + "。"


def _performance(
    types: list[str], fine: Decimal | None, gains: Decimal | None, data, region: str, on: date
) -> str:
    from zhifa.catalog.models import PenaltyType

    money = [
        what
        for what, amount, code in (
            ("罚款", fine, PenaltyType.FINE),
            ("没收的违法所得", gains, PenaltyType.CONFISCATE_GAINS),
        )
        if amount and code in types
    ]
    sentences = []
    if money:
        bank = str(data.get("bank") or "").strip()
        where = f"到{bank}或者通过电子支付系统" if bank else "到指定银行或者通过电子支付系统"
        pay = _period("penalty.pay", region, on)
        sentences.append(f"当事人应当自收到本决定书之日起{pay}内，{where}缴纳{'和'.join(money)}。")
        if fine and PenaltyType.FINE in types:
            rate = percent(rule_value("penalty.surcharge_daily_rate", region_code=region))
            sentences.append(
                f"到期不缴纳罚款的，本机关将依照{APL}第七十二条的规定，每日按罚款数额的"
                f"{rate}加处罚款，加处罚款的数额不得超出罚款的数额，并可以依法申请人民法院强制执行。"
            )
    others = [
        PenaltyType(c).label
        for c in PenaltyType.values
        if c in types and c not in (PenaltyType.FINE, PenaltyType.CONFISCATE_GAINS)
    ]
    if others:
        sentences.append(f"{'、'.join(others)}自本决定书送达之日起执行。")
    return "".join(sentences)


def _remedy(case: Case, data, region: str, on: date, *, not_suspended: bool = True) -> str:
    body = str(data.get("reconsideration_body") or f"{case.agency.region.name}人民政府")
    court = str(data.get("court") or "人民法院")
    reconsider = _period("reconsideration.window", region, on)
    sue = _period("litigation.window", region, on)
    text = (
        f"当事人如不服本决定，可以自收到本决定书之日起{reconsider}内向{body}申请行政复议，"
        f"也可以自收到本决定书之日起{sue}内依法向{court}提起行政诉讼。"
    )
    if not_suspended:  # 第七十三条
        text += "申请行政复议或者提起行政诉讼期间，行政处罚不停止执行，法律另有规定的除外。"
    return text


def _statement_review(case: Case) -> str:
    if case.statement_waived:
        if case.hearing_waived:
            return "当事人明确放弃陈述、申辩和要求听证的权利。"
        return "当事人明确放弃陈述、申辩权利。"
    record = _latest_record_data(case, "record_statement")
    if not record:
        return ""
    told = f"本机关于{cn_date(case.notified_on)}" if case.notified_on else "本机关"
    adopted = CHOICE_LABELS["adopted"].get(str(record.get("adopted", "")), "")
    text = f"{told}告知当事人拟作出的行政处罚内容及事实、理由、依据，当事人提出了陈述、申辩意见"
    if record.get("content"):
        text += f"：{record['content']}"
    text += "。经复核，" + (adopted or "本机关已逐项复核")
    if record.get("review_reason"):
        text += f"，理由是：{record['review_reason']}"
    text += "。"
    if case.hearing_waived:
        text += "当事人明确放弃要求听证的权利。"
    return text


def _served_documents(case: Case, data) -> str:
    if data.get("documents"):
        return as_text(data["documents"], key="documents")
    issued = case.documents.filter(
        status="issued", doc_type__in=("penalty_decision", "no_penalty_decision")
    ).order_by("issued_at", "id")
    names = [f"{d.title}（{d.number}）" if d.number else d.title for d in issued]
    if not names and case.decision_number:
        names = [f"行政处罚决定书（{case.decision_number}）"]
    return "、".join(names)


def _hearing_fields(case: Case, data) -> dict[str, str]:
    from zhifa.cases.models import Hearing

    fields: dict[str, str] = {}
    hearing = Hearing.objects.filter(case=case).first()
    if hearing is not None:
        if hearing.held_on:
            fields["hearing_date"] = cn_date(hearing.held_on)
        fields["hearing_place"] = hearing.place
        fields["hearing_public"] = "公开举行" if hearing.public else "不公开举行"
        if hearing.presider_id:
            fields["presider"] = _person_name(hearing.presider)
        fields["party_absent_text"] = (
            "当事人无正当理由拒不出席听证或者未经许可中途退出听证，视为放弃听证权利。"
            if hearing.party_absent
            else ""
        )
    if data.get("hearing_date"):
        fields["hearing_date"] = as_text(data["hearing_date"])
    if data.get("place"):
        fields["hearing_place"] = as_text(data["place"])
    if "public" in data:
        fields["hearing_public"] = "公开举行" if data["public"] else "不公开举行"
    if data.get("presider"):
        fields["presider"] = as_text(data["presider"])
    if data.get("party_absent"):
        fields["party_absent_text"] = (
            "当事人无正当理由拒不出席听证或者未经许可中途退出听证，视为放弃听证权利。"
        )
    return fields


# --------------------------------------------------------------------------
# Content


def build_content(case: Case, doc_type: str, data: Mapping[str, Any]) -> dict[str, str]:
    """Every content field of a `doc_type` document for `case`, as strings.

    `data` is the transition's form data (cleaned data or its JSON form).
    """
    from zhifa.cases.models import DecisionKind, SourceKind
    from zhifa.catalog.models import PenaltyType

    dtype = document_type(doc_type)
    data = dict(data or {})
    on = data.get("on")
    if isinstance(on, str) and _ISO_DATE.match(on):
        on = date.fromisoformat(on)
    if isinstance(on, datetime):
        on = timezone.localtime(on).date() if timezone.is_aware(on) else on.date()
    if not isinstance(on, date):
        on = timezone.localdate()
    agency = case.agency
    region = agency.region.code

    c: dict[str, str] = {
        "agency": agency.name,
        "seal": agency.name,
        "case_number": case.number,
        "case_title": case.title,
        "item_name": case.item_version.name if case.item_version_id else "",
        "source": SourceKind(case.source_kind).label if case.source_kind else "",
        "source_detail": case.source_detail,
        "source_received_on": cn_date(case.source_received_on) if case.source_received_on else "",
        "registered_on": cn_date(case.registered_on) if case.registered_on else "",
        "filed_on": cn_date(case.filed_on) if case.filed_on else "",
        "decided_on": cn_date(case.decided_on) if case.decided_on else "",
        "act_place": case.place,
        "act_date": cn_date(case.act_date) if case.act_date else "",
        "region": agency.region.name,
        "decision_number": case.decision_number,
        "decision_kind": DecisionKind(case.decision_kind).label if case.decision_kind else "",
        "you": "你",
    }
    c.update(_party_fields(case))
    c["officers"], c["lead_officer"] = _officers(case, on)

    # The form's own fields, verbatim as text (the penalty inputs are worded below).
    for key, value in data.items():
        if key not in _INPUTS:
            c[str(key)] = as_text(value, key=str(key), on=on)
    if not c.get("officers_present"):
        c["officers_present"] = c["officers"]
    if data.get("lead"):
        c["lead_officer"] = as_text(data["lead"], on=on)
    item = data.get("item")
    if not c["item_name"] and isinstance(item, models.Model) and hasattr(item, "versions"):
        version = item.versions.order_by("-version").first()
        c["item_name"] = version.name if version else ""

    # What the case found and proposes; the form may carry its own.
    c["facts"] = str(data.get("facts") or case.facts or "")
    c["legal_basis"] = str(data.get("legal_basis") or case.legal_basis or "")
    c["evidence"] = _evidence(case, data)
    types = [str(t) for t in (data.get("penalty_types") or case.penalty_types or [])]
    fine = _decimal(data.get("fine_amount"))
    if fine is None and "fine_amount" not in data:
        fine = case.fine_amount
    gains = _decimal(data.get("confiscation_amount"))
    if gains is None:
        gains = case.confiscation_amount or case.illegal_gains
    c["penalty_types"] = "、".join(
        PenaltyType(t).label if t in PenaltyType.values else t for t in types
    )
    c["fine_amount"] = f"{fine:,.2f}元" if fine else ""
    c["fine_amount_upper"] = rmb_upper(fine) if fine else ""
    c["confiscation_amount"] = f"{gains:,.2f}元" if gains else ""
    c["penalty_content"] = _penalty_content(types, fine, gains) if types else ""
    you = c["you"]

    if case.discretion_grade:
        from zhifa.catalog.models import Grade

        grade = (
            Grade(case.discretion_grade).label
            if case.discretion_grade in Grade.values
            else case.discretion_grade
        )
        c["discretion"] = f"裁量阶次：{grade}" + (
            f"；超出裁量基准的理由：{case.outside_benchmark_reasons}"
            if case.outside_benchmark_reasons
            else ""
        )
    proposal = data.get("decision_kind") or case.decision_kind
    if proposal:
        label = DecisionKind(proposal).label if proposal in DecisionKind.values else proposal
        c["decision_kind"] = label
        c["proposal"] = label + (
            f"：{c['penalty_content']}"
            if proposal == DecisionKind.PENALTY and c["penalty_content"]
            else ""
        )

    if c["facts"]:
        c["facts_text"] = f"经查，{c['facts'].rstrip('。')}。"
    if c["evidence"]:
        c["evidence_text"] = f"以上事实有下列证据证明：{c['evidence'].rstrip('。')}。"

    if doc_type in ("penalty_decision", "summary_decision"):
        if c["legal_basis"]:
            c["decision_text"] = (
                f"{you}的上述行为，依据{c['legal_basis'].rstrip('。')}的规定，"
                f"本机关决定对{you}作出如下行政处罚："
            )
        c["performance"] = _performance(types, fine, gains, data, region, on)
        c["remedy"] = _remedy(case, data, region, on)
        # PUB-04: the party is told in writing, in the decision itself, unless
        # the case's own facts bar publication (a minor; a warning only).
        if publicity.not_published(case, types) is None:
            c["publication"] = "本行政处罚决定信息将依照有关规定向社会公示。"
        if doc_type == "penalty_decision":
            c["statement_review"] = _statement_review(case)
    elif doc_type == "no_penalty_decision":
        c["decision_text"] = f"本机关决定对{you}不予行政处罚。"
        c["remedy"] = _remedy(case, data, region, on, not_suspended=False)
    elif doc_type == "prior_notice":
        c["notice_text"] = (
            f"{you}的上述行为，依据{c['legal_basis'].rstrip('。')}的规定，"
            f"本机关拟对{you}作出如下行政处罚："
            if c["legal_basis"]
            else ""
        )
        try:
            period = _period("penalty.statement_period", region, on)
        except RuleNotConfigured:
            when = f"{you}可以在收到本告知书后向本机关提出陈述、申辩意见。"
        else:
            when = (
                f"请于收到本告知书之日起{period}内向本机关提出陈述、申辩意见，"
                "逾期未提出的，视为放弃上述权利。"
            )
        c["statement_rights"] = (
            f"根据{APL}第四十四条、第四十五条的规定，{you}享有陈述、申辩的权利。{when}"
            f"本机关不因{you}陈述、申辩而给予更重的处罚。"
            + (f"{you}有要求听证的权利，详见听证告知书。" if case.hearing_right else "")
        )
    elif doc_type == "hearing_rights_notice":
        c["hearing_rights_intro"] = f"本机关拟对{you}作出如下行政处罚："
        request = _period("penalty.hearing_request", region, on)
        c["hearing_rights"] = (
            f"根据{APL}第六十三条、第六十四条的规定，{you}有要求听证的权利。"
            f"如要求听证，应当在收到本告知书之日起{request}内向本机关提出；"
            "逾期未提出的，视为放弃听证权利。当事人不承担行政机关组织听证的费用。"
        )
    elif doc_type == "preservation_notice":
        c["preservation_text"] = (
            f"{you}涉嫌{case.title}，依据{APL}第五十六条的规定，经本机关负责人批准，"
            "对下列物品予以先行登记保存："
        )
        limit = _period("penalty.evidence_preservation", region, on)
        c["preservation_limit"] = (
            f"本机关将在{limit}内作出处理决定。在此期间，当事人或者有关人员"
            "不得损毁、销毁或者转移证据。"
        )

    if doc_type in ("hearing_notice", "hearing_record"):
        c.update(_hearing_fields(case, data))
    if doc_type == "hearing_notice" and c.get("hearing_date"):
        presider = f"听证主持人为{c['presider']}。" if c.get("presider") else ""
        c["hearing_text"] = (
            f"根据{you}的听证要求，本机关定于{c['hearing_date']}在{c.get('hearing_place', '')}"
            f"{c.get('hearing_public', '公开举行')}听证。{presider}"
            f"请{you}按时参加，并携带身份证明和有关证据材料。{you}可以亲自参加听证，"
            "也可以委托一至二人代理；委托代理人参加的，应当提交授权委托书。"
            f"{you}认为主持人与本案有直接利害关系的，有权申请回避。"
            "无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利。"
        )
    if doc_type in ("inquiry_record", "onsite_inspection_record"):
        c["certificates_shown"] = (
            "执法人员已出示执法证件，告知了检查、询问的事由和依法享有的权利，以及有申请回避的权利。"
        )
        # Auxiliaries who assisted are named, apart from the officers (rules.md CERT-04).
        c["auxiliaries_present"] = c.get("auxiliaries_present") or "无"
    if doc_type == "service_receipt":
        c["served_documents"] = _served_documents(case, data)
        c["recipient"] = c.get("recipient") or c.get("party_name", "")
        c["service_place"] = c.get("place") or c.get("party_address", "")
    if doc_type == "closure_approval":
        reason = c.get("opinion") or c.get("reason") or ""
        if c.get("organ"):
            reason = f"移送{c['organ']}" + (f"：{reason}" if reason else "")
        c["closure_reason"] = reason
        if case.fine_amount:
            c["execution"] = f"罚款{yuan(case.fine_amount)}，已缴纳{yuan(case.paid_amount)}"
    if doc_type == "summary_decision" and not c.get("place"):
        c["place"] = case.place

    # Only the type's own fields and the common ones stay meaningful, but
    # every field is kept: the content is what the document said, in full.
    for key, _label in dtype.required:
        c.setdefault(key, "")
    return {k: v if isinstance(v, str) else str(v) for k, v in c.items()}


def missing_fields(doc_type: str, content: Mapping[str, Any]) -> list[str]:
    """Chinese labels of the type's required fields that are empty (APL-24)."""
    dtype = document_type(doc_type)
    return [label for key, label in dtype.required if not str(content.get(key) or "").strip()]


def missing_message(doc_type: str, missing: list[str]) -> str:
    dtype = document_type(doc_type)
    text = f"{dtype.title}尚有以下内容未填写：{'、'.join(missing)}。"
    if doc_type in DECISION_TYPES:
        citation = dtype.citation or APL_59
        text += f"依据{citation}，行政处罚决定书应当载明上述事项并加盖作出决定的行政机关的印章。"
    return text


def content_bytes(content: Mapping[str, str]) -> bytes:
    """The canonical bytes of a content: the encoding of `zhifa.ledger.canonical`
    (UTF-8 JSON, keys sorted, no whitespace) without its 64 KiB entry limit —
    a long 笔录 may exceed it, and a document is not a ledger entry."""
    return json.dumps(
        dict(content), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()


def content_sha256(content: Mapping[str, str]) -> str:
    return hashlib.sha256(content_bytes(content)).hexdigest()
