from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

# A fixed Wednesday, so every working-day count falls in a year whose official
# calendar is loaded and no test depends on the season it runs in (CAL-12).
TODAY = datetime(2026, 7, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def fixed_day(time_machine):
    time_machine.move_to(TODAY)


@pytest.fixture(autouse=True)
def review_gate():
    """The review app's provider, whatever another test left plugged in."""
    from zhifa.cases import review_hook
    from zhifa.review import gate

    saved = list(review_hook._provider)
    review_hook.register(gate.status)
    yield gate.status
    review_hook._provider[:] = saved


@pytest.fixture
def rw(db):
    from zhifa.review.tests.factories import review_world

    return review_world()
