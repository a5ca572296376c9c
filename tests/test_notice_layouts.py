"""The notice reader on letters written by hand for these tests, one kind of layout each, in
words neither the reader's vocabulary file nor the letter corpora use: a label with no colon, a
row of labels over a row of values, a remittance table of several claims, a narrative letter,
decoy numbers beside the real ones, a letterhead with a title and a legal suffix."""

from datetime import date

from service.models import Page
from service.remittance.notice import BAR, read_notice

CODES = {"N657", "M80"}


def read(text: str, *more: str):
    pages = [Page(document="letter.txt", number=n, text=t) for n, t in enumerate((text, *more), 1)]
    return read_notice(pages, set(), CODES).fields


GAP_LABELS = """\
TAMARACK VALLEY HEALTH COOPERATIVE, INC.          NOTICE OF NONPAYMENT
1 Spruce Plaza   Duluth MN 55802

Enrollee ID        ZQR5510293
DCN                81230044597
Enrollee           QUILL, BERNADETTE O
Date(s) of Service 06/02/2026 thru 06/09/2026
Check No.          000912345

Svc   From         Code    Charged    Allowed   Adj
1     06/02/2026   99454   $61.00     $0.00     CO-96 N657

Tamarack Valley Health Cooperative cannot pay for this supply. Call us with questions.
"""


def test_labels_without_colons_and_a_date_range():
    got = read(GAP_LABELS)
    assert got["patient_id"].value == "ZQR5510293" and got["claim_number"].value == "81230044597"
    assert got["patient_name"].value == "Bernadette Quill" and not got["claim_number"].review
    assert got["date_of_service"].value == date(2026, 6, 2)
    assert (
        got["billed_cpt"].value == ["99454"]
        and got["denial_code"].value == "CO-96"
        and got["amount_denied"].value == 61.0
    )
    assert got["payer"].value == "TAMARACK VALLEY HEALTH COOPERATIVE" and not got["payer"].review
    assert "000912345" not in {str(f.value) for f in got.values()}


BOXES = """\
Larchmont Mutual Benefit Society
Adverse decision on a claim

Enrollee Name               Enrollee ID            TCN
MORALES-PIKE, ANNETTE       WXK 4410 9927          77100234561

Account Number              Date of Birth          Date of Service
AC-449120                   02/14/1961             05/19/2026

Line  Code    Charged     Allowed   Reason
1     97110   $140.00     $0.00     CO-204

Larchmont Mutual Benefit Society does not cover this therapy under the enrollee's plan.
"""


def test_a_row_of_labels_over_a_row_of_values():
    got = read(BOXES)
    assert got["patient_name"].value == "Annette Morales-Pike" and got["patient_id"].value == "WXK 4410 9927"
    assert got["claim_number"].value == "77100234561" and got["date_of_service"].value == date(2026, 5, 19)
    assert got["denial_code"].value == "CO-204" and got["amount_denied"].value == 140.0
    assert "AC-449120" not in {str(f.value) for f in got.values()}


SEVERAL_CLAIMS = """\
GREYSTONE STATE MEDICAL AID                                     PAYMENT REGISTER
Register date: 2026-07-08

TCN             Recipient              Recipient No.   Svc From     Proc    Billed    Allowed   Status
55120034001     ASHBY, CORMAC          88120045        2026-06-01   99213    95.00     61.10    Paid
55120034019     VENTRESS, ODALYS       88129931        2026-06-03   99215   210.00      0.00    Rejected
55120034022     PELLOW, IMOGEN         88130077        2026-06-03   99212    70.00     44.00    Paid
"""


def test_several_claims_the_denied_one_is_taken():
    got = read(SEVERAL_CLAIMS)
    assert got["claim_number"].value == "55120034019" and got["patient_name"].value == "Odalys Ventress"
    assert got["patient_id"].value == "88129931" and got["date_of_service"].value == date(2026, 6, 3)
    assert got["billed_cpt"].value == ["99215"] and got["amount_denied"].value == 210.0
    assert not got["claim_number"].review
    assert "3 claims" in got["claim_number"].note and "the one it denies" in got["claim_number"].note


def test_several_claims_none_said_denied_is_marked_for_review():
    unclear = SEVERAL_CLAIMS.replace("Rejected", "Paid    ").replace("  0.00 ", "180.00 ")
    got = read(unclear)
    for name in ("claim_number", "patient_name", "patient_id"):
        assert name not in got or got[name].review, name
    assert "claim_number" not in got or "check which one" in got["claim_number"].note


NARRATIVE = """\
Osprey Bay Health Plan
44 Harbor Row, Mystic CT 06355

11 June 2026

Dear colleague,
This letter concerns claim XK20260611009 for care provided on May 28, 2026 to your
patient, Bernadette Quill, our enrollee. We cannot pay the USD 310.00 you billed for it.
Please send the missing operative report with any appeal. Osprey Bay Health Plan
"""


def test_fields_given_only_in_sentences():
    got = read(NARRATIVE)
    assert got["claim_number"].value == "XK20260611009" and got["date_of_service"].value == date(2026, 5, 28)
    assert got["patient_name"].value == "Bernadette Quill" and got["amount_denied"].value == 310.0
    assert got["denial_date"].value == date(2026, 6, 11) and got["payer"].value == "Osprey Bay Health Plan"
    assert got["amount_denied"].review


DECOYS = """\
Brightwater Assurance Group
Our ref: BW-2026-55871             Your ref: ACCT 7789012
Patient Account Number: 7789012
Patient Control No.: PCN-881207
Admission date: 03/30/2026
Authorization number: PA-7712009
Date of Birth: 04/05/1950
Policy number: PLQ-220-418-77
Patient: Ignatius Fairweather
Claim reference number: 2026-BWA-000731
Date of service: 04/07/2026
"""


def test_decoy_numbers_are_never_taken():
    got = read(DECOYS)
    assert got["claim_number"].value == "2026-BWA-000731" and got["patient_id"].value == "PLQ-220-418-77"
    assert got["date_of_service"].value == date(2026, 4, 7)
    values = {str(f.value) for f in got.values()}
    assert not values & {"BW-2026-55871", "7789012", "PA-7712009", "1950-04-05", "PCN-881207", "2026-03-30"}
    assert "denial_date" not in got  # no letter date: not one made of an ID's digits or a birth date


def test_confidence_is_kept_below_the_bar_for_guesses():
    got = read("Quarry Hill Health\nWe could not pay $42.50 for this visit.\n")
    assert got["amount_denied"].value == 42.5 and got["amount_denied"].confidence < BAR and got["amount_denied"].review
    assert "claim_number" not in got and "patient_id" not in got


HOUSEHOLD = """\
Wrenfield Health Trust                                   Statement of claim
Statement date: 09/30/2026

INSURED
Name            Horace P. Lindqvist
Insured ID      WHT55019930

DEPENDENT
Name Relationship   Ottilie Lindqvist   Daughter
Claim       WH99017730

Svc date     Code    Charge    Paid    Adj
09/02/2026   92507   $130.00   $0.00   OA-109

Wrenfield Health Trust will not pay this claim: another plan must be billed.
"""


def test_the_patient_box_not_the_insured_box():
    got = read(HOUSEHOLD)
    assert got["patient_name"].value == "Ottilie Lindqvist" and got["claim_number"].value == "WH99017730"
    assert got["patient_id"].value == "WHT55019930" and got["denial_code"].value == "OA-109"


def test_payer_is_the_organisation_not_its_tagline_or_program():
    tagline = "Caring for the valley since 1931\nFoxglove Regional Health Plan\nNotice\nFoxglove Regional Health Plan reviewed your claim.\n"
    assert read(tagline)["payer"].value == "Foxglove Regional Health Plan"
    program = "Medicaid\nHeronwood Community Care\nHeronwood Community Care has denied the service below.\nMedicaid ID: 55120044\n"
    assert read(program)["payer"].value == "Heronwood Community Care"
    kept = "Saltmarsh Senior Advantage (HMO-SNP)     CLAIM NOTICE\nSaltmarsh Senior Advantage (HMO-SNP) members may call us.\n"
    assert read(kept)["payer"].value == "Saltmarsh Senior Advantage (HMO-SNP)"
    faxed = "10/01/2026 09:12 FROM KESTREL CARE 5555550100 P.1/1\nKestrel Care Alliance, LLC\nKestrel Care Alliance has denied this claim.\n"
    assert read(faxed)["payer"].value == "Kestrel Care Alliance"


def test_a_reason_given_only_as_a_carc_number_is_marked_for_review():
    got = read(
        "Hollybrook Casualty\nThe visit was denied as not related to the accepted injury (CARC 219).\nAn earlier line was reduced to the fee schedule (CARC 45).\n"
    )
    assert got["denial_code"].value == "219" and got["denial_code"].review


def test_money_and_dates_in_other_forms():
    got = read(
        "Pebblecreek Health\nDate: 11 June 2026\nDate of service: Jun 2, 2026\nAmount not covered: USD 1,045.10\n"
    )
    assert got["denial_date"].value == date(2026, 6, 11) and got["date_of_service"].value == date(2026, 6, 2)
    assert got["amount_denied"].value == 1045.10 and not got["amount_denied"].review


def scanned(text: str):
    return read_notice([Page(document="letter.pdf", number=1, text=text, ocr=True)], set(), CODES).fields


def test_a_scan_with_misspelt_labels():
    got = scanned(
        "Thistledown Health\nC1aim Numbcr: 4471902288\nMembcr 1D: TDH77015532\nPatient: Quentin R. Abernathy\n"
    )
    assert got["claim_number"].value == "4471902288" and got["patient_id"].value == "TDH77015532"
    assert got["patient_name"].value == "Quentin Abernathy"


def test_a_scan_of_a_printout_with_closed_up_columns():
    got = scanned(
        "RIVERMOOR MEDICARE SERVICES\n"
        "NAME FOXWORTH, IDA M MID 4TR8WQ1KD66 ACNT ZX-5512 ICN 7726110045512 ASG Y\n"
        "1457700012 0905 090526 11 1 99214 150.00 0.00 0.00 0.00 CO-50 150.00 0.00\n"
    )
    assert got["claim_number"].value == "7726110045512" and got["patient_id"].value == "4TR8WQ1KD66"
    assert got["patient_name"].value == "Ida Foxworth" and got["date_of_service"].value == date(2026, 9, 5)


def test_a_scanned_table_of_claims_takes_the_denied_row_for_review():
    got = scanned(
        "GREYSTONE STATE MEDICAL AID\n"
        "TCN Recipient Recipient No. Svc From Proc Billed Allowed Status\n"
        "55120034001 ASHBY, CORMAC 88120045 2026-06-01 99213 95.00 61.10 Paid\n"
        "55120034019 VENTRESS, ODALYS 88129931 2026-06-03 99215 210.00 0.00 Rejected\n"
    )
    assert got["claim_number"].value == "55120034019" and got["patient_name"].value == "Odalys Ventress"
    assert got["claim_number"].review and got["patient_id"].value == "88129931"


def test_a_scan_that_may_have_misread_an_identifier_is_marked():
    got = scanned("Thistledown Health\nClaim Number: TDO4471902288\n")
    assert got["claim_number"].value == "TDO4471902288" and got["claim_number"].review
    split = scanned("Thistledown Health\nWe looked again at claim 447190 2288 for the visit.\n")
    assert split["claim_number"].value == "4471902288" and split["claim_number"].review


def test_a_medicare_number_without_a_medicare_numbers_shape_is_marked():
    got = read("Rivermoor Medicare Services\nMedicare Number: 4TR8WQ1KD66\n")
    assert got["patient_id"].value == "4TR8WQ1KD66" and not got["patient_id"].review
    slipped = read("Rivermoor Medicare Services\nMedicare Number: 4TRR8WQ1KD66\n")
    assert slipped["patient_id"].review
    split = read("Thistledown Health\nClaim Number: TD4471 902288\n")
    assert split["claim_number"].value == "TD4471902288" and split["claim_number"].review


def test_a_copay_line_is_not_the_denial():
    got = scanned(
        "Thistledown Health\n"
        "03/02/2026 99213 1 140.00 96.10 0.00 20.00 76.10 CO3\n"
        "03/02/2026 99458 1 44.00 0.00 0.00 0.00 0.00 TH81\n"
        "TH81 The second block of monitoring time is not covered by the plan (CO-50)\n"
    )
    assert (
        got["billed_cpt"].value == ["99458"]
        and got["amount_denied"].value == 44.0
        and got["denial_code"].value == "CO-50"
    )


def test_a_letterhead_name_broken_over_two_lines_is_joined():
    got = scanned(
        "Quillfeather Mutual\nof Easthaven Page 1 of 2\nWrite to Quillfeather Mutual of Easthaven, PO Box 1.\n"
    )
    assert got["payer"].value == "Quillfeather Mutual of Easthaven" and not got["payer"].review


def test_the_payer_line_ends_before_a_label_and_a_running_title_does_not_confirm_it():
    got = scanned(
        "LINDENHALL ASSURANCE SOCIETY Our reference: LAS-0091\nDear Sir or Madam,\nLindenhall Assurance Society has declined the claim.\n"
    )
    assert got["payer"].value == "LINDENHALL ASSURANCE SOCIETY" and not got["payer"].review
    portal = read("Claim Detail | Sandpiper Portal Hub\nSandpiper Portal Hub\nClaim 5520019934 denied.\n")
    assert portal["payer"].review
    printed = read(
        "7/2/26, 9:05 AM Claim Detail | Sandpiper Portal Hub\nSandpiper Portal Hub\nClaim 5520019934 denied.\n"
    )
    assert printed["payer"].value == "Sandpiper Portal Hub" and printed["payer"].review


def test_a_label_with_its_acronym_in_brackets():
    got = read(
        "Rivermoor Medicare Services\nDocument Control Number (DCN): 4410093387120\nBeneficiary Identifier (MBI): 4TR8-WQ1-KD66\n"
    )
    assert got["claim_number"].value == "4410093387120" and got["patient_id"].value == "4TR8-WQ1-KD66"
    assert not got["claim_number"].review and not got["patient_id"].review


def test_a_name_said_once_in_a_sentence_is_only_a_guess():
    once = read("Osprey Bay Health Plan\nPlease ask our member Services Desk about claim XK20260611009.\n")
    assert "patient_name" not in once or once["patient_name"].review
    twice = read(NARRATIVE.replace("Dear colleague,", "Re: Bernadette Quill, enrollee\nDear colleague,"))
    assert twice["patient_name"].value == "Bernadette Quill" and not twice["patient_name"].review


def test_a_running_header_or_a_heading_does_not_confirm_a_payer():
    first = "Medicare Part D\nMarshgate Claims Bureau\nMedicare Part D Payment Decision\nWe could not pay claim 8812004471.\n"
    second = "Medicare Part D\nMarshgate Claims Bureau\nPlease write to Marshgate Claims Bureau, PO Box 9.\n"
    got = read(first, second)
    assert got["payer"].value == "Marshgate Claims Bureau" and not got["payer"].review


def test_a_table_header_wrapped_over_two_lines():
    got = read(
        "Ashgrove Health\n"
        "Patient Account      Member ID          Member              Claim ID\n"
        "Number\n"
        "ZX-4410              AGH5512207-01      TREMAINE, OSWIN     AG77120045\n"
    )
    assert got["claim_number"].value == "AG77120045" and got["patient_id"].value == "AGH5512207-01"
    assert got["patient_name"].value == "Oswin Tremaine"


def test_a_scanned_id_whose_s_was_read_as_a_dollar_sign():
    got = scanned("Thistledown Health\nClaim Number: $T44719022\nMember ID: $TH5512207\n")
    assert got["claim_number"].value == "ST44719022" and got["claim_number"].review
    assert got["patient_id"].value == "STH5512207" and got["patient_id"].review


def test_a_one_word_label_names_a_claim_number_only_when_the_number_fills_its_cell():
    """'Claim' with no colon, then a number that runs on into words, is a sentence about another
    claim; the labelled number below is the letter's."""
    got = read(
        "Harrowgate Benefit Trust\nClaim   K55012345 was settled in full last month\nReference Number: K55098765\n"
    )
    assert got["claim_number"].value == "K55098765"
    alone = read("Harrowgate Benefit Trust\nClaim   K55012345\n")
    assert alone["claim_number"].value == "K55012345"
