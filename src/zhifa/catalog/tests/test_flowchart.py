"""流程图: every procedure definition of the case engine (`zhifa.procedures`)
renders as valid, accessible SVG showing its public state changes and records;
the public route serves it for an item's version in force; the item page shows
it and says when the procedure is not handled online yet."""

import uuid
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from zhifa.catalog.flowchart import _wrap, flowchart_svg, public_edges, public_records, render
from zhifa.catalog.public import PROCEDURE_LABELS, procedure_label
from zhifa.catalog.tests.factories import penalty_item
from zhifa.procedures import PROCEDURES
from zhifa.procedures.spec import Procedure, State, Transition

SVG = "{http://www.w3.org/2000/svg}"
CODES = sorted(PROCEDURES)


def _texts(root) -> str:
    return "".join(root.itertext())


def _drawn_edges(root) -> list[tuple[str, str, str]]:
    """(source, target, transition code) for every edge element in the chart."""
    return [
        (g.get("data-from"), g.get("data-to"), code)
        for g in root.iter(f"{SVG}g")
        if g.get("data-from")
        for code in g.get("data-transitions").split()
    ]


def test_labels_come_from_the_definitions():
    assert set(PROCEDURE_LABELS) == set(PROCEDURES)
    for code, proc in PROCEDURES.items():
        assert procedure_label(code) == proc.label
    assert procedure_label("no.such") == "no.such"


@pytest.mark.parametrize("code", CODES)
def test_every_procedure_renders_valid_accessible_svg(code):
    proc = PROCEDURES[code]
    svg = flowchart_svg(code)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert proc.label in title.text
    assert "sans-serif" in root.get("font-family") and "Noto Sans CJK SC" in root.get("font-family")
    drawn = _texts(root).replace("\n", "")
    flat = "".join(t.text or "" for t in root.iter(f"{SVG}text"))
    for state in proc.states:
        assert state.label in drawn
        assert state.label in desc.text
    for _, _, t in public_edges(proc):
        assert t.label in flat or t.label in desc.text
        assert t.label in desc.text
        if t.limit:
            assert t.limit in desc.text
    assert len(root.findall(f".//{SVG}g[@class='state']")) == len(proc.states)
    assert flowchart_svg(code) == svg  # deterministic
    assert "<script" not in svg and "href" not in svg.replace("url(#", "")


@pytest.mark.parametrize("code", CODES)
def test_every_public_state_change_is_drawn_once_and_nothing_else(code):
    proc = PROCEDURES[code]
    root = ET.fromstring(flowchart_svg(code))
    expected = sorted((s, t, tr.code) for s, t, tr in public_edges(proc))
    assert sorted(_drawn_edges(root)) == expected
    hidden = {t.code for t in proc.transitions if not t.public}
    assert not hidden & {code for _, _, code in _drawn_edges(root)}


def test_multi_source_transitions_draw_one_edge_per_source():
    root = ET.fromstring(flowchart_svg("penalty.general"))
    edges = _drawn_edges(root)
    transfer = PROCEDURES["penalty.general"].transition("transfer")
    assert len(transfer.sources) > 1
    for source in transfer.sources:
        assert (source, "closed", "transfer") in edges
    # decide_no_penalty: one edge on the straight arrow, one in a lane.
    assert ("deliberation", "decided", "decide_no_penalty") in edges
    assert ("examination", "decided", "decide_no_penalty") in edges


def test_records_are_listed_in_their_state_box_and_private_ones_are_not():
    proc = PROCEDURES["penalty.general"]
    root = ET.fromstring(flowchart_svg("penalty.general"))
    box = root.find(f".//{SVG}g[@data-state='investigation']")
    box_text = "".join(t.text or "" for t in box.iter(f"{SVG}text"))
    for label in ("·制作询问笔录", "·制作现场检查笔录", "·先行登记保存证据"):
        assert label in box_text
    assert "七个工作日内作出处理决定" in box_text  # a record's limit is shown with it
    for t in proc.transitions:
        if t.is_record and not t.public:
            assert t.label not in _texts(root), t.code
    # A record with several sources is listed under each of them.
    submit = proc.transition("submit_legal_review")
    for state in submit.sources:
        box = root.find(f".//{SVG}g[@data-state='{state}']")
        assert "·提交法制审核" in "".join(t.text or "" for t in box.iter(f"{SVG}text"))
    assert [t.code for t in public_records(proc, "statement")] == [
        "submit_legal_review",
        "record_statement",
        "waive_statement",
        "waive_hearing",
    ]


def test_optional_steps_are_dashed():
    root = ET.fromstring(flowchart_svg("penalty.general"))
    for code in ("hearing", "not_filed"):
        rect = root.find(f".//{SVG}g[@data-state='{code}']/{SVG}rect")
        assert rect.get("stroke-dasharray")
    rect = root.find(f".//{SVG}g[@data-state='decided']/{SVG}rect")
    assert rect.get("stroke-dasharray") is None


def test_lanes_are_numbered_and_explained_in_the_legend():
    root = ET.fromstring(flowchart_svg("penalty.general"))
    trunks = root.findall(f".//{SVG}g[@class='lane-trunk']")
    assert trunks
    legend = "".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "图中编号的虚线" in legend
    assert "退回补充调查" in legend and "不予立案" in legend
    # transfer and cancel_filing share their sources and target: one lane.
    assert "移送司法机关；撤销立案" in legend


def _toy(**kw) -> Procedure:
    return Procedure(
        code="toy.proc",
        label=kw.get("label", "示例程序"),
        kind="penalty",
        initial="a",
        states=kw.get("states", (State("a", "甲"), State("b", "乙"), State("c", "丙"))),
        transitions=(
            Transition("ab", ("a",), "b", "甲到乙", (), limit="3日内", rules=("x",)),
            Transition("ac", ("a",), "c", "甲到丙", ()),
            Transition("bc", ("b",), "c", "乙到丙", ()),
            Transition("rec", ("a", "b"), "", "做记录", ()),
            Transition("hidden", ("b",), "", "内部事项", (), public=False),
            Transition("hidden_move", ("c",), "a", "内部退回", (), public=False),
        ),
    )


def test_toy_procedure_layout():
    root = ET.fromstring(render(_toy()))
    assert sorted(_drawn_edges(root)) == [("a", "b", "ab"), ("a", "c", "ac"), ("b", "c", "bc")]
    text = _texts(root)
    assert "·做记录" in text and "内部事项" not in text and "内部退回" not in text
    assert len(root.findall(f".//{SVG}g[@class='lane-trunk']")) == 1  # a → c skips b
    assert "3日内" in text


def test_text_is_escaped():
    states = (State("a", "<甲&\"'>"), State("b", "乙"), State("c", "丙"))
    svg = render(_toy(label="程序<script>", states=states))
    assert "<script>" not in svg and "<甲" not in svg
    root = ET.fromstring(svg)
    assert "<甲&\"'>" in _texts(root)
    assert "程序<script>" in root.find(f"{SVG}title").text


def test_wrap_keeps_punctuation_with_its_text():
    assert _wrap("一二三（四）", 4) == ["一二三", "（四）"]
    assert _wrap("一二三四）五", 4) == ["一二三四）", "五"]
    assert _wrap("", 4) == []
    assert "".join(_wrap("自立案之日起90日内作出决定（行政处罚法第六十条）", 7)).startswith(
        "自立案"
    )


def test_unknown_procedure_raises():
    with pytest.raises(KeyError):
        flowchart_svg("nope.unknown")


@pytest.mark.django_db
def test_route_serves_svg_for_item_in_force(client):
    item = penalty_item()
    response = client.get(reverse("catalog:item_flowchart", args=[item.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    root = ET.fromstring(response.content)
    assert "行政处罚普通程序" in root.find(f"{SVG}title").text


@pytest.mark.django_db
def test_route_404s(client):
    unknown = reverse("catalog:item_flowchart", args=[uuid.uuid4()])
    assert client.get(unknown).status_code == 404
    draft = penalty_item(code="330217002", publish=False)
    assert client.get(reverse("catalog:item_flowchart", args=[draft.public_id])).status_code == 404
    other = penalty_item(code="330217003")
    version = other.versions.get()
    type(version).objects.filter(pk=version.pk).update(procedure="no.such.procedure")
    assert client.get(reverse("catalog:item_flowchart", args=[other.public_id])).status_code == 404


@pytest.mark.django_db
def test_item_page_shows_flowchart_section(client):
    item = penalty_item()
    page = client.get(reverse("catalog:item", args=[item.public_id])).content.decode()
    assert "执法流程图" in page
    assert reverse("catalog:item_flowchart", args=[item.public_id]) in page
    assert 'alt="执法流程图：行政处罚普通程序"' in page
    assert "本程序暂未网上办理" not in page  # the case engine runs penalty.general


@pytest.mark.django_db
def test_item_page_says_when_the_procedure_is_not_online(client):
    item = penalty_item()
    version = item.versions.get()
    type(version).objects.filter(pk=version.pk).update(procedure="license.general")
    assert not PROCEDURES["license.general"].executable
    page = client.get(reverse("catalog:item", args=[item.public_id])).content.decode()
    assert 'alt="执法流程图：行政许可一般程序"' in page
    assert "本程序暂未网上办理" in page
