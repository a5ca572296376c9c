import pytest
from PIL import Image, ImageDraw

from service.models import Page
from service.records.ocr import skew_angle
from service.records.spans import split_sentences
from service.screening.boilerplate import (
    is_boilerplate,
    is_copied_forward,
    is_cover_page,
    is_header_line,
    is_legend,
    is_section_heading,
    is_sign_off,
    names_equipment,
    repeated_lines,
    running_text_spans,
    states_something,
    wants_signatures,
)


@pytest.mark.parametrize(
    "text",
    [
        "Patient: Jane Roe    MRN: 100200    DOB: 01/02/1950",
        "Self-Management Goals",
        "CARE PLAN",
        "Treatment goals and expected outcomes",
        "Contacts this month:",
        "The registry query was",
        "Page 3 of 12",
    ],
)
def test_headers_headings_labels_and_fragments_are_not_evidence(text):
    assert is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    [
        "RN call with patient, 22 minutes.",
        "1. Essential hypertension (I10)",
        "Shingles vaccine series incomplete, 1 of 2 doses",
        "Verbal consent obtained on 03/01/2026.",
    ],
)
def test_facts_are_kept(text):
    assert not is_boilerplate(text)


def test_running_headers_and_footers_are_found_by_repetition():
    notes = ["RN call, 20 minutes.", "Consent obtained by phone.", "PAM score of 61.", "Cuff sent readings on 18 days."]
    pages = [
        Page(
            document="a.pdf",
            number=n,
            text=f"Northside Clinic | 12 Main St\n{notes[n - 1]}\nConfidential - Page {n} of 4",
        )
        for n in range(1, 5)
    ]
    sentences = [s for p in pages for s in split_sentences(p)]
    flagged = running_text_spans(sentences, repeated_lines(pages))
    texts = {s.text for s in sentences if (s.document, s.page, s.start) in flagged}
    assert "Confidential - Page 2 of 4" in texts and "Northside Clinic | 12 Main St" in texts
    assert not texts & set(notes)


def test_a_repeated_field_naming_the_device_by_its_serial_number_is_not_running_text():
    """A flowsheet export prints the device it records on every sheet: that line is each sheet's
    fact; the letterhead and the banner printed with it stay running text."""
    pages = [
        Page(
            document="a.pdf",
            number=n,
            text=(
                f"Northside Clinic | 12 Main St\nMonitor: AcmeCuff AC-2 cellular cuff (SN AC2-009931)\n"
                f"Readings on {10 + n} days in month {n}."
            ),
        )
        for n in range(1, 4)
    ]
    sentences = [s for p in pages for s in split_sentences(p)]
    flagged = running_text_spans(sentences, repeated_lines(pages))
    texts = {s.text for s in sentences if (s.document, s.page, s.start) in flagged}
    assert "Northside Clinic | 12 Main St" in texts
    assert not any("AcmeCuff" in t for t in texts)


@pytest.mark.parametrize(
    "text, equipment",
    [
        ("Meter: GlucoPro 5 glucometer, IMEI 35-200114-551", True),
        ("Devices: TeleCuff BP-7 (serial no. TC7-55120)", True),
        ("Patient: Jane Roe    MRN: 100200", False),
        ("Scale shipped, serial number to follow", False),
        ("Replaced cuff S/N AC2-009931 after drop", False),
    ],
)
def test_a_device_is_named_by_a_labelled_field_with_its_serial_number(text, equipment):
    assert names_equipment(text) is equipment


def test_skew_of_a_tilted_scan_is_measured():
    image = Image.new("L", (800, 1000), 255)
    draw = ImageDraw.Draw(image)
    for y in range(100, 900, 40):
        draw.rectangle((80, y, 720, y + 12), fill=0)
    assert skew_angle(image) == 0.0
    assert abs(skew_angle(image.rotate(-2, fillcolor=255)) - 2.0) <= 0.25


def flat(text):
    return " ".join(text.split())


@pytest.mark.parametrize(
    "text",
    [
        "- CCM consent given verbally by pt, documented",
        "Med list reconciled 4/2/26 - 11 meds",
        "Care plan reviewed and revised",
        "[X] consent obtained",
        "Pt declined flu shot",
        "BP cuff delivered and set up, pt taught to use",
        "Spoke w/ dtr re meds x2",
        "Call attempted x2, no answer, VM left",
        "CCM consent on file",
        "Readings reviewed by RN, no alerts",
        "Referral to ophthalmology placed",
        "Copy of care plan given to pt",
        "Lisinopril 20 mg daily",
        "PHQ-9 score 4",
        "Total      |                  | 33  |",
        "TOTAL 52",
    ],
    ids=[
        "consent-verbal",
        "med-rec-dated",
        "plan-revised",
        "checkbox",
        "declined",
        "device-setup",
        "spoke-dtr",
        "call-attempts",
        "consent-on-file",
        "readings-reviewed",
        "referral",
        "copy-given",
        "med-line",
        "score",
        "total-row-ruled",
        "total-bare",
    ],
)
def test_terse_evidence_lines_are_not_boilerplate(text):
    assert not is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Consent signed 01/15/2026", id="consent-signed-dated"),
        pytest.param("Care plan updated 05/11/2026", id="plan-updated-dated"),
        pytest.param("FIT kit mailed 05/06/2026", id="gap-action-dated"),
        pytest.param("CP initiated May 4, 2025", id="month-name-date"),
        pytest.param("Consent signed Mar 3, 2026", id="short-month-date"),
        pytest.param("Scale set up Jun 2, 2026", id="phrasal-participle"),
    ],
)
def test_a_terse_action_with_its_date_is_not_a_dated_title(text):
    assert not is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Patient agrees with care plan", id="agrees"),
        pytest.param("Lives alone, uses walker", id="environment"),
        pytest.param("Colonoscopy up to date", id="preventive-status"),
    ],
)
def test_a_short_statement_in_the_present_tense_is_not_a_section_heading(text):
    assert not is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    [
        "Encounter Date: 05/14/2026   Type: Telephone   Department: Care Management",
        "Author: Kim Ho, RN   Service: Care Management   Date of Service: 05/14/2026",
        "Provider: Amy Patel, MD   Location: Northside Clinic",
        "GARZA, LUIS M   MRN: 00731180   DOB: 04/22/1951   Sex: M",
        "Fax from (555) 201-3300   06/03/2026 09:12   P. 4/17",
        "RECEIVED JUN 03 2026",
        "CARE MANAGEMENT NOTE",
        "Chronic Care Management Enrollment and Consent",
        "Assessment and Plan:",
        "CCM Monthly Note - May 2026",
        "Period: May 1, 2026 - May 31, 2026",
        "Copied fwd from 4/14/2026: pt walks 20 min daily",
        "CONFIDENTIAL: This fax contains protected health information. If you received it in error, notify the sender.",
        "Visit Type: Telephone",
        "Rev. 11/2024   Form CM-114",
        "06/02/2026 14:37",
    ],
    ids=[
        "encounter-header",
        "author-header",
        "provider-header",
        "banner",
        "fax-header",
        "received-stamp",
        "caps-title",
        "heading",
        "section-label",
        "dated-title",
        "period-line",
        "copied-forward",
        "legend",
        "visit-type",
        "form-number",
        "bare-timestamp",
    ],
)
def test_headers_stamps_titles_legends_and_copied_text_are_boilerplate(text):
    assert is_boilerplate(text)


def test_a_print_stamp_with_page_counter_is_boilerplate():
    assert is_boilerplate("Printed 06/02/2026 10:14 by JELLIS  Page 3 of 12")


@pytest.mark.parametrize(
    "text",
    [
        "Reviewed: 05/21/2026 by Howard Lin, MD and Kim Ho, RN",
        "Electronically signed by Amy Patel, MD on 05/14/2026 16:32",
        "I attest that I reviewed the time logged above.",
        "Signed: Kim Ho, RN 05/14/2026 16:40",
        "Attested by: Amy Patel, MD 05/31/2026",
        "-- A. Ortega RN Jun 2, 2025 13:02",
        "/s/ Kim Ho, RN 6/2/25",
        "\u2014 J. Smith, NP 06/02/2026 1:02 PM",
        "Reviewed by G. Lindahl, MD 05/31",
        "S. Kaur RN / 1-May-2025",
        "Ibrahim Szabo, MD / 07/16/2025",
        "Signed electronically: Marta Quill, PA-C  04/22/2026 08:12",
    ],
    ids=[
        "reviewed-by",
        "e-signed",
        "attest",
        "signed-label",
        "attested-by",
        "dash-name-stamp",
        "slash-s",
        "em-dash-pm",
        "reviewed-by-short-date",
        "name-slash-date",
        "name-comma-slash-date",
        "signed-electronically",
    ],
)
def test_sign_off_lines_are_recognised(text):
    assert is_sign_off(flat(text))


def test_only_a_requirement_about_signatures_may_quote_a_sign_off():
    assert not wants_signatures("Minutes of interactive communication with the patient in the billing month.")
    assert wants_signatures("The care plan is signed and dated by the billing practitioner.")


@pytest.mark.parametrize(
    "text",
    [
        "Reviewed care plan with pt and dtr by phone, 15 min",
        "Care plan reviewed with pt and dtr",
        "Readings reviewed by RN, no alerts",
        "Seen by Amy Patel, MD for f/u of HTN and DM2, A1c reviewed",
        "Pt signed CCM consent 01/15/2026",
        "A. Ortega RN called pt 6/2, 12 min",
        "06/02/2025  A. Ortega, RN  15 min  care plan review",
        "Faxed to Dr. Park 6/2/25",
        "K. Osei RN / 5/2/26 / called pt re BP log",
    ],
    ids=[
        "reviewed-with-pt",
        "plan-reviewed",
        "readings-reviewed",
        "seen-by-for",
        "pt-signed-consent",
        "name-then-act",
        "time-log-row",
        "faxed-to-dr",
        "name-slash-date-slash-act",
    ],
)
def test_care_done_by_someone_is_not_a_sign_off(text):
    assert not is_sign_off(flat(text))


def test_a_signed_consent_form_on_file_is_not_a_sign_off():
    assert not is_sign_off("Signed consent form scanned to chart")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Encounter Date: 05/14/2026   Type: Telephone   Department: Care Management", True),
        ("Provider: Amy Patel, MD   Location: Northside Clinic", True),
        ("Date: 05/14/2026", True),
        ("BP: 132/84   HR: 72   Wt: 182 lb", False),
        ("Total time: 22 minutes", False),
        ("Staff: Kim Ho, RN   Minutes: 20   Activity: reviewed BP log with pt and adjusted meds per Dr. Patel", False),
    ],
    ids=["encounter", "provider-location", "date-only", "vitals", "total-time", "log-entry-with-activity"],
)
def test_header_lines_describe_the_note_not_the_care(text, expected):
    assert is_header_line(flat(text)) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Copied fwd from 4/14/2026: pt walks 20 min daily", True),
        ("Carried forward from prior note: lives with daughter", True),
        ("HPI pulled from 03/02/2026 visit", True),
        ("Readings forwarded to Dr. Patel", False),
        ("Pt brought her BP log to the visit", False),
    ],
    ids=["copied-fwd", "carried-forward", "pulled-from", "forwarded", "brought-log"],
)
def test_copied_forward_text_is_recognised(text, expected):
    assert is_copied_forward(flat(text)) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "This information has been disclosed to you from records protected by Federal confidentiality rules (42 CFR part 2).",
            True,
        ),
        (
            "The information in this fax is privileged and confidential and intended only for the recipient named above; "
            "unauthorized distribution is prohibited by law.",
            True,
        ),
        ("If you have received this in error, please notify the sender and destroy all copies.", True),
        ("Consent to release records to cardiology signed by pt", False),
        ("Pt authorized daughter to receive information about her care", False),
        ("Niece Ines is on the HIPAA release and drives her to dialysis", False),
        ("Confidential: protected under HIPAA.", True),
    ],
    ids=[
        "42-cfr",
        "privileged",
        "in-error",
        "release-consent",
        "authorized-daughter",
        "hipaa-release-names-relative",
        "protected-under-hipaa",
    ],
)
def test_confidentiality_legends_are_told_from_consent_lines(text, expected):
    assert is_legend(flat(text)) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Care plan reviewed and revised", True),
        ("- CCM consent given verbally by pt, documented", True),
        ("Medications Reviewed", True),
        ("Chronic Care Management Enrollment and Consent", False),
        ("Treatment goals and expected outcomes", False),
        ("Post D/C Call", False),
        ("F/U Phone Note - RN", False),
        ("D/C summary rec'd + reviewed", True),
        ("Pt Agrees", True),
    ],
    ids=[
        "reviewed-revised",
        "given-verbally",
        "reviewed-last",
        "title",
        "section-title",
        "title-with-abbreviation",
        "follow-up-title",
        "terse-discharge-line",
        "two-word-terse",
    ],
)
def test_states_something_tells_terse_facts_from_titles(text, expected):
    assert states_something(flat(text)) is expected


@pytest.mark.parametrize(
    "text", ["Med list reconciled 4/2/26 - 11 meds", "Consent signed 01/15/2026"], ids=["reconciled", "signed"]
)
def test_a_participle_followed_by_a_date_states_something(text):
    assert states_something(flat(text))


@pytest.mark.parametrize(
    "line",
    [
        "Consent date: 01/02/2025   Obtained by: Alana Brandt, RN",
        "Date reviewed/revised: 09/16/2025   Next review: 12/2025",
    ],
)
def test_a_label_naming_an_act_of_care_is_evidence_not_a_note_header(line):
    assert not is_header_line(line) and not is_boilerplate(line)


def test_a_signature_line_is_a_sign_off():
    assert is_sign_off("Signature: Alana Brandt, RN   Date: 1/2/25")


def test_a_remark_in_brackets_does_not_make_a_heading_a_statement():
    assert is_section_heading("Self-management goals (set with pt 01/14/2026, progress updated 5/19/2026):")
    assert not is_section_heading("Goals set with pt 01/14/2026, progress updated")


@pytest.mark.parametrize(
    "top", ["F A X   C O V E R   S H E E T\nTo: Billing", "Fax Transmittal\nPages: 3", "COVER SHEET\nRe: records"]
)
def test_fax_cover_sheets_are_recognised_by_their_title(top):
    assert is_cover_page("04/28/2026 15:22 FROM: 541-555-0163   P. 1/3\n\n" + top)


def test_a_care_plan_is_no_cover_sheet():
    assert not is_cover_page("Comprehensive Care Plan\nGoals: A1c < 7.5\nPlan shared with pt; copy given")


@pytest.mark.parametrize("text", ["Received 06/03/2026 10:14 AM", "Rec'd: 6/3/26", "Received: Jun 3, 2026"])
def test_a_receipt_stamp_in_any_case_is_boilerplate(text):
    assert is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    [
        "RPM setup 04/24/2026 (Nina Park, RN): devices unboxed w/ RN on video; test readings received on portal 04/24 10:42.",
        "Records received from Dr. Park's office re echo 5/10",
    ],
    ids=["readings-received", "records-received"],
)
def test_received_inside_a_line_of_care_is_no_stamp(text):
    assert not is_boilerplate(text)


def test_a_dated_title_with_a_range_is_boilerplate():
    assert is_boilerplate("RPM Data Summary - Service period 05/01/2026 - 05/31/2026")


@pytest.mark.parametrize(
    "text", ["-- Procedure note: RPM device setup / patient education --", "===== CARE PLAN =====", "*** Goals ***"]
)
def test_a_heading_between_rules_is_a_section_heading(text):
    assert is_section_heading(text) and is_boilerplate(text)


def test_a_line_of_care_between_rules_is_no_heading():
    assert not is_section_heading("-- 12 min call w/ pt 5/2 --")


@pytest.mark.parametrize(
    "text", ["Fox River Health - faxed 06/03/2026 09:12", "Faxed on 6/3/26", "Printed 06/02/2026 10:14 by JELLIS"]
)
def test_print_and_fax_stamps_are_boilerplate(text):
    assert is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    [
        "Scale transmitted automatically on 21 days (per Tidewell report faxed 06/01).",
        "Records faxed 5/12 to Dr. Park re echo results and med changes",
    ],
    ids=["source-in-brackets", "records-faxed-to-specialist"],
)
def test_a_line_of_care_that_mentions_a_fax_is_no_stamp(text):
    assert not is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    [
        "Faxed on 6/3 to Dr. Lin",
        "Rx faxed 6/3 to CVS",
        "PCP updated - faxed 6/3 w/ BP log",
        "Pt education handout printed 6/3, reviewed teach-back",
        "PT RECEIVED INFLUENZA VACCINE 10/01/2025 LEFT DELTOID",
    ],
)
def test_a_stamp_word_followed_by_what_was_done_is_care(text):
    assert not is_boilerplate(text)


@pytest.mark.parametrize(
    "text", ["Received 6/3/26 10:14 EST", "Rec'd 6/3/26 via fax", "Faxed 06/03/2026 09:12 from (555) 201-3300"]
)
def test_a_stamp_with_its_time_zone_channel_or_number_is_a_stamp(text):
    assert is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    [
        "Code Status: DO NOT RESUSCITATE 6/2/26",
        "HOLD METFORMIN - DO NOT RESTART UNTIL 6/9",
        "PA Approved 6/2/26 Ref 88123",
        "Medication Reconciliation 6/2 Kim Ho RN 20",
        "BP 152/90 HR 78 - Kim Ho RN",
        "Dr. Lin MD 6/2 decreased Lasix",
    ],
)
def test_capitals_credentials_and_dates_in_a_line_of_care_are_no_sign_off(text):
    assert not is_sign_off(flat(text))


@pytest.mark.parametrize("text", ["Mark Novak, RN 6/2/25", "Kim Ho RN 6/2/25.", "Kim Ho RN 06/02/2026 10:14 a.m."])
def test_a_name_and_date_whatever_the_month_like_name_or_final_stop_is_a_sign_off(text):
    assert is_sign_off(flat(text))


@pytest.mark.parametrize(
    "text",
    ["** Patient declined CCM services **", "*** NO CHANGES TO MEDICATIONS ***", "-- Care plan shared with Dr. Lin --"],
)
def test_a_statement_between_rules_is_no_heading(text):
    assert not is_section_heading(text) and not is_boilerplate(text)


@pytest.mark.parametrize(
    "text", ["BP 148 92 HR 80 wt 182 lb glucose 160 - 06/02/2026", "Lisinopril 10 mg 1 tab daily 30 days 06/02/2026"]
)
def test_a_line_of_numbers_ending_in_a_date_is_no_dated_title(text):
    assert not is_boilerplate(text)


def test_a_month_and_year_title_is_boilerplate():
    assert is_boilerplate("CCM Monthly Note - January 2025")


@pytest.mark.parametrize(
    "text",
    [
        "This document was printed from the electronic health record for release to the payer.",
        "These records were compiled at the request of the health plan",
        "This report has been generated by Cardiofy Connect",
    ],
)
def test_a_notice_of_how_the_copy_was_made_is_boilerplate(text):
    assert is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    ["Lab results printed from EHR and mailed to pt", "Care plan printed and given to pt at visit 5/14/26"],
)
def test_printing_as_an_act_of_care_is_kept(text):
    assert not is_boilerplate(text)


def test_a_list_item_repeated_in_every_monthly_report_is_not_running_text():
    """Three monthly RPM reports in one packet each list the same item with other digits."""
    pages = [
        Page(
            document="rpm.pdf",
            number=n,
            text=f"Harbor Family Medicine\nRPM Monthly Report\n- Days w/ automatic transmissions: {14 + n} of 30 days\n"
            f"- Avg SBP {128 + n} mmHg\nHarbor Family Medicine - confidential - page {n}",
        )
        for n in range(1, 4)
    ]
    sentences = [s for p in pages for s in split_sentences(p)]
    flagged = running_text_spans(sentences, repeated_lines(pages))
    texts = {s.text for s in sentences if (s.document, s.page, s.start) in flagged}
    assert "Harbor Family Medicine" in texts
    assert not any("transmissions" in t or "SBP" in t for t in texts)


@pytest.mark.parametrize(
    "text",
    [
        "Problem / Dx                  Goal                          Target date    Status",
        "Date | Minutes | Staff | Activity",
    ],
)
def test_a_table_header_is_not_evidence(text):
    assert is_boilerplate(text)


@pytest.mark.parametrize("text", ["CCM Consent Signed", "Goals   reviewed w/ pt"])
def test_a_capitalised_terse_line_is_no_table_header(text):
    assert not is_boilerplate(text)
