"""PROVISIONAL procedure definitions, drawn as 流程图 on the public item pages.

PROVISIONAL — TO BE REPLACED BY THE CASE ENGINE'S DEFINITIONS. Procedures are
data (architecture.md): the flowchart must be drawn from the same definitions
the case engine enforces. Until that engine lands, this module holds a small
declarative list for the procedure codes the catalog items use, following
rules.md §2 (行政处罚法), §3 (行政许可法) and §4 (行政强制法) and nothing more.
When the case issue lands, `get_procedure` must read the engine's definitions
and this list must be deleted, not kept in parallel.

Each procedure is a list of states (code, Chinese label, optional steps marked)
and forward transitions (from, to, Chinese label, statutory time-limit text).
Time-limit numbers are never written from memory: each one names the rule ids
of `zhifa/rules/statutes.toml` it comes from (`rules`), and the tests check
those ids exist.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class State:
    code: str
    label: str
    optional: bool = False  # a step taken only in some cases (drawn dashed)
    note: str = ""  # short condition shown under the label


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    label: str
    limit: str = ""  # statutory time limit, as shown to the public
    rules: tuple[str, ...] = ()  # statutes.toml ids the limit comes from


@dataclass(frozen=True)
class Procedure:
    code: str
    label: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]

    def state(self, code: str) -> State:
        for state in self.states:
            if state.code == code:
                return state
        raise KeyError(code)


_DECIDE_90 = "自立案之日起90日内作出决定（行政处罚法第六十条）"

PENALTY_GENERAL = Procedure(
    code="penalty.general",
    label="行政处罚普通程序",
    states=(
        State("filing", "立案"),
        State("investigation", "调查取证"),
        State("review", "案件审查"),
        State("legal_review", "法制审核", optional=True, note="属于第五十八条规定情形的"),
        State("notice", "事先告知", note="告知拟处罚内容及陈述、申辩、听证权利"),
        State("statement", "陈述申辩"),
        State("hearing", "听证", optional=True, note="当事人要求且符合第六十三条的"),
        State("collective", "集体讨论", optional=True, note="情节复杂或者重大违法行为"),
        State("decision", "决定"),
        State("service", "送达"),
        State("execution", "执行"),
        State("closure", "结案"),
        State("archive", "归档"),
    ),
    transitions=(
        Transition("filing", "investigation", "立案调查"),
        Transition("investigation", "review", "调查终结"),
        Transition("review", "legal_review", "属于法制审核情形"),
        Transition("review", "notice", "不属于法制审核情形"),
        Transition("legal_review", "notice", "法制审核通过"),
        Transition("notice", "statement", "当事人陈述、申辩"),
        Transition(
            "statement",
            "hearing",
            "当事人要求听证",
            "告知后5个工作日内提出；举行听证7个工作日前通知（行政处罚法第六十四条）",
            ("penalty.hearing_request", "penalty.hearing_notice"),
        ),
        Transition("statement", "collective", "情节复杂或者重大违法行为"),
        Transition("statement", "decision", "负责人审查决定", _DECIDE_90, ("penalty.decide",)),
        Transition("hearing", "collective", "听证结束，需集体讨论"),
        Transition("hearing", "decision", "听证结束，负责人决定", _DECIDE_90, ("penalty.decide",)),
        Transition("collective", "decision", "集体讨论决定", _DECIDE_90, ("penalty.decide",)),
        Transition(
            "decision",
            "service",
            "宣告后当场交付",
            "当事人不在场的，7个工作日内送达（行政处罚法第六十一条）",
            ("penalty.serve_decision",),
        ),
        Transition(
            "service",
            "execution",
            "当事人履行",
            "收到决定书之日起15日内缴纳罚款（行政处罚法第六十七条）",
            ("penalty.pay",),
        ),
        Transition("execution", "closure", "执行完毕"),
        Transition("closure", "archive", "立卷归档"),
    ),
)

PENALTY_SUMMARY = Procedure(
    code="penalty.summary",
    label="行政处罚简易程序",
    states=(
        State("identify", "出示执法证件", note="违法事实确凿并有法定依据"),
        State("notice", "告知", note="告知违法事实、处罚理由和依据"),
        State("statement", "陈述申辩"),
        State(
            "decision",
            "当场作出决定",
            note="警告或者公民200元以下、组织3000元以下罚款",
        ),
        State("service", "当场交付决定书"),
        State("record", "报所属行政机关备案"),
        State("execution", "执行"),
        State("closure", "结案"),
        State("archive", "归档"),
    ),
    transitions=(
        Transition("identify", "notice", "表明身份"),
        Transition("notice", "statement", "听取陈述、申辩"),
        Transition(
            "statement",
            "decision",
            "符合简易程序条件",
            "罚款限额见行政处罚法第五十一条",
            ("penalty.summary_fine_citizen", "penalty.summary_fine_organisation"),
        ),
        Transition("decision", "service", "填写预定格式、编有号码的决定书"),
        Transition("service", "record", "执法人员报备"),
        Transition(
            "record",
            "execution",
            "当事人履行",
            "收到决定书之日起15日内缴纳罚款（行政处罚法第六十七条）",
            ("penalty.pay",),
        ),
        Transition(
            "execution",
            "closure",
            "执行完毕",
            "当场收缴的罚款2个工作日内交至行政机关（行政处罚法第七十一条）",
            ("penalty.cash_handover",),
        ),
        Transition("closure", "archive", "立卷归档"),
    ),
)

_LICENSE_DECIDE = "自受理之日起20个工作日内；经负责人批准可延长10个工作日（行政许可法第四十二条）"

LICENSE_GENERAL = Procedure(
    code="license.general",
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
        Transition(
            "application",
            "correction",
            "材料不齐全",
            "5个工作日内一次告知需补正的全部内容（行政许可法第三十二条）",
            ("license.correction_notice",),
        ),
        Transition("application", "acceptance", "材料齐全、符合法定形式"),
        Transition("correction", "acceptance", "按要求补正全部材料"),
        Transition("acceptance", "review", "审查申请材料"),
        Transition(
            "review",
            "hearing",
            "申请听证",
            "告知后5个工作日内申请；收到申请后20个工作日内组织（行政许可法第四十七条）",
            ("license.hearing_request", "license.hearing_hold"),
        ),
        Transition(
            "review", "decision", "作出决定", _LICENSE_DECIDE, ("license.decide", "license.extend")
        ),
        Transition(
            "hearing",
            "decision",
            "根据听证笔录作出决定",
            _LICENSE_DECIDE,
            ("license.decide", "license.extend"),
        ),
        Transition(
            "decision",
            "issue",
            "准予许可",
            "自作出决定之日起10个工作日内颁发、送达（行政许可法第四十四条）",
            ("license.issue",),
        ),
        Transition("issue", "archive", "立卷归档"),
    ),
)

INSPECTION_ONSITE = Procedure(
    code="inspection.onsite",
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
        Transition("preparation", "identify", "到达检查现场"),
        Transition("identify", "inspection", "表明身份、告知检查事项"),
        Transition("inspection", "record", "记录检查情况"),
        Transition("record", "handling", "当事人核对签字"),
        Transition(
            "handling",
            "publication",
            "双随机抽查",
            "20个工作日内公布抽查检查结果（条款未核实）",
            ("inspection.publish_results",),
        ),
        Transition("handling", "archive", "其他检查"),
        Transition("publication", "archive", "立卷归档"),
    ),
)

COERCION_GENERAL = Procedure(
    code="coercion.general",
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
        Transition("approval", "notice", "两名以上执法人员实施"),
        Transition("notice", "statement", "当事人陈述、申辩"),
        Transition("statement", "record", "记录实施情况"),
        Transition("record", "decision", "实施查封、扣押"),
        Transition(
            "decision",
            "extension",
            "情况复杂",
            "延长不得超过30日（行政强制法第二十五条）",
            ("coercion.seizure_extension",),
        ),
        Transition(
            "decision",
            "disposal",
            "期限内查清事实",
            "查封、扣押期限不得超过30日（行政强制法第二十五条）",
            ("coercion.seizure",),
        ),
        Transition("extension", "disposal", "延长期限内作出处理"),
        Transition("disposal", "closure", "处理完毕"),
        Transition("closure", "archive", "立卷归档"),
    ),
)

PROCEDURES: dict[str, Procedure] = {
    p.code: p
    for p in (
        PENALTY_GENERAL,
        PENALTY_SUMMARY,
        LICENSE_GENERAL,
        INSPECTION_ONSITE,
        COERCION_GENERAL,
    )
}


def get_procedure(code: str) -> Procedure | None:
    """The definition for `code`; None when there is none (provisional list)."""
    return PROCEDURES.get(code)
