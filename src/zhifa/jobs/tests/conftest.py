import pytest

from zhifa.jobs import registry
from zhifa.jobs.tests import sample_jobs


@pytest.fixture
def jobs(monkeypatch):
    """An empty registry for the test's own jobs; the apps' jobs come back after."""
    monkeypatch.setattr(registry, "_jobs", {})
    sample_jobs.calls.clear()
    return sample_jobs.calls
