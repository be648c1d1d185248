"""The document types (文书种类) the procedures issue, as data.

Each type says what its 文号 series is (None: the type carries no number),
which content fields must be filled before it is issued (with their Chinese
labels, as `missing_fields` reports them), and how its content is laid out:

* ``letter``: a 文书 addressed to the party — party lines, paragraphs, the
  agency's seal and date (决定书、告知书、通知书);
* ``record``: a 笔录 — a table of who, when and where, the record itself,
  signature lines;
* ``form``: a 审批表 or 送达回证 — one table of labelled rows.

Content keys are the ones `zhifa.cases.documents.content.build_content`
writes (English identifiers; every value a string). Two keys are written
only when the document is issued: ``number`` (文号) and ``issued_on``
(签发日期, e.g. 2026年11月22日).
"""

from __future__ import annotations

from dataclasses import dataclass

Field = tuple[str, str]  # (content key, Chinese label)

APL_59 = "《中华人民共和国行政处罚法》第五十九条"
APL_52 = "《中华人民共和国行政处罚法》第五十二条"

# The party lines at the head of a letter.
PARTY = (
    ("party_name", "当事人"),
    ("party_id", "证件号码或统一社会信用代码"),
    ("party_legal_representative", "法定代表人或负责人"),
    ("party_address", "住所或地址"),
)


@dataclass(frozen=True)
class DocumentType:
    code: str
    title: str
    # The character(s) of the 文号 series, e.g. "罚" → 本县工信罚〔2026〕12号.
    series: str | None
    # Content fields that must be non-empty before the document is issued.
    required: tuple[Field, ...] = ()
    layout: str = "letter"  # "letter" | "record" | "form"
    # Shown first: labelled lines (letter) or table rows (record, form).
    header: tuple[Field, ...] = ()
    # Then: paragraphs (label "" → plain paragraphs; else "label：text").
    body: tuple[Field, ...] = ()
    # Letters addressed "当事人名称：" before the body.
    salutation: bool = False
    # Signature lines after the body, e.g. "被询问人（签名）".
    signatures: tuple[str, ...] = ()
    # The agency's seal and the date close the document.
    sealed: bool = True
    # A case may hold several of this type (create_document never reuses a draft).
    repeatable: bool = False
    # The provision that lists the required contents (cited when refusing).
    citation: str = ""

    def label(self, key: str) -> str:
        for k, label in (*self.required, *self.header, *self.body):
            if k == key:
                return label
        return key


_DECISION_REQUIRED: tuple[Field, ...] = (
    ("party_name", "当事人的姓名或者名称"),
    ("party_address", "当事人的地址"),
    ("facts", "违反法律、法规、规章的事实"),
    ("evidence", "证据"),
    ("penalty_content", "行政处罚的种类"),
    ("legal_basis", "行政处罚的依据"),
    ("performance", "行政处罚的履行方式和期限"),
    ("remedy", "申请行政复议、提起行政诉讼的途径和期限"),
    ("agency", "作出行政处罚决定的行政机关名称"),
    ("seal", "行政机关印章"),
)

_DECISION_BODY: tuple[Field, ...] = (
    ("facts_text", ""),
    ("evidence_text", ""),
    ("statement_review", ""),
    ("decision_text", ""),
    ("penalty_content", ""),
    ("performance", ""),
    ("remedy", ""),
    ("publication", ""),
    ("note", "备注"),
)

DOCUMENT_TYPES: dict[str, DocumentType] = {
    t.code: t
    for t in (
        DocumentType(
            "filing_approval",
            "立案审批表",
            "立",
            required=(
                ("case_title", "案由"),
                ("party_name", "当事人"),
                ("officers", "承办人员"),
                ("opinion", "审批意见"),
            ),
            layout="form",
            header=(
                ("case_number", "案件编号"),
                ("case_title", "案由"),
                ("item_name", "执法事项"),
                ("source", "案件来源"),
                ("source_received_on", "发现或收到日期"),
                ("party_name", "当事人"),
                ("party_kind", "当事人类型"),
                ("party_id", "证件号码或统一社会信用代码"),
                ("party_legal_representative", "法定代表人或负责人"),
                ("party_address", "住所或地址"),
                ("act_place", "违法行为发生地"),
                ("act_date", "违法行为发生日期"),
                ("source_detail", "简要案情"),
                ("officers", "承办人员"),
                ("lead_officer", "主办人"),
                ("opinion", "审批意见"),
                ("note", "备注"),
            ),
            signatures=("承办机构负责人（签名）",),
            sealed=False,
        ),
        DocumentType(
            "inquiry_record",
            "询问笔录",
            None,
            required=(
                ("person", "被询问人"),
                ("place", "询问地点"),
                ("content", "询问内容"),
            ),
            layout="record",
            header=(
                ("case_title", "案由"),
                ("on", "询问日期"),
                ("place", "询问地点"),
                ("person", "被询问人"),
                ("relation", "被询问人身份"),
                ("officers_present", "询问人（执法人员）"),
                ("auxiliaries_present", "在场辅助人员"),
            ),
            body=(
                ("certificates_shown", "出示证件及告知"),
                ("content", "询问内容"),
                ("note", "备注"),
            ),
            signatures=("被询问人（签名）", "询问人（签名）", "记录人（签名）"),
            sealed=False,
            repeatable=True,
        ),
        DocumentType(
            "onsite_inspection_record",
            "现场检查笔录",
            None,
            required=(("place", "检查地点"), ("content", "检查情况")),
            layout="record",
            header=(
                ("case_title", "案由"),
                ("on", "检查日期"),
                ("place", "检查地点"),
                ("party_name", "当事人"),
                ("party_legal_representative", "法定代表人或负责人"),
                ("party_address", "住所或地址"),
                ("officers_present", "检查人员（执法人员）"),
                ("auxiliaries_present", "在场辅助人员"),
            ),
            body=(
                ("certificates_shown", "出示证件及告知"),
                ("content", "检查情况"),
                ("note", "备注"),
            ),
            signatures=("当事人或见证人（签名）", "检查人员（签名）", "记录人（签名）"),
            sealed=False,
            repeatable=True,
        ),
        DocumentType(
            "preservation_notice",
            "先行登记保存通知书",
            "先保",
            required=(
                ("party_name", "当事人"),
                ("items", "先行登记保存的物品"),
                ("place", "保存地点"),
            ),
            header=PARTY,
            body=(
                ("preservation_text", ""),
                ("items", "物品清单"),
                ("place", "保存地点"),
                ("preservation_limit", ""),
                ("note", "备注"),
            ),
            signatures=("当事人（签收）",),
            repeatable=True,
        ),
        DocumentType(
            "investigation_report",
            "案件调查终结报告",
            None,
            required=(
                ("facts", "违法事实"),
                ("evidence", "证据"),
                ("proposal", "处理意见"),
            ),
            layout="record",
            header=(
                ("case_number", "案件编号"),
                ("case_title", "案由"),
                ("party_name", "当事人"),
                ("party_id", "证件号码或统一社会信用代码"),
                ("party_address", "住所或地址"),
                ("source", "案件来源"),
                ("filed_on", "立案日期"),
                ("officers", "承办人员"),
            ),
            body=(
                ("facts", "违法事实"),
                ("evidence", "证据"),
                ("legal_basis", "处罚依据"),
                ("discretion", "裁量情况"),
                ("proposal", "处理意见"),
                ("note", "备注"),
            ),
            signatures=("承办人（签名）",),
            sealed=False,
        ),
        DocumentType(
            "prior_notice",
            "行政处罚事先告知书",
            "告",
            required=(
                ("party_name", "当事人"),
                ("facts", "拟处罚的事实"),
                ("legal_basis", "拟处罚的依据"),
                ("penalty_content", "拟作出的行政处罚"),
                ("statement_rights", "陈述、申辩权利"),
            ),
            header=(),
            body=(
                ("facts_text", ""),
                ("evidence_text", ""),
                ("notice_text", ""),
                ("penalty_content", ""),
                ("statement_rights", ""),
                ("note", "备注"),
            ),
            salutation=True,
            signatures=("当事人（签收）",),
        ),
        DocumentType(
            "hearing_rights_notice",
            "听证告知书",
            "听告",
            required=(
                ("party_name", "当事人"),
                ("penalty_content", "拟作出的行政处罚"),
                ("hearing_rights", "听证权利"),
            ),
            body=(
                ("hearing_rights_intro", ""),
                ("penalty_content", ""),
                ("hearing_rights", ""),
                ("note", "备注"),
            ),
            salutation=True,
            signatures=("当事人（签收）",),
        ),
        DocumentType(
            "hearing_notice",
            "听证通知书",
            "听通",
            required=(
                ("party_name", "当事人"),
                ("hearing_date", "听证日期"),
                ("hearing_place", "听证地点"),
            ),
            body=(("hearing_text", ""), ("note", "备注")),
            salutation=True,
            signatures=("当事人（签收）",),
            repeatable=True,
        ),
        DocumentType(
            "hearing_record",
            "听证笔录",
            None,
            required=(("content", "听证笔录内容"),),
            layout="record",
            header=(
                ("case_title", "案由"),
                ("hearing_date", "听证日期"),
                ("hearing_place", "听证地点"),
                ("hearing_public", "是否公开举行"),
                ("presider", "听证主持人"),
                ("party_name", "当事人"),
                ("officers", "案件调查人员"),
            ),
            body=(
                ("content", "听证情况"),
                ("party_absent_text", "当事人到场情况"),
                ("note", "备注"),
            ),
            signatures=("当事人或其代理人（签名）", "听证主持人（签名）", "记录人（签名）"),
            sealed=False,
        ),
        DocumentType(
            "collective_record",
            "集体讨论记录",
            None,
            required=(
                ("participants", "参加人员"),
                ("discussion", "讨论情况"),
                ("conclusion", "讨论决定"),
            ),
            layout="record",
            header=(
                ("case_number", "案件编号"),
                ("case_title", "案由"),
                ("party_name", "当事人"),
                ("on", "讨论日期"),
                ("participants", "参加人员"),
            ),
            body=(
                ("discussion", "讨论情况"),
                ("conclusion", "讨论决定"),
                ("note", "备注"),
            ),
            signatures=("参加人员（签名）", "记录人（签名）"),
            sealed=False,
            repeatable=True,
        ),
        DocumentType(
            "penalty_decision",
            "行政处罚决定书",
            "罚",
            required=_DECISION_REQUIRED,
            header=PARTY,
            body=_DECISION_BODY,
            citation=APL_59,
        ),
        DocumentType(
            "no_penalty_decision",
            "不予行政处罚决定书",
            "不罚",
            required=(
                ("party_name", "当事人的姓名或者名称"),
                ("party_address", "当事人的地址"),
                ("reason", "不予行政处罚的理由和依据"),
                ("remedy", "申请行政复议、提起行政诉讼的途径和期限"),
                ("agency", "作出决定的行政机关名称"),
                ("seal", "行政机关印章"),
            ),
            header=PARTY,
            body=(
                ("facts_text", ""),
                ("reason", "不予行政处罚的理由和依据"),
                ("decision_text", ""),
                ("remedy", ""),
                ("note", "备注"),
            ),
        ),
        DocumentType(
            "summary_decision",
            "当场行政处罚决定书",
            "简罚",
            required=(
                ("party_name", "当事人的姓名或者名称"),
                ("facts", "当事人的违法行为"),
                ("penalty_content", "行政处罚的种类和罚款数额"),
                ("legal_basis", "行政处罚的依据"),
                ("place", "地点"),
                ("performance", "行政处罚的履行方式和期限"),
                ("remedy", "申请行政复议、提起行政诉讼的途径和期限"),
                ("agency", "行政机关名称"),
                ("officers_present", "执法人员"),
                ("seal", "行政机关印章"),
            ),
            header=(*PARTY, ("on", "时间"), ("place", "地点")),
            body=(
                ("facts_text", ""),
                ("decision_text", ""),
                ("penalty_content", ""),
                ("performance", ""),
                ("remedy", ""),
                ("publication", ""),
                ("officers_present", "执法人员"),
                ("statement", "当事人陈述、申辩"),
                ("note", "备注"),
            ),
            signatures=("执法人员（签名）", "当事人（签收）"),
            citation=APL_52,
        ),
        DocumentType(
            "service_receipt",
            "送达回证",
            None,
            required=(
                ("served_documents", "送达文书名称及文号"),
                ("recipient", "受送达人"),
                ("method", "送达方式"),
            ),
            layout="form",
            header=(
                ("served_documents", "送达文书名称及文号"),
                ("recipient", "受送达人"),
                ("service_place", "送达地点"),
                ("method", "送达方式"),
                ("on", "送达日期"),
                ("officers", "送达人"),
                ("note", "备注"),
            ),
            signatures=("受送达人（签名或盖章）", "送达人（签名）"),
            repeatable=True,
        ),
        DocumentType(
            "closure_approval",
            "结案审批表",
            "结",
            required=(
                ("case_title", "案由"),
                ("party_name", "当事人"),
                ("closure_reason", "结案理由"),
            ),
            layout="form",
            header=(
                ("case_number", "案件编号"),
                ("case_title", "案由"),
                ("party_name", "当事人"),
                ("party_address", "住所或地址"),
                ("filed_on", "立案日期"),
                ("decision_kind", "处理结果"),
                ("decision_number", "决定书文号"),
                ("penalty_content", "行政处罚内容"),
                ("execution", "执行情况"),
                ("closure_reason", "结案理由"),
                ("officers", "承办人员"),
                ("note", "备注"),
            ),
            signatures=("承办机构负责人（签名）", "行政机关负责人（签名）"),
            sealed=False,
        ),
        # Issued by zhifa.review (行政处罚法 第五十八条; 国办发〔2018〕118号 四、（十三））.
        DocumentType(
            "legal_review_opinion",
            "法制审核意见书",
            "法审",
            required=(
                ("case_title", "案由"),
                ("reviewer", "审核人员"),
                ("findings", "审核要点"),
                ("result", "审核意见"),
                ("reasons", "理由"),
            ),
            layout="record",
            header=(
                ("case_number", "案件编号"),
                ("case_title", "案由"),
                ("party_name", "当事人"),
                ("submitted_unit", "送审机构"),
                ("submitted_on", "送审日期"),
                ("round", "审核轮次"),
                ("reviewer", "审核人员"),
                ("on", "审核日期"),
                ("proposal", "拟作出的决定"),
            ),
            body=(
                ("response", "承办机构对上一轮审核意见的答复"),
                ("findings", "审核要点"),
                ("result", "审核意见"),
                ("suggestions", "审核建议"),
                ("reasons", "理由"),
                ("note", "备注"),
            ),
            signatures=("审核人员（签名）", "法制审核机构负责人（签名）"),
            sealed=False,
            repeatable=True,
        ),
    )
}

# Decisions: the types whose required contents the law lists (APL-24).
DECISION_TYPES = frozenset({"penalty_decision", "no_penalty_decision", "summary_decision"})


def document_type(code: str) -> DocumentType:
    """The type `code`; a ValueError naming the known codes otherwise."""
    try:
        return DOCUMENT_TYPES[code]
    except KeyError:
        raise ValueError(
            f"未知的文书种类“{code}”，可用的种类为：{'、'.join(DOCUMENT_TYPES)}。"
        ) from None
