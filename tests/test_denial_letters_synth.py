"""Synthetic payer denial letters (eval.synth.letters): valid PDFs of 1-3 pages whose
gold fields are printed as given, scans without a text layer, the same bytes for the same seed,
and wording that varies from seed to seed.

Assertion messages name layouts and seeds only, never letter text.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from eval.synth.compose import page_text
from eval.synth.letters import LAYOUTS, LetterFields, build_pages, make_letter
from eval.synth.scan import ocr_safe
from eval.synth.voice import fmt_date

SEEDS = range(6)  # rendered to PDF
MANY = range(40)  # laid out only (no PDF), for properties over many seeds
CPT_RE = re.compile(r"^(\d{5}|[A-Z]\d{4})$")
CODE_RE = re.compile(r"^((CO|PR|OA|PI)-\d{1,3}|[A-Z]{2,4}\d{2})$")
RARC_RE = re.compile(r"^(M|N|MA)\d{1,3}$")
MBI_RE = re.compile(
    r"^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d"
    r"[AC-HJKMNP-RT-Y]{2}\d{2}$"
)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pdf_pages(data: bytes) -> list[str]:
    return [_flat(p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages]


def _laid_out(layout: str, seed: int) -> tuple[str, LetterFields, int]:
    pages, gold = build_pages(layout, seed)
    return " ".join(page_text(p) for p in pages), gold, len(pages)


@pytest.fixture(scope="module")
def letters() -> dict:
    return {(layout, seed): make_letter(layout, seed) for layout in LAYOUTS for seed in SEEDS}


@pytest.fixture(scope="module")
def many() -> dict:
    return {(layout, seed): _laid_out(layout, seed) for layout in LAYOUTS for seed in MANY}


def test_the_required_layouts_exist():
    assert {"medicare_mac", "commercial_eob", "cms_idn"} <= set(LAYOUTS)
    with pytest.raises(ValueError):
        make_letter("no_such_layout", 1)


def test_text_letters_are_pdfs_that_print_their_gold(letters):
    for (layout, seed), (data, gold) in letters.items():
        where = f"{layout} seed {seed}"
        assert data.startswith(b"%PDF"), where
        pages = _pdf_pages(data)
        assert 1 <= len(pages) <= 3, where
        assert all(pages), f"{where}: a page without a text layer"
        text = " ".join(pages)
        for value in (gold.claim_number, gold.patient_id, gold.payer, *gold.billed_cpt, *gold.rarcs):
            assert value in text, f"{where}: a gold value is not in the text layer"
        first, last = gold.patient_name.split(" ", 1)
        assert first.lower() in text.lower() and last.lower() in text.lower(), where
        if gold.amount_denied is not None:
            assert any(f.format(gold.amount_denied) in text for f in ("{:,.2f}", "{:.2f}")), where
        if gold.denial_code:
            group, _, reason = gold.denial_code.partition("-")
            pattern = rf"\b{group}\W?{reason}\b" if reason else rf"\b{group}\b"
            assert re.search(pattern, text), f"{where}: the denial code is not printed"


def test_gold_fields_are_consistent(many):
    for (layout, seed), (text, gold, n_pages) in many.items():
        where = f"{layout} seed {seed}"
        assert 1 <= n_pages <= 3, where
        assert isinstance(gold.date_of_service, dt.date) and isinstance(gold.denial_date, dt.date)
        assert gold.date_of_service <= gold.denial_date, where
        assert (gold.denial_date - gold.date_of_service).days < 550, where
        assert gold.billed_cpt and all(CPT_RE.match(c) for c in gold.billed_cpt), where
        assert len(set(gold.billed_cpt)) == len(gold.billed_cpt), where
        assert re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+", gold.patient_name), where
        assert gold.claim_number and gold.patient_id and gold.payer, where
        assert all(RARC_RE.match(r) for r in gold.rarcs), where
        if gold.denial_code == "":
            assert layout == "cms_idn", f"{where}: only the IDN may print no code"
        else:
            assert CODE_RE.match(gold.denial_code), where
        if gold.amount_denied is None:
            assert layout == "cms_idn", f"{where}: only the IDN may print no amount"
        else:
            assert gold.amount_denied > 0, where
        if layout == "medicare_mac":
            assert MBI_RE.match(gold.patient_id.replace("-", "")), where
            assert re.fullmatch(r"\d{13}", gold.claim_number), where
        dates = {fmt_date(gold.denial_date, k) for k in ("mdy", "long", "iso", "dmy", "abbr")}
        assert any(d in text for d in dates), f"{where}: the letter date is not printed"


def test_layouts_mix_codes_pages_and_paid_lines(many):
    for layout in LAYOUTS:
        rows = [many[(layout, s)] for s in MANY]
        assert len({g.denial_code for _, g, _ in rows}) >= 4, layout
        if layout != "cms_idn":  # a claim with lines paid and lines denied: gold lists the denied
            others = [
                t for t, g, _ in rows if set(re.findall(r"\b(?:99\d{3}|36415|93000|G2211)\b", t)) - set(g.billed_cpt)
            ]
            assert len(others) >= 5, layout
    assert any(n > 1 for _, _, n in many.values()) and any(n == 1 for _, _, n in many.values())
    assert any(g.denial_code == "" for (lay, _), (_, g, _) in many.items() if lay == "cms_idn")
    assert any(g.denial_code.startswith("CCM") for _, g, _ in many.values())
    assert any(len(g.billed_cpt) > 1 for _, g, _ in many.values())
    assert any("-" in g.patient_id for (lay, _), (_, g, _) in many.items() if lay == "medicare_mac")


def test_wording_varies_from_seed_to_seed(many):
    for layout in LAYOUTS:
        rows = [many[(layout, s)] for s in range(16)]
        before_claim = {t[max(0, t.index(g.claim_number) - 24) : t.index(g.claim_number)] for t, g, _ in rows}
        assert len(before_claim) >= 4, f"{layout}: the claim number's label never varies"
        kinds = {
            k for t, g, _ in rows for k in ("mdy", "long", "iso", "dmy", "abbr") if fmt_date(g.denial_date, k) in t
        }
        assert len(kinds) >= 3, f"{layout}: the letter date is always written one way"
        forms = set()
        for t, g, _ in rows:
            first, last = g.patient_name.split()
            forms.add(
                "upper"
                if f"{last.upper()}, {first.upper()}" in t or f"{first.upper()} " in t and last.upper() in t
                else "mixed"
            )
        if layout != "cms_idn":
            assert len(forms) == 2, f"{layout}: the patient's name is always printed one way"


def test_scanned_letters_have_no_text_layer_and_ocr_safe_ids():
    for layout in LAYOUTS:
        data, gold = make_letter(layout, 2, scanned=True)
        reader = PdfReader(io.BytesIO(data))
        assert 1 <= len(reader.pages) <= 3, layout
        for page in reader.pages:
            assert not (page.extract_text() or "").strip(), f"{layout}: a scanned page has text"
            assert page["/Resources"]["/XObject"], f"{layout}: a scanned page has no image"
        assert ocr_safe(gold.claim_number) and ocr_safe(gold.patient_id), layout
        text_twin = make_letter(layout, 2)[1]
        assert (gold.payer, gold.patient_name) == (text_twin.payer, text_twin.patient_name), layout


def test_same_seed_same_bytes_other_seed_other_letter(letters):
    for layout in LAYOUTS:
        again = make_letter(layout, 4)
        assert again[0] == letters[(layout, 4)][0], layout
        assert again[1] == letters[(layout, 4)][1], layout
        assert letters[(layout, 4)][0] != letters[(layout, 5)][0], layout
    assert make_letter("cms_idn", 7, scanned=True)[0] == make_letter("cms_idn", 7, scanned=True)[0]
