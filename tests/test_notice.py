"""Claim fields read from payers' denial letters: letters written here in styles the reader was
not developed on, then the generated layouts held out from its development, text and scanned."""

from datetime import date

import pytest

from eval.harness.autofill import FIELDS, run_autofill_eval
from service.casework.notices import read_notice_file
from service.casework.state import open_workspace
from service.errors import EmptyFileError, NotAPdfError
from service.models import Page
from service.remittance.notice import read_notice

REMARKS = {"N115", "M127", "N130", "MA130", "N290", "M15"}
PAYER_CODES = {"CCM20", "CCM39"}

BLUE_PLAN = """\
BLUE RIDGE HEALTH ALLIANCE
Provider Services  P.O. Box 2290  Roanoke VA 24010

November 14, 2026

Claim Summary / Adverse Determination

Subscriber:      PATEL, RAVI
Patient Name:    PATEL, ANJALI K
Member ID:       BRH448120973
Claim No.:       2026318A00417
Service Dates:   10/02/2026 - 10/02/2026

Line  Svc Date    CPT/HCPCS  Mod  Billed     Allowed   Pd Amt   Adj Codes
01    10/02/2026  99214      25   $185.00    $112.40   $89.92   CO-45 PR-3
02    10/02/2026  99490           $64.21     $0.00     $0.00    CO-197 N130

Total billed: $249.21

The chronic care management service was not authorized before it was provided.
To appeal, write to us within 180 days of this notice.
BLUE RIDGE HEALTH ALLIANCE  |  Page 1 of 1
"""

TERSE_MAC = """\
MEDICARE PART B - WESTBROOK GBA
ADDITIONAL DOCUMENTATION REVIEW RESULTS      Run: 2026-09-30
BENE: J SMITHERS-OKAFOR    MBI 7QP2-KD4-MX11    ICN 0226272118340
DOS 08/31/2026  HCPCS 99457  BILLED 48.80  PAID 0.00  ADJ CO-50  RMK N115
Records did not show 20 minutes of treatment management in the month.
Redetermination: 120 days from receipt. Westbrook GBA, Appeals Unit.
"""


def read(text: str):
    return read_notice([Page(document="letter.txt", number=1, text=text)], PAYER_CODES, REMARKS).fields


def test_a_plan_letter_in_a_style_of_its_own():
    got = read(BLUE_PLAN)
    assert got["claim_number"].value == "2026318A00417" and got["patient_id"].value == "BRH448120973"
    assert got["patient_name"].value == "Anjali Patel"  # the patient, not the subscriber
    assert got["denial_date"].value == date(2026, 11, 14) and got["date_of_service"].value == date(2026, 10, 2)
    assert (
        got["billed_cpt"].value == ["99490"] and got["denial_code"].value == "CO-197" and got["rarcs"].value == ["N130"]
    )
    assert got["amount_denied"].value == 64.21 and got["payer"].value == "BLUE RIDGE HEALTH ALLIANCE"
    quote = got["claim_number"]
    assert quote.page == 1 and "2026318A00417" in quote.quote and quote.quote in BLUE_PLAN and not quote.review


def test_a_terse_contractor_notice():
    got = read(TERSE_MAC)
    assert got["claim_number"].value == "0226272118340" and got["patient_id"].value == "7QP2-KD4-MX11"
    assert (
        got["billed_cpt"].value == ["99457"] and got["denial_code"].value == "CO-50" and got["rarcs"].value == ["N115"]
    )
    assert got["date_of_service"].value == date(2026, 8, 31)
    assert (
        "patient_name" not in got or got["patient_name"].review
    )  # 'BENE: J SMITHERS-OKAFOR' is no label we know by name
    for field in got.values():
        assert field.quote in TERSE_MAC


def test_what_a_letter_does_not_say_is_absent_or_marked_not_guessed():
    got = read("Dear provider,\nWe could not process your request. Please call us.\n")
    assert all(f.review for f in got.values())
    assert "claim_number" not in got and "denial_code" not in got


def test_a_text_file_and_refusals(settings, components):
    ws = open_workspace(settings, components)
    reading = read_notice_file(ws, BLUE_PLAN.encode(), "letter.txt")
    assert reading.fields["claim_number"].value == "2026318A00417" and reading.bar == 0.75
    with pytest.raises(EmptyFileError):
        read_notice_file(ws, b"  \n", "letter.txt")
    with pytest.raises(NotAPdfError):
        read_notice_file(ws, b"\x89PNG\r\n\x1a\n\x00\x00binary", "letter.png")


def test_text_letters_fill_every_field_at_95_percent(settings, components):
    report = run_autofill_eval(settings, components.knowledge, text_letters=15, scanned_letters=0)["text"]
    low = {name: share for name, share in report["per_field"].items() if share < 0.95}
    assert not low, low
    assert set(report["per_field"]) == set(FIELDS)


@pytest.mark.integration
def test_scanned_letters_fill_every_field_at_90_percent(settings, components):
    report = run_autofill_eval(settings, components.knowledge, text_letters=0, scanned_letters=3)["scanned"]
    low = {name: share for name, share in report["per_field"].items() if share < 0.90}
    assert not low, report["per_layout"]
