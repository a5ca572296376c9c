"""Does a requirement's recall fall as the packet grows? The same chart drafted as a 10-, 40- and
70-page packet, its pages as one block at the start, in the middle and at the end (`packets.py`).

Generator charts: each case of the eval set made at `BASE_PAGES` pages (its code, seed, style and
traps kept), padded with the generator's filler pages printed for the same patient, month and
chart style. Per requirement (knowledge ids of the gold key facts): recall@5 of its evidence
pages (`metrics.score_run`, the eval's own scoring), key facts stated in the letter, and key
facts whose page the letter cites. Foreign charts (written by others; reported apart): padded
with the generator's filler in the house style, printed for the chart's own patient and billing
month (never another chart's pages: another patient's page is never citable and would be a
trap, not padding); per fact: stated (its `regex` in the letter) and its page cited. Beside them,
the guards: pages that must never be cited, and strings that must never be said.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from eval.harness.evalset import CaseSpec, generate
from eval.harness.foreign import ForeignCase
from eval.harness.metrics import K, Run, score_run
from eval.harness.packets import PACKET, POSITIONS, PacketReader, build_packet, moved_gold, page_count
from eval.harness.pages import PageCache
from eval.harness.road import eval_workspace, run_of
from eval.synth.padding import case_filler, chart_filler
from service.casework.local import draft_files
from service.casework.state import Workspace
from service.components import Components
from service.models import CaseFields

LENGTHS = (10, 40, 70)
BASE_PAGES = 10
DOB = re.compile(r"\bDOB:?\s*(\d{1,2})/(\d{1,2})/(\d{4})\b")


@dataclass
class LengthCase:
    id: str
    kind: str
    """'generator' or 'foreign'."""
    case: dict
    documents: list[tuple[str, bytes]]
    filler: bytes
    gold: dict | None = None
    expect: dict | None = None


def generator_cases(
    specs: Iterable[CaseSpec], progress: Callable[[str], None] = lambda _: None
) -> Iterable[LengthCase]:
    """Each spec made at BASE_PAGES pages; one the page budget cannot hold is skipped, with a note."""
    for spec in specs:
        small = CaseSpec(spec.id, spec.code, spec.seed, spec.style, spec.legends, {**spec.options, "pages": BASE_PAGES})
        try:
            made = generate(small)
        except ValueError as exc:
            progress(f"{spec.id}: skipped ({exc})")
            continue
        base = sum(page_count(data) for _, data in made.documents)
        filler = case_filler(spec.code, spec.seed, max(LENGTHS) - base, made.case, spec.style, spec.legends)
        yield LengthCase(spec.id, "generator", made.case, made.documents, filler, gold=made.gold)


def foreign_cases(cases: Iterable[ForeignCase]) -> list[LengthCase]:
    out = []
    for fc in cases:
        base = sum(page_count(data) for _, data in fc.documents)
        period = fc.expect.get("billing_period") or {}
        month = dt.date.fromisoformat(period.get("start") or fc.case["date_of_service"])
        filler = chart_filler(fc.case, month, _birth_date(fc), max(LENGTHS) - base)
        out.append(LengthCase(fc.id, "foreign", fc.case, fc.documents, filler, expect=fc.expect))
    return out


def _birth_date(fc: ForeignCase) -> dt.date | None:
    """The patient's birth date: the case's own field, else as the chart's pages print it."""
    if fc.case.get("patient_dob"):
        return dt.date.fromisoformat(fc.case["patient_dob"])
    for pages in (fc.expect.get("pages") or {}).values():
        for text in pages:
            found = DOB.search(text)
            if found:
                m, d, y = (int(g) for g in found.groups())
                return dt.date(y, m, d)
    return None


def draft(ws: Workspace, fields: CaseFields, records: list[tuple[str, bytes]]) -> Run:
    """One packet drafted along the product's road (`systems.run_of`)."""
    start = time.perf_counter()
    drafted = draft_files(ws, fields, records)
    return run_of(drafted, time.perf_counter() - start)


def score_generator(run: Run, gold: dict) -> dict:
    """Requirement id -> [gold pairs, recalled, facts, stated, page cited], plus the guards."""
    cited = {(c.document, c.page) for c in run.citations}
    out: dict = {}
    for req in dict.fromkeys(f["requirement"] for f in gold["key_facts"]):
        facts = [f for f in gold["key_facts"] if f["requirement"] == req]
        s = score_run(run, {**gold, "key_facts": facts})
        out[req] = [
            s.gold_pairs,
            s.recalled,
            s.facts,
            s.facts_stated,
            sum((f["document"], f["page"]) in cited for f in facts),
        ]
    whole = score_run(run, gold)
    return {
        "requirements": out,
        "excluded_cited": whole.excluded_cited,
        "forbidden": whole.forbidden,
        "followed": whole.instructions_followed,
    }


def score_foreign(run: Run, expect: dict, where: dict) -> dict:
    cited = {(c.document, c.page) for c in run.citations}
    out: dict = {}
    for fact in expect.get("facts", []):
        page = (PACKET, where[(fact["document"], int(fact["page"]))])
        row = out.setdefault(fact["name"], [0, 0, 0, 0, 0])
        stated = bool(re.search(fact["regex"], run.letter))
        row[2:] = [row[2] + 1, row[3] + stated, row[4] + (page in cited)]
    never = {(PACKET, where[(n["document"], int(n["page"]))]) for n in expect.get("never_cite", [])}
    said = sum(s.lower() in run.letter.lower() for s in expect.get("never_say", []))
    return {"requirements": out, "excluded_cited": len(cited & never), "forbidden": said, "followed": 0}


def run_packet_length(
    cases: Iterable[LengthCase],
    components: Components,
    progress: Callable[[str], None] = lambda _: None,
    lengths: tuple[int, ...] = LENGTHS,
) -> dict:
    """Every case at every length and position; figures summed per kind, requirement and length."""
    reader = PacketReader(PageCache(components.settings.home))
    ws = eval_workspace(components, "packets", read=reader)
    components.embedder.embed(["warm-up"])
    totals: dict = defaultdict(lambda: [0, 0, 0, 0, 0])
    guards: dict = defaultdict(lambda: [0, 0, 0, 0, 0.0])  # drafts, excluded cited, forbidden, followed, seconds
    rows = []
    started = time.perf_counter()
    for lc in cases:
        fields = CaseFields.model_validate(lc.case)
        base = sum(page_count(data) for _, data in lc.documents)
        for length in lengths:
            if length < base:
                progress(f"{lc.id}: {base} pages, longer than {length}; left out at that length")
                continue
            done: dict[bytes, dict] = {}
            for position in POSITIONS:
                packet = build_packet(lc.documents, lc.filler, length, position)
                key = bytes(str(packet.order), "utf-8")
                if key not in done:
                    reader.add(packet, {**dict(lc.documents), "": lc.filler})
                    run = draft(ws, fields, [(PACKET, packet.data)])
                    if lc.kind == "generator":
                        figures = score_generator(run, moved_gold(lc.gold, packet.where))
                    else:
                        figures = score_foreign(run, lc.expect, packet.where)
                    figures["seconds"] = round(run.seconds, 2)
                    done[key] = figures
                figures = done[key]
                for req, counts in figures["requirements"].items():
                    total = totals[(lc.kind, req, length)]
                    total[:] = [a + b for a, b in zip(total, counts)]
                guard = guards[(lc.kind, length)]
                guard[:] = [
                    guard[0] + 1,
                    guard[1] + figures["excluded_cited"],
                    guard[2] + figures["forbidden"],
                    guard[3] + figures["followed"],
                    guard[4] + figures["seconds"],
                ]
                rows.append({"id": lc.id, "kind": lc.kind, "pages": length, "position": position, **figures})
                progress(f"{lc.id} {length} pages, chart at the {position}: {_brief(figures)}")
    return _report(totals, guards, rows, lengths, time.perf_counter() - started)


def _brief(figures: dict) -> str:
    c = [sum(v[i] for v in figures["requirements"].values()) for i in range(5)]
    return f"recall@{K} {c[1]}/{c[0]}, facts {c[3]}/{c[2]}, cited {c[4]}/{c[2]}, {figures['seconds']} s"


def _rate(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _report(totals: dict, guards: dict, rows: list, lengths: tuple[int, ...], seconds: float) -> dict:
    report: dict = {"lengths": list(lengths), "k": K, "seconds": round(seconds, 1), "kinds": {}}
    for kind in dict.fromkeys(k for k, _, _ in totals):
        reqs = sorted({r for k, r, _ in totals if k == kind})
        by_req = {}
        for req in [*reqs, "all"]:
            per = {}
            for length in lengths:
                c = [0, 0, 0, 0, 0]
                for r in reqs if req == "all" else [req]:
                    c = [a + b for a, b in zip(c, totals.get((kind, r, length), [0] * 5))]
                per[str(length)] = {
                    "pairs": c[0],
                    f"recall_at_{K}": _rate(c[1], c[0]),
                    "facts": c[2],
                    "stated": _rate(c[3], c[2]),
                    "cited": _rate(c[4], c[2]),
                }
            by_req[req] = per
        report["kinds"][kind] = {
            "requirements": by_req,
            "guards": {
                str(n): {
                    "drafts": g[0],
                    "excluded_cited": g[1],
                    "forbidden": g[2],
                    "followed": g[3],
                    "seconds_per_draft": round(g[4] / g[0], 2) if g[0] else None,
                }
                for (k, n), g in guards.items()
                if k == kind
            },
        }
    report["rows"] = rows
    return report


METRICS = ((f"recall_at_{K}", f"recall@{K}"), ("stated", "facts stated"), ("cited", "page cited"))


def drops(per: dict, lengths: list[int]) -> dict[str, float | None]:
    """Metric -> the largest fall from the shortest packet to a longer one (points, 0-100)."""
    out = {}
    for key, _ in METRICS:
        first = per[str(lengths[0])][key]
        later = [per[str(n)][key] for n in lengths[1:] if per[str(n)][key] is not None]
        out[key] = None if first is None or not later else round(100 * max(0.0, first - min(later)), 1)
    return out


def render_packet_length(report: dict) -> str:
    lengths = report["lengths"]
    span = "/".join(map(str, lengths))
    lines = [
        f"Recall by packet length ({span} pages; the chart at the start, middle and end of each packet; "
        f"{report['seconds']} s in all)."
    ]
    for kind, figures in report["kinds"].items():
        title = "Generator charts" if kind == "generator" else "Foreign charts (written by others; per fact name)"
        lines += [
            "",
            title + ":",
            f"  {'requirement':<26}" + "".join(f"{label + ' ' + span:>28}  drop" for _, label in METRICS),
        ]
        for req, per in figures["requirements"].items():
            drop = drops(per, lengths)
            cells = []
            for key, _ in METRICS:
                values = "/".join("-" if per[str(n)][key] is None else f"{100 * per[str(n)][key]:.0f}" for n in lengths)
                cells.append(f"{values:>28}  {'-' if drop[key] is None else f'{drop[key]:.0f}':>4}")
            lines.append(f"  {req:<26}" + "".join(cells))
        for n, g in figures["guards"].items():
            lines.append(
                f"  {n} pages: {g['drafts']} drafts, {g['seconds_per_draft']} s each; never-cite pages cited "
                f"{g['excluded_cited']}, forbidden strings {g['forbidden']}, instructions followed {g['followed']}"
            )
    return "\n".join(lines)
