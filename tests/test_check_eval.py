"""The "before you bill" eval's floors (the issue's Done-when) on the hand-written month-charts:
every requirement labelled missing is found missing, no ready month is flagged, and the month's
minutes come within one row of the gold. The foreign charts run too when ../shared is present.
One workspace serves every chart of a set."""

import pytest

from eval.checks.cases import load_foreign, load_ours
from eval.checks.run import run_set
from service.casework.state import open_workspace
from service.components import Components
from service.config import Settings
from tests.conftest import shared_dir

pytestmark = pytest.mark.integration


def _figures(cases, tmp_path_factory, embedder) -> dict:
    home = tmp_path_factory.mktemp("check-eval")
    settings = Settings(home=home)
    ws = open_workspace(settings, Components(settings, embedder=embedder))
    return run_set(ws, cases)


@pytest.fixture(scope="module")
def ours(tmp_path_factory, embedder) -> dict:
    cases = load_ours()
    assert len(cases) >= 14
    return _figures(cases, tmp_path_factory, embedder)


@pytest.fixture(scope="module")
def foreign(tmp_path_factory, embedder) -> dict:
    shared_dir("foreign/charts")
    cases = load_foreign()
    assert cases, "foreign_gold.json names no chart"
    return _figures(cases, tmp_path_factory, embedder)


def _failing(figures: dict, key: str) -> list[str]:
    return [case for case, line in figures["cases"].items() if line[key]]


def test_every_missing_requirement_is_found(ours):
    assert _failing(ours, "missing_lost") == []


def test_no_ready_month_is_flagged(ours):
    assert _failing(ours, "ready_flagged") == []


def test_minutes_within_one_row_of_gold(ours):
    assert [case for case, line in ours["cases"].items() if line["minutes_ok"] is False] == []


def test_no_not_ready_month_is_reported_ready(ours):
    assert _failing(ours, "not_ready_passed") == []


def test_foreign_charts_not_ready_months_are_not_reported_ready(foreign):
    assert foreign["charts"] == len(foreign["cases"])
    assert _failing(foreign, "not_ready_passed") == []


def test_foreign_charts_no_ready_month_is_flagged(foreign):
    assert _failing(foreign, "ready_flagged") == []


def test_foreign_charts_every_missing_requirement_is_found(foreign):
    assert _failing(foreign, "missing_lost") == []


def test_foreign_charts_minutes_within_one_row_of_gold(foreign):
    assert [case for case, line in foreign["cases"].items() if line["minutes_ok"] is False] == []


def test_reading_days_match_gold(ours):
    assert [case for case, line in ours["cases"].items() if line["days_ok"] is False] == []
