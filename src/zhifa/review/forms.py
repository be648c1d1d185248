"""Forms of the legal review pages. They only parse: every rule (what must be
ticked, who may do what, what an opinion must say) is the services', whose
refusals the pages show with their citations. Fields are therefore mostly
optional here, so a missing reason reaches the service and comes back with
the provision that requires it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from zhifa.cases.views_forms import DateInput
from zhifa.orgs.models import Agency
from zhifa.review.models import FindingKind, Material, Outcome, Point, Result, Suggestion, Via


def _text(rows: int = 3, **attrs) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


class ServiceErrorsMixin:
    """Bind a service's `InvalidInput.errors` to fields (`ERROR_FIELDS` renames keys)."""

    ERROR_FIELDS: dict[str, str] = {}

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for key, messages in errors.items():
            field = self.ERROR_FIELDS.get(key, key)
            self.add_error(field if field in self.fields else None, messages)


class SubmitForm(ServiceErrorsMixin, forms.Form):
    """提交法制审核: the unit confirms each 送审材料 it sends (GB118-20)."""

    materials = forms.MultipleChoiceField(
        label="送审材料（请逐项核对后勾选）",
        choices=Material.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_description = forms.CharField(label="“其他”材料的名称", required=False, max_length=200)
    note = forms.CharField(label="送审说明", widget=_text(3), required=False)
    response = forms.CharField(
        label="对上一轮审核意见的答复",
        widget=_text(5),
        required=False,
        help_text="逐条写明对审核意见的研究处理情况：已变更、纠正、补充的内容，或者不予采纳的理由。",
    )

    def __init__(self, *args, required: list[str], needs_response: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].choices = [
            (code, f"{label}（须报送）" if code in required else label)
            for code, label in Material.choices
        ]
        if not needs_response:
            del self.fields["response"]

    def materials_map(self) -> dict[str, Any]:
        chosen = self.cleaned_data.get("materials") or []
        out: dict[str, Any] = {code: True for code in chosen}
        if self.cleaned_data.get("other_description"):
            out["other_description"] = self.cleaned_data["other_description"]
        return out


class OpinionForm(ServiceErrorsMixin, forms.Form):
    """The checklist (one finding and note per point), the result, suggestions and reasons."""

    result = forms.ChoiceField(
        label="审核意见", choices=Result.choices, widget=forms.RadioSelect, required=False
    )
    suggestions = forms.MultipleChoiceField(
        label="审核建议（存在问题的）",
        choices=Suggestion.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reasons = forms.CharField(
        label="理由",
        widget=_text(6),
        required=False,
        help_text="同意的，写明审核认定的事实、证据、依据和程序；存在问题的，写明问题及建议的依据。",
    )
    note = forms.CharField(label="其他需要说明的事项", widget=_text(2), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for point in Point:
            self.fields[f"finding_{point.value}"] = forms.ChoiceField(
                label=point.label,
                choices=FindingKind.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"note_{point.value}"] = forms.CharField(
                label=f"{point.label}：说明", widget=_text(2), required=False
            )
        self.ERROR_FIELDS = {f"findings.{p.value}": f"finding_{p.value}" for p in Point}

    @property
    def points(self) -> list[tuple[Point, forms.BoundField, forms.BoundField]]:
        return [(p, self[f"finding_{p.value}"], self[f"note_{p.value}"]) for p in Point]

    def findings(self) -> dict[str, tuple[str, str]]:
        """Only the points the reviewer answered: the service names the rest."""
        out = {}
        for point in Point:
            finding = self.cleaned_data.get(f"finding_{point.value}")
            if finding:
                out[point.value] = (finding, self.cleaned_data.get(f"note_{point.value}", ""))
        return out


class ReturnForm(ServiceErrorsMixin, forms.Form):
    missing = forms.MultipleChoiceField(
        label="缺少的送审材料",
        choices=Material.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="案件在送审后发生变化的，可不选材料，写明退回理由即可。",
    )
    note = forms.CharField(label="退回理由", widget=_text(3), required=False)


class AssignForm(ServiceErrorsMixin, forms.Form):
    """The reviewer, from the agency's legal reviewers (the template marks who may not)."""

    reviewer = forms.ModelChoiceField(label="审核人员", queryset=None, empty_label="请选择")

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class ConflictForm(ServiceErrorsMixin, forms.Form):
    reviewer = forms.ModelChoiceField(
        label="回避的审核人员", queryset=None, required=False, empty_label="本人"
    )
    reason = forms.CharField(label="回避理由", widget=_text(2), required=False)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class ExtendForm(ServiceErrorsMixin, forms.Form):
    days = forms.IntegerField(label="延长（工作日）", required=False, min_value=1, max_value=365)
    reason = forms.CharField(label="延长理由", widget=_text(2), required=False)


class DisputeForm(ServiceErrorsMixin, forms.Form):
    reasons = forms.CharField(
        label="异议理由和依据",
        widget=_text(4),
        required=False,
        help_text="提交机关负责人决定，或者由机关负责人提请集体讨论决定。",
    )


class ResolveForm(ServiceErrorsMixin, forms.Form):
    via = forms.ChoiceField(
        label="决定方式", choices=Via.choices, widget=forms.RadioSelect, required=False
    )
    participants = forms.CharField(
        label="参加集体讨论的人员（集体讨论决定的）",
        widget=_text(2),
        required=False,
        help_text="写明姓名和职务，例如：陈静（局长）、王芳（综合行政执法大队队长）……",
    )
    outcome = forms.ChoiceField(
        label="决定结果", choices=Outcome.choices, widget=forms.RadioSelect, required=False
    )
    decision = forms.CharField(label="决定内容和理由", widget=_text(4), required=False)


class PolicyForm(ServiceErrorsMixin, forms.Form):
    """本机关的审核期限、延长上限、人员比例; an empty value leaves it to the rule."""

    time_limit_working_days = forms.IntegerField(
        label="法制审核期限（工作日）", required=False, min_value=1, max_value=365
    )
    time_limit_basis = forms.CharField(label="审核期限的依据", widget=_text(2), required=False)
    extension_max_working_days = forms.IntegerField(
        label="经批准最多可延长（工作日）", required=False, min_value=0, max_value=365
    )
    extension_basis = forms.CharField(label="延长上限的依据", widget=_text(2), required=False)
    reviewer_ratio = forms.DecimalField(
        label="法制审核人员占执法人员的比例（不少于，小数，如 0.05 即 5%）",
        required=False,
        max_digits=5,
        decimal_places=4,
    )
    reviewer_ratio_basis = forms.CharField(label="比例的依据", widget=_text(2), required=False)


class PeriodForm(forms.Form):
    """Which agency and which submission dates the figures cover."""

    agency = forms.ModelChoiceField(label="执法主体", queryset=None, empty_label=None)
    start = forms.DateField(label="送审日期自", widget=DateInput)
    end = forms.DateField(label="至", widget=DateInput)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if isinstance(start, date) and isinstance(end, date) and start > end:
            self.add_error("end", "结束日期不能早于开始日期。")
        return data


class AgencyForm(forms.Form):
    agency = forms.ModelChoiceField(label="执法主体", queryset=Agency.objects.none())

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ClaimForm(ServiceErrorsMixin, forms.Form):
    """认领: nothing to fill in; here so a refusal comes back like any other form's."""
