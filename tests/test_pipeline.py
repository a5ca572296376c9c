"""End to end on generated charts, along the CLI's path through the service layer: real PDFs,
real OCR, real Chroma, real embeddings."""

import re
from pathlib import Path

import pytest

from eval.synth.charts import make_case
from service.casework.local import LOCAL_TENANT, draft_files
from service.casework.state import open_workspace
from service.models import CaseFields, Page

pytestmark = pytest.mark.integration


@pytest.fixture
def ws(settings, components):
    return open_workspace(settings, components)


def draft_appeal(case, records, ws):
    return draft_files(ws, case, records).result


def stored_pages(ws, case_id: str) -> dict[str, list[Page]]:
    """File name -> the pages the product read for the case and kept with it (`<doc>.pages.sealed`,
    what the API shows and the quotes were taken from): each page is read (and OCR'd) once."""
    files = ws.files(LOCAL_TENANT, case_id)
    documents = [files.pages(path.name.removesuffix(".pages.sealed")) for path in files.folder.glob("*.pages.sealed")]
    return {document.name: document.pages for document in documents}


def run(ws, code, seed, **options):
    synth = make_case(code, seed, **options)
    drafted = draft_files(ws, CaseFields.model_validate(synth.case), synth.documents)
    pages = stored_pages(ws, drafted.case_id)
    assert set(pages) == {name for name, _ in synth.documents}
    return synth, drafted.result, pages


def flat(text: str) -> str:
    return " ".join(text.split())


def check_letter(synth, result, pages):
    """Each check is reduced to a boolean first, so a failure never prints record text."""
    gold, letter = synth.gold, result.letter
    for field in ("claim_number", "patient_name", "patient_id", "date_of_service", "payer", "denial_code"):
        present = str(synth.case[field]) in letter
        assert present, f"claim field {field} missing from the letter"
    for citation in result.citations:
        verbatim = citation.quote in pages[citation.document][citation.page - 1].text
        assert verbatim, f"quote {citation.marker} is not verbatim on its page"
        resolves = citation.marker in letter.split("Sources")[0]
        assert resolves, f"marker {citation.marker} is not in the letter body"
    cited = {(c.document, c.page) for c in result.citations}
    excluded = {(e["document"], e["page"]) for e in gold["excluded_pages"]}
    assert not cited & excluded, "an excluded page was cited"
    reported = {(e.document, e.page) for e in result.excluded_pages} >= excluded
    assert reported, "an excluded page is not reported"
    leaked = sum(phrase.lower() in letter.lower() for phrase in gold["forbidden"])
    assert leaked == 0, f"{leaked} forbidden phrase(s) reached the letter"
    facts = [f for f in gold["key_facts"] if re.search(f["pattern"], flat(letter), re.IGNORECASE)]
    evidence_pages = {tuple(p) for p in gold["evidence_pages"]}
    return len(facts) / len(gold["key_facts"]), len(evidence_pages & cited) / len(evidence_pages)


@pytest.mark.parametrize("code", ["CCM02", "CCM06", "CCM20", "CCM31", "CCM39"])
def test_every_seed_code_gets_a_cited_letter(ws, code):
    synth, result, pages = run(ws, code, 1, scanned=1, misfiled=True, out_of_period=True, injection=True)
    fact_share, page_share = check_letter(synth, result, pages)
    assert result.method == "template" and result.citations
    assert fact_share >= 0.7 and page_share >= 0.75
    assert any(p.ocr for doc in pages.values() for p in doc), "the scanned page was not OCR'd"
    assert any("addressed to a reader or an AI" in w for w in result.warnings)
    assert {tuple(p) for p in synth.gold["instruction_pages"]} <= {(e.document, e.page) for e in result.excluded_pages}


SAMPLE = Path(__file__).resolve().parent.parent / "eval" / "sample"
DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
BORDER = re.compile(r"[|\[\]]|^[(\[|'‘’]|[)\]|'‘’]$")


def test_the_samples_scanned_table_is_read_and_quoted_row_by_row(ws):
    """Page 4 of the bundled sample is a scan of a ruled contact log: each row reads as one line
    of cells with no rule read as '|' or '(', and a quote of the page never runs two rows together."""
    case = CaseFields.model_validate_json((SAMPLE / "case.json").read_text())
    records = [("records.pdf", (SAMPLE / "records.pdf").read_bytes())]
    drafted = draft_files(ws, case, records)
    page = stored_pages(ws, drafted.case_id)["records.pdf"][3]
    rows = [line for line in page.text.splitlines() if DATE.search(line)]
    logged = [r for r in rows if DATE.match(r)]
    assert page.ocr and len(logged) == 5, "every contact is a line that opens with its date"
    assert all(len(DATE.findall(r)) == 1 and not BORDER.search(r) and "   " in r for r in logged)
    quotes = [c.quote for c in drafted.result.citations if (c.document, c.page) == ("records.pdf", 4)]
    assert quotes, "the contact log page is cited"
    for quote in quotes:
        assert len(DATE.findall(quote)) <= 1, "a quote ran two rows together"
        assert not BORDER.search(quote), "a quote carries a table rule read as a character"


def test_the_same_input_gives_the_same_letter_from_pages_read_once(ws):
    synth = make_case("CCM39", 3, scanned=1)
    case = CaseFields.model_validate(synth.case)
    first = draft_files(ws, case, synth.documents)
    reads = [p.stat().st_mtime_ns for p in ws.settings.files_dir.rglob("*.pages.sealed")]
    second = draft_files(ws, case, synth.documents)
    assert first.result == second.result and first.case_id == second.case_id and first.appeal_id != second.appeal_id
    assert reads and [p.stat().st_mtime_ns for p in ws.settings.files_dir.rglob("*.pages.sealed")] == reads


def test_a_missing_requirement_is_warned_and_not_claimed(ws):
    synth, result, pages = run(ws, "CCM39", 1, missing="patient_goals")
    check_letter(synth, result, pages)
    assert any("(patient_goals)" in w for w in result.warnings)
    assert "Patient self-management goals:" not in result.letter


def test_cases_do_not_see_each_others_records(ws):
    one = make_case("CCM20", 2)
    two = make_case("CCM39", 2)
    draft_appeal(CaseFields.model_validate(one.case), one.documents, ws)
    result = draft_appeal(CaseFields.model_validate(two.case), two.documents, ws)
    names = {name for name, _ in two.documents}
    assert {c.document for c in result.citations} <= names
    leaked = one.case["patient_name"] in result.letter
    assert not leaked, "another case's patient reached the letter"


def test_the_same_file_twice_is_read_once(ws):
    synth = make_case("CCM20", 4)
    name, data = synth.documents[0]
    result = draft_appeal(CaseFields.model_validate(synth.case), [(name, data), ("copy.pdf", data)], ws)
    assert any("copy.pdf is the same file as" in w for w in result.warnings)
    assert all(c.document != "copy.pdf" for c in result.citations)
