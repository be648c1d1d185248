"""Applying a discretion benchmark (裁量基准): suggest a grade and range from
the circumstances of a case, and check a proposed penalty against it.

Both functions are pure (they read, never write); the case engine records the
suggestion, the decision and any written reasons.

Circumstance vocabulary
-----------------------
The case engine describes the facts with the codes of `CIRCUMSTANCES`. Each
code points to a grade by statute (行政处罚法 第三十条至第三十三条, 第四十九条,
APL-04) or, for aggravating circumstances the statute leaves to the benchmarks,
by common benchmark practice. A grade of the benchmark that lists a code in its
own `circumstances` takes precedence over that default.

When several circumstances point to different grades, the mildest wins: the
mitigating grounds of 第三十条至第三十三条 are mandatory (“应当”), so an
aggravating circumstance cannot cancel them; the aggravating circumstances are
named in the reasons so the decision can weigh them inside the range.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from zhifa.catalog.models import DiscretionGrade, DiscretionStandard, Grade, PenaltyType

APL = "《中华人民共和国行政处罚法》"


@dataclass(frozen=True)
class Circumstance:
    code: str
    label: str
    grade: str
    citation: str


CIRCUMSTANCES: dict[str, Circumstance] = {
    c.code: c
    for c in (
        # 不予处罚
        Circumstance("under_14", "不满十四周岁的未成年人", Grade.NONE, f"{APL}第三十条"),
        Circumstance(
            "mental_incapacity",
            "精神病人、智力残疾人在不能辨认或者不能控制自己行为时实施",
            Grade.NONE,
            f"{APL}第三十一条",
        ),
        Circumstance(
            "minor_corrected_no_harm",
            "违法行为轻微并及时改正，没有造成危害后果",
            Grade.NONE,
            f"{APL}第三十三条第一款",
        ),
        Circumstance(
            "first_minor_corrected",
            "初次违法且危害后果轻微并及时改正（可以不予行政处罚）",
            Grade.NONE,
            f"{APL}第三十三条第一款",
        ),
        Circumstance(
            "no_fault", "有证据足以证明没有主观过错", Grade.NONE, f"{APL}第三十三条第二款"
        ),
        # 从轻或者减轻
        Circumstance(
            "age_14_18", "已满十四周岁不满十八周岁的未成年人", Grade.LIGHTER, f"{APL}第三十条"
        ),
        Circumstance(
            "partial_incapacity",
            "尚未完全丧失辨认或者控制自己行为能力的精神病人、智力残疾人",
            Grade.LIGHTER,
            f"{APL}第三十一条",
        ),
        Circumstance(
            "eliminated_harm",
            "主动消除或者减轻违法行为危害后果",
            Grade.LIGHTER,
            f"{APL}第三十二条第（一）项",
        ),
        Circumstance(
            "coerced", "受他人胁迫或者诱骗实施违法行为", Grade.LIGHTER, f"{APL}第三十二条第（二）项"
        ),
        Circumstance(
            "voluntary_confession",
            "主动供述行政机关尚未掌握的违法行为",
            Grade.LIGHTER,
            f"{APL}第三十二条第（三）项",
        ),
        Circumstance(
            "meritorious",
            "配合行政机关查处违法行为有立功表现",
            Grade.LIGHTER,
            f"{APL}第三十二条第（四）项",
        ),
        # 从重
        Circumstance(
            "emergency_violation",
            "违反突发事件应对措施",
            Grade.HEAVIER,
            f"{APL}第四十九条",
        ),
        Circumstance(
            "repeat_offence", "再次违法或者屡教不改", Grade.HEAVIER, "裁量基准（从重情形）"
        ),
        Circumstance(
            "obstructs_inspection",
            "拒绝、阻挠或者以暴力威胁执法检查",
            Grade.HEAVIER,
            "裁量基准（从重情形）",
        ),
        Circumstance("serious_harm", "造成严重危害后果", Grade.HEAVIER, "裁量基准（从重情形）"),
    )
}

# Mildest first.
GRADE_ORDER = [Grade.NONE, Grade.MITIGATED, Grade.LIGHTER, Grade.ORDINARY, Grade.HEAVIER]


@dataclass(frozen=True)
class Suggestion:
    grade: str
    grade_label: str
    discretion_grade: DiscretionGrade | None
    fine_min: Decimal | None
    fine_max: Decimal | None
    penalty_types: list[str]
    reasons: list[str]
    citations: list[str] = field(default_factory=list)

    @property
    def penalty_type_labels(self) -> list[str]:
        return [PenaltyType(t).label for t in self.penalty_types]


@dataclass(frozen=True)
class PenaltyCheck:
    within: bool
    allowed: bool
    requires_review: bool
    grade: str
    fine_min: Decimal | None
    fine_max: Decimal | None
    problems: list[str]
    message: str
    reasons: str = ""


def _decimal(value: Any, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError(f"{label}“{value}”不是有效的数字。") from exc
    if not amount.is_finite() or amount < 0:
        raise ValidationError(f"{label}不能为负数。")
    return amount


def _grade_code(value: Any) -> str:
    for v, label in Grade.choices:
        if value in (v, label):
            return v
    raise ValidationError(f"裁量阶次“{value}”无效，应为：{'、'.join(Grade.labels)}。")


def fine_range(
    grade: DiscretionGrade, illegal_gains: Decimal | None
) -> tuple[Decimal | None, Decimal | None, str | None]:
    """The fine range of a grade: from multiples of illegal gains when both are
    known, else the absolute amounts. The third value explains a missing range."""
    has_multiple = grade.gains_multiple_min is not None or grade.gains_multiple_max is not None
    if has_multiple and illegal_gains is not None:
        low = (
            grade.gains_multiple_min * illegal_gains
            if grade.gains_multiple_min is not None
            else None
        )
        high = (
            grade.gains_multiple_max * illegal_gains
            if grade.gains_multiple_max is not None
            else None
        )
        q = Decimal("0.01")
        return (
            low.quantize(q) if low is not None else None,
            high.quantize(q) if high is not None else None,
            None,
        )
    if grade.fine_min is not None or grade.fine_max is not None:
        return grade.fine_min, grade.fine_max, None
    if has_multiple:
        return None, None, "本阶次按违法所得倍数计算罚款，请先认定违法所得金额。"
    return None, None, None


def _yuan(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f} 元"


def suggest_penalty(
    standard: DiscretionStandard, *, circumstances, illegal_gains=None
) -> Suggestion:
    codes = [str(c).strip() for c in (circumstances or ()) if str(c).strip()]
    gains = _decimal(illegal_gains, "违法所得")
    grades = {g.grade: g for g in standard.grades.all()}
    configured: dict[str, str] = {}
    for g in grades.values():
        for code in g.circumstances or ():
            configured.setdefault(code, g.grade)

    unknown = [c for c in codes if c not in CIRCUMSTANCES and c not in configured]
    if unknown:
        raise ValidationError(
            f"未知的情形代码：{'、'.join(unknown)}。可用的代码见 zhifa.catalog.discretion.CIRCUMSTANCES，"
            "或在裁量阶次的“情形代码”中配置。"
        )

    reasons: list[str] = []
    citations: list[str] = []
    pointed: list[str] = []
    for code in codes:
        known = CIRCUMSTANCES.get(code)
        label = known.label if known else code
        if code in configured:
            target = configured[code]
            cite = standard.basis
            source = "本裁量基准"
        else:
            target = known.grade
            cite = known.citation
            source = cite
        pointed.append(target)
        reasons.append(f"{label}：依{source}，适用“{Grade(target).label}”。")
        if cite not in citations:
            citations.append(cite)

    if pointed:
        chosen = min(pointed, key=GRADE_ORDER.index)
        heavier = [
            c
            for c, g in zip(codes, pointed, strict=True)
            if GRADE_ORDER.index(g) > GRADE_ORDER.index(chosen)
        ]
        if heavier:
            reasons.append(
                "同时存在较重情形（"
                + "、".join(CIRCUMSTANCES[c].label if c in CIRCUMSTANCES else c for c in heavier)
                + f"），但从轻、减轻或者不予处罚的法定情形应当适用，故按“{Grade(chosen).label}”裁量，"
                "较重情形在幅度内酌情考虑。"
            )
    else:
        chosen = Grade.ORDINARY
        reasons.append("未发现从轻、减轻、从重或者不予处罚的情形，适用“一般处罚”。")

    grade = grades.get(chosen)
    if grade is None:
        if chosen == Grade.NONE:
            return Suggestion(
                grade=chosen,
                grade_label=Grade(chosen).label,
                discretion_grade=None,
                fine_min=None,
                fine_max=None,
                penalty_types=[],
                reasons=[
                    *reasons,
                    "依法不予行政处罚，应当对当事人进行教育（行政处罚法 第三十三条第三款）。",
                ],
                citations=citations,
            )
        reasons.append(
            f"本裁量基准未设置“{Grade(chosen).label}”阶次，请在法定幅度内裁量并写明理由。"
        )
        return Suggestion(
            grade=chosen,
            grade_label=Grade(chosen).label,
            discretion_grade=None,
            fine_min=None,
            fine_max=None,
            penalty_types=[],
            reasons=reasons,
            citations=citations,
        )

    low, high, missing = fine_range(grade, gains)
    if missing:
        reasons.append(missing)
    elif low is not None or high is not None:
        how = (
            "按违法所得倍数计算"
            if gains is not None and grade.gains_multiple_min is not None
            else "按基准金额"
        )
        reasons.append(f"罚款幅度（{how}）：{_yuan(low)} 至 {_yuan(high)}。")
    if standard.basis not in citations:
        citations.append(standard.basis)
    return Suggestion(
        grade=chosen,
        grade_label=Grade(chosen).label,
        discretion_grade=grade,
        fine_min=low,
        fine_max=high,
        penalty_types=list(grade.penalty_types or ()),
        reasons=reasons,
        citations=citations,
    )


def check_penalty(
    standard: DiscretionStandard,
    *,
    grade,
    penalty_types,
    fine_amount=None,
    illegal_gains=None,
    reasons: str = "",
) -> PenaltyCheck:
    """Whether a proposed penalty keeps to the benchmark.

    Outside the benchmark is allowed only with written reasons, and then the
    decision needs legal review (超出裁量基准作出决定, rules.md REV-02)."""
    code = _grade_code(grade)
    fine = _decimal(fine_amount, "罚款金额")
    gains = _decimal(illegal_gains, "违法所得")
    types: list[str] = []
    for t in penalty_types or ():
        for v, label in PenaltyType.choices:
            if t in (v, label):
                types.append(v)
                break
        else:
            raise ValidationError(f"处罚种类“{t}”无效（行政处罚法 第九条）。")
    if fine is not None and fine > 0 and PenaltyType.FINE not in types:
        types.append(PenaltyType.FINE)

    row = standard.grades.filter(grade=code).first()
    problems: list[str] = []
    low = high = None
    if row is None:
        problems.append(f"本裁量基准未设置“{Grade(code).label}”阶次。")
    elif code == Grade.NONE:
        if types:
            problems.append("“不予处罚”阶次不应给予任何行政处罚。")
    else:
        allowed_types = set(row.penalty_types or ())
        extra = [t for t in types if t not in allowed_types]
        if extra:
            problems.append(
                f"处罚种类“{'、'.join(PenaltyType(t).label for t in extra)}”不在“{row.get_grade_display()}”阶次规定之内。"
            )
        low, high, missing = fine_range(row, gains)
        if fine is not None and fine > 0:
            if missing:
                problems.append(missing)
            if low is not None and fine < low:
                problems.append(f"罚款 {_yuan(fine)} 低于本阶次下限 {_yuan(low)}。")
            if high is not None and fine > high:
                problems.append(f"罚款 {_yuan(fine)} 高于本阶次上限 {_yuan(high)}。")

    text = str(reasons or "").strip()
    if not problems:
        return PenaltyCheck(
            within=True,
            allowed=True,
            requires_review=False,
            grade=code,
            fine_min=low,
            fine_max=high,
            problems=[],
            message=f"拟作出的处罚在“{Grade(code).label}”阶次的裁量基准之内。",
            reasons=text,
        )
    if text:
        return PenaltyCheck(
            within=False,
            allowed=True,
            requires_review=True,
            grade=code,
            fine_min=low,
            fine_max=high,
            problems=problems,
            message="拟作出的处罚超出裁量基准，已写明理由；该决定须经法制审核（超出裁量基准作出决定）。",
            reasons=text,
        )
    return PenaltyCheck(
        within=False,
        allowed=False,
        requires_review=True,
        grade=code,
        fine_min=low,
        fine_max=high,
        problems=problems,
        message="拟作出的处罚超出裁量基准："
        + "".join(problems)
        + "如确需超出基准，请书面说明理由。",
        reasons="",
    )


__all__ = [
    "CIRCUMSTANCES",
    "Circumstance",
    "PenaltyCheck",
    "Suggestion",
    "check_penalty",
    "fine_range",
    "suggest_penalty",
]
