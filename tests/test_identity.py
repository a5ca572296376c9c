"""Whose page is this: patient labels, EHR banners, MRN and DOB as charts print them."""

from datetime import date

import pytest

from service.models import CaseFields, Page
from service.screening.exclusions import IDENTITY_UNCONFIRMED, OTHER_PATIENT, other_patient_pages
from service.screening.identity import (
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
        claim_number="CLM-1",
        patient_name="Luis M. Garza",
        patient_id="1EG4-TE5-MK72",
        date_of_service="2026-05-31",
        payer="Medicare Part B",
        denial_code="CCM20",
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
    ids=[
        "pt-label",
        "patient-name",
        "ehr-banner",
        "banner-2-digit-year",
        "ruled",
        "ocr-single-spaces",
        "name-beside-dob",
    ],
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
    ids=[
        "bill",
        "walt",
        "bob",
        "beth",
        "kathy",
        "last-first",
        "initial",
        "initials",
        "title",
        "ocr-slip",
        "hyphenated",
        "double-surname",
        "second-surname",
        "first-surname",
        "apostrophe",
        "suffix",
    ],
)
def test_the_same_patient_is_recognised_however_the_page_writes_the_name(case_name, page_name):
    assert same_person(case_name, page_name)


@pytest.mark.parametrize(
    "case_name, page_name",
    [
        ("Luis Garza", "Carlos Garza"),
        ("Luis Garza", "Luis Gomez"),
        ("Luis Garza", "Lucia Garza"),
        ("John Lee", "Joan Lee"),
        ("Luis M. Garza", "GOMEZ, CARLOS"),
    ],
    ids=["other-first", "other-last", "similar-first", "one-letter-other-name", "banner"],
)
def test_a_different_first_or_last_name_is_another_person(case_name, page_name):
    assert not same_person(case_name, page_name)


@pytest.mark.parametrize(
    "case_name, page_name",
    [("Jose Pena", "PENA, JOSÉ"), ("José Peña", "PENA, JOSE")],
    ids=["accent-on-page", "accent-in-case"],
)
def test_an_accented_name_matches_its_unaccented_printout(case_name, page_name):
    assert same_person(case_name, page_name)


def test_the_chart_takes_the_mrn_and_dob_most_of_its_pages_print():
    pages = [page_identity(OURS) for _ in range(3)] + [
        page_identity("GARZA, LUIS M    MRN: 00992211    DOB: 04/22/1951")
    ]
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
        ("Patient: Carlos Gomez   Member ID: 1EG4TE5MK72", OTHER_NAME),
    ],
    ids=["same-name-other-mrn", "same-name-other-dob", "other-banner", "other-label", "other-name-our-member-id"],
)
def test_a_misfiled_page_is_told_apart_by_its_identifiers(chart, text, why):
    assert other_patient(page_identity(text), chart) == why


@pytest.mark.parametrize(
    "text",
    [
        "GARSA, LUIS M    MRN: 00731180",
        "Patient: Luis Garza   Member ID: 1EG4TE5MK72",
        "Patient: Luis Garza    DOB: 04/22/51",
        "Progress note continued from the previous page",
        "Name: Dr. Amy Patel\nPatient: Luis Garza",
    ],
    ids=["misspelled-name-our-mrn", "our-name-our-member-id", "two-digit-dob", "no-identity", "clinician-and-patient"],
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


# --- Identity by agreement (issue 31): every identifier the page prints must agree. ---------------


def okafor(**changes) -> CaseFields:
    fields = dict(
        claim_number="CLM-9",
        patient_name="Winifred A. Okafor",
        patient_id="7TQ2-HM4-WP19",
        date_of_service="2026-08-31",
        payer="Medicare Part B",
        denial_code="CCM20",
    )
    return CaseFields(**{**fields, **changes})


WINI = "OKAFOR, WINIFRED A        DOB 11/05/1946        MRN 55-20871\nCCM call 08/04/2026, 22 min."


def verdicts(texts: list[str], case: CaseFields, document: str = "chart.pdf", ocr: bool = False) -> dict[int, str]:
    pages = [Page(document=document, number=i, text=t, ocr=ocr) for i, t in enumerate(texts, 1)]
    excluded, _ = other_patient_pages(pages, case)
    return {e.page: e.reason for e in excluded}


@pytest.mark.parametrize(
    "relative",
    [
        "Patient: Okafor, Desmond T   DOB: 02/14/1943\nInsurance: Humana Gold   Member ID: 7TQ2HM4WP19 (subscriber)",
        "Pt: Adaeze Okafor    Birthdate: 06/30/2004    Member ID: 7TQ2-HM4-WP19 (dep 03)",
        "OKAFOR, DESMOND T      Sex: M      Age: 83\nPlan ID: 7TQ2HM4WP19   Relationship: spouse",
    ],
    ids=["spouse-subscriber", "dependent", "spouse-banner"],
)
def test_a_relative_on_the_family_plan_member_id_is_another_patient(relative):
    assert verdicts([WINI, WINI, relative], okafor()) == {3: OTHER_PATIENT}


def test_a_member_id_alone_does_not_make_a_page_ours_after_someone_elses():
    other = "Patient: Desmond T Okafor    DOB: 02/14/1943"
    assert verdicts([WINI, other, "Coverage verified. Member ID: 7TQ2HM4WP19"], okafor()) == {
        2: OTHER_PATIENT,
        3: IDENTITY_UNCONFIRMED,
    }


@pytest.mark.parametrize(
    "text, name, dob",
    [
        ("Name/DOB: PRUITT, HOLLIS / 12/08/1939\nReason for call: refill", "PRUITT, HOLLIS", date(1939, 12, 8)),
        ("Patient Name/DOB:  Hollis Pruitt/12-08-1939", "Hollis Pruitt", date(1939, 12, 8)),
        ("DOB / Name: 12/08/1939 / Pruitt, Hollis", "Pruitt, Hollis", date(1939, 12, 8)),
    ],
    ids=["name-dob", "no-spaces", "dob-first"],
)
def test_one_label_over_several_fields_is_read_in_its_order(text, name, dob):
    ident = page_identity(text)
    assert ident.names == [name] and ident.dobs == {dob}


def test_a_name_dob_label_of_another_patient_excludes_the_page():
    assert verdicts([WINI, "Name/DOB: ASHWORTH, GLENDA / 03/17/1950\nLab called with INR 2.4"], okafor()) == {
        2: OTHER_PATIENT
    }


@pytest.mark.parametrize(
    "banner",
    ["ASHWORTH, GLENDA (F) 76 y.o.", "ASHWORTH, GLENDA R  (F)  76 yo", "Ashworth, Glenda   76 y F   Room 4"],
    ids=["sex-age", "middle-initial", "age-sex"],
)
def test_a_banner_with_sex_and_age_but_no_dob_names_its_patient(banner):
    ident = page_identity(f"{banner}\nNursing note: ambulating with walker.")
    assert ident.names and ident.names[0].upper().startswith("ASHWORTH, GLENDA")
    assert verdicts([WINI, f"{banner}\nNursing note."], okafor()) == {2: OTHER_PATIENT}


@pytest.mark.parametrize(
    "case_name, page_name",
    [
        ("Robert Lindgren", "Roberta Lindgren"),
        ("Roberta Lindgren", "Robert Lindgren"),
        ("Mario Esposito", "Maria Esposito"),
        ("Paul Danner", "Paula Danner"),
        ("Francis Boyle", "Frances Boyle"),
    ],
    ids=["roberta-for-robert", "robert-for-roberta", "maria-for-mario", "paula-for-paul", "frances-for-francis"],
)
def test_another_form_of_a_first_name_is_another_person(case_name, page_name):
    assert not same_person(case_name, page_name)


@pytest.mark.parametrize(
    "case_name, page_name",
    [("Robert Lindgren", "Bob Lindgren"), ("Roberta Lindgren", "Bobbie Lindgren"), ("Theodore Yates", "Ted Yates")],
    ids=["bob", "bobbie", "ted"],
)
def test_a_nickname_is_still_the_same_person(case_name, page_name):
    assert same_person(case_name, page_name)


def test_roberta_s_page_in_robert_s_chart_is_excluded():
    case = okafor(patient_name="Robert Lindgren")
    ours = "Patient: Robert Lindgren    Visit 08/02/2026"
    assert verdicts([ours, "Patient: Roberta Lindgren    Visit 08/03/2026"], case) == {2: OTHER_PATIENT}


def test_a_first_name_one_glyph_off_is_forgiven_on_a_scanned_page_only():
    assert same_person("Denise Marlowe", "Dehise Marlowe", ocr=True)
    assert not same_person("Denise Marlowe", "Dehise Marlowe")


@pytest.mark.parametrize(
    "case_name, page",
    [
        ("Augustin Pereira Sr.", "PEREIRA, AUGUSTIN JR    DOB: 09/09/1968    MRN: 30-1177"),
        ("Augustin Pereira Sr.", "Patient: Augustin Pereira Jr."),
        ("Augustin Pereira", "PEREIRA, AUGUSTIN SR    DOB: 01/30/1929"),
        ("Augustin Pereira II", "Patient: Augustin Pereira III"),
    ],
    ids=["son-with-ids", "son-name-only", "father-other-dob", "generation-number"],
)
def test_another_generational_suffix_is_another_patient(case_name, page):
    ours = "PEREIRA, AUGUSTIN    DOB: 04/12/1941    MRN: 30-0412\nCare plan reviewed 08/05/2026."
    assert verdicts([ours, ours, page], okafor(patient_name=case_name)) == {3: OTHER_PATIENT}


def test_the_suffix_our_pages_print_tells_a_same_named_relative_apart():
    ours = "PEREIRA, AUGUSTIN SR    DOB: 04/12/1941    MRN: 30-0412\nCCM call, 21 min."
    son = "Pt: Augustin Pereira Jr\nCalled about his lab work."
    assert verdicts([ours, ours, son], okafor(patient_name="Augustin Pereira")) == {3: OTHER_PATIENT}


@pytest.mark.parametrize(
    "page",
    [
        "Patient name: Yolanda P. Marsh    DOB: 07/21/1957    MRN: 55-31902\n[X] I agree to chronic care management.",
        "Patient: Marsh-Ibarra, Yolanda   MRN 55-31902\nConsent reviewed.",
        "Patient                 DOB             Hospital MRN      Admit\nTHORNE, YOLANDA P       07/21/1957      RMH-0093321       06/30/2026\n"
        "Former surname on file. Discharged home.",
        "Dear Dr. Abara,\nRE: Yolanda Thorne   DOB 07/21/1957\nThank you for referring her.",
    ],
    ids=["married-surname", "hyphen-order", "maiden-name-table", "letter-former-surname"],
)
def test_a_changed_surname_beside_our_dob_or_mrn_is_the_same_patient(page):
    case = okafor(patient_name="Yolanda P. Ibarra-Marsh", patient_dob="1957-07-21", mrn="55-31902")
    ours = "IBARRA-MARSH, YOLANDA P    DOB: 07/21/1957    MRN: 55-31902"
    assert verdicts([ours, page], case) == {}


def test_a_changed_surname_with_nothing_to_back_it_is_another_patient():
    case = okafor(patient_name="Yolanda P. Ibarra-Marsh", patient_dob="1957-07-21")
    assert verdicts(["Patient: Yolanda Thorne\nSeen for cough."], case) == {1: OTHER_PATIENT}


def test_a_different_middle_initial_with_nothing_else_agreeing_is_another_patient():
    similar = "Patient: Winifred J. Okafor\nRefill request."
    assert verdicts([WINI, similar], okafor()) == {2: OTHER_PATIENT}
    assert verdicts([WINI, "Patient: Winifred J. Okafor   DOB 11/05/1946"], okafor()) == {}


@pytest.mark.parametrize(
    "page",
    [
        "Patient:\nOKAFOR, WINIFRED A\nDOB:\n11/05/1946",
        "Patient Name:\n  Okafor, Winifred",
        "Pt:  Okafor, Winifred A   (F)",
    ],
    ids=["label-above-value", "indented-value", "pt-label"],
)
def test_labels_whose_value_sits_on_the_next_line_are_read(page):
    ident = page_identity(page)
    assert ident.names and same_person("Winifred A. Okafor", ident.names[0])


def test_a_two_line_label_of_another_patient_excludes_the_page():
    assert verdicts([WINI, "Patient:\nASHWORTH, GLENDA\nDate of Birth:\n03/17/1950"], okafor()) == {2: OTHER_PATIENT}


def test_a_table_header_and_its_row_give_name_dob_and_mrn():
    text = "Name                 D.O.B.        MRN          Visit\nAshworth, Glenda     03/17/1950    55-11873     08/11/2026"
    ident = page_identity(text)
    assert ident.names == ["Ashworth, Glenda"] and ident.dobs == {date(1950, 3, 17)} and ident.mrns == {"5511873"}


def test_an_unlabelled_birth_date_beside_a_banner_name_is_read():
    text = "ASHWORTH, GLENDA   03/17/1950   55-11873                     08/01/26-08/31/26\n8/3/26 called pt, 12 min"
    ident = page_identity(text)
    assert ident.names == ["ASHWORTH, GLENDA"] and ident.dobs == {date(1950, 3, 17)}


def test_a_staff_name_beside_a_recent_date_is_not_a_banner():
    assert patient_names("Nwosu, Grace    08/04/2026    14 min    care plan call") == []


def test_a_banner_at_the_right_of_the_page_header_is_read():
    text = "LAUREL CREEK CLINIC                         OKAFOR, WINIFRED A   DOB 11/05/1946   79 y F\nFlowsheet"
    assert patient_names(text) == ["OKAFOR, WINIFRED A"]


def test_a_clinician_after_a_label_in_the_header_is_not_a_banner():
    assert patient_names("Author:           Nwosu, Grace   Age of note: 2 days") == []


def test_another_facility_s_record_number_never_conflicts():
    case = okafor(patient_dob="1946-11-05", mrn="55-20871")
    outside = "RE: Winifred Okafor   DOB 11/05/1946   Hosp MRN: 55-99120\nEcho shows EF 45%."
    lettered = "Patient: Winifred Okafor   DOB 11/05/1946   MRN: LCH0099120\nEcho shows EF 45%."
    assert verdicts([WINI, outside, lettered], case) == {}


@pytest.mark.parametrize(
    "texts, expected",
    [
        ([WINI, "Page 2 of 2 (continued)"], {}),
        (["Interface log: 31 readings filed", "Page 2: 14 alerts reviewed"], {}),
        (
            [WINI, "Patient: Glenda Ashworth   DOB 03/17/1950", "continued: BP 150/92"],
            {2: OTHER_PATIENT, 3: IDENTITY_UNCONFIRMED},
        ),
        (
            ["cover sheet", "Patient: Glenda Ashworth   DOB 03/17/1950", "continued"],
            {2: OTHER_PATIENT, 3: IDENTITY_UNCONFIRMED},
        ),
        ([WINI, "Patient: Glenda Ashworth   DOB 03/17/1950", WINI, "continued"], {2: OTHER_PATIENT}),
    ],
    ids=["continuation-of-ours", "no-identity-anywhere", "after-another-patient", "cover-then-other", "ours-again"],
)
def test_a_page_without_identity_inherits_its_document_s_last_identified_page(texts, expected):
    assert verdicts(texts, okafor()) == expected


def test_inheritance_stops_at_the_end_of_a_document():
    other = Page(document="a.pdf", number=1, text="Patient: Glenda Ashworth   DOB 03/17/1950")
    letter = Page(document="b.pdf", number=1, text="Thank you for the referral of your patient.")
    excluded, _ = other_patient_pages([Page(document="a.pdf", number=2, text=WINI), other, letter], okafor())
    assert [(e.document, e.page, e.reason) for e in excluded] == [("a.pdf", 1, OTHER_PATIENT)]


def test_the_case_dob_and_mrn_are_used_when_the_pages_print_none_of_their_own():
    case = okafor(patient_dob="1946-11-05", mrn="55-20871")
    assert verdicts(["Patient: Winifred Okafor  DOB 11/05/1964", "Patient: W. Okafor  MRN 55-20817"], case) == {
        1: OTHER_PATIENT,
        2: OTHER_PATIENT,
    }


@pytest.mark.parametrize(
    "text",
    [
        "Household   Name             Relationship    DOB\n            Desmond Okafor   spouse          02/14/1943",
        "Name              Relationship      DOB           Phone\nAdaeze Okafor     daughter          06/30/2004    555-0100",
    ],
    ids=["household", "contacts"],
)
def test_a_table_of_relatives_does_not_name_the_patient(text):
    assert patient_names(text) == []
    assert verdicts([f"{WINI}\n{text}"], okafor()) == {}


@pytest.mark.parametrize(
    "banner, name",
    [
        ("MORALES, JUAN  68M  Room 4", "MORALES, JUAN"),
        ("ASHWORTH, GLENDA  F  76 y.o.", "ASHWORTH, GLENDA"),
        ("DE LA CRUZ, ANA   DOB 01/02/1940", "DE LA CRUZ, ANA"),
    ],
    ids=["age-sex-compact", "sex-then-age", "three-word-surname"],
)
def test_banner_variants_give_the_name_alone(banner, name):
    assert patient_names(banner) == [name]


def test_a_pet_name_no_list_holds_is_the_patient_when_mrn_and_dob_both_agree():
    """'Lainey' is not in the nicknames list for 'Elaine'; with the chart's MRN and DOB beside it
    the page is hers. With only the name, a different first name is still someone else."""
    case = CaseFields(
        claim_number="C9",
        patient_name="Elaine P. Wakefield",
        patient_id="3FG7-KD2-LM44",
        mrn="8812034",
        patient_dob="1944-03-09",
        date_of_service="2026-06-30",
        payer="Medicare",
        denial_code="CCM06",
    )
    same = page_identity("Pt: Lainey Wakefield    DOB: 03/09/1944    MRN 8812034\nNurse call 6/04/2026")
    bare = page_identity("Pt: Lainey Wakefield\nNurse call 6/04/2026")
    chart = chart_identity(case, [same, bare])
    assert other_patient(same, chart) is None
    assert other_patient(bare, chart) is not None
