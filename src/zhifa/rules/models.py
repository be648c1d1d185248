"""Regional overrides of statutory numbers, where the law lets a region set them.

The rules themselves live in statutes.toml (see registry.py); only the numbers
a province, city or county sets by its own regulation are stored here, each
with the local basis that sets it (e.g. a province's 较大数额罚款 standard for
hearings under 行政处罚法 第六十三条).

`region_code` is a GB/T 2260 (6 digits) or GB/T 10114 township (9 digits)
code string, not a foreign key: rules sits below the orgs app and must not
import it. The codes are hierarchical, so an override for a province applies
to every city and county under it unless a more specific one exists.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from zhifa.rules.registry import UNIT_LABELS, UnknownRule, get_rule, validate_value

region_code_validator = RegexValidator(
    r"^(\d{6}|\d{9})$",
    "区划代码应为 6 位数字（省、市、县级，GB/T 2260）或 9 位数字（乡级）。",
)


def region_code_chain(code: str) -> list[str]:
    """The code and its ancestors, most specific first.

    Township 210521001 → county 210521 → city 210500 → province 210000.
    """
    code = (code or "").strip()
    if not (code.isdigit() and len(code) in (6, 9)):
        raise ValueError(
            f"区划代码“{code}”无效：省、市、县级代码应为 6 位数字（GB/T 2260），"
            "乡级代码为 9 位数字。"
        )
    if code[:2] == "00" or (len(code) == 9 and (code[2:6] == "0000" or code[6:] == "000")):
        raise ValueError(f"区划代码“{code}”无效：不符合 GB/T 2260 / GB/T 10114 的编码规则。")
    chain = [code, code[:6], code[:4] + "00", code[:2] + "0000"]
    return list(dict.fromkeys(chain))


class RuleOverride(models.Model):
    rule_id = models.CharField("规则编号", max_length=100, db_index=True)
    region_code = models.CharField(
        "区划代码",
        max_length=9,
        validators=[region_code_validator],
        help_text=(
            "省级如 210000，市级如 210500，县级如 210521，乡级为 9 位；"
            "下级地区未另行规定的沿用上级。"
        ),
    )
    value = models.DecimalField("数值", max_digits=16, decimal_places=4)
    basis = models.TextField(
        "规定依据",
        help_text=(
            "设定该数值的地方性法规、规章或规范性文件及条款，例如：某省行政处罚听证程序规定 第三条"
        ),
    )
    effective_from = models.DateField(
        "施行日期", null=True, blank=True, help_text="留空表示一直适用（直至有更新的规定施行）。"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "地方标准"
        verbose_name_plural = "地方标准"
        ordering = ["rule_id", "region_code", "effective_from"]
        constraints = [
            # Two partial constraints because NULLs are distinct in a plain
            # unique constraint on SQLite and most PostgreSQL versions.
            models.UniqueConstraint(
                fields=["rule_id", "region_code", "effective_from"],
                condition=Q(effective_from__isnull=False),
                name="rules_override_unique_dated",
                violation_error_message="该地区已有同一施行日期的同一规则设定。",
            ),
            models.UniqueConstraint(
                fields=["rule_id", "region_code"],
                condition=Q(effective_from__isnull=True),
                name="rules_override_unique_undated",
                violation_error_message="该地区已有未注明施行日期的同一规则设定。",
            ),
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="rules_override_value_positive",
                violation_error_message="数值必须大于 0。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} @ {self.region_code}"

    @property
    def rule_title(self) -> str:
        try:
            return get_rule(self.rule_id).title
        except UnknownRule:
            return "（未知规则）"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        try:
            rule = get_rule(self.rule_id)
        except UnknownRule as exc:
            raise ValidationError({"rule_id": str(exc)}) from exc
        if not rule.overridable:
            errors["rule_id"] = (
                f"“{rule.title}”（{rule.id}）的数值由{rule.law} {rule.article}统一规定"
                f"（{rule.format_value()}），地方不能另行设定。"
            )
        if self.region_code:
            try:
                region_code_chain(self.region_code)
            except ValueError as exc:
                errors["region_code"] = str(exc)
        if self.value is not None:
            problem = validate_value(rule.unit, self.value)
            if problem:
                errors["value"] = f"{problem}（该规则的单位是{UNIT_LABELS[rule.unit]}）"
        if self.basis is not None and not self.basis.strip():
            errors["basis"] = "请填写设定该数值的地方规定及条款。"
        if errors:
            raise ValidationError(errors)
