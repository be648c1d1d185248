"""流程图: an SVG drawn from a procedure definition (`zhifa.catalog.procedures`).

Deterministic (same definition, same bytes), no scripts, no external
resources. Layout: every state is a box in one vertical column, in the order
the definition lists them; optional steps are dashed. A transition to the next
state is a straight arrow labelled on its right; any other transition (a step
skipped, or a return) runs in a lane on the left of the column, marked with a
circled number explained in the legend under the chart. `<title>` and `<desc>`
give the whole procedure as text for screen readers.
"""

from __future__ import annotations

from html import escape

from zhifa.catalog.procedures import Procedure, Transition, get_procedure

FONT = (
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', "
    "'WenQuanYi Micro Hei', 'Hiragino Sans GB', sans-serif"
)
MARGIN = 20
LANE_GAP = 18
BOX_W = 240
BOX_H = 48
LABEL_AREA = 330
LINE_H = 16
WRAP = 20  # CJK characters per label line (13px text)
STROKE = "#1f3a5f"
OPTIONAL_FILL = "#f6f8fb"
TEXT = "#1b1b1b"
MUTED = "#555555"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _e(text: str) -> str:
    return escape(text, quote=True)


def _wrap(text: str, width: int = WRAP) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] if text else []


def _edge_lines(t: Transition) -> list[str]:
    return _wrap(t.label) + _wrap(t.limit)


def _marker(n: int) -> str:
    return CIRCLED[n - 1] if n <= len(CIRCLED) else f"({n})"


def _text(x, y, s, *, size=13, anchor="start", fill=TEXT, weight="normal") -> str:
    bold = ' font-weight="bold"' if weight != "normal" else ""
    return (
        f'<text x="{x}" y="{y}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{bold}>'
        f"{_e(s)}</text>"
    )


def _description(proc: Procedure) -> str:
    labels = {s.code: s.label for s in proc.states}
    steps = "；".join(
        f"{s.label}{'（视情形：' + s.note + '）' if s.optional and s.note else ''}"
        + ("（视情形）" if s.optional and not s.note else "")
        for s in proc.states
    )
    moves = "；".join(
        f"{labels[t.source]}→{labels[t.target]}：{t.label}" + (f"，{t.limit}" if t.limit else "")
        for t in proc.transitions
    )
    return f"{proc.label}的步骤：{steps}。流转：{moves}。"


def render(proc: Procedure) -> str:
    """The SVG text of `proc`'s flowchart."""
    index = {s.code: i for i, s in enumerate(proc.states)}
    spine = [t for t in proc.transitions if index[t.target] == index[t.source] + 1]
    lanes = [t for t in proc.transitions if index[t.target] != index[t.source] + 1]
    gap_after = [36] * len(proc.states)
    for t in spine:
        i = index[t.source]
        gap_after[i] = max(gap_after[i], LINE_H * len(_edge_lines(t)) + 20)

    box_x = MARGIN + LANE_GAP * (len(lanes) + 1)
    cx = box_x + BOX_W // 2
    tops = []
    y = MARGIN + 36  # room for the heading
    for i in range(len(proc.states)):
        tops.append(y)
        y += BOX_H + gap_after[i]
    chart_bottom = tops[-1] + BOX_H

    legend = []
    for n, t in enumerate(lanes, start=1):
        legend.extend(_wrap(f"{_marker(n)} {t.label}" + (f"：{t.limit}" if t.limit else ""), 36))
    width = box_x + BOX_W + LABEL_AREA
    height = chart_bottom + MARGIN + (LINE_H * (len(legend) + 1) + 12 if legend else 0)

    slug = proc.code.replace(".", "-")
    arrow = f"fc-{slug}-arrow"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="fc-{slug}-title fc-{slug}-desc" font-family="{FONT}">',
        f'<title id="fc-{slug}-title">{_e(proc.label)}流程图</title>',
        f'<desc id="fc-{slug}-desc">{_e(_description(proc))}</desc>',
        f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="10" refY="5" '
        f'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{STROKE}"/></marker></defs>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        _text(MARGIN, MARGIN + 16, f"{proc.label}流程图", size=16, weight="bold"),
    ]

    # States.
    last = len(proc.states) - 1
    for i, s in enumerate(proc.states):
        top = tops[i]
        rx = BOX_H // 2 if i in (0, last) else 6
        dash = ' stroke-dasharray="6 4"' if s.optional else ""
        fill = OPTIONAL_FILL if s.optional else "#ffffff"
        out.append(f'<g class="state" data-state="{_e(s.code)}">')
        out.append(
            f'<rect x="{box_x}" y="{top}" width="{BOX_W}" height="{BOX_H}" rx="{rx}" '
            f'fill="{fill}" stroke="{STROKE}" stroke-width="1.5"{dash}/>'
        )
        label = s.label + ("（视情形）" if s.optional else "")
        if s.note:
            out.append(_text(cx, top + 21, label, size=14, anchor="middle", weight="bold"))
            out.append(_text(cx, top + 38, s.note, size=11, anchor="middle", fill=MUTED))
        else:
            out.append(_text(cx, top + 29, label, size=14, anchor="middle", weight="bold"))
        out.append("</g>")

    # Straight arrows to the next state.
    for t in spine:
        i = index[t.source]
        y1, y2 = tops[i] + BOX_H, tops[i + 1]
        out.append(f'<g class="transition" data-from="{_e(t.source)}" data-to="{_e(t.target)}">')
        out.append(
            f'<line x1="{cx}" y1="{y1}" x2="{cx}" y2="{y2 - 1}" stroke="{STROKE}" '
            f'stroke-width="1.5" marker-end="url(#{arrow})"/>'
        )
        lines = _edge_lines(t)
        first = y1 + (y2 - y1 - LINE_H * len(lines)) // 2 + 12
        for k, line in enumerate(lines):
            is_limit = k >= len(_wrap(t.label))
            out.append(
                _text(
                    cx + 10,
                    first + k * LINE_H,
                    line,
                    size=12 if is_limit else 13,
                    fill=MUTED if is_limit else TEXT,
                )
            )
        out.append("</g>")

    # Lanes on the left for skips and returns.
    for n, t in enumerate(lanes, start=1):
        lane_x = box_x - LANE_GAP * n
        y1 = tops[index[t.source]] + BOX_H // 2 - 8
        y2 = tops[index[t.target]] + BOX_H // 2 + 8
        mid = (y1 + y2) // 2
        out.append(
            f'<g class="transition lane" data-from="{_e(t.source)}" data-to="{_e(t.target)}">'
        )
        out.append(
            f'<path d="M{box_x},{y1} H{lane_x} V{y2} H{box_x - 1}" fill="none" '
            f'stroke="{STROKE}" stroke-width="1.2" stroke-dasharray="4 3" '
            f'marker-end="url(#{arrow})"/>'
        )
        out.append(f'<circle cx="{lane_x}" cy="{mid}" r="8" fill="#ffffff" stroke="{STROKE}"/>')
        out.append(_text(lane_x, mid + 4, str(n), size=10, anchor="middle"))
        out.append("</g>")

    if legend:
        y = chart_bottom + MARGIN + LINE_H
        out.append(_text(MARGIN, y, "图中编号的虚线：", size=12, fill=MUTED))
        for k, line in enumerate(legend, start=1):
            out.append(_text(MARGIN, y + k * LINE_H, line, size=12))

    out.append("</svg>")
    return "\n".join(out) + "\n"


def flowchart_svg(procedure_code: str) -> str:
    """The flowchart of a procedure; KeyError when there is no such definition."""
    proc = get_procedure(procedure_code)
    if proc is None:
        raise KeyError(procedure_code)
    return render(proc)
