"""Every guard a procedure may name: its Chinese label and legal source.

The case engine (`zhifa.cases.guards`) binds each code to the function that
checks it and refuses to start if a definition names a code that is missing
here or there. A refusal always carries the label's citation.
"""

from __future__ import annotations

APL = "《中华人民共和国行政处罚法》"

GUARDS: dict[str, tuple[str, str]] = {
    "role_in_agency": (
        "操作人须在本案执法主体具有相应职务",
        "行政执法三项制度指导意见（国办发〔2018〕118号）",
    ),
    "limitation": ("违法行为未超过追责时效", f"{APL}第三十六条"),
    "item_in_force": ("执法事项在违法行为发生时有效", f"{APL}第四条、第三十九条"),
    "officers_certified": ("两名以上持有效证件的执法人员承办", f"{APL}第四十二条"),
    "officers_present": (
        "本次笔录有两名以上持有效证件的执法人员在场",
        f"{APL}第四十二条、第五十五条",
    ),
    "no_conflict": ("执法人员未被决定回避", f"{APL}第四十三条"),
    "recusal_pending": ("存在尚未决定的回避申请", f"{APL}第四十三条"),
    "head_approved": ("经行政机关负责人批准", f"{APL}第五十六条"),
    "preservation_pending": ("存在尚未处理的先行登记保存", f"{APL}第五十六条"),
    "preservation_decided": ("先行登记保存的证据已作出处理决定", f"{APL}第五十六条"),
    "evidence_present": ("已收集证据或制作笔录", f"{APL}第五十四条、第五十五条"),
    "recording_attached": ("按音像记录事项清单附有音像记录或记明未录理由", f"{APL}第四十七条"),
    "discretion_within": ("拟处罚符合裁量基准，超出的已写明理由", "裁量基准（国办发〔2022〕27号）"),
    "proposal_is_penalty": ("拟作出的决定为行政处罚", f"{APL}第四十四条"),
    "review_required": ("本案属于法制审核情形", f"{APL}第五十八条第一款"),
    "no_open_review": ("没有尚在进行的法制审核", f"{APL}第五十八条"),
    "legal_review_agreed": ("法制审核同意意见涵盖本案现状", f"{APL}第五十八条第一款"),
    "hearing_right": ("本案依法享有听证权利", f"{APL}第六十三条"),
    "hearing_not_waived": ("当事人尚未明确放弃听证权利", f"{APL}第六十四条"),
    "hearing_request_in_time": ("在告知后五个工作日内提出听证要求", f"{APL}第六十四条第一项"),
    "hearing_not_requested": ("当事人没有尚未举行的听证要求", f"{APL}第六十四条"),
    "hearing_notice_in_time": ("举行听证七个工作日前通知当事人", f"{APL}第六十四条第二项"),
    "presider_not_investigator": ("听证主持人不是本案调查人员", f"{APL}第六十四条第四项"),
    "actor_is_presider": ("由指定的听证主持人主持", f"{APL}第六十四条"),
    "hearing_scheduled": ("听证已安排并通知", f"{APL}第六十四条"),
    "statement_heard": (
        "陈述申辩期间已届满，或当事人已陈述申辩或明确放弃",
        f"{APL}第四十五条、第六十二条",
    ),
    "notice_given": ("已履行事先告知并听取陈述申辩", f"{APL}第四十四条、第六十二条"),
    "not_heavier": ("不因当事人陈述申辩而加重处罚", f"{APL}第四十五条第二款"),
    "collective_if_serious": ("情节复杂或者重大违法行为已经集体讨论", f"{APL}第五十七条第二款"),
    "decision_fields": ("行政处罚决定书载明法定事项", f"{APL}第五十九条"),
    "decided_first": ("已作出决定", f"{APL}第六十一条"),
    "served_after_decision": ("送达日期不早于决定日期", f"{APL}第六十一条"),
    "e_service_consent": ("电子送达已取得当事人签署的同意确认", f"{APL}第六十一条第二款"),
    "payment_at_bank": ("罚缴分离：罚款经指定银行或电子支付缴纳", f"{APL}第六十七条"),
    "amount_outstanding": ("缴纳金额不超过尚欠金额", f"{APL}第六十七条、第七十二条"),
    "fine_imposed": ("决定包含罚款", f"{APL}第六十六条、第六十七条"),
    "payment_overdue": ("缴款期限届满仍未缴纳", f"{APL}第七十二条"),
    "surcharge_running": ("加处罚款正在计算", f"{APL}第七十三条第三款"),
    "surcharge_paused": ("加处罚款已因复议或诉讼暂停计算", f"{APL}第七十三条第三款"),
    "executed": ("决定已执行完毕、无需执行或已申请法院强制执行", f"{APL}第七十二条、第七十三条"),
    "documents_issued": ("案卷文书均已签发，没有未完成的草稿", f"{APL}第四十七条"),
    "party_old_enough": ("当事人在违法行为发生时已满十四周岁", f"{APL}第三十条"),
    "summary_eligible": (
        "符合简易程序条件：警告或者公民二百元以下、组织三千元以下罚款",
        f"{APL}第五十一条",
    ),
    "cash_held": ("有尚未交至行政机关的当场收缴罚款", f"{APL}第七十一条"),
    "onsite_collection_allowed": ("符合当场收缴罚款的条件", f"{APL}第六十八条、第六十九条"),
    "extension_basis": ("延长办案期限有记明的法律依据", f"{APL}第六十条"),
    "outcome_recordable": ("决定已作出且尚未被撤销或确认无效", f"{APL}第四十八条、第六十五条"),
}
