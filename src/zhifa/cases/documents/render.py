"""Rendering a document: DOCX (python-docx) and PDF (LibreOffice, else WeasyPrint).

Why python-docx in code rather than a docxtpl template: fifteen types share
three layouts (letter, record, form) whose parts come from the type table;
one small builder over that table is easier to keep right than fifteen
.docx templates edited in Word, and it sets the East Asian font and the
zh-CN language on every run (LibreOffice otherwise picks the Japanese face
of the Noto CJK collection). The DOCX and the HTML for WeasyPrint are both
drawn from the same list of blocks, so they say the same thing.

The DOCX is deterministic: for the same content, number and issue time the
bytes are the same (core properties and ZIP entry times are the issue
time). The PDF is LibreOffice's conversion of that very DOCX when
LibreOffice is installed (`soffice`, one profile per call so conversions
may run in parallel); otherwise WeasyPrint renders the blocks as HTML.

Fonts: ``settings.ZHIFA_DOCUMENT_FONTS`` (a list, or a comma-separated
string), default FangSong_GB2312 → FangSong → Noto Serif CJK SC. The DOCX
names the first (Word substitutes a missing font itself); for LibreOffice a
private fontconfig file maps the first to the rest of the chain; the HTML
lists the whole chain in CSS.
"""

from __future__ import annotations

import functools
import html
import io
import logging
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from zhifa.cases.documents.types import DocumentType, document_type

if TYPE_CHECKING:
    from zhifa.cases.models import Document

log = logging.getLogger(__name__)

DEFAULT_FONTS: tuple[str, ...] = ("FangSong_GB2312", "FangSong", "Noto Serif CJK SC")
LATIN_FONT = "Times New Roman"
PDF_TIMEOUT = 120  # seconds, one LibreOffice conversion

# GB/T 9704: A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
MARGINS_MM = (37, 35, 28, 26)
BODY_PT = 14  # 四号
TABLE_PT = 12  # 小四
TITLE_PT = 22  # 二号
AGENCY_PT = 18  # 小二

SIGN_BLANK = "＿＿＿＿＿＿＿＿"
DATE_BLANK = "　　　　年　　月　　日"


class RenderError(RuntimeError):
    """A document could not be rendered; the message is Chinese."""


def document_fonts() -> list[str]:
    configured = getattr(settings, "ZHIFA_DOCUMENT_FONTS", None) or DEFAULT_FONTS
    if isinstance(configured, str):
        configured = configured.split(",")
    fonts = [f.strip() for f in configured if f and f.strip()]
    return fonts or list(DEFAULT_FONTS)


# --------------------------------------------------------------------------
# Blocks: what the document says, in order, for both renderers


@dataclass(frozen=True)
class Block:
    # agency | title | number | draft | line | para | heading | table | seal | right | sign
    kind: str
    text: str = ""
    rows: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def _paras(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def blocks(dtype: DocumentType, content: dict[str, str], *, issued: bool) -> list[Block]:
    get = lambda key: str(content.get(key) or "").strip()  # noqa: E731
    out = [Block("agency", get("agency")), Block("title", dtype.title)]
    if get("number"):
        out.append(Block("number", get("number")))
    if not issued:
        out.append(Block("draft", "（草稿，未签发）"))

    if dtype.layout == "letter":
        for key, label in dtype.header:
            if get(key):
                out.append(Block("line", f"{label}：{get(key)}"))
        if dtype.salutation and get("party_name"):
            out.append(Block("line", f"{get('party_name')}："))
        for key, label in dtype.body:
            lines = _paras(get(key))
            if not lines:
                continue
            if label:
                lines[0] = f"{label}：{lines[0]}"
            out.extend(Block("para", line) for line in lines)
    else:
        rows = [(label, get(key)) for key, label in dtype.header]
        if dtype.layout == "form":
            rows += [(label, get(key)) for key, label in dtype.body]
        out.append(Block("table", rows=tuple(rows)))
        if dtype.layout == "record":
            for key, label in dtype.body:
                lines = _paras(get(key))
                if lines:
                    out.append(Block("heading", label))
                    out.extend(Block("para", line) for line in lines)

    if dtype.sealed:
        out.append(Block("seal", get("seal") or get("agency")))
        out.append(Block("right", "（印章）"))
        out.append(Block("right", get("issued_on") or DATE_BLANK))
    for who in dtype.signatures:
        out.append(Block("sign", f"{who}：{SIGN_BLANK}　{DATE_BLANK}"))
    return out


def document_blocks(document: Document) -> list[Block]:
    content = dict(document.content or {})
    if document.number:
        content["number"] = document.number
    return blocks(document_type(document.doc_type), content, issued=document.status == "issued")


# --------------------------------------------------------------------------
# DOCX


def _set_fonts(rpr, font: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _run(paragraph, text: str, font: str, *, size: float, bold: bool = False):
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    if bold:
        run.bold = True
    _set_fonts(run._element.get_or_add_rPr(), font)
    return run


def _moment(document: Document) -> datetime:
    moment = document.issued_at or document.updated_at or timezone.now()
    return moment.replace(microsecond=0)


def _fixed_zip(data: bytes, moment: datetime) -> bytes:
    """The same package with every entry dated `moment` (ZIP times are local)."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    stamp = max(local.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


# python-docx's default template carries some 800 KB of styles (every
# built-in style, twice: styles.xml and stylesWithEffects.xml), a thumbnail
# and customXml. Parsing and compressing them was most of a render's cost, so
# each render starts from a slim copy holding only the styles we use (and the
# ones they are based on), built once per process.
USED_STYLES = ("Normal", "Table Grid")
DROPPED_RELS = ("stylesWithEffects", "customXml", "thumbnail")


@functools.cache
def _template() -> bytes:
    from docx import Document as Docx
    from docx.oxml.ns import qn

    doc = Docx()
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    by_name = {s.find(qn("w:name")).get(qn("w:val")): s for s in by_id.values()}
    keep: set[str] = set()
    pending = [by_name[name].get(qn("w:styleId")) for name in USED_STYLES]
    # Defaults (w:default="1") stay: Word and LibreOffice fall back on them.
    pending += [sid for sid, s in by_id.items() if s.get(qn("w:default")) == "1"]
    while pending:
        sid = pending.pop()
        if sid in keep or sid not in by_id:
            continue
        keep.add(sid)
        for link in ("w:basedOn", "w:next", "w:link"):
            ref = by_id[sid].find(qn(link))
            if ref is not None:
                pending.append(ref.get(qn("w:val")))
    for sid, s in by_id.items():
        if sid not in keep:
            styles.remove(s)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    for owner in (doc.part, doc.part.package):
        for r_id, rel in list(owner.rels.items()):
            if any(rel.reltype.endswith(tail) for tail in DROPPED_RELS):
                del owner.rels[r_id]
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_docx(document: Document) -> bytes:
    """The document as DOCX bytes (A4, official layout, Chinese fonts)."""
    from docx import Document as Docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    font = document_fonts()[0]
    dtype = document_type(document.doc_type)
    doc = Docx(io.BytesIO(_template()))

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, bottom, left, right = MARGINS_MM
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)

    for name in ("Normal", "Table Grid"):
        style = doc.styles[name]
        style.font.size = Pt(BODY_PT)
        _set_fonts(style.element.get_or_add_rPr(), font)
    normal = doc.styles["Normal"].paragraph_format
    normal.space_before, normal.space_after = Pt(0), Pt(0)
    normal.line_spacing = 1.5

    for block in document_blocks(document):
        if block.kind == "table":
            table = doc.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            table.autofit = False
            widths = (Mm(48), Mm(210 - left - right - 48))
            for column, width in zip(table.columns, widths, strict=True):
                column.width = width
            for label, value in block.rows:
                cells = table.add_row().cells
                cells[0].width, cells[1].width = widths
                _run(cells[0].paragraphs[0], label, font, size=TABLE_PT, bold=True)
                lines = _paras(value) or [""]
                _run(cells[1].paragraphs[0], lines[0], font, size=TABLE_PT)
                for line in lines[1:]:
                    _run(cells[1].add_paragraph(), line, font, size=TABLE_PT)
            doc.add_paragraph()
            continue
        p = doc.add_paragraph()
        fmt = p.paragraph_format
        if block.kind == "agency":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(p, block.text, font, size=AGENCY_PT, bold=True)
        elif block.kind == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.space_after = Pt(6)
            _run(p, block.text, font, size=TITLE_PT, bold=True)
        elif block.kind == "number":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.space_after = Pt(12)
            _run(p, block.text, font, size=BODY_PT)
        elif block.kind == "draft":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(p, block.text, font, size=BODY_PT, bold=True)
        elif block.kind == "heading":
            fmt.space_before = Pt(6)
            _run(p, block.text, font, size=BODY_PT, bold=True)
        elif block.kind == "para":
            fmt.first_line_indent = Pt(BODY_PT * 2)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            _run(p, block.text, font, size=BODY_PT)
        elif block.kind in ("seal", "right"):
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if block.kind == "seal":
                fmt.space_before = Pt(BODY_PT * 2)
            fmt.right_indent = Pt(BODY_PT * 2)
            _run(p, block.text, font, size=BODY_PT)
        elif block.kind == "sign":
            fmt.space_before = Pt(12)
            _run(p, block.text, font, size=BODY_PT)
        else:  # line
            _run(p, block.text, font, size=BODY_PT)

    # Deterministic package: fixed metadata, no generator's defaults.
    moment = _moment(document)
    props = doc.core_properties
    props.author = str(document.content.get("agency", ""))
    props.last_modified_by = props.author
    props.title = dtype.title
    props.subject = document.number or ""
    props.comments = ""
    props.keywords = ""
    props.category = "执法文书"
    props.language = "zh-CN"
    props.revision = 1
    # python-docx writes these as UTC ("…Z") and wants them naive.
    utc = moment.astimezone(UTC).replace(tzinfo=None) if timezone.is_aware(moment) else moment
    props.created = props.modified = utc
    settings_el = doc.settings.element
    lang = settings_el.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")

    out = io.BytesIO()
    doc.save(out)
    return _fixed_zip(out.getvalue(), moment)


# --------------------------------------------------------------------------
# HTML (WeasyPrint)


def render_html(document: Document) -> str:
    from zhifa.officers.card import font_family_css

    families = font_family_css(document_fonts())
    top, bottom, left, right = MARGINS_MM
    parts: list[str] = []
    for block in document_blocks(document):
        text = html.escape(block.text)
        if block.kind == "table":
            rows = "".join(
                f"<tr><th>{html.escape(label)}</th><td>"
                + "<br>".join(html.escape(line) for line in _paras(value))
                + "</td></tr>"
                for label, value in block.rows
            )
            parts.append(f"<table>{rows}</table>")
        elif block.kind in (
            "agency",
            "title",
            "number",
            "draft",
            "heading",
            "para",
            "seal",
            "right",
        ):
            parts.append(f'<p class="{block.kind}">{text}</p>')
        elif block.kind == "sign":
            parts.append(f'<p class="sign">{text}</p>')
        else:
            parts.append(f'<p class="line">{text}</p>')
    title = html.escape(document_type(document.doc_type).title)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>
@page {{ size: A4; margin: {top}mm {right}mm {bottom}mm {left}mm;
  @bottom-center {{ content: "第 " counter(page) " 页 共 " counter(pages) " 页";
    font-family: {families}; font-size: 9pt; }} }}
body {{ font-family: {families}; font-size: {BODY_PT}pt; line-height: 1.5; }}
p {{ margin: 0; }}
.agency {{ text-align: center; font-size: {AGENCY_PT}pt; font-weight: bold; }}
.title {{ text-align: center; font-size: {TITLE_PT}pt; font-weight: bold; margin-bottom: 6pt; }}
.number {{ text-align: right; margin-bottom: 12pt; }}
.draft {{ text-align: center; font-weight: bold; }}
.heading {{ font-weight: bold; margin-top: 6pt; }}
.para {{ text-indent: 2em; text-align: justify; }}
.seal, .right {{ text-align: right; margin-right: 2em; }}
.seal {{ margin-top: 2em; }}
.sign {{ margin-top: 12pt; }}
table {{ width: 100%; border-collapse: collapse; font-size: {TABLE_PT}pt; margin-bottom: 12pt; }}
th, td {{ border: 0.5pt solid #000; padding: 4pt 6pt; vertical-align: top; text-align: left; }}
th {{ width: 26%; }}
</style></head><body>
{"".join(parts)}
</body></html>"""


# --------------------------------------------------------------------------
# PDF


def soffice_path() -> str | None:
    configured = getattr(settings, "ZHIFA_SOFFICE", None)
    if configured:
        return configured if os.path.exists(configured) else shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


def _fontconfig(directory: Path, fonts: Sequence[str]) -> Path:
    """A fontconfig file that maps the first document font to the rest of the chain."""
    first, rest = fonts[0], fonts[1:]
    prefer = "".join(f"<family>{html.escape(f)}</family>" for f in rest)
    path = directory / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f'<alias binding="same"><family>{html.escape(first)}</family>'
        f"<prefer>{prefer}</prefer></alias></fontconfig>",
        encoding="utf-8",
    )
    return path


def docx_to_pdf(docx: bytes, *, timeout: float | None = None) -> bytes:
    """Convert DOCX bytes with LibreOffice headless; RenderError if it fails."""
    soffice = soffice_path()
    if soffice is None:
        raise RenderError("未安装 LibreOffice（soffice），无法将 DOCX 转换为 PDF。")
    timeout = timeout or getattr(settings, "ZHIFA_DOCUMENT_PDF_TIMEOUT", PDF_TIMEOUT)
    with tempfile.TemporaryDirectory(prefix="zhifa-doc-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(docx)
        env = {
            **os.environ,
            "HOME": str(work),
            "FONTCONFIG_FILE": str(_fontconfig(work, document_fonts())),
        }
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            done = subprocess.run(
                command, env=env, capture_output=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise RenderError(f"LibreOffice 转换超时（{timeout} 秒）。") from exc
        target = work / "document.pdf"
        if done.returncode != 0 or not target.exists():
            detail = (done.stderr or done.stdout or b"").decode(errors="replace").strip()[-300:]
            raise RenderError(f"LibreOffice 转换失败（退出码 {done.returncode}）：{detail}")
        return target.read_bytes()


def html_to_pdf(markup: str) -> bytes:
    import weasyprint  # heavy import: only when a PDF is made

    return weasyprint.HTML(string=markup).write_pdf()


def _stored_or_rendered_docx(document: Document) -> bytes:
    """The issued DOCX as stored (verified against its digests), else a fresh rendering."""
    if document.docx_id:
        from zhifa.ledger.evidence import evidence_open

        with evidence_open(blob=document.docx, record_view=False) as handle:
            return handle.read()
    return render_docx(document)


def render_pdf(document: Document) -> bytes:
    """The document as PDF: LibreOffice's conversion of the same DOCX when
    installed, else WeasyPrint from the same blocks.

    ``settings.ZHIFA_DOCUMENT_PDF_ENGINE``: "auto" (default), "libreoffice"
    (fail rather than fall back) or "weasyprint".
    """
    engine = getattr(settings, "ZHIFA_DOCUMENT_PDF_ENGINE", "auto")
    if engine != "weasyprint" and (engine == "libreoffice" or soffice_path()):
        try:
            return docx_to_pdf(_stored_or_rendered_docx(document))
        except RenderError:
            if engine == "libreoffice":
                raise
            log.warning("LibreOffice conversion failed; using WeasyPrint", exc_info=True)
    return html_to_pdf(render_html(document))
