"""The form of each transition (by the definition's `form` code).

Every form carries `on` — the date the step happened — which may not be in
the future nor before the case was registered (or, once filed, before 立案).
Forms only check shape and dates; the law is checked by the guards.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.db import models
from django.utils import timezone

from zhifa.cases.models import (
    CaseEvidence,
    DecisionKind,
    OutcomeKind,
    Payment,
    PaymentPlan,
    Recusal,
    RemedyPeriod,
)
from zhifa.catalog.models import EnforcementItem, Grade, PenaltyType
from zhifa.officers.models import Officer
from zhifa.orgs.models import User

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0")}


class StepForm(forms.Form):
    on = forms.DateField(label="日期", required=False, help_text="本环节发生的日期，默认今天。")
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)

    def clean_on(self) -> date:
        on = self.cleaned_data.get("on") or timezone.localdate()
        if on > timezone.localdate():
            raise forms.ValidationError("日期不能晚于今天。")
        if on < self.case.registered_on:
            raise forms.ValidationError(
                f"日期不能早于案件登记日期（{self.case.registered_on:%Y年%-m月%-d日}）。"
            )
        if self.case.filed_on and on < self.case.filed_on:
            raise forms.ValidationError(
                f"日期不能早于立案日期（{self.case.filed_on:%Y年%-m月%-d日}）。"
            )
        if self.case.decided_on and on < self.case.decided_on:
            raise forms.ValidationError(
                f"日期不能早于决定日期（{self.case.decided_on:%Y年%-m月%-d日}）。"
            )
        return on

    def agency_officers(self):
        return Officer.objects.filter(agency=self.case.agency, is_auxiliary=False).select_related(
            "user"
        )

    def case_officers(self):
        return Officer.objects.filter(
            case_assignments__case=self.case, case_assignments__removed_on__isnull=True
        )


class ReasonForm(StepForm):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(StepForm):
    pass


class RecordingMixin(forms.Form):
    no_recording_reason = forms.CharField(
        label="未录音录像的理由",
        required=False,
        help_text="按音像记录事项清单应当录音录像而未录的，写明理由。",
    )


class OfficersPresentMixin(forms.Form):
    officers_present = forms.ModelMultipleChoiceField(
        label="在场执法人员", queryset=Officer.objects.none()
    )

    def offer_officers_present(self) -> None:
        """Any officer of the agency may have been there, but on site it is
        normally the case's own: they come first and are ticked on a new form,
        so the phone needs no tap for them (the gate still checks who is
        ticked, 行政处罚法 第四十二条)."""
        own = list(self.case_officers().values_list("pk", flat=True))
        first = models.Case(models.When(pk__in=own, then=0), default=1)
        self.fields["officers_present"].queryset = (
            self.agency_officers().annotate(case_first=first).order_by("case_first", "name")
        )
        self.fields["officers_present"].initial = own


class AuxiliariesPresentMixin(forms.Form):
    """执法辅助人员 who assisted (e.g. kept the record): listed in the 笔录, never
    counted among the two certified officers and never signing as one
    (rules.md CERT-04; the gate sees only `officers_present`)."""

    auxiliaries_present = forms.ModelMultipleChoiceField(
        label="在场辅助人员",
        queryset=Officer.objects.none(),
        required=False,
        help_text="协助询问、检查或记录的执法辅助人员；不计入两名执法人员。",
    )

    def _auxiliaries(self, case):
        return Officer.objects.filter(agency=case.agency, is_auxiliary=True).order_by("name")

    def clean_auxiliaries_present(self):
        people = list(self.cleaned_data.get("auxiliaries_present") or [])
        on = self.cleaned_data.get("on") or timezone.localdate()
        gone = [p.name for p in people if p.left_on and p.left_on <= on]
        if gone:
            raise forms.ValidationError(f"{'、'.join(gone)}已离岗，不能记为在场辅助人员。")
        return people


class FileForm(StepForm):
    item = forms.ModelChoiceField(label="执法事项", queryset=EnforcementItem.objects.none())
    act_date = forms.DateField(label="违法行为发生日期")
    act_ended_on = forms.DateField(label="连续或者继续状态终了日期", required=False)
    safety_harm = forms.BooleanField(label="涉及生命健康安全、金融安全且有危害后果", required=False)
    officers = forms.ModelMultipleChoiceField(label="承办执法人员", queryset=Officer.objects.none())
    lead = forms.ModelChoiceField(label="主办人", queryset=Officer.objects.none())
    opinion = forms.CharField(label="审批意见", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["item"].queryset = EnforcementItem.objects.filter(agency=case.agency)
        self.fields["officers"].queryset = Officer.objects.filter(agency=case.agency)
        self.fields["lead"].queryset = Officer.objects.filter(
            agency=case.agency, is_auxiliary=False
        )

    def clean(self):
        data = super().clean()
        act, ended, on = data.get("act_date"), data.get("act_ended_on"), data.get("on")
        if act and on and act > on:
            self.add_error("act_date", "违法行为发生日期不能晚于立案日期。")
        if act and ended and ended < act:
            self.add_error("act_ended_on", "终了日期不能早于发生日期。")
        lead, officers = data.get("lead"), data.get("officers")
        if lead and officers is not None and lead not in officers:
            self.add_error("lead", "主办人须是承办执法人员之一。")
        return data


class InquiryForm(RecordingMixin, AuxiliariesPresentMixin, OfficersPresentMixin, StepForm):
    person = forms.CharField(label="被询问人", max_length=60)
    relation = forms.ChoiceField(
        label="身份", choices=[("party", "当事人"), ("witness", "证人"), ("other", "其他")]
    )
    place = forms.CharField(label="询问地点", max_length=200)
    content = forms.CharField(label="询问内容", widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.offer_officers_present()
        self.fields["auxiliaries_present"].queryset = self._auxiliaries(case)


class InspectionForm(RecordingMixin, AuxiliariesPresentMixin, OfficersPresentMixin, StepForm):
    place = forms.CharField(label="检查地点", max_length=200)
    content = forms.CharField(label="检查情况", widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.offer_officers_present()
        # Most inspections are where the case happened: one field less to type.
        self.fields["place"].initial = case.place
        self.fields["auxiliaries_present"].queryset = self._auxiliaries(case)


class PreservationForm(RecordingMixin, OfficersPresentMixin, StepForm):
    items = forms.CharField(label="物品清单", widget=forms.Textarea(attrs={"rows": 4}))
    place = forms.CharField(label="保存地点", max_length=200)
    approved_by = forms.ModelChoiceField(label="批准的行政机关负责人", queryset=User.objects.none())

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.offer_officers_present()
        self.fields["approved_by"].queryset = User.objects.filter(
            role_assignments__agency=case.agency, role_assignments__active=True
        ).distinct()


class PreservationDecisionForm(StepForm):
    decision = forms.ChoiceField(
        label="处理决定",
        choices=[
            ("release", "解除先行登记保存"),
            ("seize", "依法查封、扣押"),
            ("confiscate", "依法没收"),
            ("transfer", "移送有关机关"),
        ],
    )


class RecusalForm(StepForm):
    officer = forms.ModelChoiceField(label="申请回避的执法人员", queryset=Officer.objects.none())
    raised_by = forms.ChoiceField(label="提出方", choices=Recusal.RaisedBy.choices)
    reason = forms.CharField(label="回避理由", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["officer"].queryset = self.case_officers()


class RecusalDecisionForm(StepForm):
    recusal = forms.ModelChoiceField(label="回避申请", queryset=Recusal.objects.none())
    granted = forms.TypedChoiceField(
        label="决定", choices=[("yes", "准予回避"), ("no", "驳回申请")], coerce=lambda v: v == "yes"
    )
    reason = forms.CharField(label="决定理由", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["recusal"].queryset = Recusal.objects.filter(case=case, granted__isnull=True)


class ExtensionForm(StepForm):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=366)
    basis = forms.CharField(
        label="延长依据",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="写明法律、法规、规章的条款和批准情况。",
    )


class ProposalForm(StepForm):
    facts = forms.CharField(label="违法事实", widget=forms.Textarea(attrs={"rows": 6}))
    evidence_summary = forms.CharField(label="证据", widget=forms.Textarea(attrs={"rows": 4}))
    legal_basis = forms.CharField(label="处罚依据", widget=forms.Textarea(attrs={"rows": 3}))
    decision_kind = forms.ChoiceField(label="处理意见", choices=DecisionKind.choices)
    penalty_types = forms.MultipleChoiceField(
        label="处罚种类", choices=PenaltyType.choices, required=False
    )
    fine_amount = forms.DecimalField(label="罚款金额（元）", required=False, **MONEY)
    confiscation_amount = forms.DecimalField(label="没收金额（元）", required=False, **MONEY)
    illegal_gains = forms.DecimalField(label="违法所得（元）", required=False, **MONEY)
    discretion_standard = forms.IntegerField(label="裁量基准", required=False, widget=forms.Select)
    discretion_grade = forms.ChoiceField(
        label="裁量阶次", choices=[("", "—"), *Grade.choices], required=False
    )
    circumstances = forms.CharField(
        label="裁量情形代码", required=False, help_text="多个以逗号分隔。"
    )
    outside_benchmark_reasons = forms.CharField(
        label="超出裁量基准的理由", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    complex_or_serious = forms.BooleanField(label="情节复杂或者重大违法行为", required=False)
    public_interest = forms.BooleanField(label="涉及重大公共利益", required=False)
    difficult = forms.BooleanField(label="疑难复杂、涉及多个法律关系", required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        version = case.item_version
        standards = list(version.discretion_standards.all()) if version else []
        self.fields["discretion_standard"].widget.choices = [("", "—")] + [
            (s.pk, s.violation) for s in standards
        ]
        self._standards = {s.pk: s for s in standards}

    def clean_circumstances(self) -> list[str]:
        raw = self.cleaned_data.get("circumstances") or ""
        return [c.strip() for c in raw.replace("，", ",").split(",") if c.strip()]

    def clean(self):
        data = super().clean()
        kind = data.get("decision_kind")
        types = data.get("penalty_types") or []
        fine = data.get("fine_amount")
        if kind == DecisionKind.PENALTY:
            if not types:
                self.add_error(
                    "penalty_types", "给予行政处罚的，须选择处罚种类（行政处罚法第九条）。"
                )
            if PenaltyType.FINE in types and not fine:
                self.add_error("fine_amount", "处罚种类含罚款的，须填写大于零的罚款金额。")
            if fine and PenaltyType.FINE not in types:
                self.add_error("fine_amount", "填写了罚款金额，但处罚种类未选罚款。")
        elif types or fine:
            self.add_error("decision_kind", "不给予行政处罚的，不应填写处罚种类或罚款金额。")
        std = data.get("discretion_standard")
        if std is not None:
            if std not in self._standards:
                self.add_error("discretion_standard", "所选裁量基准不属于本案执法事项的适用版本。")
            else:
                data["discretion_standard"] = self._standards[std]
        return data


class ReviewSubmissionForm(StepForm):
    pass


class NoticeForm(StepForm):
    pass


class StatementForm(StepForm):
    content = forms.CharField(label="陈述、申辩内容", widget=forms.Textarea(attrs={"rows": 5}))
    adopted = forms.ChoiceField(
        label="复核结论",
        choices=[
            ("adopted", "成立，予以采纳"),
            ("partly", "部分采纳"),
            ("rejected", "不成立，不予采纳"),
        ],
    )
    review_reason = forms.CharField(label="复核理由", widget=forms.Textarea(attrs={"rows": 3}))
    revised_fine = forms.DecimalField(label="采纳后的罚款金额（元）", required=False, **MONEY)


class WaiverForm(StepForm):
    """放弃陈述、申辩; where the party has a hearing right (第六十三条), it may
    expressly waive the hearing too — never implied by the statement waiver,
    so the five working days to ask for one otherwise run out first (第六十四条)."""

    statement = forms.CharField(
        label="当事人放弃陈述申辩的书面表示", widget=forms.Textarea(attrs={"rows": 2})
    )
    waives_hearing = forms.BooleanField(
        label="同时放弃听证权利",
        required=False,
        help_text="仅在当事人书面明确表示放弃要求听证的权利时勾选；未勾选的，"
        "须待告知后五个工作日的听证申请期限届满（行政处罚法第六十四条）。",
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if not case.hearing_right:
            # Offered only to a party that has the right (第六十三条).
            del self.fields["waives_hearing"]

    def clean(self):
        data = super().clean()
        if "waives_hearing" not in self.fields and forms.BooleanField().to_python(
            self.data.get("waives_hearing")
        ):
            # The field is not on this form: name it all the same.
            self._errors["waives_hearing"] = self.error_class(
                [
                    "同时放弃听证权利：本案拟作出的处罚不属于行政处罚法第六十三条规定的听证范围，"
                    "当事人不享有听证权利，无从放弃；请不要填写此项。"
                ]
            )
        return data


class HearingWaiverForm(StepForm):
    """放弃听证 on its own, e.g. after the party has made its statement: only an
    express written waiver ends the five working days early (第六十四条)."""

    statement = forms.CharField(
        label="当事人放弃听证权利的书面表示", widget=forms.Textarea(attrs={"rows": 2})
    )


class HearingRequestForm(StepForm):
    pass


class HearingScheduleForm(StepForm):
    hearing_date = forms.DateField(label="听证日期")
    place = forms.CharField(label="听证地点", max_length=200)
    presider = forms.ModelChoiceField(label="听证主持人", queryset=User.objects.none())
    public = forms.BooleanField(label="公开举行", required=False, initial=True)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["presider"].queryset = User.objects.filter(
            role_assignments__agency=case.agency, role_assignments__active=True
        ).distinct()

    def clean(self):
        data = super().clean()
        if data.get("hearing_date") and data.get("on") and data["hearing_date"] <= data["on"]:
            self.add_error("hearing_date", "听证日期须晚于通知日期。")
        return data


class HearingRecordForm(RecordingMixin, StepForm):
    content = forms.CharField(label="听证笔录", widget=forms.Textarea(attrs={"rows": 8}))
    party_absent = forms.BooleanField(
        label="当事人无正当理由缺席或中途退出（视为放弃听证）", required=False
    )


class CollectiveForm(StepForm):
    participants = forms.CharField(label="参加人员", max_length=300)
    discussion = forms.CharField(label="讨论情况", widget=forms.Textarea(attrs={"rows": 5}))
    conclusion = forms.CharField(label="讨论决定", widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(StepForm):
    penalty_types = forms.MultipleChoiceField(label="处罚种类", choices=PenaltyType.choices)
    fine_amount = forms.DecimalField(label="罚款金额（元）", required=False, **MONEY)
    confiscation_amount = forms.DecimalField(label="没收金额（元）", required=False, **MONEY)
    bank = forms.CharField(label="指定缴款银行", max_length=100, required=False)

    def clean(self):
        data = super().clean()
        types, fine = data.get("penalty_types") or [], data.get("fine_amount")
        if PenaltyType.FINE in types and not fine:
            self.add_error("fine_amount", "处罚种类含罚款的，须填写大于零的罚款金额。")
        if fine and PenaltyType.FINE not in types:
            self.add_error("fine_amount", "填写了罚款金额，但处罚种类未选罚款。")
        return data


class NoPenaltyForm(StepForm):
    reason = forms.CharField(label="不予处罚的理由和依据", widget=forms.Textarea(attrs={"rows": 3}))


class TransferForm(StepForm):
    organ = forms.CharField(label="接收机关", max_length=100)
    reason = forms.CharField(label="移送理由", widget=forms.Textarea(attrs={"rows": 3}))


SERVICE_METHODS = [
    ("on_spot", "宣告后当场交付"),
    ("direct", "直接送达"),
    ("leaving", "留置送达"),
    ("mail", "邮寄送达"),
    ("electronic", "电子送达"),
    ("public_notice", "公告送达"),
]


class ServiceForm(RecordingMixin, StepForm):
    method = forms.ChoiceField(label="送达方式", choices=SERVICE_METHODS)
    recipient = forms.CharField(label="受送达人", max_length=60)
    consent = forms.ModelChoiceField(
        label="电子送达确认书（证据）",
        queryset=CaseEvidence.objects.none(),
        required=False,
        help_text="电子送达须有当事人签署的同意确认书（行政处罚法第六十一条）。",
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["consent"].queryset = CaseEvidence.objects.filter(case=case)


class PaymentForm(StepForm):
    amount = forms.DecimalField(
        label="缴纳金额（元）", max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    channel = forms.ChoiceField(label="缴纳方式", choices=Payment.Channel.choices)
    receipt_number = forms.CharField(label="缴款凭证号", max_length=60)


class DeferralForm(StepForm):
    kind = forms.ChoiceField(label="方式", choices=PaymentPlan.Kind.choices)
    reason = forms.CharField(label="当事人申请理由", widget=forms.Textarea(attrs={"rows": 2}))
    schedule = forms.CharField(
        label="缴纳安排",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一期：日期 金额，例如 2026-12-31 500",
    )

    def clean_schedule(self) -> list[dict]:
        rows = []
        for n, line in enumerate((self.cleaned_data.get("schedule") or "").splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            try:
                day, amount = line.split()
                rows.append(
                    {
                        "due": date.fromisoformat(day).isoformat(),
                        "amount": str(Decimal(amount).quantize(Decimal("0.01"))),
                    }
                )
            except (ValueError, ArithmeticError) as exc:
                raise forms.ValidationError(
                    f"第{n}行“{line}”应为“日期 金额”，例如 2026-12-31 500。"
                ) from exc
        if not rows:
            raise forms.ValidationError("至少填写一期缴纳安排。")
        return rows


class RemedyStartedForm(StepForm):
    kind = forms.ChoiceField(label="救济途径", choices=RemedyPeriod.Kind.choices)
    body = forms.CharField(label="复议机关或法院", max_length=100)


class RemedyEndedForm(StepForm):
    pass


class CourtEnforcementForm(StepForm):
    court = forms.CharField(label="人民法院", max_length=100)
    reference = forms.CharField(label="申请文号", max_length=60, required=False)


class OutcomeForm(StepForm):
    kind = forms.ChoiceField(label="结果", choices=OutcomeKind.choices)
    body = forms.CharField(label="作出机关", max_length=100)
    reference = forms.CharField(label="文书文号", max_length=60)

    def clean_on(
        self,
    ) -> date:  # an outcome may come after closure; only the decision date bounds it
        on = self.cleaned_data.get("on") or timezone.localdate()
        if on > timezone.localdate():
            raise forms.ValidationError("日期不能晚于今天。")
        if self.case.decided_on and on < self.case.decided_on:
            raise forms.ValidationError("结果日期不能早于决定日期。")
        return on


class ClosureForm(StepForm):
    opinion = forms.CharField(label="结案意见", widget=forms.Textarea(attrs={"rows": 2}))


class SummaryDecisionForm(RecordingMixin, OfficersPresentMixin, StepForm):
    # The item names the enforcement category the officers' certificates must
    # cover (行政处罚法 第四十二条; rules.md §15.1 第1项) and the power relied on.
    item = forms.ModelChoiceField(label="执法事项", queryset=EnforcementItem.objects.none())
    facts = forms.CharField(label="违法事实", widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label="处罚依据", widget=forms.Textarea(attrs={"rows": 2}))
    penalty_types = forms.MultipleChoiceField(
        label="处罚种类",
        choices=[
            (PenaltyType.WARNING, PenaltyType.WARNING.label),
            (PenaltyType.FINE, PenaltyType.FINE.label),
        ],
    )
    fine_amount = forms.DecimalField(label="罚款金额（元）", required=False, **MONEY)
    statement = forms.CharField(
        label="当事人陈述、申辩", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    place = forms.CharField(label="地点", max_length=200)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.offer_officers_present()
        self.fields["item"].queryset = EnforcementItem.objects.filter(agency=case.agency)

    def clean(self):
        data = super().clean()
        types, fine = data.get("penalty_types") or [], data.get("fine_amount")
        if PenaltyType.FINE in types and not fine:
            self.add_error("fine_amount", "处罚种类含罚款的，须填写大于零的罚款金额。")
        if fine and PenaltyType.FINE not in types:
            self.add_error("fine_amount", "填写了罚款金额，但处罚种类未选罚款。")
        item, on = data.get("item"), data.get("on")
        if item and on and item.version_on(on) is None:
            self.add_error("item", f"执法事项“{item}”在{on:%Y年%-m月%-d日}没有有效版本。")
        return data


class OnsiteCollectionForm(StepForm):
    amount = forms.DecimalField(
        label="收缴金额（元）", max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    ground = forms.ChoiceField(
        label="当场收缴的情形",
        choices=[
            ("small", "依法给予一百元以下罚款的"),
            ("hard", "不当场收缴事后难以执行的"),
            ("remote", "边远、水上、交通不便地区，当事人提出"),
        ],
    )
    receipt_number = forms.CharField(label="财政部门统一制发的专用票据号", max_length=60)


class CashHandoverForm(StepForm):
    received_by = forms.CharField(label="机关接收人", max_length=60)
    voucher = forms.CharField(label="交接凭证号", max_length=60)


FORMS: dict[str, type[StepForm]] = {
    "": NoteForm,
    "reason": ReasonForm,
    "reason_optional": NoteForm,
    "file": FileForm,
    "inquiry": InquiryForm,
    "inspection": InspectionForm,
    "preservation": PreservationForm,
    "preservation_decision": PreservationDecisionForm,
    "recusal": RecusalForm,
    "recusal_decision": RecusalDecisionForm,
    "extension": ExtensionForm,
    "proposal": ProposalForm,
    "review_submission": ReviewSubmissionForm,
    "notice": NoticeForm,
    "statement": StatementForm,
    "waiver": WaiverForm,
    "hearing_waiver": HearingWaiverForm,
    "hearing_request": HearingRequestForm,
    "hearing_schedule": HearingScheduleForm,
    "hearing_record": HearingRecordForm,
    "collective": CollectiveForm,
    "decision": DecisionForm,
    "no_penalty": NoPenaltyForm,
    "transfer": TransferForm,
    "service": ServiceForm,
    "payment": PaymentForm,
    "deferral": DeferralForm,
    "remedy_started": RemedyStartedForm,
    "remedy_ended": RemedyEndedForm,
    "court_enforcement": CourtEnforcementForm,
    "outcome": OutcomeForm,
    "closure": ClosureForm,
    "summary_decision": SummaryDecisionForm,
    "onsite_collection": OnsiteCollectionForm,
    "cash_handover": CashHandoverForm,
}
