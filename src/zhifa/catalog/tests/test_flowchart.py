"""流程图: every provisional procedure renders as valid, accessible SVG; the
public route serves it for an item's version in force; the item page shows it."""

import tomllib
import uuid
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from django.urls import reverse

from zhifa.catalog import procedures
from zhifa.catalog.flowchart import flowchart_svg, render
from zhifa.catalog.public import PROCEDURE_LABELS
from zhifa.catalog.tests.factories import penalty_item

SVG = "{http://www.w3.org/2000/svg}"
STATUTES = Path(procedures.__file__).resolve().parents[1] / "rules" / "statutes.toml"
CODES = sorted(procedures.PROCEDURES)


def _texts(root) -> str:
    return "".join(root.itertext())


def test_every_item_procedure_has_a_definition():
    assert set(PROCEDURE_LABELS) == set(procedures.PROCEDURES)
    for code, proc in procedures.PROCEDURES.items():
        assert proc.label == PROCEDURE_LABELS[code]


@pytest.mark.parametrize("code", CODES)
def test_definitions_are_consistent_and_cite_real_rules(code):
    rule_ids = {r["id"] for r in tomllib.loads(STATUTES.read_text("utf-8"))["rule"]}
    proc = procedures.PROCEDURES[code]
    states = [s.code for s in proc.states]
    assert len(states) == len(set(states))
    for t in proc.transitions:
        assert t.source in states and t.target in states
        assert set(t.rules) <= rule_ids, t.rules
        assert bool(t.rules) == bool(t.limit)  # a limit shown always names its source
    # every state but the last can be left, every state but the first reached
    assert {t.source for t in proc.transitions} == set(states[:-1])
    assert {t.target for t in proc.transitions} == set(states[1:])


@pytest.mark.parametrize("code", CODES)
def test_every_procedure_renders_valid_accessible_svg(code):
    proc = procedures.PROCEDURES[code]
    svg = flowchart_svg(code)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert proc.label in title.text
    assert "sans-serif" in root.get("font-family") and "Noto Sans CJK SC" in root.get("font-family")
    drawn = _texts(root)
    for state in proc.states:
        assert state.label in drawn
        assert state.label in desc.text
    for t in proc.transitions:
        assert t.label in drawn.replace("\n", "") or t.label in desc.text
        if t.limit:
            assert t.limit in desc.text
    assert len(root.findall(f".//{SVG}g[@class='state']")) == len(proc.states)
    assert len(root.findall(".//*[@data-from]")) == len(proc.transitions)
    assert flowchart_svg(code) == svg  # deterministic


def test_optional_steps_are_dashed():
    root = ET.fromstring(flowchart_svg("penalty.general"))
    for code in ("legal_review", "hearing", "collective"):
        rect = root.find(f".//{SVG}g[@data-state='{code}']/{SVG}rect")
        assert rect.get("stroke-dasharray")
    rect = root.find(f".//{SVG}g[@data-state='decision']/{SVG}rect")
    assert rect.get("stroke-dasharray") is None


def test_general_penalty_follows_the_statutory_steps():
    labels = [s.label for s in procedures.PENALTY_GENERAL.states]
    assert labels == [
        "立案", "调查取证", "案件审查", "法制审核", "事先告知", "陈述申辩", "听证",
        "集体讨论", "决定", "送达", "执行", "结案", "归档",
    ]  # fmt: skip


def test_text_is_escaped():
    base = procedures.PENALTY_GENERAL
    states = (replace(base.states[0], label="<立案&\"'>"), *base.states[1:])
    proc = replace(base, label="程序<script>", states=states)
    svg = render(proc)
    assert "<script>" not in svg and "<立案" not in svg
    root = ET.fromstring(svg)
    assert "<立案&\"'>" in _texts(root)
    assert "程序<script>" in root.find(f"{SVG}title").text


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
