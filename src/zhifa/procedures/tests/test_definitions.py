"""Procedure definitions (`zhifa.procedures`) are consistent data: every state,
guard and statutes.toml rule they name exists, every state can be reached, and
every time limit shown to the public names the rules its numbers come from."""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from importlib import resources

import pytest

from zhifa.orgs.models import Role
from zhifa.procedures import GUARDS, PROCEDURES, executable, get_procedure
from zhifa.procedures.spec import Procedure

CODES = sorted(PROCEDURES)
STATUTES = tomllib.loads(
    resources.files("zhifa.rules").joinpath("statutes.toml").read_text(encoding="utf-8")
)
RULES: dict[str, dict] = {r["id"]: r for r in STATUTES["rule"]}

# "第六十四条" / "第42条": an article number, not a quantity.
ARTICLE = re.compile(r"第[0-9一二三四五六七八九十百千零]+条")
NUMBER = re.compile(r"[0-9]+|[一二三四五六七八九十百千两]+(?=个?(?:工作)?[日年月元])")
DIGITS = dict(zip("零一二三四五六七八九", range(10), strict=True)) | {"两": 2}
UNITS = {"十": 10, "百": 100, "千": 1000}


def _chinese(text: str) -> int:
    total, digit = 0, 0
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        else:
            total += (digit or 1) * UNITS[ch]
            digit = 0
    return total + digit


def _numbers(limit: str) -> list[int]:
    text = ARTICLE.sub("", limit)
    return [int(n) if n.isdigit() else _chinese(n) for n in NUMBER.findall(text)]


def _reachable(proc: Procedure, *, public_only: bool) -> set[str]:
    seen, todo = {proc.initial}, [proc.initial]
    while todo:
        here = todo.pop()
        for t in proc.from_state(here):
            if t.target and (t.public or not public_only) and t.target not in seen:
                seen.add(t.target)
                todo.append(t.target)
    return seen


def test_registry_lookup():
    assert set(CODES) == {p.code for p in PROCEDURES.values()}
    for code in CODES:
        assert get_procedure(code) is PROCEDURES[code]
    assert get_procedure("nope.unknown") is None
    assert {p.code for p in executable()} == {"penalty.general", "penalty.summary"}
    assert all(p.label for p in PROCEDURES.values())


@pytest.mark.parametrize("code", CODES)
def test_states_and_transitions_are_well_formed(code):
    proc = PROCEDURES[code]
    states = [s.code for s in proc.states]
    assert len(states) == len(set(states)), "duplicate state code"
    assert proc.initial in states
    transitions = [t.code for t in proc.transitions]
    assert len(transitions) == len(set(transitions)), "duplicate transition code"
    for t in proc.transitions:
        assert t.sources, t.code
        assert len(t.sources) == len(set(t.sources)), t.code
        assert set(t.sources) <= set(states), (t.code, t.sources)
        assert t.target == "" or t.target in states, (t.code, t.target)
        assert t.target not in t.sources, f"{t.code}: a state change must leave its state"
        assert t.label, t.code
    for state in proc.states:
        if state.terminal:
            assert not proc.from_state(state.code), f"{state.code} is terminal"


@pytest.mark.parametrize("code", CODES)
def test_every_state_is_reachable_and_the_public_chart_is_connected(code):
    proc = PROCEDURES[code]
    states = {s.code for s in proc.states}
    assert _reachable(proc, public_only=False) == states
    # The published flowchart alone leads to every state.
    assert _reachable(proc, public_only=True) == states


@pytest.mark.parametrize("code", CODES)
def test_every_rule_named_exists_in_statutes_toml(code):
    proc = PROCEDURES[code]
    for t in proc.transitions:
        missing = set(t.rules) - set(RULES)
        assert not missing, f"{code} {t.code}: {sorted(missing)} not in statutes.toml"
        for start in t.starts:
            assert start.rule in RULES, f"{code} {t.code}: deadline rule {start.rule}"


@pytest.mark.parametrize("code", CODES)
def test_every_guard_named_exists(code):
    proc = PROCEDURES[code]
    for t in proc.transitions:
        missing = set(t.guards) - set(GUARDS)
        assert not missing, f"{code} {t.code}: unknown guards {sorted(missing)}"
    assert set(proc.guards) <= set(GUARDS)


def test_guard_catalogue_has_label_and_citation():
    for code, (label, citation) in GUARDS.items():
        assert re.fullmatch(r"[a-z_]+", code), code
        assert label and citation, code
    used = {g for p in PROCEDURES.values() for t in p.transitions for g in t.guards}
    assert used <= set(GUARDS)


@pytest.mark.parametrize("code", CODES)
def test_limits_shown_to_the_public_come_from_statutes_toml(code):
    """A limit stating a number names its rules, and each number it states is the
    value of one of those rules (numbers are never written from memory)."""
    proc = PROCEDURES[code]
    for t in proc.transitions:
        numbers = _numbers(t.limit)
        if not numbers:
            continue
        assert t.rules, f"{code} {t.code}: “{t.limit}” names no statutes.toml rule"
        values = {Decimal(str(RULES[r]["value"])) for r in t.rules if "value" in RULES[r]}
        for n in numbers:
            assert Decimal(n) in values, f"{code} {t.code}: {n} in “{t.limit}” not in {t.rules}"


@pytest.mark.parametrize("proc", executable(), ids=lambda p: p.code)
def test_executable_procedures_are_complete(proc):
    started = {d.code for t in proc.transitions for d in t.starts}
    roles = set(Role.values)
    for t in proc.transitions:
        assert t.roles, f"{t.code}: no role may fire it"
        assert set(t.roles) <= roles, (t.code, t.roles)
        assert set(t.stops) <= started, f"{t.code} stops a deadline nothing starts"


def test_limit_numbers_parser():
    assert _numbers("自立案之日起90日内作出决定（行政处罚法第六十条）") == [90]
    assert _numbers("违法行为二年内未被发现的不再处罚；为五年（第三十六条）") == [2, 5]
    assert _numbers("一百元以下或不当场收缴的（第六十八条）；二日内交至") == [100, 2]
    assert _numbers("七个工作日内作出处理决定（第五十六条）") == [7]
    assert _numbers("告知拟处罚内容及陈述、申辩、听证权利（第四十四条）") == []
