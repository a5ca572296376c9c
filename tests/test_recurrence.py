"""A recurring process is shown by its schedule or its written rule, not by one dated run."""

import pytest

from service.evidence.recurrence import states_recurrence


@pytest.mark.parametrize(
    "line",
    [
        "Scheduled job: CG-MONTHLY (1st of month, 05:00)   Source: eCW registry",
        "The care-gap registry report runs automatically on the 1st of every month for all patients enrolled in CCM",
        "Gap status is reviewed at the weekly care-team huddle",
        "Panel mgmt report pulled q month by RN CM",
        "Registry query run first business day of each month for every CCM pt",
        "Policy QI-12  CARE GAP IDENTIFICATION AND CLOSURE  Effective 01/15/2025",
        "Care gaps worked per clinic SOP 4.2",
        "Open gaps reviewed on Thursdays by the care team",
        "HEDIS gap list refreshed every other week from the payer portal",
        "Standing orders for flu and pneumococcal vaccines signed by medical director",
    ],
    ids=lambda line: line[:30],
)
def test_a_schedule_or_a_written_rule_states_recurrence(line):
    assert states_recurrence(line)


@pytest.mark.parametrize(
    "line",
    [
        "Registry query run 01/01/2025 across 1571 pts in chronic care panel",
        "Care gap report printed 6/2/26 - 3 open gaps",
        "Reviewed 5/1 care gap list w/ pt",
        "Pneumococcal vaccine - not on record after age 65",
        "Discussed at huddle today, RN to call pt",
        "Pre-visit planning done, HM topics reviewed",
    ],
    ids=lambda line: line[:30],
)
def test_one_dated_run_or_a_finding_does_not(line):
    assert not states_recurrence(line)
