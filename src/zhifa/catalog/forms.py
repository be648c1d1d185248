"""Forms for the staff catalog pages. They parse input; services validate and write."""

from __future__ import annotations

from django import forms

from zhifa.catalog.lists import GUIDE_FIELDS
from zhifa.catalog.models import (
    AvRequirement,
    AvStep,
    Grade,
    ItemKind,
    LegalBasis,
    PenaltyType,
)
from zhifa.orgs.models import Agency, EnforcementCategory, Unit
from zhifa.procedures import PROCEDURES

DATE = forms.DateInput(attrs={"type": "date"})
BASIS_FIELDS = ("law", "article", "clause", "text", "role")


def procedure_field() -> forms.Field:
    """The case engine's procedure definitions (`zhifa.procedures`); every one may be
    chosen, including those whose cases are not handled online yet."""
    return forms.ChoiceField(
        label="适用程序",
        choices=[("", "——请选择——")] + [(p.code, p.label) for p in PROCEDURES.values()],
    )


# Up to three legal bases per submission (a law that sets the duty, the
# article that sets the penalty, a procedure rule); more through Excel.
BASIS_SUFFIXES = ("", "_2", "_3")


def _basis_fields(suffix: str) -> dict[str, forms.Field]:
    number = "" if not suffix else f"（{suffix[1:]}）"
    return {
        f"law{suffix}": forms.CharField(
            label=f"法律法规名称{number}", max_length=200, required=False
        ),
        f"article{suffix}": forms.CharField(
            label=f"条{number}",
            max_length=40,
            required=False,
            help_text="例如：第十条" if not suffix else "",
        ),
        f"clause{suffix}": forms.CharField(label=f"款、项{number}", max_length=40, required=False),
        f"text{suffix}": forms.CharField(
            label=f"条文内容{number}", widget=forms.Textarea(attrs={"rows": 4}), required=False
        ),
        f"role{suffix}": forms.ChoiceField(
            label=f"依据类型{number}",
            choices=LegalBasis.Role.choices,
            initial=LegalBasis.Role.AUTHORITY,
            required=not suffix,
        ),
    }


class BasisMixin(forms.Form):
    """Legal bases (执法依据): the first set of fields, plus up to two more."""

    locals().update(_basis_fields(""))
    locals().update(_basis_fields("_2"))
    locals().update(_basis_fields("_3"))

    def _given(self, suffix: str) -> bool:
        return any(self.cleaned_data.get(f + suffix) for f in ("law", "article", "clause", "text"))

    def basis_given(self) -> bool:
        return any(self._given(suffix) for suffix in BASIS_SUFFIXES)

    def basis_row(self, suffix: str = "") -> dict:
        row = {f: self.cleaned_data.get(f + suffix, "") for f in BASIS_FIELDS}
        row["role"] = row["role"] or LegalBasis.Role.AUTHORITY
        return row

    def basis_rows(self) -> list[dict]:
        return [self.basis_row(suffix) for suffix in BASIS_SUFFIXES if self._given(suffix)]


class ItemCreateForm(BasisMixin):
    agency = forms.ModelChoiceField(Agency.objects.none(), label="执法主体")
    code = forms.CharField(label="事项编码", max_length=60)
    name = forms.CharField(label="事项名称", max_length=200)
    kind = forms.ChoiceField(label="执法类型", choices=ItemKind.choices)
    category = forms.ModelChoiceField(EnforcementCategory.objects.none(), label="执法类别")
    unit = forms.ModelChoiceField(Unit.objects.none(), label="承办机构", required=False)
    random_inspection = forms.BooleanField(label="纳入随机抽查", required=False)
    effective_from = forms.DateField(label="施行日期", widget=DATE)

    field_order = [
        "agency",
        "code",
        "name",
        "kind",
        "category",
        "unit",
        "random_inspection",
        "procedure",
        "effective_from",
        *BASIS_FIELDS,
    ]

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"] = procedure_field()
        self.order_fields(self.field_order)
        self.fields["agency"].queryset = agencies
        self.fields["category"].queryset = EnforcementCategory.objects.filter(
            agencies__in=agencies
        ).distinct()
        self.fields["unit"].queryset = Unit.objects.filter(agency__in=agencies)
        if agencies.count() == 1:
            self.fields["agency"].initial = agencies.first()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            k: data.get(k)
            for k in (
                "agency",
                "code",
                "name",
                "kind",
                "category",
                "unit",
                "random_inspection",
                "procedure",
                "effective_from",
            )
        }
        kwargs["bases"] = self.basis_rows()
        return kwargs


class VersionCreateForm(BasisMixin):
    """A new draft version; the basis, if left empty, is copied from the latest version."""

    name = forms.CharField(label="事项名称", max_length=200)
    effective_from = forms.DateField(label="施行日期", widget=DATE)
    change_note = forms.CharField(label="修订说明", max_length=300, required=False)

    field_order = ["name", "effective_from", "change_note", *BASIS_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["law"].help_text = "执法依据留空则沿用上一版本的全部依据。"

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "effective_from": data["effective_from"],
            "change_note": data.get("change_note", ""),
            "bases": self.basis_rows() or None,
        }


class StandardForm(forms.Form):
    """裁量基准: a violation, its basis and one row per grade (left empty to skip)."""

    violation = forms.CharField(label="违法行为", max_length=300)
    basis = forms.CharField(label="裁量依据", max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in Grade.choices:
            self.fields[f"{code}_conditions"] = forms.CharField(
                label=f"{label}：适用情形",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            if code == Grade.NONE:
                continue
            self.fields[f"{code}_penalty_types"] = forms.MultipleChoiceField(
                label=f"{label}：处罚种类",
                choices=PenaltyType.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            for bound, text in (("min", "下限"), ("max", "上限")):
                self.fields[f"{code}_fine_{bound}"] = forms.DecimalField(
                    label=f"{label}：罚款{text}（元）",
                    max_digits=14,
                    decimal_places=2,
                    min_value=0,
                    required=False,
                )

    def grade_sections(self) -> list[tuple[str, list]]:
        """Bound fields grouped by grade, for the template."""
        return [
            (label, [f for f in self if f.name.startswith(f"{code}_")])
            for code, label in Grade.choices
        ]

    def grades(self) -> list[dict]:
        data = self.cleaned_data
        rows = []
        for code, _label in Grade.choices:
            row = {
                "grade": code,
                "conditions": data.get(f"{code}_conditions", ""),
                "penalty_types": data.get(f"{code}_penalty_types") or [],
                "fine_min": data.get(f"{code}_fine_min"),
                "fine_max": data.get(f"{code}_fine_max"),
            }
            if (
                row["conditions"]
                or row["penalty_types"]
                or any(row[f] is not None for f in ("fine_min", "fine_max"))
            ):
                rows.append(row)
        return rows


# --------------------------------------------------------------------------
# 事前公开 lists maintained from the item page (zhifa.catalog.lists)
# --------------------------------------------------------------------------


class AvRuleForm(forms.Form):
    """One line of the 音像记录事项清单 for this item."""

    prefix = "av"

    step = forms.ChoiceField(label="执法环节", choices=[("", "——请选择——"), *AvStep.choices])
    requirement = forms.ChoiceField(
        label="记录要求", choices=[("", "——请选择——"), *AvRequirement.choices]
    )
    citation = forms.CharField(
        label="依据",
        max_length=300,
        required=False,
        help_text="法律、法规、规章或规范性文件及条款。",
    )
    note = forms.CharField(
        label="说明", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def service_kwargs(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in ("step", "requirement", "citation", "note")
        }


class RandomInspectionForm(forms.Form):
    """This item's line in the 随机抽查事项清单."""

    prefix = "ri"

    inspecting_body = forms.CharField(label="抽查主体", max_length=200, required=False)
    basis = forms.CharField(
        label="抽查依据", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    targets = forms.CharField(label="抽查对象", max_length=300, required=False)
    content = forms.CharField(
        label="抽查内容", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    method = forms.CharField(label="抽查方式", max_length=200, required=False)
    frequency = forms.CharField(label="抽查频次", max_length=100, required=False)
    ratio = forms.DecimalField(
        label="抽查比例",
        max_digits=5,
        decimal_places=4,
        required=False,
        help_text="0 至 1 之间的小数，例如 0.05 表示 5%；留空表示按年度计划确定。",
    )

    FIELDS = ("inspecting_body", "basis", "targets", "content", "method", "frequency", "ratio")

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


TEXTAREA_GUIDE_FIELDS = frozenset({"conditions", "materials", "process", "remedies"})


class ServiceGuideForm(forms.Form):
    """服务指南 of one item version; the service checks what is required."""

    prefix = "guide"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, _required, max_length) in GUIDE_FIELDS.items():
            widget = forms.Textarea(attrs={"rows": 3}) if name in TEXTAREA_GUIDE_FIELDS else None
            self.fields[name] = forms.CharField(
                label=label, max_length=max_length, required=False, widget=widget
            )
        self.fields["process"].help_text = "每行一个步骤。"

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in GUIDE_FIELDS}
