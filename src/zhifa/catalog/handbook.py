"""执法工作手册: an agency's lists compiled into one PDF and one DOCX, and filed
(备案) with the supervising justice bureau.

The content is built once as a list of sections made of simple blocks
(headings, paragraphs, tables); the PDF (WeasyPrint, with a table of contents
whose page numbers come from ``target-counter``) and the DOCX (python-docx,
East Asian fonts set on every run) are both rendered from it, so they say
the same thing.

The PDF is stored with ``evidence_store`` (content-addressed, its digests in
the ledger). The DOCX type is not an accepted evidence type, so it goes to
``default_storage`` under ``handbooks/`` and its SHA-256 is written into the
"catalog.handbook_compiled" ledger payload.

States: draft → submitted → accepted | returned. A returned handbook stays
returned; the agency compiles a new version. Accepting or returning is for a
司法局监督人员 whose region contains the agency (or a superuser).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from zhifa import ledger
from zhifa.catalog.lists import av_rows_for_public, random_inspection_rows_for_public
from zhifa.catalog.models import Handbook, ServiceGuide
from zhifa.catalog.public import (
    item_rows_for_public,
    major_decisions_for_public,
    procedure_label,
    standards_for_public,
)
from zhifa.catalog.services import can_manage_catalog
from zhifa.officers.card import font_family_css
from zhifa.orgs.models import Agency, Role
from zhifa.orgs.services import SYSTEM

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_FONT = "宋体"

# --------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------


@dataclass
class Block:
    kind: str  # "h3" | "p" | "table"
    text: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Section:
    anchor: str
    title: str
    blocks: list[Block] = field(default_factory=list)

    def h(self, text: str) -> None:
        self.blocks.append(Block("h3", text))

    def p(self, text: str) -> None:
        if text:
            self.blocks.append(Block("p", text))

    def table(self, headers: list[str], rows: list[list[str]]) -> None:
        self.blocks.append(Block("table", headers=headers, rows=rows))


def _subject_section(agency: Agency) -> Section:
    s = Section("s1", "一、执法主体与职权依据")
    rows = [
        ["执法主体名称", agency.name],
        ["统一社会信用代码", agency.uscc],
        ["主体类型", agency.get_kind_display()],
        ["所在行政区划", agency.region.full_name],
        ["执法类别", "、".join(c.name for c in agency.categories.all()) or "—"],
    ]
    if agency.delegated_by_id:
        rows.append(["委托机关", agency.delegated_by.name])
    if agency.supervising_bureau_id:
        rows.append(["监督的司法行政部门", agency.supervising_bureau.name])
    s.table(["项目", "内容"], rows)
    s.h("职权依据")
    s.p(agency.authority_basis)
    return s


def build_sections(agency: Agency, *, today: date) -> list[Section]:
    items = item_rows_for_public(agency, today=today)
    sections = [_subject_section(agency)]

    s = Section("s2", "二、执法事项清单")
    if not items:
        s.p("截至编制日，本机关无施行中的执法事项。")
    for row in items:
        v = row.version
        s.h(f"{row.item.code} {v.name}")
        s.p(
            f"执法类型：{v.get_kind_display()}；执法程序：{procedure_label(v.procedure)}；"
            f"承办机构：{v.unit.name if v.unit_id else '—'}；"
            f"施行日期：{v.effective_from:%Y年%m月%d日}；版本：第{v.version}版。"
        )
        s.table(
            ["依据类型", "依据", "条文内容"],
            [[b.get_role_display(), b.citation, b.text] for b in row.bases],
        )
    sections.append(s)

    s = Section("s3", "三、裁量基准")
    any_standard = False
    for row in items:
        standards = standards_for_public(row.version)
        if not standards:
            continue
        any_standard = True
        s.h(f"{row.item.code} {row.version.name}")
        for st in standards:
            s.p(f"违法行为：{st.violation}（依据：{st.basis}）")
            s.table(
                ["裁量阶次", "适用情形", "处罚种类", "罚款", "违法所得倍数"],
                [
                    [g.label, g.conditions, "、".join(g.penalties), g.fine, g.gains_multiple]
                    for g in st.grades
                ],
            )
    if not any_standard:
        s.p("本机关尚未制定裁量基准。")
    sections.append(s)

    s = Section("s4", "四、重大执法决定法制审核目录清单")
    major = major_decisions_for_public(agency, today=today)
    s.h("法定情形（《中华人民共和国行政处罚法》第五十八条）")
    s.table(["情形", "依据"], [list(row) for row in major["statutory"]])
    if major["review_all_general_procedure"]:
        s.p("本机关对适用普通程序作出的全部行政处罚决定均进行法制审核。")
    s.h("本机关规定的情形")
    if major["criteria"]:
        s.table(
            ["情形", "说明", "适用事项", "当事人", "处罚种类", "金额", "依据"],
            [
                [
                    c.kind,
                    c.description,
                    c.scope,
                    c.party,
                    "、".join(c.penalties),
                    c.threshold,
                    c.citation,
                ]
                for c in major["criteria"]
            ],
        )
    else:
        s.p("无。")
    sections.append(s)

    s = Section("s5", "五、随机抽查事项清单")
    inspections = random_inspection_rows_for_public(agency, today=today)
    if inspections:
        s.table(
            ["事项", "抽查主体", "抽查对象", "抽查内容", "比例", "方式", "频次", "依据"],
            [
                [
                    r.item_name,
                    r.entry.inspecting_body,
                    r.entry.targets,
                    r.entry.content,
                    r.ratio_percent,
                    r.entry.method,
                    r.entry.frequency,
                    r.entry.basis,
                ]
                for r in inspections
            ],
        )
    else:
        s.p("无。")
    sections.append(s)

    s = Section("s6", "六、音像记录事项清单")
    own, defaults = av_rows_for_public(agency)
    headers = ["适用范围", "执法环节", "记录要求", "依据", "说明"]
    s.h("本机关规定")
    if own:
        s.table(headers, [[r.scope, r.step, r.requirement, r.citation, r.note] for r in own])
    else:
        s.p("无（适用下列通用要求）。")
    s.h("通用要求")
    s.table(headers, [[r.scope, r.step, r.requirement, r.citation, r.note] for r in defaults])
    sections.append(s)

    s = Section("s7", "七、服务指南")
    guides = ServiceGuide.objects.filter(version__in=[r.version for r in items]).select_related(
        "version__item"
    )
    for g in guides:
        s.h(f"{g.version.item.code} {g.version.name}")
        s.table(
            ["项目", "内容"],
            [
                [label, value]
                for label, value in [
                    ("受理机构", g.accepting_unit),
                    ("审批机构", g.approving_unit),
                    ("受理条件", g.conditions),
                    ("申请材料", g.materials),
                    ("办理流程", "；".join(g.process_steps())),
                    ("办理时限", g.time_limit),
                    ("收费标准", g.fees),
                    ("监督投诉渠道", g.supervision),
                    ("救济渠道", g.remedies),
                    ("办公时间", g.office_hours),
                    ("办理地点", g.address),
                    ("咨询电话", g.telephone),
                ]
                if value
            ],
        )
    if not guides:
        s.p("无。")
    sections.append(s)
    return sections


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------


def handbook_html(agency: Agency, *, version: int, today: date, sections=None) -> str:
    sections = sections if sections is not None else build_sections(agency, today=today)
    return render_to_string(
        "catalog/handbook_print.html",
        {
            "agency": agency,
            "version": version,
            "today": today,
            "sections": sections,
            "font_family": font_family_css(),
        },
    )


def handbook_pdf(html: str) -> bytes:
    import weasyprint  # heavy import: only when a handbook is compiled

    return weasyprint.HTML(string=html).write_pdf()


def _east_asian(run, font: str = DOCX_FONT) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run.font.name = font
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), font)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _para(container, text: str, *, style: str | None = None, bold: bool = False, size=None):
    para = container.add_paragraph(style=style) if style else container.add_paragraph()
    run = para.add_run(text)
    run.bold = bold or None
    if size is not None:
        run.font.size = size
    _east_asian(run)
    return para


def handbook_docx(agency: Agency, *, version: int, today: date, sections) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt

    doc = Document()
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title"):
        style = doc.styles[name]
        style.font.name = DOCX_FONT
        rpr = style.element.get_or_add_rPr()
        from docx.oxml.ns import qn

        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            from docx.oxml import OxmlElement

            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), DOCX_FONT)

    title = _para(doc, agency.name, bold=True, size=Pt(22))
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = _para(doc, "行政执法工作手册", bold=True, size=Pt(26))
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = _para(doc, f"第{version}版　编制日期：{today:%Y年%m月%d日}")
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    _para(doc, "目　录", style="Heading 1")
    for section in sections:
        _para(doc, section.title)
    for section in sections:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _para(doc, section.title, style="Heading 1")
        for block in section.blocks:
            if block.kind == "h3":
                _para(doc, block.text, style="Heading 3")
            elif block.kind == "p":
                _para(doc, block.text)
            else:
                table = doc.add_table(rows=1, cols=len(block.headers))
                table.style = "Table Grid"
                for cell, text in zip(table.rows[0].cells, block.headers, strict=True):
                    cell.text = ""
                    _east_asian(cell.paragraphs[0].add_run(text))
                    cell.paragraphs[0].runs[0].bold = True
                for row in block.rows:
                    cells = table.add_row().cells
                    for cell, text in zip(cells, row, strict=True):
                        cell.text = ""
                        _east_asian(cell.paragraphs[0].add_run(str(text or "")))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------
# Permissions
# --------------------------------------------------------------------------


def can_decide(actor, agency: Agency) -> bool:
    """A 司法局监督人员 whose region contains the agency, or a superuser."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not getattr(actor, "is_active", True):
        return False
    if actor.is_superuser:
        return True
    return any(
        ra.region.contains(agency.region)
        for ra in actor.active_roles().filter(role=Role.SUPERVISOR, region__isnull=False)
    )


def handbooks_for_supervisor(actor):
    """Submitted handbooks of agencies in the actor's supervised regions."""
    qs = Handbook.objects.filter(status=Handbook.Status.SUBMITTED).select_related(
        "agency", "agency__region", "pdf"
    )
    if actor.is_superuser:
        return list(qs)
    return [h for h in qs if can_decide(actor, h.agency)]


# --------------------------------------------------------------------------
# Services
# --------------------------------------------------------------------------


def _may_store_evidence(actor, agency: Agency) -> bool:
    return actor.is_superuser or actor.active_roles().filter(agency=agency).exists()


def handbook_compile(*, actor, agency: Agency, today: date | None = None) -> Handbook:
    if not can_manage_catalog(actor, agency):
        raise PermissionDenied(
            f"您无权编制“{agency.name}”的执法工作手册：由本机关负责人或该区域的系统管理员编制。"
        )
    from zhifa.ledger.evidence import evidence_store

    today = today or timezone.localdate()
    latest = Handbook.objects.filter(agency=agency).aggregate(m=Max("version"))["m"] or 0
    version = latest + 1
    sections = build_sections(agency, today=today)
    pdf = handbook_pdf(handbook_html(agency, version=version, today=today, sections=sections))
    docx = handbook_docx(agency, version=version, today=today, sections=sections)
    docx_sha = hashlib.sha256(docx).hexdigest()
    docx_name = default_storage.save(
        f"handbooks/{agency.public_id}/v{version}-{docx_sha[:16]}.docx", ContentFile(docx)
    )
    with transaction.atomic():
        handbook = Handbook.objects.create(
            agency=agency,
            version=version,
            docx_name=docx_name,
            docx_sha256=docx_sha,
            compiled_at=timezone.now(),
            compiled_by=actor,
        )
        # A region administrator may compile without a role in the agency,
        # which evidence_store requires of a person: the system stores it then,
        # and the compile record below names the real actor.
        store_as = actor if _may_store_evidence(actor, agency) else SYSTEM
        handbook.pdf = evidence_store(
            agency=agency,
            subject=handbook,
            actor=store_as,
            file=ContentFile(pdf),
            original_name=f"{agency.name}执法工作手册第{version}版.pdf",
        )
        handbook.save(update_fields=["pdf"])
        ledger.record(
            agency=agency,
            subject=handbook,
            actor=actor,
            action="catalog.handbook_compiled",
            payload={
                "version": version,
                "date": today.isoformat(),
                "pdf_sha256": handbook.pdf.sha256,
                "docx_sha256": docx_sha,
                "docx_size": len(docx),
            },
        )
    return handbook


def _locked(handbook: Handbook) -> Handbook:
    return (
        Handbook.objects.select_for_update(of=("self",))
        .select_related("agency__region")
        .get(pk=handbook.pk)
    )


def handbook_submit(*, actor, handbook: Handbook) -> Handbook:
    agency = handbook.agency
    if not can_manage_catalog(actor, agency):
        raise PermissionDenied(f"您无权报送“{agency.name}”的执法工作手册。")
    with transaction.atomic():
        handbook = _locked(handbook)
        if handbook.status != Handbook.Status.DRAFT:
            raise ValidationError(
                f"第{handbook.version}版手册当前为“{handbook.get_status_display()}”，"
                "只有草稿可以报送备案。"
            )
        if handbook.pdf_id is None:
            raise ValidationError("手册尚未编制完成，不能报送。")
        newer = Handbook.objects.filter(agency=agency, version__gt=handbook.version).exists()
        if newer:
            raise ValidationError("已有更新的版本，请报送最新版本。")
        handbook.status = Handbook.Status.SUBMITTED
        handbook.submitted_at = timezone.now()
        handbook.save(update_fields=["status", "submitted_at"])
        ledger.record(
            agency=agency,
            subject=handbook,
            actor=actor,
            action="catalog.handbook_submitted",
            payload={
                "version": handbook.version,
                "bureau": str(agency.supervising_bureau.public_id)
                if agency.supervising_bureau_id
                else "",
            },
        )
    return handbook


def _decide(*, actor, handbook: Handbook, status: str, comments: str, action: str) -> Handbook:
    agency = handbook.agency
    if not can_decide(actor, agency):
        raise PermissionDenied(
            f"您无权审查“{agency.name}”的执法工作手册：由其所在区域的司法局监督人员审查备案。"
        )
    with transaction.atomic():
        handbook = _locked(handbook)
        if handbook.status != Handbook.Status.SUBMITTED:
            raise ValidationError(
                f"第{handbook.version}版手册当前为“{handbook.get_status_display()}”，"
                "只能审查已报送备案的手册。"
            )
        handbook.status = status
        handbook.decided_at = timezone.now()
        handbook.decided_by = actor
        handbook.comments = comments
        handbook.save(update_fields=["status", "decided_at", "decided_by", "comments"])
        ledger.record(
            agency=agency,
            subject=handbook,
            actor=actor,
            action=action,
            payload={
                "version": handbook.version,
                "comments_sha256": hashlib.sha256(comments.encode()).hexdigest()
                if comments
                else "",
            },
        )
    return handbook


def handbook_accept(*, actor, handbook: Handbook, comments: str = "") -> Handbook:
    return _decide(
        actor=actor,
        handbook=handbook,
        status=Handbook.Status.ACCEPTED,
        comments=(comments or "").strip(),
        action="catalog.handbook_accepted",
    )


def handbook_return(*, actor, handbook: Handbook, comments: str) -> Handbook:
    comments = (comments or "").strip()
    if not comments:
        raise ValidationError({"comments": "退回时必须填写审查意见。"})
    return _decide(
        actor=actor,
        handbook=handbook,
        status=Handbook.Status.RETURNED,
        comments=comments,
        action="catalog.handbook_returned",
    )


def handbook_docx_bytes(handbook: Handbook) -> bytes:
    """The stored DOCX, checked against the SHA-256 recorded at compile time."""
    with default_storage.open(handbook.docx_name, "rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != handbook.docx_sha256:
        raise ValidationError("手册 DOCX 文件与编制时记录的摘要不一致，可能已被篡改。")
    return data
