"""The yardstick written by others: charts by an outside author, drafted along the product's road.

Each case folder holds `case.json`, the record PDFs and `expect.json` (`facts`: regular
expressions a good letter states; `never_cite`: pages a letter must not cite, with why;
`never_say`: strings no letter may contain). Every case is drafted exactly as `overturn draft`
drafts it (a case of the local tenant, documents added and read inline, a draft job), on a
throwaway home, so the figures are the product's and not a side road's. Reported apart from our
generator's figures: this set was not written with our rules in mind.

Per case: facts stated, never_cite pages cited, never_say strings said, and never_cite pages
that the result does not tell staff about (neither in `excluded_pages` nor named in a warning).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from service.casework.local import draft_files
from service.casework.state import open_workspace
from service.components import Components
from service.errors import InputError
from service.models import CaseFields, DraftResult


class ForeignSetError(InputError):
    code = "invalid_foreign_set"
    status = 422


@dataclass
class ForeignCase:
    id: str
    case: dict
    documents: list[tuple[str, bytes]]
    expect: dict


def load_foreign(root: Path) -> list[ForeignCase]:
    """Every folder under `root` holding case.json and expect.json, in name order."""
    folders = sorted(p.parent for p in root.rglob("expect.json") if (p.parent / "case.json").is_file())
    if not folders:
        raise ForeignSetError(f"{root}: no case folders (each needs case.json, expect.json and PDFs)")
    cases = []
    for folder in folders:
        try:
            case = json.loads((folder / "case.json").read_text(encoding="utf-8"))
            expect = json.loads((folder / "expect.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ForeignSetError(
                f"{folder.name}: unreadable case.json or expect.json ({exc.__class__.__name__})"
            ) from None
        documents = [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.pdf"))]
        cases.append(ForeignCase(folder.name, case, documents, expect))
    return cases


def _named(result: DraftResult, document: str, page: int) -> bool:
    """Whether staff are told about this page: excluded with a reason, or named in a warning."""
    if any((e.document, e.page) == (document, page) for e in result.excluded_pages):
        return True
    mention = re.compile(rf"{re.escape(document)} page {page}\b")
    return any(mention.search(w) for w in result.warnings)


def _flat(text: str) -> str:
    return " ".join(text.split()).casefold()


def _truth(fc: ForeignCase, document: str, page: int) -> str | None:
    """The text drawn on the page (expect.json `pages`), or None when the set does not say."""
    pages = fc.expect.get("pages", {}).get(document)
    if not pages or not 1 <= page <= len(pages):
        return None
    drawn = pages[page - 1]
    return _flat("\n".join(drawn) if isinstance(drawn, list) else drawn)


QUOTE_MATCH = 90
"""A quote reads as the page does when it is a substring of the drawn text, or nearly (OCR may
misread a character or two; a quote that runs two columns or two table rows together is far off)."""


def quote_reads(quote: str, truth: str) -> bool:
    from rapidfuzz import fuzz

    flat = _flat(quote)
    return flat in truth or fuzz.partial_ratio(flat, truth) >= QUOTE_MATCH


def _evidence_pages(fc: ForeignCase, result: DraftResult, never: set[tuple[str, int]]) -> tuple[int, int]:
    """(facts whose evidence the letter cites, facts): a fact's page, or any other cited page
    whose drawn text holds the fact and that may be cited."""
    cited = {(c.document, c.page) for c in result.citations} - never
    found = 0
    facts = fc.expect.get("facts", [])
    for fact in facts:
        where = (fact.get("document"), int(fact.get("page", 0)))
        if where in cited or any(
            (text := _truth(fc, d, p)) is not None and re.search(fact["regex"], text) for d, p in cited
        ):
            found += 1
    return found, len(facts)


def score_case(fc: ForeignCase, result: DraftResult) -> dict:
    """The case's figures. Nothing of the letter or the pages leaves this function: facts by
    their names, pages by number, never_say strings by their position in the list."""
    letter = result.letter
    facts = fc.expect.get("facts", [])
    missed = [f["name"] for f in facts if not re.search(f["regex"], letter)]
    cited = {(c.document, c.page) for c in result.citations}
    never = [(n["document"], int(n["page"])) for n in fc.expect.get("never_cite", [])]
    evidence, _ = _evidence_pages(fc, result, set(never))
    truths = [(c, _truth(fc, c.document, c.page)) for c in result.citations]
    checked = [(c, t) for c, t in truths if t is not None]
    said = [f"never_say[{i}]" for i, s in enumerate(fc.expect.get("never_say", [])) if s.lower() in letter.lower()]
    return {
        "id": fc.id,
        "code": fc.case.get("denial_code", "?"),
        "method": result.method,
        "facts": len(facts),
        "facts_stated": len(facts) - len(missed),
        "missed": missed,
        "never_cite": len(never),
        "never_cited": [f"{d} p{p}" for d, p in never if (d, p) in cited],
        "never_warned": [f"{d} p{p}" for d, p in never if not _named(result, d, p)],
        "never_say": len(fc.expect.get("never_say", [])),
        "said": said,
        "citations": len(result.citations),
        "evidence_cited": evidence,
        "quotes_checked": len(checked),
        "quotes_read": sum(quote_reads(c.quote, t) for c, t in checked),
        "quotes_off": [f"{c.document} p{c.page}" for c, t in checked if not quote_reads(c.quote, t)],
    }


def run_foreign_eval(
    cases: list[ForeignCase],
    components: Components,
    home: Path,
    progress: Callable[[str], None] | None = None,
    refax_kind: str | None = None,
) -> dict:
    """Draft every case through the service layer on `home` and score it. `refax_kind`: send
    every record through `refax` first (image-only pages of that kind), same expectations."""
    say = progress or (lambda _line: None)
    if refax_kind:
        from eval.harness.refax import refax

        cases = [
            ForeignCase(
                fc.id, fc.case, [(n, refax(d, refax_kind, i)) for i, (n, d) in enumerate(fc.documents)], fc.expect
            )
            for fc in cases
        ]
    settings = components.settings.model_copy(update={"home": home, "vector_cache": False})
    ws = open_workspace(settings, components)
    rows = []
    for fc in cases:
        started = time.perf_counter()
        try:
            drafted = draft_files(ws, CaseFields.model_validate(fc.case), fc.documents)
        except InputError as exc:
            rows.append({"id": fc.id, "error": f"{exc.__class__.__name__}: {exc.code}"})
            say(f"{fc.id}: error {exc.code}")
            continue
        row = score_case(fc, drafted.result)
        row["seconds"] = round(time.perf_counter() - started, 1)
        rows.append(row)
        say(
            f"{fc.id}: facts {row['facts_stated']}/{row['facts']}, never cited {len(row['never_cited'])}, "
            f"said {len(row['said'])}, unwarned {len(row['never_warned'])}"
        )
    return {"cases": rows, "overall": _overall(rows)}


def _overall(rows: list[dict]) -> dict:
    good = [r for r in rows if "error" not in r]
    facts = sum(r["facts"] for r in good)
    never = sum(r["never_cite"] for r in good)
    return {
        "cases": len(rows),
        "errors": len(rows) - len(good),
        "facts": facts,
        "facts_stated": sum(r["facts_stated"] for r in good),
        "fact_rate": round(sum(r["facts_stated"] for r in good) / facts, 3) if facts else 1.0,
        "never_cite": never,
        "never_cited": sum(len(r["never_cited"]) for r in good),
        "never_warned": sum(len(r["never_warned"]) for r in good),
        "never_say_hits": sum(len(r["said"]) for r in good),
        "evidence_cited": sum(r["evidence_cited"] for r in good),
        "evidence_rate": round(sum(r["evidence_cited"] for r in good) / facts, 3) if facts else 1.0,
        "quotes_checked": sum(r["quotes_checked"] for r in good),
        "quotes_read": sum(r["quotes_read"] for r in good),
    }


def render_foreign_table(report: dict, source: str = "") -> str:
    head = f"{'case':<8} {'code':<7} {'facts':>7} {'never cited':>12} {'said':>5} {'unwarned':>9}  missed facts"
    lines = [f"Charts written by others ({source or 'foreign set'}); not our generator's", head, "-" * len(head)]
    for r in report["cases"]:
        if "error" in r:
            lines.append(f"{r['id']:<8} ERROR {r['error']}")
            continue
        lines.append(
            f"{r['id']:<8} {r['code']:<7} {r['facts_stated']:>3}/{r['facts']:<3} {len(r['never_cited']):>12} "
            f"{len(r['said']):>5} {len(r['never_warned']):>9}  {', '.join(r['missed'])}"
        )
    o = report["overall"]
    lines += [
        "-" * len(head),
        f"cases {o['cases']} (errors {o['errors']}): facts stated {o['facts_stated']}/{o['facts']} ({o['fact_rate']:.3f}), "
        f"never_cite pages cited {o['never_cited']} of {o['never_cite']}, never_say strings said {o['never_say_hits']}, "
        f"never_cite pages not warned {o['never_warned']}",
        f"evidence cited for {o['evidence_cited']}/{o['facts']} facts ({o['evidence_rate']:.3f}), "
        f"quotes that read as the page does {o['quotes_read']}/{o['quotes_checked']}",
    ]
    details = [f"  {r['id']}: cited {', '.join(r['never_cited'])}" for r in report["cases"] if r.get("never_cited")]
    details += [
        f"  {r['id']}: quotes off the page: {', '.join(r['quotes_off'])}"
        for r in report["cases"]
        if r.get("quotes_off")
    ]
    details += [
        f"  {r['id']}: not warned {', '.join(r['never_warned'])}" for r in report["cases"] if r.get("never_warned")
    ]
    return "\n".join(lines + details)
