"""Admin for regional overrides (系统管理 › 法定期限与标准 › 地方标准)."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from zhifa.rules.models import RuleOverride
from zhifa.rules.registry import UnknownRule, get_rule, overridable_rules


def _rule_choices() -> list[tuple[str, str]]:
    # Only rules the law lets a region set; each label shows the national
    # value and the citation so the administrator sees what is overridden.
    return [("", "———— 请选择规则 ————")] + [
        (
            rule.id,
            f"{rule.id} — {rule.title}（全国：{rule.format_value()}；{rule.law} {rule.article}）",
        )
        for rule in overridable_rules()
    ]


class RuleOverrideForm(forms.ModelForm):
    rule_id = forms.ChoiceField(
        label="规则",
        choices=_rule_choices,
        error_messages={
            "required": "请选择要设定地方标准的规则。",
            "invalid_choice": "“%(value)s”不是可由地方设定的规则。",
        },
    )

    class Meta:
        model = RuleOverride
        fields = ["rule_id", "region_code", "value", "basis", "effective_from"]
        error_messages = {
            "region_code": {"required": "请填写区划代码。"},
            "value": {"required": "请填写数值。", "invalid": "请输入有效的数字。"},
            "basis": {"required": "请填写设定该数值的地方规定及条款。"},
        }


@admin.register(RuleOverride)
class RuleOverrideAdmin(admin.ModelAdmin):
    form = RuleOverrideForm
    list_display = [
        "rule_id",
        "rule_title_display",
        "region_code",
        "value",
        "effective_from",
        "national_value",
    ]
    list_filter = ["rule_id"]
    search_fields = ["rule_id", "region_code", "basis"]
    readonly_fields = ["created_at"]

    @admin.display(description="规则名称")
    def rule_title_display(self, obj: RuleOverride) -> str:
        return obj.rule_title

    @admin.display(description="全国标准")
    def national_value(self, obj: RuleOverride) -> str:
        try:
            rule = get_rule(obj.rule_id)
        except UnknownRule:
            return "—"
        return f"{rule.format_value()}（{rule.law} {rule.article}）"
