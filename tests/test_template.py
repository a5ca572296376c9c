import re
from datetime import date

from service.config import Settings
from service.drafting.deadline import appeal_deadline, payer_type
from service.drafting.template import draft_letter
from service.knowledge import load_knowledge
from service.models import CaseFields, Evidence

KB = load_knowledge(Settings().code_dirs)


def case(**overrides) -> CaseFields:
    fields = dict(
        claim_number="CLM-77",
        patient_name="Maria L. Gonzalez",
        patient_id="1EG4-TE5-MK72",
        date_of_service="2026-03-31",
        payer="Medicare Part B",
        denial_code="CCM39",
        provider_name="Dr. Anita Patel",
        practice_name="Northside Family Medicine",
        denial_date="2026-04-10",
        billed_cpt="99490, 99439",
    )
    fields.update(overrides)
    return CaseFields(**fields)


def evidence(req: str, text: str, page: int, document="rec.pdf", ocr=False) -> Evidence:
    return Evidence(
        requirement=req, document=document, page=page, start=0, end=len(text), text=text, score=0.8, ocr=ocr
    )


ITEMS = [
    evidence("consent", "Verbal consent obtained;\ncost sharing explained.", 1),
    evidence("interactive_time", "RN call with patient, 22 minutes.", 2),
    evidence("engagement_measures", "PAM score 62.", 4, document="b.pdf", ocr=True),
]


def test_letter_holds_every_claim_field_and_cites_each_specific():
    entry = KB.get("CCM39")
    letter = draft_letter(case(), entry, ITEMS, [entry.evidence[2]], date(2026, 4, 20))
    text = letter.text
    for value in (
        "CLM-77",
        "Maria L. Gonzalez",
        "1EG4-TE5-MK72",
        "2026-03-31",
        "Medicare Part B",
        "CCM39",
        entry.title,
        "Dr. Anita Patel",
        "Northside Family Medicine",
        "99490, 99439",
        "April 20, 2026",
    ):
        assert value in text
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == 3 and all(re.search(r"\[\d+\]$", b) for b in bullets)
    assert bullets[0].startswith("- Interactive communication time:")  # knowledge-file order
    markers = re.findall(r"\[(\d+)\]", text.split("Sources")[0])
    assert sorted(set(markers)) == ["1", "2", "3"]
    assert [c.marker for c in letter.citations] == ["[1]", "[2]", "[3]"]
    assert letter.citations[2].quote == "Verbal consent obtained;\ncost sharing explained."
    sources = text.split("Sources", 1)[1]
    assert '[2] b.pdf, page 4 (scanned page, text read by OCR): "PAM score 62."' in sources
    assert "Medical record rec.pdf, pages 1, 2." in text and "Medical record b.pdf, page 4." in text


def test_missing_requirement_is_warned_not_claimed():
    entry = KB.get("CCM39")
    goals = entry.evidence[2]
    letter = draft_letter(case(), entry, ITEMS, [goals], date(2026, 4, 20))
    assert any("patient_goals" in w for w in letter.warnings)
    assert f"{goals.label}:" not in letter.text


def test_same_input_same_letter():
    entry = KB.get("CCM39")
    one = draft_letter(case(), entry, ITEMS, [], date(2026, 4, 20))
    two = draft_letter(case(), entry, list(reversed(ITEMS)), [], date(2026, 4, 20))
    assert one.text == two.text


def test_no_evidence_still_gives_a_usable_letter():
    entry = KB.get("CCM20")
    letter = draft_letter(
        case(practice_name=None, provider_name=None), entry, [], list(entry.evidence), date(2026, 4, 20)
    )
    assert "Claim number: CLM-77" in letter.text and "Sources" not in letter.text
    assert len(letter.warnings) == len(entry.evidence) + 1  # every requirement, plus the letterhead


def test_deadlines():
    assert payer_type(case()) == "medicare"
    assert appeal_deadline(case()) == date(2026, 8, 13)  # 5 days presumed receipt + 120
    assert appeal_deadline(case(payer="Aetna PPO")) == date(2026, 10, 7)
    assert appeal_deadline(case(payer="Humana Medicare Advantage")) == date(2026, 6, 14)  # 65 days since 2025
    assert appeal_deadline(case(payer="State Medicaid Program")) is None  # state rules, none verified
    assert appeal_deadline(case(denial_date=None)) is None


def test_a_letter_from_a_remittance_contests_only_the_adjustment_it_argues():
    from service.drafting.template import adjustments_paragraph
    from service.models import Adjustment

    adjustments = [
        Adjustment(group="CO", carc="97", amount=64.21, rarcs=["M15"], cpt="99490"),
        Adjustment(group="PR", carc="2", amount=12.5, cpt="99214"),
        Adjustment(group="OA", carc="23", amount=5),
    ]
    entry = KB.get("CO-97")
    text = adjustments_paragraph(case(denial_code="CO-97", adjustments=adjustments), entry)
    assert text == (
        "This appeal concerns the CO-97 adjustment of $64.21 on 99490, remark M15. We do not contest the other "
        "adjustments on the remittance: PR-2 adjustment of $12.50 on 99214; OA-23 adjustment of $5.00 at claim level."
    )
    assert adjustments_paragraph(case(), KB.get("CCM20")) is None
    letter = draft_letter(
        case(denial_code="CO-97", adjustments=adjustments), entry, [], list(entry.evidence), date(2026, 4, 20)
    )
    assert text in letter.text
