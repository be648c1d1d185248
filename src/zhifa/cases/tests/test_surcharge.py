"""加处罚款 (行政处罚法 第七十二条、第七十三条, APL-34): days, base, pauses, cap, rounding."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.cases.surcharge import SurchargeResult, surcharge
from zhifa.rules.services import rule_value

D = Decimal
DUE = date(2024, 1, 15)
FINE = D(1000)

quick = settings(max_examples=200, deadline=None)


def run(**kw) -> SurchargeResult:
    kw.setdefault("fine", FINE)
    kw.setdefault("due", DUE)
    return surcharge(**kw)


def test_rates_come_from_statutes_toml():
    assert rule_value("penalty.surcharge_daily_rate") == D("0.03")
    assert rule_value("penalty.surcharge_cap") == D("1")
    on = date(2024, 1, 25)
    assert run(on=on) == run(on=on, daily_rate=D("0.03"), cap_ratio=D("1"))


def test_nothing_until_the_day_after_the_deadline():
    for on in (date(2024, 1, 1), DUE):
        result = run(on=on)
        assert result.days_counted == 0 and result.amount == D("0.00") and not result.capped
        assert "尚未逾期" in result.explanation
    result = run(on=DUE + timedelta(days=1))
    assert result.days_counted == 1 and result.amount == D("30.00")


def test_cap_is_the_fine():
    result = run(on=date(2024, 2, 17))  # 33 days: 990
    assert (result.days_counted, result.amount, result.capped) == (33, D("990.00"), False)
    result = run(on=date(2024, 2, 18))  # 34 days: 1020 → 1000
    assert (result.days_counted, result.amount, result.capped) == (34, D("1000.00"), True)
    assert "不得超出罚款的数额" in result.explanation and "1,000.00元" in result.explanation
    assert run(on=date(2030, 1, 1)).amount == FINE
    assert run(on=date(2024, 3, 1), cap_ratio=D("0.5")).amount == D("500.00")


def test_reconsideration_or_litigation_pauses_the_count():
    paused = [(date(2024, 1, 20), date(2024, 1, 29))]  # 10 days, both ends included
    result = run(on=date(2024, 1, 31), paused=paused)
    assert (result.days_counted, result.amount) == (6, D("180.00"))
    assert "行政复议或者行政诉讼期间10日不计算" in result.explanation
    # Still pending: nothing after the start is counted.
    pending = run(on=date(2024, 12, 31), paused=[(date(2024, 1, 20), None)])
    assert (pending.days_counted, pending.amount) == (4, D("120.00"))
    # Overlapping intervals count each day once.
    both = run(on=date(2024, 1, 31), paused=[*paused, (date(2024, 1, 25), date(2024, 1, 30))])
    assert both.days_counted == 5


def test_partial_payment_lowers_the_base_from_the_next_day():
    result = run(on=date(2024, 1, 31), paid=[(date(2024, 1, 20), D(400))])
    # 16–20 Jan on 1000 (the payment day still counts), 21–31 Jan on 600.
    assert result.days_counted == 16
    assert result.amount == D("150.00") + D("198.00")
    assert "尚未缴纳的罚款数额" in result.explanation


def test_payment_in_full_stops_the_surcharge():
    paid = [(date(2024, 1, 20), D(1000))]
    early = run(on=date(2024, 1, 20), paid=paid)
    late = run(on=date(2025, 1, 1), paid=paid)
    assert early.amount == late.amount == D("150.00")
    assert late.days_counted == 5 and "罚款缴清后" in late.explanation
    before_due = run(on=date(2025, 1, 1), paid=[(DUE, FINE)])
    assert before_due.amount == D("0.00") and before_due.days_counted == 0


def test_payments_after_on_are_ignored():
    assert run(on=date(2024, 1, 20), paid=[(date(2024, 1, 25), FINE)]).amount == D("150.00")


def test_rounding_half_up_once_at_the_end():
    assert surcharge(fine=D("0.50"), due=DUE, on=date(2024, 1, 16)).amount == D("0.02")  # 0.015
    # 333.33 × 3% = 9.9999 a day; summed exactly, then rounded.
    result = surcharge(fine=D("333.33"), due=DUE, on=date(2024, 1, 18))
    assert result.amount == D("30.00")  # 29.9997, not 3 × 10.00
    assert result.amount.as_tuple().exponent == -2


def test_refusals():
    with pytest.raises(TypeError, match="Decimal"):
        surcharge(fine=1000.0, due=DUE, on=DUE)
    with pytest.raises(ValueError, match="负数"):
        surcharge(fine=D(-1), due=DUE, on=DUE)
    with pytest.raises(ValueError, match="负数"):
        run(on=DUE, paid=[(DUE, D(-5))])
    with pytest.raises(ValueError, match="早于开始日"):
        run(on=DUE, paused=[(date(2024, 2, 1), date(2024, 1, 1))])
    assert run(on=date(2024, 1, 16), fine=1000).amount == D("30.00")  # an int is exact


def test_explanation_cites_the_law():
    text = run(on=date(2024, 1, 20)).explanation
    assert "《中华人民共和国行政处罚法》第七十二条、第七十三条" in text
    assert "共5日" in text and "每日按罚款数额的3%" in text and "150.00元" in text


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

fines = st.decimals(min_value=D("0.01"), max_value=D("1000000"), places=2)
offsets = st.integers(min_value=-30, max_value=200)


@st.composite
def intervals(draw):
    start = DUE + timedelta(days=draw(st.integers(min_value=-10, max_value=150)))
    if draw(st.booleans()):
        return (start, None)
    return (start, start + timedelta(days=draw(st.integers(min_value=0, max_value=60))))


@st.composite
def payments(draw, fine):
    out = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        day = DUE + timedelta(days=draw(st.integers(min_value=-5, max_value=150)))
        out.append((day, draw(st.decimals(min_value=D("0.01"), max_value=fine, places=2))))
    return out


@st.composite
def cases(draw):
    fine = draw(fines)
    return {
        "fine": fine,
        "due": DUE,
        "on": DUE + timedelta(days=draw(offsets)),
        "paid": draw(payments(fine)),
        "paused": draw(st.lists(intervals(), max_size=3)),
        "daily_rate": draw(st.sampled_from([None, D("0.03"), D("0.05"), D("0.001")])),
        "cap_ratio": draw(st.sampled_from([None, D("1"), D("0.5")])),
    }


@quick
@given(cases())
def test_never_exceeds_the_cap(kw):
    result = surcharge(**kw)
    ratio = kw["cap_ratio"] if kw["cap_ratio"] is not None else D(1)
    assert D(0) <= result.amount <= kw["fine"] * ratio
    assert result.amount == result.amount.quantize(D("0.01"))
    assert 0 <= result.days_counted <= max((kw["on"] - DUE).days, 0)
    assert result.explanation


@quick
@given(cases(), st.integers(min_value=0, max_value=120))
def test_monotone_in_on(kw, more):
    later = {**kw, "on": kw["on"] + timedelta(days=more)}
    assert surcharge(**kw).amount <= surcharge(**later).amount
    assert surcharge(**kw).days_counted <= surcharge(**later).days_counted


@quick
@given(cases(), intervals())
def test_pauses_never_increase_it(kw, extra):
    base = surcharge(**kw)
    assert surcharge(**{**kw, "paused": [*kw["paused"], extra]}).amount <= base.amount
    assert surcharge(**{**kw, "paused": []}).amount >= base.amount


@quick
@given(cases())
def test_payments_never_increase_it(kw):
    assert surcharge(**kw).amount <= surcharge(**{**kw, "paid": []}).amount


@quick
@given(fines, st.integers(min_value=0, max_value=200))
def test_closed_form_without_payments_or_pauses(fine, days):
    result = surcharge(fine=fine, due=DUE, on=DUE + timedelta(days=days))
    expected = min((fine * D("0.03") * days).quantize(D("0.01"), ROUND_HALF_UP), fine)
    assert result.amount == expected
    assert result.days_counted == days
    assert result.capped == (days > 0 and expected == fine)
