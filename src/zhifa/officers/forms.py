"""Forms for the staff registry pages. They parse input; services validate and write."""

from __future__ import annotations

from django import forms

from zhifa.officers.models import (
    Certificate,
    EmploymentStatus,
    ExamKind,
    LeaveReason,
    ReviewOutcome,
)
from zhifa.orgs.models import Agency, EnforcementCategory, Region, Unit

DATE = forms.DateInput(attrs={"type": "date"})


class OfficerRegisterForm(forms.Form):
    agency = forms.ModelChoiceField(Agency.objects.none(), label="执法主体")
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="公民身份号码", max_length=18)
    unit = forms.ModelChoiceField(Unit.objects.none(), label="承办机构", required=False)
    post = forms.CharField(label="岗位", max_length=100)
    employment_status = forms.ChoiceField(label="编制状态", choices=EmploymentStatus.choices)
    is_auxiliary = forms.BooleanField(label="执法辅助人员（无执法证件）", required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["unit"].queryset = Unit.objects.filter(agency__in=agencies)
        if agencies.count() == 1:
            self.fields["agency"].initial = agencies.first()

    def clean(self):
        data = super().clean()
        unit, agency = data.get("unit"), data.get("agency")
        if unit and agency and unit.agency_id != agency.pk:
            self.add_error("unit", f"承办机构“{unit.name}”不属于“{agency.name}”。")
        return data


class CertificateIssueForm(forms.Form):
    number = forms.CharField(label="证件编号", max_length=40)
    categories = forms.ModelMultipleChoiceField(
        EnforcementCategory.objects.none(), label="执法类别", widget=forms.CheckboxSelectMultiple
    )
    area = forms.ModelChoiceField(Region.objects.none(), label="执法区域")
    issued_on = forms.DateField(label="发证日期", widget=DATE)
    expires_on = forms.DateField(
        label="有效期至", widget=DATE, required=False, help_text="留空则按本省规定的有效期计算。"
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = agency.categories.all()
        self.fields["area"].queryset = Region.objects.within(agency.region)
        self.fields["area"].initial = agency.region


class StatusChangeForm(forms.Form):
    ACTIONS = [
        ("suspend", "暂扣"),
        ("reinstate", "恢复"),
        ("revoke", "注销"),
        ("hand_back", "登记证件交回"),
    ]
    certificate = forms.ModelChoiceField(Certificate.objects.none(), label="执法证件")
    action = forms.ChoiceField(label="事项", choices=ACTIONS)
    reason = forms.CharField(label="原因", max_length=200, required=False)
    on_date = forms.DateField(label="日期", widget=DATE)

    def __init__(self, *args, certificates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].queryset = certificates

    def clean(self):
        data = super().clean()
        if data.get("action") in {"suspend", "reinstate", "revoke"} and not data.get("reason"):
            self.add_error("reason", "暂扣、恢复和注销执法证件必须写明原因。")
        return data


class AnnualReviewForm(forms.Form):
    certificate = forms.ModelChoiceField(Certificate.objects.none(), label="执法证件")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    outcome = forms.ChoiceField(label="结果", choices=ReviewOutcome.choices)
    reviewed_on = forms.DateField(label="审核日期", widget=DATE)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, certificates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].queryset = certificates


class ExamForm(forms.Form):
    kind = forms.ChoiceField(label="考试类型", choices=ExamKind.choices)
    category = forms.ModelChoiceField(
        EnforcementCategory.objects.none(), label="专业类别", required=False
    )
    taken_on = forms.DateField(label="考试日期", widget=DATE)
    score = forms.DecimalField(label="成绩", max_digits=5, decimal_places=1, required=False)
    passed = forms.BooleanField(label="通过", required=False)

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = agency.categories.all()


class LeaveForm(forms.Form):
    left_on = forms.DateField(label="离岗日期", widget=DATE)
    reason = forms.ChoiceField(label="离岗原因", choices=LeaveReason.choices)
    handed_back_on = forms.DateField(
        label="证件交回日期", widget=DATE, required=False, help_text="证件已交回的，填写交回日期。"
    )
