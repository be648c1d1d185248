"""The guards of the law, bound to the codes the procedure definitions name.

Each guard takes a `GuardContext` and returns None when it passes, or a
Chinese sentence saying what is wrong; the engine adds the guard's label and
citation from `zhifa.procedures.guards.GUARDS`. In preview (`ctx.preview`,
used to show which actions are possible now) a guard that needs the form's
input passes: it is judged when the form is submitted.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from zhifa.cases import deadlines, review_hook, selectors
from zhifa.cases.models import (
    Case,
    CaseEvidence,
    CaseRecord,
    DecisionKind,
    Document,
    Hearing,
    Recusal,
    RemedyPeriod,
)
from zhifa.catalog.models import AvRecordingRule, AvRequirement, PenaltyType
from zhifa.orgs.models import Role
from zhifa.procedures.spec import Transition
from zhifa.rules.services import rule_value
from zhifa.workdays.calendar import add_years


@dataclass
class GuardContext:
    case: Case
    transition: Transition
    actor: Any
    data: dict[str, Any] = field(default_factory=dict)
    today: date = field(default_factory=date.today)
    preview: bool = False

    @property
    def on(self) -> date:
        return self.data.get("on") or self.today

    def needs(self, *keys: str) -> bool:
        """True when the input for these keys is missing (preview only)."""
        return self.preview and any(k not in self.data for k in keys)


GuardFn = Callable[[GuardContext], str | None]
GUARD_FUNCTIONS: dict[str, GuardFn] = {}


def guard(code: str) -> Callable[[GuardFn], GuardFn]:
    def wrap(fn: GuardFn) -> GuardFn:
        GUARD_FUNCTIONS[code] = fn
        return fn

    return wrap


def _ymd(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _region(case: Case) -> str:
    return case.agency.region.code


def user_roles(user, agency) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return set(
        user.role_assignments.filter(active=True, agency=agency).values_list("role", flat=True)
    )


@guard("role_in_agency")
def role_in_agency(ctx: GuardContext) -> str | None:
    roles = user_roles(ctx.actor, ctx.case.agency)
    if roles & set(ctx.transition.roles):
        return None
    wanted = "、".join(Role(r).label for r in ctx.transition.roles)
    return f"“{ctx.transition.label}”须由{ctx.case.agency.name}的{wanted}办理。"


@guard("limitation")
def limitation(ctx: GuardContext) -> str | None:
    if ctx.needs("act_date"):
        return None
    act = ctx.data.get("act_date") or ctx.case.act_date
    if act is None:
        return "未填写违法行为发生日期，无法判断追责时效。"
    start = ctx.data.get("act_ended_on") or ctx.case.act_ended_on or act
    harm = ctx.data.get("safety_harm", ctx.case.safety_harm)
    rule = "penalty.limitation_extended" if harm else "penalty.limitation"
    years = int(rule_value(rule, region_code=_region(ctx.case), on_date=start))
    end = add_years(start, years)
    found = ctx.case.source_received_on
    if found > end:
        return (
            f"违法行为自{_ymd(start)}起至{_ymd(found)}被发现，已超过{years}年追责时效（届满日{_ymd(end)}），"
            "不再给予行政处罚。有连续或者继续状态的，请填写终了日期。"
        )
    return None


@guard("item_in_force")
def item_in_force(ctx: GuardContext) -> str | None:
    if ctx.needs("item", "act_date"):
        return None
    item = ctx.data.get("item") or ctx.case.item
    act = ctx.data.get("act_date") or ctx.case.act_date
    if item is None or act is None:
        return "须选择执法事项并填写违法行为发生日期。"
    if item.agency_id != ctx.case.agency_id:
        return f"执法事项“{item}”不属于{ctx.case.agency.name}的执法事项清单。"
    if item.version_on(act) is None:
        return f"执法事项“{item}”在{_ymd(act)}没有有效版本，不能据此立案。"
    return None


def _check_officers(ctx: GuardContext, officers: list) -> str | None:
    from zhifa.officers.gate import enforcement_check

    item = ctx.data.get("item") or ctx.case.item
    version = ctx.case.item_version or (
        item.version_on(ctx.data.get("act_date") or ctx.on) if item else None
    )
    if version is None:
        return "案件没有适用的执法事项版本，无法核对执法人员的执法类别。"
    check = enforcement_check(officers, version.category, ctx.case.region, ctx.on, kind="penalty")
    if check:
        return None
    return "；".join(r.message for r in check.refusals)


@guard("officers_certified")
def officers_certified(ctx: GuardContext) -> str | None:
    if "officers" in ctx.data:
        officers = list(ctx.data["officers"])
    elif ctx.case.filed_on is None:
        return None if ctx.preview else "须指定承办执法人员。"
    else:
        officers = selectors.active_officers(ctx.case)
    return _check_officers(ctx, officers)


@guard("officers_present")
def officers_present(ctx: GuardContext) -> str | None:
    if ctx.needs("officers_present"):
        return None
    # Only the officers present count toward the two certified officers; the
    # auxiliaries present (`auxiliaries_present`) assist and are never counted
    # (rules.md §15.1 第1项, CERT-04), and the gate refuses any auxiliary here.
    officers = list(ctx.data.get("officers_present") or [])
    if ctx.case.filed_on is not None:
        assigned = {o.pk for o in selectors.active_officers(ctx.case)}
        stray = [o.name for o in officers if o.pk not in assigned and not o.is_auxiliary]
        if stray:
            return f"{'、'.join(stray)}不是本案的承办执法人员。"
    return _check_officers(ctx, officers)


def _involved(ctx: GuardContext) -> list:
    people = [
        *(ctx.data.get("officers") or []),
        *(ctx.data.get("officers_present") or []),
        *(ctx.data.get("auxiliaries_present") or []),  # a recused auxiliary may not assist either
    ]
    if not people and ctx.case.filed_on:
        people = selectors.active_officers(ctx.case)
    return people


@guard("no_conflict")
def no_conflict(ctx: GuardContext) -> str | None:
    people = _involved(ctx)
    recused = Recusal.objects.filter(case=ctx.case, granted=True)
    names = sorted(
        {r.officer.name for r in recused.select_related("officer") if r.officer in people}
    )
    presider = ctx.data.get("presider")
    if presider is not None and recused.filter(officer__user=presider).exists():
        names.append(presider.name)
    if names:
        return f"{'、'.join(names)}已被决定回避，不得参与本案。"
    return None


@guard("recusal_pending")
def recusal_pending(ctx: GuardContext) -> str | None:
    if Recusal.objects.filter(case=ctx.case, granted__isnull=True).exists():
        return None
    return "本案没有待决定的回避申请。"


@guard("head_approved")
def head_approved(ctx: GuardContext) -> str | None:
    if ctx.needs("approved_by"):
        return None
    head = ctx.data.get("approved_by")
    if head is None or Role.AGENCY_HEAD not in user_roles(head, ctx.case.agency):
        return "先行登记保存须经本机关负责人批准，所选批准人不是本机关负责人。"
    return None


@guard("preservation_pending")
def preservation_pending(ctx: GuardContext) -> str | None:
    return (
        None if deadlines.running(ctx.case, "preservation") else "本案没有尚未处理的先行登记保存。"
    )


@guard("preservation_decided")
def preservation_decided(ctx: GuardContext) -> str | None:
    d = deadlines.running(ctx.case, "preservation")
    if d is None:
        return None
    due = f"（应于{_ymd(d.effective_due)}前处理）" if d.effective_due else ""
    return f"先行登记保存的证据尚未作出处理决定{due}。"


@guard("evidence_present")
def evidence_present(ctx: GuardContext) -> str | None:
    if CaseEvidence.objects.filter(case=ctx.case).exists():
        return None
    if CaseRecord.objects.filter(
        case=ctx.case, transition__in=["record_inquiry", "record_inspection"]
    ).exists():
        return None
    return "本案尚未收集任何证据，也没有询问或检查笔录。"


SERVICE_STEPS = {"leaving": "service_leaving", "public_notice": "service_notice"}


def recording_step(ctx: GuardContext) -> str:
    if ctx.transition.code == "serve":
        return SERVICE_STEPS.get(ctx.data.get("method", ""), "")
    return ctx.transition.recording_step


def recording_rule(case: Case, step: str) -> AvRecordingRule | None:
    if not step:
        return None
    rules = AvRecordingRule.objects.filter(
        agency=case.agency, step=step, requirement__in=[AvRequirement.FULL, AvRequirement.KEY]
    )
    return rules.filter(item=case.item).first() or rules.filter(item__isnull=True).first()


@guard("recording_attached")
def recording_attached(ctx: GuardContext) -> str | None:
    step = recording_step(ctx)
    rule = recording_rule(ctx.case, step)
    if rule is None:
        return None
    recordings = [
        e
        for e in CaseEvidence.objects.filter(
            case=ctx.case, step__in=[step, ctx.transition.code]
        ).select_related("blob")
        if e.is_recording
    ]
    if recordings or (ctx.data.get("no_recording_reason") or "").strip():
        return None
    if ctx.preview:
        return None  # the form asks for the recording or the reason
    return (
        f"按本机关音像记录事项清单，“{rule.get_step_display()}”须{rule.get_requirement_display()}（{rule.citation}）："
        "请先附上录音录像，或写明未录的理由。"
    )


@guard("discretion_within")
def discretion_within(ctx: GuardContext) -> str | None:
    from django.core.exceptions import ValidationError

    from zhifa.catalog.discretion import check_penalty

    case = ctx.case
    if case.decision_kind != DecisionKind.PENALTY or case.discretion_standard is None:
        return None
    fine = ctx.data.get("fine_amount", case.fine_amount)
    types = ctx.data.get("penalty_types", case.penalty_types)
    try:
        result = check_penalty(
            case.discretion_standard,
            grade=case.discretion_grade or "ordinary",
            penalty_types=types,
            fine_amount=fine,
            illegal_gains=case.illegal_gains,
            reasons=case.outside_benchmark_reasons,
        )
    except ValidationError as exc:
        return "；".join(exc.messages)
    return None if result.allowed else result.message


@guard("proposal_is_penalty")
def proposal_is_penalty(ctx: GuardContext) -> str | None:
    if ctx.case.decision_kind == DecisionKind.PENALTY:
        return None
    return "拟作出的不是行政处罚决定，无需事先告知；请直接报请决定、移送或撤销立案。"


def review_requirement(case: Case):
    from zhifa.catalog.review import CaseFacts, legal_review_required

    hearing = Hearing.objects.filter(case=case, held=True, party_absent=False).exists()
    return legal_review_required(
        CaseFacts(
            agency=case.agency,
            item=case.item,
            procedure="summary" if case.is_summary else "general",
            penalty_types=list(case.penalty_types or []),
            fine_amount=case.fine_amount,
            confiscation_amount=case.confiscation_amount,
            party_kind=case.party_kind,
            hearing_held=hearing,
            difficult=case.difficult,
            public_interest=case.public_interest,
            outside_benchmark=bool(case.outside_benchmark_reasons),
        )
    )


@guard("review_required")
def review_required(ctx: GuardContext) -> str | None:
    return (
        None
        if review_requirement(ctx.case)
        else "本案不属于法制审核目录规定的情形，无需提交法制审核。"
    )


@guard("no_open_review")
def no_open_review(ctx: GuardContext) -> str | None:
    s = review_hook.status(ctx.case, selectors.decision_fingerprint(ctx.case))
    if s.open:
        return "本案已有正在进行的法制审核。"
    if s.agreed:
        return "法制审核已同意本案现状，无需重复提交。"
    return None


def as_decided(ctx: GuardContext) -> Case:
    """The case as the decision being made would leave it (a copy, never saved).

    A review opinion covers the decision made, not only the one proposed: a
    head who decides another penalty or amount than the one reviewed needs a
    new opinion (行政处罚法 第五十八条第一款). Mirrors the effects of
    `decide_penalty` and `decide_no_penalty`.
    """
    code = ctx.transition.code
    if ctx.preview or code not in ("decide_penalty", "decide_no_penalty"):
        return ctx.case
    case = copy.copy(ctx.case)
    if code == "decide_no_penalty":
        case.decision_kind, case.penalty_types, case.fine_amount = DecisionKind.NO_PENALTY, [], None
        return case
    types = list(ctx.data.get("penalty_types") or [])
    case.decision_kind, case.penalty_types = DecisionKind.PENALTY, types
    case.fine_amount = ctx.data.get("fine_amount") if PenaltyType.FINE in types else None
    if ctx.data.get("confiscation_amount") is not None:
        case.confiscation_amount = ctx.data["confiscation_amount"]
    return case


@guard("legal_review_agreed")
def legal_review_agreed(ctx: GuardContext) -> str | None:
    decided = as_decided(ctx)
    need = review_requirement(decided)
    if not need:
        return None
    s = review_hook.status(ctx.case, selectors.decision_fingerprint(decided))
    if s.agreed:
        return None
    why = "；".join(m.description for m in need.matched)
    detail = s.detail or "尚无法制审核同意意见"
    return f"本案须经法制审核（{why}）。{detail}，未经法制审核或者审核未通过的，不得作出决定。"


@guard("hearing_right")
def hearing_right(ctx: GuardContext) -> str | None:
    return (
        None
        if ctx.case.hearing_right
        else "本案拟作出的处罚不属于第六十三条规定的听证范围，当事人不享有听证权利。"
    )


@guard("hearing_not_waived")
def hearing_not_waived(ctx: GuardContext) -> str | None:
    if not ctx.case.hearing_waived:
        return None
    return "当事人已明确放弃听证权利，无须重复记录。"


@guard("hearing_request_in_time")
def hearing_request_in_time(ctx: GuardContext) -> str | None:
    d = deadlines.running(ctx.case, "hearing_request")
    due = d.effective_due if d else None
    if d is None:
        return "没有正在计算的听证申请期限（是否已告知听证权利？）。"
    if due is None:
        return f"听证申请期限无法计算：{d.calendar_note}"
    if ctx.preview:
        return None if ctx.today <= due else f"听证申请期限已于{_ymd(due)}届满。"
    if ctx.on < d.started_on:
        return f"听证要求的日期{_ymd(ctx.on)}早于告知听证权利的日期{_ymd(d.started_on)}，请核对。"
    if ctx.on > due:
        return (
            f"当事人于{_ymd(ctx.on)}提出听证要求，已超过告知后五个工作日的期限（{_ymd(due)}届满）。"
        )
    return None


@guard("hearing_not_requested")
def hearing_not_requested(ctx: GuardContext) -> str | None:
    h = Hearing.objects.filter(case=ctx.case).first()
    if h and not h.held:
        return "当事人已要求听证，须先举行听证（或当事人无正当理由缺席视为放弃）。"
    return None


@guard("hearing_notice_in_time")
def hearing_notice_in_time(ctx: GuardContext) -> str | None:
    if ctx.needs("hearing_date"):
        return None
    from zhifa.rules.services import deadline

    hearing_date = ctx.data["hearing_date"]
    latest = deadline("penalty.hearing_notice", hearing_date, region_code=_region(ctx.case)).due
    if ctx.on > latest:
        return (
            f"听证定于{_ymd(hearing_date)}，应当在{_ymd(latest)}前通知当事人（举行听证七个工作日前），"
            f"{_ymd(ctx.on)}通知已经太晚，请改定听证日期。"
        )
    return None


@guard("presider_not_investigator")
def presider_not_investigator(ctx: GuardContext) -> str | None:
    if ctx.needs("presider"):
        return None
    presider = ctx.data.get("presider")
    if presider is not None and presider.pk in selectors.ever_assigned_users(ctx.case):
        return f"{presider.name}是本案的调查人员，不能担任听证主持人。"
    return None


@guard("actor_is_presider")
def actor_is_presider(ctx: GuardContext) -> str | None:
    h = Hearing.objects.filter(case=ctx.case).first()
    if h is None or h.presider_id is None:
        return None if ctx.preview else "尚未指定听证主持人。"
    if h.presider_id != getattr(ctx.actor, "pk", None):
        return f"听证须由指定的主持人{h.presider.name}主持并制作笔录。"
    return None


@guard("hearing_scheduled")
def hearing_scheduled(ctx: GuardContext) -> str | None:
    h = Hearing.objects.filter(case=ctx.case).first()
    if h is None or h.notified_on is None:
        return "尚未通知听证的时间、地点。"
    if not ctx.preview and h.held_on and ctx.on < h.held_on:
        return f"听证定于{_ymd(h.held_on)}举行，不能早于该日期记录听证。"
    return None


def _statement_done(case: Case, today: date) -> str | None:
    if (
        case.statement_waived
        or CaseRecord.objects.filter(case=case, transition="record_statement").exists()
    ):
        return None
    d = (
        deadlines.running(case, "statement")
        or case.deadlines.filter(code="statement").order_by("-id").first()
    )
    if d is None:
        return "本地区未配置陈述申辩期限（APL-37），须记录当事人的陈述申辩或明确放弃。"
    due = d.effective_due
    if due is None or today <= due:
        when = _ymd(due) if due else "（待日历录入后确定）"
        return f"陈述申辩期间尚未届满（{when}），当事人也未陈述申辩或明确放弃。"
    return None


@guard("statement_heard")
def statement_heard(ctx: GuardContext) -> str | None:
    problem = _statement_done(ctx.case, ctx.today)
    if problem:
        return problem
    return _hearing_window_open(ctx)


def _hearing_window_open(ctx: GuardContext) -> str | None:
    """The party with a hearing right has five working days from the notice
    to ask for one (行政处罚法 第六十四条第一项, APL-28). Waiving 陈述、申辩 does
    not waive it: only an express hearing waiver ends the wait early. (A
    request moves the case to 听证, so the hearing flow takes over there.)"""
    case = ctx.case
    if not case.hearing_right or case.hearing_waived:
        return None
    d = deadlines.running(case, "hearing_request")
    if d is None:
        return None
    due = d.effective_due
    # The step's own date: the statement step may not end inside the window.
    if due is not None and ctx.on > due:
        return None
    when = f"至{_ymd(due)}届满" if due else f"届满日待定：{d.calendar_note}"
    waived = "当事人已放弃陈述、申辩，但" if case.statement_waived else ""
    return (
        f"听证申请期限尚未届满（告知后五个工作日，{when}）：{waived}当事人未明确放弃听证权利。"
        "请待期限届满后再结束本环节，或记录当事人书面明确放弃听证权利（放弃陈述申辩时勾选“同时放弃听证权利”）。"
    )


@guard("notice_given")
def notice_given(ctx: GuardContext) -> str | None:
    if ctx.case.notified_on is None:
        return "尚未告知当事人拟作出的行政处罚内容及事实、理由、依据和陈述、申辩权利。"
    return _statement_done(ctx.case, ctx.today)


@guard("not_heavier")
def not_heavier(ctx: GuardContext) -> str | None:
    if ctx.needs("penalty_types"):
        return None
    fine = Decimal(ctx.data.get("fine_amount") or 0)
    notified = Decimal(ctx.case.notified_fine or 0)
    if fine > notified:
        return f"决定的罚款{fine}元高于事先告知的{notified}元，不得因当事人陈述、申辩而加重处罚。"
    # Nothing changes the proposed confiscation between 事先告知 and the
    # decision, so the proposal is what the party was told.
    confiscation, told = ctx.data.get("confiscation_amount"), ctx.case.confiscation_amount
    if confiscation is not None and told is not None and confiscation > told:
        return (
            f"决定没收的金额{confiscation}元高于事先告知的{told}元，"
            "不得因当事人陈述、申辩而加重处罚。"
        )
    extra = set(ctx.data.get("penalty_types") or []) - set(ctx.case.notified_types or [])
    if extra:
        labels = "、".join(PenaltyType(t).label for t in sorted(extra))
        return f"决定增加了事先告知中没有的处罚种类（{labels}），不得因当事人陈述、申辩而加重处罚。"
    return None


@guard("collective_if_serious")
def collective_if_serious(ctx: GuardContext) -> str | None:
    if not ctx.case.complex_or_serious:
        return None
    if CaseRecord.objects.filter(case=ctx.case, transition="collective_discussion").exists():
        return None
    return "本案为情节复杂或者重大违法行为，须经行政机关负责人集体讨论后决定。"


@guard("decision_fields")
def decision_fields(ctx: GuardContext) -> str | None:
    from zhifa.cases.documents import build_content, missing_fields

    doc_type = "summary_decision" if ctx.case.is_summary else "penalty_decision"
    if ctx.preview:
        return None
    party = ctx.case.parties.first()
    if party is None:
        return "案件没有当事人。"
    content = build_content(ctx.case, doc_type, _effective(ctx))
    missing = missing_fields(doc_type, content)
    return f"行政处罚决定书缺少：{'、'.join(missing)}。" if missing else None


def _effective(ctx: GuardContext) -> dict[str, Any]:
    return {k: v for k, v in ctx.data.items() if v not in (None, "")}


@guard("decided_first")
def decided_first(ctx: GuardContext) -> str | None:
    return None if ctx.case.decided_on else "尚未作出决定，不能送达。"


@guard("served_after_decision")
def served_after_decision(ctx: GuardContext) -> str | None:
    if ctx.case.decided_on and not ctx.preview and ctx.on < ctx.case.decided_on:
        return f"送达日期{_ymd(ctx.on)}早于决定日期{_ymd(ctx.case.decided_on)}。"
    return None


@guard("e_service_consent")
def e_service_consent(ctx: GuardContext) -> str | None:
    if ctx.data.get("method") != "electronic":
        return None
    if ctx.data.get("consent") is None and not ctx.case.e_service_consent:
        return "电子送达须附当事人签署的同意电子送达确认书。"
    return None


@guard("payment_at_bank")
def payment_at_bank(ctx: GuardContext) -> str | None:
    if ctx.data.get("channel") == "on_spot":
        return "作出罚款决定的行政机关及其执法人员不得自行收缴罚款：请当事人到指定银行或通过电子支付缴纳，当场收缴仅限简易程序的法定情形。"
    return None


@guard("amount_outstanding")
def amount_outstanding(ctx: GuardContext) -> str | None:
    if ctx.needs("amount"):
        return None
    owed = selectors.money(ctx.case, ctx.on)["outstanding"]
    if owed <= 0:
        return "罚款及加处罚款已全部缴清。"
    amount = Decimal(ctx.data.get("amount") or 0)
    if amount > owed:
        return f"缴纳金额{amount}元超过尚欠金额{owed}元。"
    return None


@guard("fine_imposed")
def fine_imposed(ctx: GuardContext) -> str | None:
    return None if ctx.case.has_fine else "本案决定不含罚款。"


@guard("payment_overdue")
def payment_overdue(ctx: GuardContext) -> str | None:
    if not ctx.case.has_fine:
        return "本案决定不含罚款。"
    due = selectors.payment_due(ctx.case)
    if due is None or ctx.today <= due:
        return f"缴款期限尚未届满{'（' + _ymd(due) + '）' if due else ''}。"
    if selectors.money(ctx.case, ctx.today)["outstanding"] <= 0:
        return "罚款已全部缴清。"
    if ctx.case.court_applied_on:
        return f"已于{_ymd(ctx.case.court_applied_on)}申请人民法院强制执行。"
    return None


@guard("surcharge_running")
def surcharge_running(ctx: GuardContext) -> str | None:
    if RemedyPeriod.objects.filter(case=ctx.case, ended_on__isnull=True).exists():
        return "加处罚款已经暂停计算。"
    return None


@guard("surcharge_paused")
def surcharge_paused(ctx: GuardContext) -> str | None:
    if RemedyPeriod.objects.filter(case=ctx.case, ended_on__isnull=True).exists():
        return None
    return "没有正在进行的复议或诉讼。"


@guard("executed")
def executed(ctx: GuardContext) -> str | None:
    case = ctx.case
    if not case.has_fine or case.court_applied_on:
        return None
    m = selectors.money(case, ctx.today)
    if m["outstanding"] <= 0:
        return None
    return f"罚款尚未执行完毕：尚欠{m['outstanding']}元（含加处罚款{m['surcharge']}元）。"


@guard("documents_issued")
def documents_issued(ctx: GuardContext) -> str | None:
    drafts = list(
        Document.objects.filter(case=ctx.case, status=Document.Status.DRAFT).values_list(
            "title", flat=True
        )
    )
    return f"还有未签发的文书草稿：{'、'.join(drafts)}。" if drafts else None


@guard("summary_eligible")
def summary_eligible(ctx: GuardContext) -> str | None:
    if ctx.needs("penalty_types"):
        return None
    types = set(ctx.data.get("penalty_types") or [])
    if not types or types - {PenaltyType.WARNING, PenaltyType.FINE}:
        return "简易程序只能作出警告或者罚款。"
    fine = Decimal(ctx.data.get("fine_amount") or 0)
    kind = ctx.case.party_kind
    rule = (
        "penalty.summary_fine_citizen" if kind == "natural" else "penalty.summary_fine_organisation"
    )
    limit = rule_value(rule, region_code=_region(ctx.case), on_date=ctx.on)
    if fine > limit:
        who = "公民" if kind == "natural" else "法人或者其他组织"
        return f"对{who}当场罚款不得超过{limit}元，本案{fine}元应适用普通程序。"
    return None


@guard("onsite_collection_allowed")
def onsite_collection_allowed(ctx: GuardContext) -> str | None:
    if ctx.needs("ground", "amount"):
        return None
    if ctx.data.get("ground") == "small":
        limit = rule_value("penalty.onsite_collection", region_code=_region(ctx.case))
        if Decimal(ctx.case.fine_amount or 0) > limit:
            return (
                f"罚款{ctx.case.fine_amount}元超过{limit}元，不属于“依法给予一百元以下罚款”的情形。"
            )
    return None


@guard("extension_basis")
def extension_basis(ctx: GuardContext) -> str | None:
    if deadlines.running(ctx.case, "decide") is None:
        return "没有正在计算的办案期限。"
    if not ctx.preview and not (ctx.data.get("basis") or "").strip():
        return "延长办案期限须写明法律、法规、规章的依据。"
    return None


@guard("outcome_recordable")
def outcome_recordable(ctx: GuardContext) -> str | None:
    if not ctx.case.decided_on:
        return "尚未作出决定。"
    if ctx.case.outcome_kind in ("revoked", "void"):
        return "决定已被撤销或确认无效。"
    return None


@guard("party_old_enough")
def party_old_enough(ctx: GuardContext) -> str | None:
    from zhifa.cases.parties import under_14

    act = ctx.case.act_date or ctx.on
    young = [p.name for p in ctx.case.parties.all() if p.birth_date and under_14(p.birth_date, act)]
    if young:
        return f"当事人{'、'.join(young)}在违法行为发生时不满十四周岁，不予行政处罚，应责令监护人加以管教。"
    return None


@guard("cash_held")
def cash_held(ctx: GuardContext) -> str | None:
    return (
        None
        if deadlines.running(ctx.case, "cash_handover")
        else "没有尚未交至行政机关的当场收缴罚款。"
    )


def check(code: str, ctx: GuardContext) -> str | None:
    return GUARD_FUNCTIONS[code](ctx)


__all__ = ["GUARD_FUNCTIONS", "GuardContext", "check", "user_roles"]
