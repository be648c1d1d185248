"""流程图: an SVG drawn from the case engine's procedure definitions (`zhifa.procedures`).

What is published is what is enforced: the chart reads the same `Procedure`
objects the case engine executes, and draws only their `public` transitions.

Deterministic (same definition, same bytes), no scripts, no external
resources. Layout: every state is a box in one vertical column, in the order
the definition lists them; optional steps are dashed. The records taken inside
a step (transitions without a target, e.g. 制作询问笔录) are listed in small
text at the bottom of their state's box, with their time limit. A state change
to the next state in the column is a straight arrow labelled on its right; any
other state change (a step skipped, a return, a branch to a later step) runs in
a lane on the left of the column, marked with a circled number explained in the
legend under the chart. A transition with several sources is drawn as one edge
per source; transitions with the same sources and target share a lane.
`<title>` and `<desc>` give the whole procedure as text for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from zhifa.procedures import Procedure, Transition, get_procedure

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
RECORD_LINE_H = 15
RECORD_WRAP = 18  # CJK characters per record line inside a box (11px text)
RECORD_PAD = 8
STROKE = "#1f3a5f"
OPTIONAL_FILL = "#f6f8fb"
TEXT = "#1b1b1b"
MUTED = "#555555"
DIVIDER = "#c9d3e0"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
RECORD_MARK = "·"
NOTE_WRAP = 20  # CJK characters per note line under a state label (11px text)
NOTE_LINE_H = 14
NO_LINE_START = "）)】」』”’，,。.、；;：:！!？?"
NO_LINE_END = "（(【「『“‘"


def _e(text: str) -> str:
    return escape(text, quote=True)


def _wrap(text: str, width: int = WRAP) -> list[str]:
    """Fixed-width lines; closing punctuation never starts a line (it stays on the
    line before, one character over) and opening punctuation never ends one."""
    lines: list[str] = []
    i = 0
    while i < len(text):
        end = i + width
        if end < len(text) and text[end - 1] in NO_LINE_END and end - 1 > i:
            end -= 1
        while end < len(text) and text[end] in NO_LINE_START:
            end += 1
        lines.append(text[i:end])
        i = end
    return lines


def _balanced(text: str, width: int) -> list[str]:
    """At most `width` characters a line, in as few lines of even length as possible."""
    if not text:
        return []
    count = -(-len(text) // width)
    return _wrap(text, -(-len(text) // count))


def _marker(n: int) -> str:
    return CIRCLED[n - 1] if n <= len(CIRCLED) else f"({n})"


def _text(x, y, s, *, size=13, anchor="start", fill=TEXT, weight="normal") -> str:
    bold = ' font-weight="bold"' if weight != "normal" else ""
    return (
        f'<text x="{x}" y="{y}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{bold}>'
        f"{_e(s)}</text>"
    )


# --------------------------------------------------------------------------
# What is drawn
# --------------------------------------------------------------------------


def public_edges(proc: Procedure) -> list[tuple[str, str, Transition]]:
    """Every state change the public sees: (source, target, transition), one per source."""
    return [(s, t, tr) for s, t, tr in proc.edges() if tr.public]


def public_records(proc: Procedure, state: str) -> list[Transition]:
    """The public records taken inside `state`, in definition order."""
    return [t for t in proc.transitions if t.is_record and t.public and state in t.sources]


@dataclass
class _Segment:
    """The straight arrow from state i to state i + 1, with every transition it carries."""

    source: str
    target: str
    transitions: list[Transition] = field(default_factory=list)

    def lines(self) -> list[tuple[str, bool]]:
        """(text, is_limit) lines; a limit shared by consecutive transitions is shown once."""
        out: list[tuple[str, bool]] = []
        for k, t in enumerate(self.transitions):
            out.extend((line, False) for line in _wrap(t.label))
            following = self.transitions[k + 1] if k + 1 < len(self.transitions) else None
            if t.limit and (following is None or following.limit != t.limit):
                out.extend((line, True) for line in _wrap(t.limit))
        return out


@dataclass
class _Lane:
    """A lane on the left: the same sources and target, one or more transitions."""

    sources: tuple[str, ...]
    target: str
    transitions: list[Transition] = field(default_factory=list)


def _record_lines(t: Transition) -> list[tuple[str, bool]]:
    lines = [(line, False) for line in _wrap(RECORD_MARK + t.label, RECORD_WRAP)]
    return lines + [(line, True) for line in _wrap(t.limit, RECORD_WRAP)]


def _layout(proc: Procedure) -> tuple[dict[str, int], list[_Segment], list[_Lane]]:
    index = {s.code: i for i, s in enumerate(proc.states)}
    segments: dict[str, _Segment] = {}
    lanes: dict[tuple[tuple[str, ...], str], _Lane] = {}
    by_transition: dict[tuple[str, str], list[str]] = {}
    for source, target, t in public_edges(proc):
        if index[target] == index[source] + 1:
            seg = segments.setdefault(source, _Segment(source, target))
            if t not in seg.transitions:
                seg.transitions.append(t)
        else:
            by_transition.setdefault((t.code, target), []).append(source)
    for t in proc.transitions:
        if not t.public or not t.target:
            continue
        sources = by_transition.get((t.code, t.target))
        if sources:
            lane = lanes.setdefault((tuple(sources), t.target), _Lane(tuple(sources), t.target))
            lane.transitions.append(t)

    def span(lane: _Lane) -> int:
        ends = [index[s] for s in lane.sources] + [index[lane.target]]
        return max(ends) - min(ends)

    # Shorter lanes nearest the column: fewer crossings. Ties keep definition order.
    ordered = sorted(enumerate(lanes.values()), key=lambda p: (span(p[1]), p[0]))
    spine = sorted(segments.values(), key=lambda seg: index[seg.source])
    return index, spine, [lane for _, lane in ordered]


def _description(proc: Procedure) -> str:
    labels = {s.code: s.label for s in proc.states}
    steps = []
    for s in proc.states:
        text = s.label
        if s.optional:
            text += f"（视情形：{s.note}）" if s.note else "（视情形）"
        elif s.note:
            text += f"（{s.note}）"
        records = public_records(proc, s.code)
        if records:
            text += (
                "（其中："
                + "、".join(t.label + (f"，{t.limit}" if t.limit else "") for t in records)
                + "）"
            )
        steps.append(text)
    moves = []
    for t in proc.transitions:
        if not t.public or not t.target:
            continue
        sources = "、".join(labels[s] for s in t.sources)
        moves.append(
            f"{sources}→{labels[t.target]}：{t.label}" + (f"，{t.limit}" if t.limit else "")
        )
    return f"{proc.label}的步骤：{'；'.join(steps)}。流转：{'；'.join(moves)}。"


# --------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------


def render(proc: Procedure) -> str:
    """The SVG text of `proc`'s flowchart."""
    index, spine, lanes = _layout(proc)
    states = proc.states
    labels = {s.code: s.label for s in states}

    records = {
        s.code: [line for t in public_records(proc, s.code) for line in _record_lines(t)]
        for s in states
    }
    notes = {s.code: _balanced(s.note, NOTE_WRAP) for s in states}
    headers = {s.code: BOX_H + NOTE_LINE_H * max(len(notes[s.code]) - 1, 0) for s in states}
    heights = [
        headers[s.code]
        + (RECORD_LINE_H * len(records[s.code]) + RECORD_PAD if records[s.code] else 0)
        for s in states
    ]
    gap_after = [36] * len(states)
    for seg in spine:
        i = index[seg.source]
        gap_after[i] = max(gap_after[i], LINE_H * len(seg.lines()) + 20)

    box_x = MARGIN + LANE_GAP * (len(lanes) + 1)
    cx = box_x + BOX_W // 2
    tops = []
    y = MARGIN + 36  # room for the heading
    for i in range(len(states)):
        tops.append(y)
        y += heights[i] + gap_after[i]
    chart_bottom = tops[-1] + heights[-1]

    # Where each lane meets a box's left side: lanes leading up attach above
    # lanes leading down; farther lanes attach nearer the box's middle, so a
    # lane's tap never crosses a nearer lane leaving the same box.
    ends: dict[str, list[tuple[int, int, int]]] = {s.code: [] for s in states}
    for n, lane in enumerate(lanes, start=1):
        for code in (*lane.sources, lane.target):
            others = [index[c] for c in (*lane.sources, lane.target) if c != code]
            up = sum(others) / len(others) < index[code]
            ends[code].append((0 if up else 1, n if up else -n, n))
    attach: dict[tuple[str, int], int] = {}
    for code, items in ends.items():
        i = index[code]
        for k, (_, _, n) in enumerate(sorted(items)):
            attach[(code, n)] = tops[i] + (k + 1) * heights[i] // (len(items) + 1)

    width = box_x + BOX_W + LABEL_AREA
    legend = []
    legend_wrap = (width - 2 * MARGIN) // 13  # 12px text, a little room to spare
    for n, lane in enumerate(lanes, start=1):
        route = "、".join(labels[s] for s in lane.sources) + f" → {labels[lane.target]}"
        moves = "；".join(t.label + (f"（{t.limit}）" if t.limit else "") for t in lane.transitions)
        legend.extend(_wrap(f"{_marker(n)} {route}：{moves}", legend_wrap))
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

    # States, with the records taken inside each.
    leaves = {s.code for s in states} - {source for source, _, _ in public_edges(proc)}
    for i, s in enumerate(states):
        top, h = tops[i], heights[i]
        rx = BOX_H // 2 if s.code == proc.initial or s.code in leaves else 6
        dash = ' stroke-dasharray="6 4"' if s.optional else ""
        fill = OPTIONAL_FILL if s.optional else "#ffffff"
        out.append(f'<g class="state" data-state="{_e(s.code)}">')
        out.append(
            f'<rect x="{box_x}" y="{top}" width="{BOX_W}" height="{h}" rx="{rx}" '
            f'fill="{fill}" stroke="{STROKE}" stroke-width="1.5"{dash}/>'
        )
        label = s.label + ("（视情形）" if s.optional else "")
        header = headers[s.code]
        if s.note:
            out.append(_text(cx, top + 21, label, size=14, anchor="middle", weight="bold"))
            for k, line in enumerate(notes[s.code]):
                out.append(
                    _text(
                        cx, top + 38 + k * NOTE_LINE_H, line, size=11, anchor="middle", fill=MUTED
                    )
                )
        else:
            out.append(_text(cx, top + 29, label, size=14, anchor="middle", weight="bold"))
        if records[s.code]:
            rule_y = top + header - 2
            out.append(
                f'<line x1="{box_x + 10}" y1="{rule_y}" x2="{box_x + BOX_W - 10}" y2="{rule_y}" '
                f'stroke="{DIVIDER}" stroke-width="1"/>'
            )
            for k, (line, is_limit) in enumerate(records[s.code]):
                out.append(
                    _text(
                        box_x + (24 if is_limit else 14),
                        top + header + 11 + k * RECORD_LINE_H,
                        line,
                        size=10 if is_limit else 11,
                        fill=MUTED if is_limit else TEXT,
                    )
                )
        out.append("</g>")

    # Straight arrows to the next state.
    for seg in spine:
        i = index[seg.source]
        y1, y2 = tops[i] + heights[i], tops[i + 1]
        codes = " ".join(t.code for t in seg.transitions)
        out.append(
            f'<g class="transition" data-from="{_e(seg.source)}" data-to="{_e(seg.target)}" '
            f'data-transitions="{_e(codes)}">'
        )
        out.append(
            f'<line x1="{cx}" y1="{y1}" x2="{cx}" y2="{y2 - 1}" stroke="{STROKE}" '
            f'stroke-width="1.5" marker-end="url(#{arrow})"/>'
        )
        lines = seg.lines()
        first = y1 + (y2 - y1 - LINE_H * len(lines)) // 2 + 12
        for k, (line, is_limit) in enumerate(lines):
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

    # Lanes on the left for skips, returns and branches: a tap from each source
    # box into the lane, then one trunk to the target (drawn once, so the dashes
    # of several sources never overlap into a solid line).
    for n, lane in enumerate(lanes, start=1):
        lane_x = box_x - LANE_GAP * n
        y_target = attach[(lane.target, n)]
        codes = " ".join(t.code for t in lane.transitions)
        ys = [y_target]
        for source in lane.sources:
            y_source = attach[(source, n)]
            ys.append(y_source)
            out.append(
                f'<g class="transition lane" data-from="{_e(source)}" '
                f'data-to="{_e(lane.target)}" data-transitions="{_e(codes)}">'
            )
            out.append(
                f'<path d="M{box_x},{y_source} H{lane_x}" fill="none" stroke="{STROKE}" '
                f'stroke-width="1.2" stroke-dasharray="4 3"/>'
            )
            out.append("</g>")
        top_y, bottom_y = min(ys), max(ys)
        mid = (top_y + bottom_y) // 2
        out.append(f'<g class="lane-trunk" data-lane="{n}" data-to="{_e(lane.target)}">')
        out.append(
            f'<path d="M{lane_x},{top_y} V{bottom_y} M{lane_x},{y_target} H{box_x - 1}" '
            f'fill="none" stroke="{STROKE}" stroke-width="1.2" stroke-dasharray="4 3" '
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
