"""Dated acts of care by their shape, and dates that only report a status."""

import pytest

from service.evidence.actions import states_action


@pytest.mark.parametrize(
    "text",
    [
        "6/14/2026 urine ACR ordered, pt aware",
        "06/23/2026 PCV20 given at the nurse visit",
        "Referral to GI placed 05/06/26 for colonoscopy",
        "FIT kit mailed to home 05/06/2026",
        "Mammogram scheduled for June 18, 2026 at Valley Breast Imaging",
        "Called pt 2026-05-12 re overdue eye exam, LVM",
        "Diabetic eye exam | Overdue | Referral sent to ophthalmology | 05/06/2026",
    ],
)
def test_a_dated_act_of_care_is_an_action(text):
    assert states_action(text)


@pytest.mark.parametrize(
    "text",
    [
        "Flu vaccine - Last done: 10/12/2025",
        "Colonoscopy Due 06/01/2026",
        "Done: 03/02/2026  A1c 7.4%",
        "Pneumococcal vaccine series complete",
        "Urine ACR ordered, pt aware",
        "Registry run 05/01/2026: 3 open gaps",
    ],
)
def test_a_status_date_or_an_undated_act_is_not_an_action(text):
    assert not states_action(text)


def test_a_signature_date_below_a_protocol_does_not_make_it_an_action():
    assert not states_action(
        "Open gaps to RN CM, reviewed at Tuesday huddle, outreach w/in 5 bus days\nKendra Haddad, DO / Jun 1, 2026"
    )
    assert states_action("Outreach call 5/12/26 re overdue mammogram, appt booked\nKendra Haddad, DO / Jun 1, 2026")
