"""Procedures the case engine does not run yet: 行政许可, 行政检查, 行政强制措施.

They are the published flowcharts of the catalog items that use them
(rules.md §3, §4, §8); `executable=False` tells the catalog pages that cases
under these procedures are not yet handled online. When the engine takes one
on, its transitions gain roles, guards and forms here, in this same object.
"""

from __future__ import annotations

from zhifa.procedures.spec import Procedure, State, Transition


def _t(
    source: str, target: str, label: str, limit: str = "", rules: tuple[str, ...] = ()
) -> Transition:
    return Transition(
        f"{source}_to_{target}", (source,), target, label, roles=(), limit=limit, rules=rules
    )


_LICENSE_DECIDE = "自受理之日起20个工作日内；经负责人批准可延长10个工作日（行政许可法第四十二条）"

LICENSE_GENERAL = Procedure(
    code="license.general",
    kind="license",
    initial="application",
    executable=False,
    label="行政许可一般程序",
    states=(
        State("application", "申请"),
        State("correction", "补正", optional=True, note="申请材料不齐全或者不符合法定形式的"),
        State("acceptance", "受理"),
        State("review", "审查"),
        State("hearing", "听证", optional=True, note="法定听证或者申请人、利害关系人申请的"),
        State("decision", "决定"),
        State("issue", "颁发、送达证件"),
        State("archive", "归档"),
    ),
    transitions=(
        _t(
            "application",
            "correction",
            "材料不齐全",
            "5个工作日内一次告知需补正的全部内容（行政许可法第三十二条）",
            ("license.correction_notice",),
        ),
        _t("application", "acceptance", "材料齐全、符合法定形式"),
        _t("correction", "acceptance", "按要求补正全部材料"),
        _t("acceptance", "review", "审查申请材料"),
        _t(
            "review",
            "hearing",
            "申请听证",
            "告知后5个工作日内申请；收到申请后20个工作日内组织（行政许可法第四十七条）",
            ("license.hearing_request", "license.hearing_hold"),
        ),
        _t("review", "decision", "作出决定", _LICENSE_DECIDE, ("license.decide", "license.extend")),
        _t(
            "hearing",
            "decision",
            "根据听证笔录作出决定",
            _LICENSE_DECIDE,
            ("license.decide", "license.extend"),
        ),
        _t(
            "decision",
            "issue",
            "准予许可",
            "自作出决定之日起10个工作日内颁发、送达（行政许可法第四十四条）",
            ("license.issue",),
        ),
        _t("issue", "archive", "立卷归档"),
    ),
)

INSPECTION_ONSITE = Procedure(
    code="inspection.onsite",
    kind="inspection",
    initial="preparation",
    executable=False,
    label="行政检查（现场检查）",
    states=(
        State("preparation", "检查准备", note="制定检查计划或者随机抽取"),
        State("identify", "出示执法证件", note="执法人员不少于两人"),
        State("inspection", "现场检查"),
        State("record", "制作现场检查笔录"),
        State("handling", "处理", note="责令改正、立案调查或者移送"),
        State("publication", "公示检查结果", optional=True, note="“双随机、一公开”抽查的"),
        State("archive", "归档"),
    ),
    transitions=(
        _t("preparation", "identify", "到达检查现场"),
        _t("identify", "inspection", "表明身份、告知检查事项"),
        _t("inspection", "record", "记录检查情况"),
        _t("record", "handling", "当事人核对签字"),
        _t(
            "handling",
            "publication",
            "双随机抽查",
            "20个工作日内公布抽查检查结果（条款未核实）",
            ("inspection.publish_results",),
        ),
        _t("handling", "archive", "其他检查"),
        _t("publication", "archive", "立卷归档"),
    ),
)

COERCION_GENERAL = Procedure(
    code="coercion.general",
    kind="coercion",
    initial="approval",
    executable=False,
    label="行政强制措施程序",
    states=(
        State("approval", "报负责人批准"),
        State("notice", "通知当事人到场", note="出示证件，告知理由、依据和权利"),
        State("statement", "听取陈述申辩"),
        State("record", "制作现场笔录"),
        State("decision", "交付查封、扣押决定书和清单"),
        State("extension", "延长期限", optional=True, note="情况复杂，经负责人批准的"),
        State("disposal", "作出处理决定", note="解除或者依法没收、销毁等"),
        State("closure", "结案"),
        State("archive", "归档"),
    ),
    transitions=(
        _t("approval", "notice", "两名以上执法人员实施"),
        _t("notice", "statement", "当事人陈述、申辩"),
        _t("statement", "record", "记录实施情况"),
        _t("record", "decision", "实施查封、扣押"),
        _t(
            "decision",
            "extension",
            "情况复杂",
            "延长不得超过30日（行政强制法第二十五条）",
            ("coercion.seizure_extension",),
        ),
        _t(
            "decision",
            "disposal",
            "期限内查清事实",
            "查封、扣押期限不得超过30日（行政强制法第二十五条）",
            ("coercion.seizure",),
        ),
        _t("extension", "disposal", "延长期限内作出处理"),
        _t("disposal", "closure", "处理完毕"),
        _t("closure", "archive", "立卷归档"),
    ),
)
