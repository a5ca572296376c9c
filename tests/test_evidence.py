"""Evidence selection on a fake index: bag-of-words vectors stand in for the embedding model."""

import re
import zlib

import numpy as np

from service.evidence.matching import expand
from service.evidence.scoring import CaseIndex, score_sentences
from service.evidence.selection import CaseBounds, select_evidence
from service.evidence.tuning import SelectionTuning
from service.index.lexical import LexicalIndex
from service.models import CodeEntry, EvidenceRequirement, Page, span_key
from service.records.spans import chunk_page, split_sentences
from service.screening.screening import old_copies

DIM = 4096


def bag(text: str) -> np.ndarray:
    vector = np.zeros(DIM, dtype=np.float32)
    for word in re.findall(r"[a-z]+", text.lower()):
        if len(word) > 2:
            vector[zlib.crc32(word.encode()) % DIM] += 1
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


def embed(texts: list[str]) -> np.ndarray:
    return np.stack([bag(t) for t in texts]) if texts else np.zeros((0, DIM), dtype=np.float32)


ENTRY = CodeEntry(
    code="T1",
    title="Test",
    kind="payer",
    explanation="x",
    appeal_argument="y",
    evidence=[
        EvidenceRequirement(
            id="minutes",
            label="Minutes",
            need="telephone call minutes with patient",
            queries=["telephone call minutes", "minutes spent with patient"],
        ),
        EvidenceRequirement(
            id="consent",
            label="Consent",
            need="consent obtained for care management",
            queries=["verbal consent obtained", "consent for care management"],
        ),
        EvidenceRequirement(
            id="device",
            label="Device",
            need="blood pressure cuff device transmitted readings",
            queries=["blood pressure cuff transmitted readings"],
        ),
    ],
)


def entry_of(*requirements: EvidenceRequirement, services: tuple[str, ...] = ()) -> CodeEntry:
    """A test code holding just these requirements."""
    return CodeEntry(
        code="T",
        title="Test",
        kind="payer",
        explanation="x",
        appeal_argument="y",
        services=list(services),
        evidence=list(requirements),
    )


PAGES = [
    Page(
        document="r.pdf",
        number=1,
        text="Monthly Summary\nTelephone call with patient, 25 minutes spent with patient.\nSecond telephone call, 10 minutes with patient.\n",
    ),
    Page(document="r.pdf", number=2, text="Consent\nVerbal consent obtained for care management on 03/01/2026.\n"),
    Page(document="r.pdf", number=3, text="Telephone call minutes with patient: 55 minutes spent with patient.\n"),
]


def build(pages=PAGES) -> CaseIndex:
    sentences, chunks = [], []
    for page in pages:
        page_sentences = split_sentences(page)
        sentences += page_sentences
        chunks += chunk_page(page, page_sentences, 600, "doc")
    by_id = {c.id: c for c in chunks}
    vectors = embed([c.text for c in chunks])

    def dense(vector, limit):
        order = np.argsort(-(vectors @ vector))[:limit]
        return [chunks[i].id for i in order]

    return CaseIndex(
        chunks=by_id,
        sentences=sentences,
        page_text={(p.document, p.number): p.text for p in pages},
        lexical=LexicalIndex(list(by_id), [c.text for c in chunks]),
        dense_search=dense,
        embed=embed,
    )


def select(index, blocked_pages=frozenset(), blocked_sentences=frozenset()):
    return select_evidence(
        ENTRY,
        index,
        SelectionTuning(per_requirement=6, threshold=0.3, presence=0.45),
        CaseBounds(blocked_pages=set(blocked_pages), blocked_sentences=set(blocked_sentences)),
    )


def test_each_requirement_gets_verbatim_quotes_and_absent_ones_are_missing():
    selection = select(build())
    by_req = {}
    for e in selection.evidence:
        by_req.setdefault(e.requirement, []).append(e)
        assert PAGES[e.page - 1].text[e.start : e.end] == e.text
    assert {e.page for e in by_req["minutes"]} == {1, 3}
    assert [e.page for e in by_req["consent"]] == [2]
    assert [r.id for r in selection.missing] == ["device"]


def test_neighbouring_sentences_become_one_quote():
    selection = select(build())
    page_one = [e for e in selection.evidence if e.page == 1]
    assert len(page_one) == 1 and "25 minutes" in page_one[0].text and "10 minutes" in page_one[0].text


def test_blocked_pages_and_sentences_are_never_quoted():
    index = build()
    selection = select(index, blocked_pages={("r.pdf", 3)})
    assert all(e.page != 3 for e in selection.evidence)
    consent = next(s for s in index.sentences if s.page == 2 and "consent" in s.text.lower() and "Verbal" in s.text)
    selection = select(index, blocked_sentences={(consent.document, consent.page, consent.start)})
    assert "consent" in [r.id for r in selection.missing]


def test_selection_is_deterministic():
    assert select(build()) == select(build())


def test_ranked_pages_follow_the_best_sentence_score_and_skip_blocked_pages():
    selection = select(build(), blocked_pages={("r.pdf", 1)})
    assert selection.ranked_pages["minutes"][0] == ("r.pdf", 3)
    assert ("r.pdf", 1) not in selection.ranked_pages["minutes"]
    assert selection.ranked_pages["consent"][0] == ("r.pdf", 2)


def test_bm25_mode_never_touches_the_embedding_model():
    index = build()

    def refuse(*_):
        raise AssertionError("dense similarity used in bm25 mode")

    index.dense_search, index.embed, index.mode = refuse, refuse, "bm25"
    selection = select(index)
    assert {e.requirement for e in selection.evidence} >= {"minutes", "consent"}


def test_dense_mode_never_runs_the_lexical_index():
    index = build()

    class NoLexical:
        def search(self, *_):
            raise AssertionError("BM25 used in dense mode")

    index.lexical, index.mode = NoLexical(), "dense"
    assert select(index).ranked_pages["consent"][0] == ("r.pdf", 2)


def test_a_line_under_a_heading_that_names_ordinary_chart_content_sinks_toward_it():
    """'Readings taken in clinic' under a vital-signs flowsheet are not remote readings; the same
    line under a heading that is not ordinary content keeps its score."""
    line = "Blood pressure readings taken in clinic after rest, cuff on left arm."

    def device_quotes(heading: str) -> list[str]:
        index = build([Page(document="r.pdf", number=1, text=f"{heading}\n{line}\n")])
        index.background = ["vital signs flowsheet measured in clinic"]
        return [e.text for e in select(index).evidence if e.requirement == "device"]

    assert device_quotes("Vital Signs Flowsheet") == []
    assert device_quotes("Home Monitoring Review") == [line]


def test_a_heading_is_read_without_the_name_of_the_codes_service():
    """'Remote Patient Monitoring Call' heads a call, not a monitoring order: every requirement of
    an RPM code shares the service's name, so only the rest of the heading says which one the
    lines under it serve."""
    entry = entry_of(
        EvidenceRequirement(
            id="order",
            label="Order",
            need="remote patient monitoring order naming the device",
            queries=["remote patient monitoring ordered"],
        ),
        EvidenceRequirement(
            id="call", label="Call", need="call with the patient about readings", queries=["phone call about readings"]
        ),
        services=("RPM",),
    )
    index = build(
        [
            Page(
                document="r.pdf",
                number=1,
                text="Remote Patient Monitoring Call\nAmlodipine increased to 10 mg daily, recheck next week\n",
            )
        ]
    )
    chosen = select_evidence(
        entry, index, SelectionTuning(per_requirement=6, threshold=0.1, presence=0.2), CaseBounds()
    )
    assert [(e.requirement, e.text) for e in chosen.evidence] == [
        ("call", "Amlodipine increased to 10 mg daily, recheck next week")
    ]


def test_a_line_read_under_a_header_does_not_borrow_the_services_name():
    """'RPM Data Review: last sync 05/26 07:08' is a sync time: the header's 'RPM' is in every
    requirement of an RPM code, so it must not make the line read like a call about readings."""
    entry = entry_of(
        EvidenceRequirement(
            id="call",
            label="Call",
            need="remote patient monitoring call with the patient",
            queries=["remote patient monitoring phone call"],
        ),
        services=("RPM",),
    )
    index = build([Page(document="r.pdf", number=1, text="RPM Data Review\nLast sync 05/26 07:08\n")])
    line = next(s for s in index.sentences if s.text.startswith("Last sync"))
    index.match_text[(line.document, line.page, line.start)] = (
        "remote patient monitoring Data Review: Last sync 05/26 07:08"
    )
    chosen = select_evidence(
        entry, index, SelectionTuning(per_requirement=6, threshold=0.1, presence=0.3), CaseBounds()
    )
    assert [e.text for e in chosen.evidence] == []


def test_a_line_an_earlier_page_repeats_from_the_period_is_not_quoted_from_the_earlier_page():
    """Last month's note carrying the same goal line is an old copy: the period's page is cited.
    A line only the earlier page holds (consent signed months ago) still counts."""
    entry = entry_of(
        EvidenceRequirement(
            id="consent",
            label="Consent",
            need="consent obtained for care management",
            queries=["verbal consent obtained for care management"],
            period="before_or_during",
        )
    )
    earlier = Page(
        document="r.pdf", number=1, text="Verbal consent obtained for care management, cost sharing explained.\n"
    )
    current = Page(
        document="r.pdf", number=2, text="Verbal consent obtained for care management, cost sharing explained.\n"
    )
    signed = Page(document="r.pdf", number=3, text="Written consent for care management signed 01/12/2026.\n")

    def pages_quoted(pages, outside):
        index = build(pages)
        by_page = {(p.document, p.number): [s for s in index.sentences if s.page == p.number] for p in pages}
        blocked = {"consent": old_copies(by_page, outside, set())}
        chosen = select_evidence(
            entry,
            index,
            SelectionTuning(per_requirement=6, threshold=0.3, presence=0.45),
            CaseBounds(blocked_for=blocked),
        )
        return sorted(e.page for e in chosen.evidence)

    assert pages_quoted([earlier, current], set()) == [1, 2]
    assert pages_quoted([earlier, current], {("r.pdf", 1)}) == [2]
    assert pages_quoted([earlier], {("r.pdf", 1)}) == [1]
    assert pages_quoted([current, signed], {("r.pdf", 3)}) == [2, 3]
    dated = Page(
        document="r.pdf",
        number=4,
        text="03/02/2026 verbal consent obtained for care management, cost sharing\nexplained.\n",
    )
    redated = Page(
        document="r.pdf",
        number=5,
        text="Jun 2nd, 2026 verbal consent obtained for care management, cost sharing explained.\n",
    )
    assert pages_quoted([dated, redated], {("r.pdf", 4)}) == [5]
    side = Page(
        document="r.pdf", number=6, text="Verbal consent obtained for care management, cost sharing explained.\n"
    )
    two_columns = Page(
        document="r.pdf",
        number=7,
        text="Vitals stable, no new complaints      Verbal consent obtained for care management, cost sharing explained.\n",
    )
    assert pages_quoted([side, two_columns], {("r.pdf", 6)}) == [7]


def test_a_coded_problem_list_is_quoted_and_a_visit_reason_naming_chronic_conditions_is_not():
    """Where the chart holds a coded problem list, that is the list: 'Chief complaint: follow-up
    of chronic conditions' on a visit note only mentions one. Without a coded list in the chart,
    uncoded lines are still quoted."""
    entry = entry_of(
        EvidenceRequirement(
            id="problems",
            label="Problems",
            need="chronic conditions listed with their ICD-10 codes",
            queries=["chronic conditions problem list"],
            period="before_or_during",
        )
    )
    coded = Page(
        document="r.pdf",
        number=1,
        text="Problem List\nCOPD (J44.9) - chronic conditions, active\nCHF (I50.22) - chronic conditions, active\n",
    )
    visit = Page(
        document="r.pdf",
        number=2,
        text="Office Visit\nChief complaint: routine follow-up of chronic conditions, problem list\n",
    )

    def quoted(pages):
        chosen = select_evidence(
            entry, build(pages), SelectionTuning(per_requirement=6, threshold=0.2, presence=0.3), CaseBounds()
        )
        return [(e.page, e.text.splitlines()[0]) for e in chosen.evidence]

    assert quoted([coded, visit]) == [(1, "COPD (J44.9) - chronic conditions, active")]
    assert quoted([visit]) == [(2, "Chief complaint: routine follow-up of chronic conditions, problem list")]


def test_a_contact_whose_other_end_is_named_is_coordination_even_when_its_subject_reads_ordinary():
    """'Evergreen Visiting Nurses nurse called back - home visits reviewed' reads like the
    not-evidence line about who visits the patient at home; the named agency on the other end of
    the call makes it a coordination contact. An unnamed line of the same subject stays out."""
    req = EvidenceRequirement(
        id="coord",
        label="Coordination",
        need="care coordination with outside providers",
        queries=["coordination with specialist office"],
        cue="outside_contact",
    )
    page = Page(
        document="r.pdf",
        number=1,
        text=(
            "Care Coordination Note\n"
            "Evergreen Visiting Nurses nurse called back - home visits reviewed\n"
            "Daughter visits at home daily, helps w/ meds\n"
        ),
    )
    index = build([page])
    index.background = ["family visits at home, who helps with meds and home visits"]
    scores = {s.text: score for score, s in score_sentences(req, index.sentences, index)}
    assert scores["Evergreen Visiting Nurses nurse called back - home visits reviewed"] >= 0.62
    assert scores["Daughter visits at home daily, helps w/ meds"] <= 0.0


def test_the_dated_calls_a_total_adds_up_are_quoted_beside_it():
    """'Total ... this month: 38 min' ranks first by far; the calls it adds up ('Call w/ pt, 12
    min') are the live contacts themselves and are quoted too, while a line that logs no
    duration and scores higher than they do is still measured against the total."""
    req = EvidenceRequirement(
        id="time",
        label="Time",
        need="minutes of treatment management time this month with the patient",
        queries=["total treatment management time this month", "call with patient about readings"],
    )
    pages = [
        Page(
            document="r.pdf",
            number=1,
            text="Monthly Summary\nTotal treatment management time this month: 38 min, 3 calls with patient\n",
        ),
        Page(
            document="r.pdf",
            number=2,
            text="Telephone Encounter\nCall w/ pt, 12 min - fasting glucose high, glipizide moved\n",
        ),
        Page(document="r.pdf", number=3, text="Telephone Encounter\nCall w/ pt, 15 min - evening snacks\n"),
        Page(
            document="r.pdf", number=4, text="Quality Measures\nCall script for readings reviewed w/ pt, see protocol\n"
        ),
    ]
    chosen = select_evidence(
        entry_of(req), build(pages), SelectionTuning(per_requirement=6, threshold=0.2, presence=0.25), CaseBounds()
    )
    assert sorted(e.page for e in chosen.evidence) == [1, 2, 3]


def test_a_query_is_read_without_the_name_of_the_codes_service():
    """'RPM ordered' and the call requirement's queries share nothing but 'RPM' with 'RPM call w/
    pt, 12 min': without the service's name the order query no longer claims the call."""
    entry = entry_of(
        EvidenceRequirement(
            id="order",
            label="Order",
            need="RPM order naming the device",
            queries=["RPM ordered", "remote patient monitoring order"],
        ),
        EvidenceRequirement(
            id="call",
            label="Call",
            need="interactive communication about readings",
            queries=["interactive communication about readings"],
        ),
        services=("RPM",),
    )
    index = build(
        [Page(document="r.pdf", number=1, text="Telephone Encounter\nRPM call w/ pt, 12 min - evening readings high\n")]
    )
    index.match_text = {(s.document, s.page, s.start): expand(s.text) for s in index.sentences}
    chosen = select_evidence(
        entry, index, SelectionTuning(per_requirement=6, threshold=0.1, presence=0.2), CaseBounds()
    )
    assert [(e.requirement, e.text) for e in chosen.evidence] == [
        ("call", "RPM call w/ pt, 12 min - evening readings high")
    ]


def test_when_a_reviewed_plan_began_joins_the_review_and_never_stands_alone():
    """'Care plan initiated 5/4/25' is outside a month-bound requirement's period: beside this
    month's review it is quoted with it, alone it is not evidence of a review."""
    req = EvidenceRequirement(
        id="review",
        label="Review",
        need="care plan reviewed with the patient this month",
        queries=["care plan reviewed with patient"],
        period="service_period",
    )
    text = "Review and Sharing\n- Care plan initiated 5/4/25\n- Care plan reviewed/revised 9/16/25 w/ pt and niece\n"

    def quoted(pages):
        index = build(pages)
        history = {"review": {span_key(s) for s in index.sentences if "initiated" in s.text}}
        chosen = select_evidence(
            entry_of(req),
            index,
            SelectionTuning(per_requirement=6, threshold=0.2, presence=0.3),
            CaseBounds(history_for=history),
        )
        return [e.text for e in chosen.evidence], [m.id for m in chosen.missing]

    assert quoted([Page(document="r.pdf", number=1, text=text)]) == (
        ["- Care plan initiated 5/4/25\n- Care plan reviewed/revised 9/16/25 w/ pt and niece"],
        [],
    )
    alone = Page(document="r.pdf", number=1, text="Review and Sharing\n- Care plan initiated 5/4/25\n")
    assert quoted([alone]) == ([], ["review"])


def test_a_review_line_worded_like_the_goals_is_quoted_for_the_review():
    """'CP reviewed + revised w/ pt, goals/interventions updated' reads more like the goals than
    like the review, but a goal is never quoted from it: it belongs to the review, whose quote
    it is, and not to nobody."""
    goals = EvidenceRequirement(
        id="goals",
        label="Goals",
        need="goals and interventions updated for the patient",
        queries=["goals interventions updated"],
        cue="target",
    )
    review = EvidenceRequirement(id="review", label="Review", need="care plan reviewed", queries=["care plan reviewed"])
    text = "Care Plan\nA1c below 7.5% by 11/30/2026\nCP reviewed + revised w/ pt, goals/interventions updated, copy given\n"
    index = build([Page(document="r.pdf", number=1, text=text)])
    index.match_text = {span_key(s): expand(s.text) for s in index.sentences}
    line = next(s for s in index.sentences if s.text.startswith("CP"))
    scores = {r.id: score_sentences(r, [line], index)[0][0] for r in (goals, review)}
    assert scores["goals"] > scores["review"] >= 0.2
    chosen = select_evidence(
        entry_of(goals, review), index, SelectionTuning(per_requirement=6, threshold=0.1, presence=0.2), CaseBounds()
    )
    quoted = {(e.requirement, e.text) for e in chosen.evidence}
    assert ("review", line.text) in quoted and all(not (r == "goals" and "CP reviewed" in t) for r, t in quoted)


def test_an_optional_requirement_is_quoted_when_found_and_never_reported_missing():
    device = ENTRY.evidence[2].model_copy(update={"optional": True})
    consent = ENTRY.evidence[1].model_copy(update={"optional": True})
    entry = entry_of(ENTRY.evidence[0], consent, device)
    selection = select_evidence(
        entry, build(), SelectionTuning(per_requirement=6, threshold=0.3, presence=0.45), CaseBounds()
    )
    assert [e.page for e in selection.evidence if e.requirement == "consent"] == [2]
    assert not selection.missing and not any(e.requirement == "device" for e in selection.evidence)
