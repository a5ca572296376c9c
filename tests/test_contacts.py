"""Contacts with someone outside the practice, recognised by shape (knowledge `cue: outside_contact`)."""

import pytest

from service.evidence.contacts import is_check, is_outside_contact


@pytest.mark.parametrize(
    "line",
    [
        "Spoke w/ Kelly RN at Valley Pulmonology (Dr. Soren Vik).",
        "Called CVS Pharmacy (Elm St) re Breo Ellipta copay.",
        "06/11/2026 Beth Arroyo, RN 14 Spoke w/ Pulm (Dr. Soren Vik) nurse re PFT results",
        "Called Area Agency on Aging re transport to PFT lab",
        "LVM for Sunrise Home Health re start of care",
        "Faxed updated med list to Dr. Osei's office",
        "Coord w/ Dr. Lena Park (cardiology) office re echo results",
        "Records requested from Mercy Valley Hospital",
        "Records faxed to Dr. Wen 04/09 14:10, receipt confirmed.",
        "cardiology referral confirmed w/ Rio Grande Heart",
        "Called Corner Drug & Compounding - refills synced to one pickup date",
        "Faxed recent labs to Northgate Kidney Care, f/u appt confirmed",
        "Evergreen Visiting Nurses nurse called back - SN visits reviewed",
        "LVM for Brookside Home Care re start-of-care date",
        "Westgate Pharmacy: pill packs arranged, first delivery Fri",
        "Rollator ordered through Midstate Medical Supply, delivery 6/19",
        "Lakeshore Home Health: SOC visit scheduled 6/12",
    ],
)
def test_communications_with_an_outside_party_are_contacts(line):
    assert is_outside_contact(line)


@pytest.mark.parametrize(
    "line",
    [
        "Call to pt - reviewed new inhaler, symptoms",
        "Reviewed labs with patient by phone",
        "Pt seen in clinic today for f/u",
        "Dr. Park recommends cont furosemide 20 mg daily",
        "Verbal consent obtained by phone",
        "BP 132/80 today in clinic",
        "Preferred pharmacy + phone confirmed",
        "Preferred pharmacy: Westgate Pharmacy",
        "Pharmacy: Westgate, phone confirmed",
        "Labs: A1c and lipid panel ordered",
        "Home health agency on file verified",
        "Called pt re Chronic Care Management enrollment",
        "Discussed Care Plan with pt and daughter",
        "Faxed Care Plan to pt at her request",
        "Pt called re Medicare Part B coinsurance",
        "Sent Patient Portal message re lab results",
    ],
)
def test_care_given_to_the_patient_is_no_outside_contact(line):
    assert not is_outside_contact(line)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Pharmacy + phone confirmed", True),
        ("Address, insurance and preferred pharmacy verified", True),
        ("Records faxed to Dr. Wen 04/09 14:10, receipt confirmed.", False),
        ("cardiology referral confirmed w/ Rio Grande Heart", False),
        ("Spoke w/ Main Street Pharmacy, refill dates confirmed", False),
    ],
)
def test_a_line_that_only_records_details_checked_is_a_check(line, expected):
    assert is_check(line) is expected
