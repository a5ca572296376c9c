"""Chart styles of the synthetic generator (ehr, fax, notes) and the options that go with them.

Assertion messages name codes, seeds, styles, documents and pages only, never page text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from eval.synth import CODES, STYLES, make_case
from eval.synth.injections import ADDRESSEES, POLITE
from eval.synth.voice import LEGENDS
from service.models import CaseFields

OLD_KEYS = [
    "key_facts",
    "evidence_pages",
    "excluded_pages",
    "forbidden",
    "missing_requirements",
    "instruction_pages",
    "instruction_asks",
    "scanned_pages",
]
NEW_KEYS = ["style", "legends", "counter_evidence", "relevant"]
# Hashes of the prose output (PDFs, case.json and the original gold keys) taken before styles
# existed: the prose style with no new options must stay byte-identical.
PROSE_BEFORE = [
    ("CCM02", 1, {}, "ddb88b1640ef9f80"),
    ("CCM20", 3, dict(pages=9, documents=2, tables=False, missing=True, scanned=0), "b32ea249c8cad9d1"),
    ("CCM31", 4, {}, "85d9870ddccbd8a5"),
    ("CCM39", 9, dict(scanned=0), "9ac9d12f747985c8"),
    ("CCM06", 10, dict(scanned=0, documents=2), "a31cc3a3c09e757f"),
]
ALL_NEW = dict(counter_evidence=True, standing_before=True, polite_injection=True)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _texts(c) -> dict:
    out = {}
    for name, data in c.documents:
        for i, page in enumerate(PdfReader(io.BytesIO(data)).pages, 1):
            out[(name, i)] = _flat(page.extract_text() or "")
    return out


def _spec(style: str, code: str) -> dict:
    if style == "fax":  # scanned pages cost rasterising: keep fax charts short
        return dict(pages=9, documents=1, misfiled=True, out_of_period=False, injection=True, legends=True, **ALL_NEW)
    return dict(
        pages=14,
        documents=2,
        scanned=0,
        misfiled=True,
        out_of_period=True,
        injection=True,
        same_name=style == "notes",
        legends=style == "ehr",
        **ALL_NEW,
    )


@pytest.fixture(scope="module")
def styled():
    out = {}
    for style in ("ehr", "fax", "notes"):
        for code in CODES:
            c = make_case(code, 21, style=style, **_spec(style, code))
            out[(style, code)] = (c, _texts(c))
    return out


def _hash(c) -> str:
    h = hashlib.sha256()
    for name, data in c.documents:
        h.update(name.encode())
        h.update(data)
    h.update(json.dumps(c.case, sort_keys=True).encode())
    h.update(json.dumps({k: c.gold[k] for k in OLD_KEYS}, sort_keys=True).encode())
    return h.hexdigest()[:16]


def test_prose_unchanged_byte_for_byte():
    assert STYLES == ("prose", "ehr", "fax", "notes")
    for code, seed, opts, before in PROSE_BEFORE:
        c = make_case(code, seed, **opts)
        assert _hash(c) == before, f"{code}/{seed}: prose output changed"
        assert c.gold["style"] == "prose" and c.gold["legends"] is False
        assert c.gold["counter_evidence"] == [] and c.gold["relevant"]


def test_bundled_sample_records_unchanged():
    from eval.synth.sample import sample_case

    c = sample_case()
    sample = Path(__file__).resolve().parent.parent / "eval" / "sample"
    same_pdf = c.documents[0][1] == (sample / "records.pdf").read_bytes()
    assert same_pdf, "sample records.pdf differs from eval/sample"
    assert c.case == json.loads((sample / "case.json").read_text())
    stored = json.loads((sample / "gold.json").read_text())
    assert {k: c.gold[k] for k in OLD_KEYS} == {k: stored[k] for k in OLD_KEYS}


def test_every_style_and_code_generates(styled):
    for (style, code), (c, texts) in styled.items():
        g = c.gold
        assert set(OLD_KEYS + NEW_KEYS) <= set(g), f"{style}/{code}: gold keys"
        assert g["style"] == style and isinstance(g["legends"], bool)
        json.dumps(g)
        CaseFields.model_validate(c.case)
        refs = [
            (k["document"], k["page"])
            for k in g["key_facts"] + g["counter_evidence"] + g["relevant"] + g["excluded_pages"]
        ]
        refs += [tuple(p) for p in g["evidence_pages"] + g["instruction_pages"] + g["scanned_pages"]]
        missing = [r for r in refs if r not in texts]
        assert not missing, f"{style}/{code}: gold points at missing pages"


def test_text_facts_counter_and_relevant_extract(styled):
    for (style, code), (c, texts) in styled.items():
        g = c.gold
        scanned = {tuple(p) for p in g["scanned_pages"]}
        for k in g["key_facts"]:
            where = (k["document"], k["page"])
            if where not in scanned:
                assert re.search(k["pattern"], texts[where], re.I), (
                    f"{style}/{code}: {k['requirement']} fact not extracted from {where}"
                )
        assert g["counter_evidence"], f"{style}/{code}: no counter-evidence planted"
        bad = {(e["document"], e["page"]) for e in g["excluded_pages"]}
        bad |= {tuple(p) for p in g["instruction_pages"]}
        for ce in g["counter_evidence"]:
            where = (ce["document"], ce["page"])
            assert where not in bad, f"{style}/{code}: counter-evidence on a trap page"
            if where not in scanned:
                assert re.search(ce["pattern"], texts[where]), f"{style}/{code}: counter not on {where}"
            assert not any(re.search(ce["pattern"], r["text"]) for r in g["relevant"])
        evidence = {tuple(p) for p in g["evidence_pages"]}
        relevant_pages = {(r["document"], r["page"]) for r in g["relevant"]}
        assert evidence <= relevant_pages, f"{style}/{code}: an evidence page has no relevant text"
        assert not relevant_pages & bad, f"{style}/{code}: relevant text on an excluded or instruction page"
        for r in g["relevant"]:
            where = (r["document"], r["page"])
            if where not in scanned:  # pypdf breaks table rows cell by cell: compare words
                assert _flat(r["text"]).split()[0] in texts[where], f"{style}/{code}: {where}"
            assert not any(leg[:40] in r["text"] for leg in LEGENDS)


def test_time_log_rows_also_serve_coordination(styled):
    c, _ = styled[("ehr", "CCM06")]
    rows = [r for r in c.gold["relevant"] if "Care coordination with" in r["text"]]
    by_text = {}
    for r in rows:
        by_text.setdefault(r["text"], set()).add(r["requirement"])
    assert by_text and all(v == {"time_log", "coordination_activities"} for v in by_text.values())


def test_fax_pages_are_mostly_scans_with_no_text(styled):
    for code in CODES:
        c, texts = styled[("fax", code)]
        g = c.gold
        scanned = {tuple(p) for p in g["scanned_pages"]}
        evidence = {tuple(p) for p in g["evidence_pages"]}
        assert len(evidence & scanned) * 2 > len(evidence), f"fax/{code}: evidence mostly text"
        for where in scanned:
            assert texts[where] == "", f"fax/{code}: scanned {where} has a text layer"
        for where, text in texts.items():
            if where not in scanned:
                assert re.search(r"(P\. \d+/\d+|p\.\d+|PAGE \d{3}/\d{3})", text), (
                    f"fax/{code}: no fax header on {where}"
                )


def test_ehr_banner_footer_and_legends(styled):
    for code in CODES:
        c, texts = styled[("ehr", code)]
        assert c.gold["legends"] is True
        for where, text in texts.items():
            if where in {tuple(p) for p in c.gold["scanned_pages"]}:
                continue
            assert re.search(r"[A-Z]+, [A-Z]+ [A-Z] +MRN: \d{8} +DOB: \d\d/\d\d/\d{4} +Sex: [FM] +Age: \d+", text), (
                f"ehr/{code}: no patient banner on {where}"
            )
            assert re.search(r"Printed( on:)? \d\d/\d\d/\d{4} \d\d:\d\d.*Page \d+ of \d+", text)
            assert any(_flat(leg) in text for leg in LEGENDS), f"ehr/{code}: no legend on {where}"


def test_notes_mix_date_formats_and_names(styled):
    kinds = {
        "mdy_s": r"\b\d{1,2}/\d{1,2}/\d\d\b",
        "iso": r"\b20\d\d-\d\d-\d\d\b",
        "long": r"\b[A-Z][a-z]+ \d{1,2}(st|nd|rd|th)?, 20\d\d\b",
        "dmy": r"\b\d{1,2}-[A-Z][a-z]{2}-20\d\d\b",
        "mdy": r"\b\d\d/\d\d/20\d\d\b",
    }
    for code in CODES:
        c, texts = styled[("notes", code)]
        chart = " ".join(texts.values())
        seen = [k for k, rx in kinds.items() if re.search(rx, chart)]
        assert len(seen) >= 3, f"notes/{code}: only {len(seen)} date formats"


def test_same_name_misfile(styled):
    for code in CODES:
        c, texts = styled[("notes", code)]
        g = c.gold
        mis = [(e["document"], e["page"]) for e in g["excluded_pages"] if e["reason"] == "names another patient"]
        assert len(mis) == 1
        last = c.case["patient_name"].split()[-1].lower()
        assert last in texts[mis[0]].lower(), f"notes/{code}: misfiled page lacks the shared name"
        assert c.case["patient_name"] not in g["forbidden"]
        assert g["forbidden"][0] in texts[mis[0]], f"notes/{code}: other MRN not on the page"


def _dates(pattern: str) -> list[dt.date]:
    out = []
    for m, d, y in re.findall(r"(\d{1,2})/(\d{1,2})/(\d{2,4})", pattern.replace("\\", "")):
        out.append(dt.date(int(y) + (2000 if len(y) == 2 else 0), int(m), int(d)))
    return out


def test_standing_documents_predate_the_month(styled):
    reqs = {"CCM06": "consent", "CCM39": "consent", "CCM20": "setup_education", "CCM02": "plan_shared_reviewed"}
    for code, req in reqs.items():
        c, _ = styled[("ehr", code)]
        month = dt.date.fromisoformat(c.case["date_of_service"]).replace(day=1)
        dates = [d for k in c.gold["key_facts"] if k["requirement"] == req for d in _dates(k["pattern"])]
        assert dates and min(dates) < month, f"ehr/{code}: {req} not dated before the month"
        assert not any(
            e
            for e in c.gold["excluded_pages"]
            if e["reason"] == "outside billing period" and [e["document"], e["page"]] in c.gold["evidence_pages"]
        )


def test_polite_injection(styled):
    for (style, code), (c, texts) in styled.items():
        g = c.gold
        assert len(g["instruction_pages"]) == 1 and g["instruction_asks"], f"{style}/{code}"
        where = tuple(g["instruction_pages"][0])
        if where in {tuple(p) for p in g["scanned_pages"]}:
            continue
        text = texts[where]
        assert any(a in text for a in ADDRESSEES) and any(p in text for p in POLITE)
        assert "ignore" not in text.lower(), f"{style}/{code}: injection is not polite"
        assert any(_flat(a).lower() in text.lower() for a in g["instruction_asks"])


def test_fax_text_pages_fit_in_helvetica_too(monkeypatch):
    """Regression (eval case CCM20/injection/fax): a fax page is laid out before the packet
    decides which pages are scanned, so it must fit in the scan font and in Helvetica. A long
    flowsheet of one-line rows fits the smaller scan print but overflowed as a text page."""
    from eval.synth import charts
    from eval.synth.compose import HELVETICA, compose
    from eval.synth.scan import scan_style

    seen = []
    real = charts.render_pdf

    def spy(pages, **kw):
        seen.extend(pages)
        return real(pages, **kw)

    monkeypatch.setattr(charts, "render_pdf", spy)
    c = make_case(
        "CCM20",
        142,
        style="fax",
        pages=22,
        documents=1,
        injection=True,
        polite_injection=True,
        two_column=True,
        missing=False,
    )
    assert len(seen) == 22 and c.gold["key_facts"]
    for i, page in enumerate(seen, 1):
        assert compose(page, HELVETICA)[1], f"fax/CCM20/142: page {i} overflows as text"
        if page.columns == 1:
            assert compose(page, scan_style(0.92))[1], f"fax/CCM20/142: page {i} overflows as a scan"
    flows = [p for p in seen if p.title.endswith("(continued)")]
    assert flows, "fax/CCM20/142: the long flowsheet should run onto a continuation page"


def test_member_id_and_optional_identity():
    seen = set()
    for seed in range(8):
        c = make_case("CCM31", seed, style="ehr", pages=6, scanned=0)
        pid = c.case["patient_id"]
        medicare = "Medicare" in c.case["payer"]
        shape = r"[1-9][A-Z][A-Z0-9]\d-[A-Z][A-Z0-9]\d-[A-Z]{2}\d\d" if medicare else r"[A-Z]{3}\d{9}"
        assert re.fullmatch(shape, pid), f"ehr/CCM31/{seed}: member ID shape"
        texts = _texts(c)
        assert sum(pid in t for t in texts.values()) * 2 < len(texts), "member ID on most pages"
        seen.add(("mrn" in c.case, "patient_dob" in c.case))
        if "mrn" in c.case:
            assert all(
                c.case["mrn"] in t
                for w, t in texts.items()
                if w not in {tuple(e[k] for k in ("document", "page")) for e in c.gold["excluded_pages"]}
            )
    assert len(seen) >= 3, "mrn/patient_dob in case.json should vary by seed"


def test_styles_deterministic_and_distinct(styled):
    for style in ("ehr", "notes"):
        opts = dict(pages=6, documents=1, counter_evidence=True, injection=True, scanned=0)
        a = make_case("CCM39", 5, style=style, **opts)
        b = make_case("CCM39", 5, style=style, **opts)
        same = a.documents == b.documents and a.gold == b.gold and a.case == b.case
        assert same, f"{style}: output differs between runs"
    a = styled[("fax", "CCM31")][0]
    b = make_case("CCM31", 21, style="fax", **_spec("fax", "CCM31"))
    same = a.documents == b.documents and a.gold == b.gold and a.case == b.case
    assert same, "fax: output differs between runs"
    texts = {
        st: make_case("CCM06", 2, style=st, pages=6, scanned=0).documents[0][1] for st in ("prose", "ehr", "notes")
    }
    assert len(set(texts.values())) == 3


def test_options_work_in_prose_too():
    c = make_case(
        "CCM06",
        4,
        pages=12,
        same_name=True,
        counter_evidence=True,
        standing_before=True,
        polite_injection=True,
        legends=True,
        scanned=0,
    )
    g = c.gold
    assert g["legends"] and g["counter_evidence"] and g["instruction_asks"]
    mis = [e for e in g["excluded_pages"] if e["reason"] == "names another patient"]
    assert mis and c.case["patient_name"] not in g["forbidden"]
    texts = _texts(c)
    assert c.case["patient_name"] in texts[(mis[0]["document"], mis[0]["page"])]


def test_bad_style_rejected():
    with pytest.raises(ValueError):
        make_case("CCM06", 1, style="handwritten")


def test_a_section_continued_without_a_key_fact_still_has_relevant_text():
    """The calls logged before a total that falls on the next page are relevant to the time they
    add up to, though their own page states no key fact."""
    from eval.harness.evalset import load_specs, materialise

    spec = next(s for s in load_specs(subset="ci") if s.id == "CCM20/scans/prose")
    g = materialise(spec).gold
    fact_pages = {(k["document"], k["page"]) for k in g["key_facts"]}
    calls = [r for r in g["relevant"] if "phone call with the patient" in r["text"]]
    assert calls and all(r["requirement"] == "treatment_management" for r in calls)
    assert any((r["document"], r["page"]) not in fact_pages for r in calls)
