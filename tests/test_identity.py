"""Whose page is this: patient labels, EHR banners, MRN and DOB as charts print them."""

from datetime import date

import pytest

from service.models import CaseFields
from service.retrieval.identity import (
    OTHER_DOB,
    OTHER_MRN,
    OTHER_NAME,
    chart_identity,
    other_patient,
    page_identity,
    patient_names,
    same_person,
)

DOB = date(1951, 4, 22)
OURS = "GARZA, LUIS M    MRN: 00731180    DOB: 04/22/1951    Sex: M    Age: 75"


def case(**changes) -> CaseFields:
    fields = dict(
        claim_number="CLM-1", patient_name="Luis M. Garza", patient_id="1EG4-TE5-MK72", date_of_service="2026-05-31",
        payer="Medicare Part B", denial_code="CCM20",
    )
    return CaseFields(**{**fields, **changes})


@pytest.mark.parametrize(
    "text, name, mrn, dob",
    [
        ("Pt: GARZA, LUIS M  MRN 00731180  DOB 04/22/1951", "GARZA, LUIS M", "00731180", DOB),
        ("Patient Name: Luis M. Garza      DOB: 04/22/1951", "Luis M. Garza", None, DOB),
        (OURS, "GARZA, LUIS M", "00731180", DOB),
        ("Garza, Luis M    MRN: 00731180   DOB: 04/22/51   Sex: M", "Garza, Luis M", "00731180", DOB),
        ("Patient: Luis Garza | MRN: 00731180 | DOB: 04/22/1951", "Luis Garza", "00731180", DOB),
        ("Patient Name: GARZA, LUIS M DOB: 04/22/1951 MRN: 00731180", "GARZA, LUIS M", "00731180", DOB),
        ("Name: Luis Garza   DOB 04/22/1951", "Luis Garza", None, DOB),
    ],
    ids=["pt-label", "patient-name", "ehr-banner", "banner-2-digit-year", "ruled", "ocr-single-spaces", "name-beside-dob"],
)
def test_patient_labels_and_banners_give_name_mrn_and_dob(text, name, mrn, dob):
    ident = page_identity(text)
    assert ident.names == [name]
    assert ident.mrns == ({mrn} if mrn else set())
    assert ident.dobs == {dob}


def test_an_mrn_printed_with_number_sign_and_colon_is_read():
    assert page_identity("PATIENT: GARZA, LUIS   MRN#: 00731180").mrns == {"00731180"}


def test_a_member_id_label_is_read_apart_from_the_mrn():
    ident = page_identity("Patient: Maria L. Gonzalez-Ruiz   Member ID: 1EG4TE5MK72")
    assert ident.member_ids == {"1EG4TE5MK72"} and ident.mrns == set()
    assert ident.names == ["Maria L. Gonzalez-Ruiz"]


def test_a_date_of_birth_written_in_words_is_read():
    assert page_identity("Date of Birth: April 22, 1951").dobs == {DOB}


@pytest.mark.parametrize(
    "text",
    [
        "Northside Family Medicine\nName: Dr. Amy Patel\nReferral for cardiology consult",
        "Referral\nReason: HTN\nUrgency: routine\nLine\nLine\nLine\nLine\nName: Amy Patel, MD",
        "Emergency contact name: Rosa Garza (wife)",
        "Caregiver Name: Rosa Garza",
    ],
    ids=["dr-name", "clinician-credential", "emergency-contact", "caregiver"],
)
def test_clinicians_and_contacts_are_not_taken_for_the_patient(text):
    assert patient_names(text) == []


def test_only_the_patient_label_is_taken_from_a_line_that_also_names_the_provider():
    assert patient_names("Provider: Amy Patel, MD   Pt: Garza, Luis") == ["Garza, Luis"]


@pytest.mark.parametrize(
    "case_name, page_name",
    [
        ("William Turner", "Bill Turner"),
        ("Walter Hines", "Walt Hines"),
        ("Robert Smith", "Bob Smith"),
        ("Elizabeth Ward", "Beth Ward"),
        ("Katherine Olsen", "Kathy Olsen"),
        ("Luis M. Garza", "GARZA, LUIS M"),
        ("Luis M. Garza", "L. Garza"),
        ("Luis M. Garza", "Garza, L M"),
        ("Luis Garza", "Mr. Luis Garza"),
        ("Luis Garza", "Luis Garsa"),
        ("Maria L. Gonzalez", "GONZALEZ-RUIZ, MARIA"),
        ("Maria L. Gonzalez", "GONZALEZ RUIZ, MARIA"),
        ("Maria Gonzalez Ruiz", "Maria Ruiz"),
        ("Maria Gonzalez Ruiz", "Maria Gonzalez"),
        ("Mary Ann O'Neil", "ONEIL, MARY ANN"),
        ("Luis Garza", "Garza Jr, Luis"),
    ],
    ids=["bill", "walt", "bob", "beth", "kathy", "last-first", "initial", "initials", "title", "ocr-slip", "hyphenated",
         "double-surname", "second-surname", "first-surname", "apostrophe", "suffix"],
)
def test_the_same_patient_is_recognised_however_the_page_writes_the_name(case_name, page_name):
    assert same_person(case_name, page_name)


@pytest.mark.parametrize(
    "case_name, page_name",
    [("Luis Garza", "Carlos Garza"), ("Luis Garza", "Luis Gomez"), ("Luis Garza", "Lucia Garza"), ("John Lee", "Joan Lee"),
     ("Luis M. Garza", "GOMEZ, CARLOS")],
    ids=["other-first", "other-last", "similar-first", "one-letter-other-name", "banner"],
)
def test_a_different_first_or_last_name_is_another_person(case_name, page_name):
    assert not same_person(case_name, page_name)


@pytest.mark.parametrize("case_name, page_name", [("Jose Pena", "PENA, JOSÉ"), ("José Peña", "PENA, JOSE")], ids=["accent-on-page", "accent-in-case"])
def test_an_accented_name_matches_its_unaccented_printout(case_name, page_name):
    assert same_person(case_name, page_name)


def test_the_chart_takes_the_mrn_and_dob_most_of_its_pages_print():
    pages = [page_identity(OURS) for _ in range(3)] + [page_identity("GARZA, LUIS M    MRN: 00992211    DOB: 04/22/1951")]
    chart = chart_identity(case(), pages)
    assert chart.mrn == "00731180" and chart.dob == DOB and chart.conflicts == []
    assert {"00731180", "1EG4TE5MK72"} <= chart.ids


def test_pages_of_another_named_patient_do_not_vote_for_the_chart_mrn():
    misfiles = [page_identity("Patient: Carlos Gomez   MRN: 00555555   DOB: 01/02/1940")] * 5
    chart = chart_identity(case(), misfiles + [page_identity(OURS)])
    assert chart.mrn == "00731180" and chart.dob == DOB


def test_a_tie_between_two_mrns_or_dobs_is_reported_and_neither_is_used():
    pages = [page_identity(OURS), page_identity("GARZA, LUIS M    MRN: 00992211    DOB: 04/22/1952")]
    chart = chart_identity(case(), pages)
    assert chart.mrn is None and chart.dob is None
    assert len(chart.conflicts) == 2
    assert any("MRN" in c for c in chart.conflicts) and any("birth" in c for c in chart.conflicts)


def test_the_case_mrn_and_dob_settle_what_the_pages_leave_tied():
    pages = [page_identity(OURS), page_identity("GARZA, LUIS M    MRN: 00992211    DOB: 04/22/1952")]
    chart = chart_identity(case(mrn="00-731-180", patient_dob="1951-04-22"), pages)
    assert chart.mrn == "00731180" and chart.dob == DOB and chart.conflicts == []


@pytest.fixture
def chart():
    return chart_identity(case(), [page_identity(OURS) for _ in range(3)])


@pytest.mark.parametrize(
    "text, why",
    [
        ("GARZA, LUIS M    MRN: 00992211    DOB: 04/22/1951", OTHER_MRN),
        ("Patient: Luis Garza    DOB: 06/02/1948", OTHER_DOB),
        ("GOMEZ, CARLOS    Sex: M    Age: 80", OTHER_NAME),
        ("Patient: Carlos Gomez", OTHER_NAME),
    ],
    ids=["same-name-other-mrn", "same-name-other-dob", "other-banner", "other-label"],
)
def test_a_misfiled_page_is_told_apart_by_its_identifiers(chart, text, why):
    assert other_patient(page_identity(text), chart) == why


@pytest.mark.parametrize(
    "text",
    [
        "GARSA, LUIS M    MRN: 00731180",
        "Patient: Carlos Gomez   Member ID: 1EG4TE5MK72",
        "Patient: Luis Garza    DOB: 04/22/51",
        "Progress note continued from the previous page",
        "Name: Dr. Amy Patel\nPatient: Luis Garza",
    ],
    ids=["misspelled-name-our-mrn", "wrong-name-our-member-id", "two-digit-dob", "no-identity", "clinician-and-patient"],
)
def test_our_own_pages_are_kept(chart, text):
    assert other_patient(page_identity(text), chart) is None


@pytest.mark.parametrize(
    "text",
    ["Patient: Luis Garza    MRN: 00731188", "Patient: Luis Garza    DOB: 04/22/1957"],
    ids=["mrn-digit", "dob-digit"],
)
def test_a_one_character_ocr_slip_in_mrn_or_dob_is_forgiven_only_on_ocr_pages(chart, text):
    assert other_patient(page_identity(text), chart, ocr=True) is None
    assert other_patient(page_identity(text), chart, ocr=False) in (OTHER_MRN, OTHER_DOB)
