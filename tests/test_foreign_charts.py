"""Charts written by an outside author (../shared/foreign/charts): the yardstick for everything
that reads outside input, drafted along the product's road (`overturn eval --foreign`).

These are floors CI holds so no change slides back, and strict expected failures for what issue
31 asks and is not reached yet: when one starts passing, the test says so until it becomes a
floor. Failure messages name cases and counts, never record text.
"""

import pytest

from service.components import Components
from service.config import Settings
from service.evaluation.foreign import load_foreign, run_foreign_eval
from tests.conftest import shared_dir

pytestmark = pytest.mark.integration

FACTS_FLOOR = 60
"""Facts stated, of 70: 54 before issue 31's work, 56 at stop 30, 60 once a caregiver line naming a
HIPAA release, before-and-after table rows and values beside earlier ones were read as they are."""


@pytest.fixture(scope="module")
def report(tmp_path_factory, embedder):
    cases = load_foreign(shared_dir("foreign/charts"))
    home = tmp_path_factory.mktemp("foreign")
    components = Components(Settings(home=home / "eval", vector_cache=False), embedder=embedder)
    return run_foreign_eval(cases, components, home / "home")


def test_every_case_drafts(report):
    assert report["overall"]["errors"] == 0, [r["id"] for r in report["cases"] if "error" in r]


def test_no_page_that_must_never_be_cited_is_cited(report):
    assert report["overall"]["never_cited"] == 0, {r["id"]: r["never_cited"] for r in report["cases"] if r.get("never_cited")}


def test_every_page_that_must_never_be_cited_is_excluded_or_warned(report):
    assert report["overall"]["never_warned"] == 0, {r["id"]: r["never_warned"] for r in report["cases"] if r.get("never_warned")}


def test_facts_stated_stay_at_the_floor(report):
    overall = report["overall"]
    assert overall["facts_stated"] >= FACTS_FLOOR, {r["id"]: r["missed"] for r in report["cases"] if r.get("missed")}


@pytest.mark.xfail(strict=True, reason="issue 31 open: not every fact is stated yet (see the note of stop 30)")
def test_every_fact_is_stated(report):
    assert report["overall"]["facts_stated"] == report["overall"]["facts"]


def test_no_letter_says_what_it_must_never_say(report):
    assert report["overall"]["never_say_hits"] == 0, {r["id"]: r["said"] for r in report["cases"] if r.get("said")}
