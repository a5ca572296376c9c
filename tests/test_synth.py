"""Tests for the synthetic record generator (eval.synth).

Assertion messages name codes, seeds, documents and pages only: never page text,
so a failure never prints (fictional) patient details.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from eval.synth import CODES, make_case
from eval.synth.sample import sample_case, write_sample

TRAPS = dict(misfiled=True, out_of_period=True, injection=True)
CASES = [
    (code, seed, opts)
    for code in CODES
    for seed, opts in [
        (1, {}),
        (2, dict(pages=14, scanned=1, split_evidence=True, two_column=True, **TRAPS)),
        (3, dict(pages=9, documents=2, tables=False, missing=True, scanned=0)),
    ]
]


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def built():
    out = {}
    for code, seed, opts in CASES:
        c = make_case(code, seed, **opts)
        readers = {name: PdfReader(io.BytesIO(data)) for name, data in c.documents}
        out[(code, seed)] = (c, readers)
    return out


def _page_text(readers, doc, page) -> str:
    return _norm(readers[doc].pages[page - 1].extract_text() or "")


def test_same_seed_same_bytes():
    for code in ("CCM20", "CCM39"):
        a = make_case(code, 11, pages=8, scanned=1, injection=True)
        b = make_case(code, 11, pages=8, scanned=1, injection=True)
        same_pdfs = a.documents == b.documents  # compared outside assert: no bytes in output
        same_gold = a.gold == b.gold and a.case == b.case
        assert same_pdfs, f"{code}: PDFs differ between runs"
        assert same_gold, f"{code}: gold or case differ between runs"
    differ = make_case("CCM06", 1).documents != make_case("CCM06", 2).documents
    assert differ, "different seeds gave identical PDFs"


def test_case_fields(built):
    for (code, seed), (c, _) in built.items():
        case = c.case
        assert case["denial_code"] == code
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", case["date_of_service"])
        for key in (
            "claim_number",
            "patient_name",
            "patient_id",
            "payer",
            "provider_name",
            "practice_name",
            "denial_date",
            "billed_cpt",
        ):
            assert case[key], f"{code}/{seed}: empty {key}"
        json.dumps(c.gold)  # gold must be plain JSON


def test_gold_pages_exist(built):
    for (code, seed), (c, readers) in built.items():
        g = c.gold
        refs = [(k["document"], k["page"]) for k in g["key_facts"]]
        refs += [tuple(p) for p in g["evidence_pages"] + g["instruction_pages"] + g["scanned_pages"]]
        refs += [(e["document"], e["page"]) for e in g["excluded_pages"]]
        for doc, page in refs:
            ok = doc in readers and 1 <= page <= len(readers[doc].pages)
            assert ok, f"{code}/{seed}: gold points at missing {doc} p{page}"
        assert {e["reason"] for e in g["excluded_pages"]} <= {"names another patient", "outside billing period"}


def test_page_budget_respected():
    for code in CODES:
        c = make_case(code, 5, pages=23, documents=3)
        total = sum(len(PdfReader(io.BytesIO(b)).pages) for _, b in c.documents)
        assert total == 23 and len(c.documents) == 3, f"{code}: wrong page or document count"


def test_text_facts_extract_from_gold_page(built):
    for (code, seed), (c, readers) in built.items():
        scanned = {tuple(p) for p in c.gold["scanned_pages"]}
        for k in c.gold["key_facts"]:
            if (k["document"], k["page"]) in scanned:
                continue
            found = re.search(k["pattern"], _page_text(readers, k["document"], k["page"]), re.I)
            assert found is not None, (
                f"{code}/{seed}: {k['requirement']} fact not extracted from {k['document']} p{k['page']}"
            )


def test_scanned_pages_have_no_text_layer(built):
    n = 0
    for (code, seed), (c, readers) in built.items():
        for doc, page in c.gold["scanned_pages"]:
            n += 1
            empty = _page_text(readers, doc, page) == ""
            assert empty, f"{code}/{seed}: scanned {doc} p{page} has a text layer"
    assert n > 0


def test_traps_and_forbidden(built):
    for code in CODES:
        c, readers = built[(code, 2)]
        g = c.gold
        assert len(g["excluded_pages"]) == 2 and len(g["instruction_pages"]) == 1
        bad = {(e["document"], e["page"]) for e in g["excluded_pages"]}
        bad |= {tuple(p) for p in g["instruction_pages"]}
        legit = " ".join(
            _page_text(readers, d, i + 1).lower()
            for d, r in readers.items()
            for i in range(len(r.pages))
            if (d, i + 1) not in bad
        )
        hits = [f for f in g["forbidden"] if _norm(f).lower() in legit]
        assert not hits, f"{code}: {len(hits)} forbidden strings on legitimate pages"
        name = c.case["patient_name"].lower()
        misfiled = [(e["document"], e["page"]) for e in g["excluded_pages"] if e["reason"] == "names another patient"]
        for doc, page in misfiled:
            text = _page_text(readers, doc, page).lower()
            assert name not in text, f"{code}: misfiled page names the case patient"
            assert g["forbidden"][0].lower() in text, f"{code}: misfiled page lacks other patient"
        for doc, page in g["evidence_pages"]:
            if [doc, page] not in g["scanned_pages"]:
                text = _page_text(readers, doc, page).lower()
                assert name in text, f"{code}: evidence {doc} p{page} lacks the patient header"


def test_missing_requirement_has_no_facts(built):
    for code in CODES:
        c, _ = built[(code, 3)]
        missing = c.gold["missing_requirements"]
        assert len(missing) == 1, f"{code}: expected one missing requirement"
        reqs = {k["requirement"] for k in c.gold["key_facts"]}
        assert missing[0] not in reqs, f"{code}: missing requirement still has facts"
        assert len(reqs) >= 2


def test_split_fact_lands_on_continuation_page(built):
    for code in CODES:
        c, readers = built[(code, 2)]
        titles = {
            (d, i + 1): "(continued)" in _page_text(readers, d, i + 1)
            for d, r in readers.items()
            for i in range(len(r.pages))
        }
        cont = [p for p, is_cont in titles.items() if is_cont]
        assert len(cont) == 1, f"{code}: expected exactly one continuation page"
        on_cont = [k for k in c.gold["key_facts"] if (k["document"], k["page"]) == cont[0]]
        assert on_cont, f"{code}: no gold fact on the continuation page"


def test_bad_options_rejected():
    with pytest.raises(ValueError):
        make_case("CCM99", 1)
    with pytest.raises(ValueError):
        make_case("CCM06", 1, pages=81)
    with pytest.raises(ValueError):
        make_case("CCM06", 1, missing="not_a_requirement")
    with pytest.raises(TypeError):
        make_case("CCM06", 1, colour="blue")


def test_sample_is_stable(tmp_path):
    write_sample(tmp_path / "a")
    write_sample(tmp_path / "b")
    for name in ("case.json", "gold.json", "records.pdf"):
        same = (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
        assert same, f"sample {name} differs between runs"
    case = json.loads((tmp_path / "a" / "case.json").read_text())
    gold = json.loads((tmp_path / "a" / "gold.json").read_text())
    assert case["denial_code"] == "CCM39"
    assert len(PdfReader(str(tmp_path / "a" / "records.pdf")).pages) == 10
    reasons = sorted(e["reason"] for e in gold["excluded_pages"])
    assert reasons == ["names another patient", "outside billing period"]
    assert len(gold["scanned_pages"]) == 1 and len(gold["instruction_pages"]) == 1


@pytest.mark.integration
def test_ocr_reads_scanned_key_fact(tmp_path):
    if not shutil.which("tesseract"):
        pytest.skip("tesseract not installed")
    import pypdfium2 as pdfium

    c = sample_case()
    doc, page = c.gold["scanned_pages"][0]
    facts = [k for k in c.gold["key_facts"] if [k["document"], k["page"]] == [doc, page]]
    assert facts
    pdf = pdfium.PdfDocument(dict(c.documents)[doc])
    img = pdf[page - 1].render(scale=300 / 72).to_pil().convert("L")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    out = subprocess.run(["tesseract", "stdin", "stdout"], input=buf.getvalue(), capture_output=True, timeout=120)
    text = _norm(out.stdout.decode("utf-8", "replace"))
    for k in facts:
        found = re.search(k["pattern"], text, re.I) is not None
        assert found, f"OCR missed the {k['requirement']} fact on {doc} p{page}"
