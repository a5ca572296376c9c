"""Long packets: the evidence a short chart proves must still be found when the same chart sits
inside a much longer packet, and repeated copies of one templated note must not crowd it out."""

import io

import pytest
from pypdf import PdfReader

from eval.harness.evalset import CaseSpec, generate
from eval.harness.packets import PACKET, PacketReader, build_packet, moved_gold
from eval.harness.pages import read_record
from eval.synth.padding import case_filler
from service.evidence.scoring import CaseIndex, rank_chunks
from service.index.copies import collapse, find_copies, signature
from service.index.lexical import LexicalIndex
from service.models import CaseFields, Chunk, EvidenceRequirement
from service.pipeline import analyse_case
from service.records.pdf import read_pdf_bytes

LAYOUT = CaseSpec(
    "CCM02/layout/prose",
    "CCM02",
    110,
    "prose",
    None,
    {"pages": 10, "documents": 1, "tables": True, "two_column": True, "missing": False, "counter_evidence": True},
)


def _chunk(n: int, page: int, text: str) -> Chunk:
    return Chunk(id=f"d:{page}:{n}", document="r.pdf", page=page, start=0, end=len(text), text=text)


def test_copies_are_the_same_words_with_other_digits():
    a = _chunk(0, 1, "Wound check 4/2: dressing changed, 2 cm, healing.\nPage 1 of 9")
    b = _chunk(0, 2, "Wound check 4/19:  dressing changed, 3 cm, healing.\nPage 2 of 9")
    c = _chunk(0, 3, "Wound check 4/21: dressing removed, 3 cm, healing.\nPage 3 of 9")
    assert signature(a.text) == signature(b.text) != signature(c.text)
    assert find_copies([a, b, c]) == {b.id: a.id}
    assert collapse([c.id, b.id, a.id], {b.id: a.id}) == [c.id, a.id]


def test_copies_of_one_note_take_one_place_in_the_ranking():
    """Twelve printouts of the same shoe-fitting note (other dates) outrank, each on its own,
    the one page that states the exercise goal; ranked as one, the goal page makes the cut."""
    chunks = [
        _chunk(
            0,
            page,
            f"Podiatry visit {page}/{page + 3}/2026: shoes fitted; plan to keep walking, "
            f"review the plan in {page} weeks. Goal of visit: fit.",
        )
        for page in range(1, 13)
    ]
    chunks.append(_chunk(0, 13, "Target for the month: walking 20 minutes a day, five days a week, by the 30th."))
    chunks.append(_chunk(0, 14, "Flu shot given in the left arm; no reaction after 15 minutes."))
    req = EvidenceRequirement(id="goals", label="goals", need="exercise goal plan", queries=["walking target"])
    by_id = {c.id: c for c in chunks}
    index = CaseIndex(
        chunks=by_id,
        sentences=[],
        page_text={},
        lexical=LexicalIndex(list(by_id), [c.text for c in chunks]),
        dense_search=lambda vector, limit: [],
        embed=lambda texts: [],
        mode="bm25",
        copy_of=find_copies(chunks),
    )
    ranked = rank_chunks(req, index, set(), 2)
    assert [group[0].page for group in ranked] == [1, 13]
    assert [c.page for c in ranked[0]] == list(range(1, 13))  # every copy comes in with the first
    assert [[c.page for c in g] for g in rank_chunks(req, index, {("r.pdf", 1)}, 1)] == [list(range(2, 13))]


MISFILED = CaseSpec(
    "CCM02/misfiled/prose",
    "CCM02",
    130,
    "prose",
    None,
    {"pages": 10, "documents": 2, "misfiled": True, "same_name": True, "out_of_period": True, "missing": False},
)


def _met(analysis, gold, where=None) -> dict[str, set[tuple[str, int]]]:
    """Requirement -> the gold evidence pages among its quotes (moved by `where`, if given)."""
    gold_pages = {(f["requirement"], f["document"], f["page"]) for f in gold["key_facts"]}
    out: dict[str, set] = {}
    for e in analysis.selection.evidence:
        if (e.requirement, e.document, e.page) in gold_pages:
            out.setdefault(e.requirement, set()).add(
                (PACKET, where[(e.document, e.page)]) if where else (e.document, e.page)
            )
    return out


@pytest.mark.parametrize("spec, pages", [(LAYOUT, 70), (MISFILED, 40)], ids=["layout-70", "misfiled-40"])
def test_a_long_packet_meets_what_the_same_chart_meets_alone(components, spec, pages):
    """An eval set chart alone (10 text pages), and the same chart at the start of a longer
    packet of the generator's filler for that patient: every requirement quotes the same evidence
    pages, moved to where the packet puts them. The packet is read from the merged PDF itself.
    layout-70: six printouts of one office note crowded out the goals page; misfiled-40: thirty
    pages of other notes pushed the second goals page just below the cut."""
    made = generate(spec)
    fields = CaseFields.model_validate(made.case)
    alone = analyse_case(fields, made.documents, components, tenant="t", read=read_record)
    base = sum(len(PdfReader(io.BytesIO(data)).pages) for _, data in made.documents)
    packet = build_packet(made.documents, case_filler(spec.code, spec.seed, pages - base, made.case), pages, "start")
    assert len(PdfReader(io.BytesIO(packet.data)).pages) == pages
    long = analyse_case(fields, [(PACKET, packet.data)], components, tenant="t", read=read_pdf_bytes)
    met = _met(alone, made.gold, packet.where)
    assert met and met == _met(long, moved_gold(made.gold, packet.where))
    assert {r.id for r in alone.selection.missing} == {r.id for r in long.selection.missing}


def test_a_packet_read_page_by_page_is_the_merged_pdf_read_whole(settings):
    made = generate(LAYOUT)
    packet = build_packet(made.documents, case_filler("CCM02", 110, 6, made.case), 16, "middle")
    reader = PacketReader(read_record)
    reader.add(packet, {**dict(made.documents), "": case_filler("CCM02", 110, 6, made.case)})
    whole = read_pdf_bytes(packet.data, PACKET, settings)
    assert [p.text for p in reader(packet.data, PACKET, settings).pages] == [p.text for p in whole.pages]
    assert packet.where[("records.pdf", 1)] == 4 and packet.order[0] == ("", 1)
