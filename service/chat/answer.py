"""Answers to billing staff's questions, every specific cited to a numbered source.

Without a model the answer is extractive: the 2-5 sentences of the knowledge base, and of the
case's evidence when the question is about the record, that answer the question (`ranking.py`),
each with the marker of its source; record text is quoted verbatim and never acted on. With a
model the answer must pass `check_answer` (markers resolve, at least one is used, every number is
in a cited source or the question, nothing repeated from instruction text) or the extractive
answer is given instead, with the reason in `warnings`.
"""

import time
from dataclasses import dataclass, field, replace

from service.chat import ranking
from service.chat.ranking import Embed, Piece
from service.chat.sources import SECTION_TITLES, Source, answer_codes, knowledge_sources, section_texts
from service.drafting.llm import fenced, load_prompt, reply_text
from service.drafting.validator import MARKER, numbers_in, repeats_instructions
from service.index.embeddings import EmbeddingModelMissing
from service.knowledge.loader import KnowledgeBase
from service.llm.chat import ChatModel
from service.models import CodeEntry, Evidence, ModelAttempt

SECONDARY = 0.5
"""How well what the record must show fits a question about what this case's record does show."""


@dataclass
class Answer:
    question: str
    text: str
    sources: list[Source]
    method: str = "extractive"
    warnings: list[str] = field(default_factory=list)
    attempts: list[ModelAttempt] = field(default_factory=list)


def _knowledge_label(entry: CodeEntry, section: str) -> str:
    return f"{entry.code} ({entry.title}): {SECTION_TITLES[section]}"


def _record_source(e: Evidence) -> Source:
    return Source(0, f"{e.document}, page {e.page}", e.text, "record", document=e.document, page=e.page)


def gather_sources(
    question: str, kb: KnowledgeBase, evidence: list[Evidence] | None = None, limit: int = 4
) -> list[Source]:
    """What a model is given: the best sections for the question and all of the case's evidence."""
    sources = [
        Source(n, _knowledge_label(entry, section), text, "knowledge", code=entry.code, section=section)
        for n, (entry, section, text) in enumerate(knowledge_sources(question, kb, limit), 1)
    ]
    for e in evidence or []:
        sources.append(replace(_record_source(e), number=len(sources) + 1))
    return sources


def _candidates(
    question: str, kb: KnowledgeBase, evidence: list[Evidence], instructions: list[str], embed: Embed | None
) -> tuple[list[Source], list[Piece]]:
    """Every section of the codes the answer may draw on, and the case's evidence, cut into pieces."""
    codes = answer_codes(question, kb, embed)
    asked = ranking.asked_sections(question, embed)
    fits = dict.fromkeys(asked, 1.0)
    if evidence and "evidence" in asked:  # "does the chart show ...?" with a case: the chart's own words come first
        fits["evidence"] = SECONDARY
    sources: list[Source] = []
    pieces: list[Piece] = []
    for entry in codes:
        for section, text in section_texts(entry).items():
            if not text.strip():
                continue
            fit, running = fits.get(section, 0.0), not text.lstrip().startswith("- ")
            pieces += [
                Piece(len(sources), i, s, fit, running and i == 0)
                for i, s in enumerate(ranking.knowledge_sentences(text))
            ]
            sources.append(
                Source(0, _knowledge_label(entry, section), text, "knowledge", code=entry.code, section=section)
            )
    requirements = {}
    for entry in reversed(codes):  # the first code named wins a requirement id two codes share
        requirements.update({r.id: [r.label, r.need, *r.queries] for r in entry.evidence})
    topics = sorted({e.requirement for e in evidence if e.requirement in requirements})
    topic_fits = dict(zip(topics, ranking.topic_fit(question, [requirements[t] for t in topics], embed)))
    shows = 1.0 if "evidence" in asked else 0.0  # "does the chart show ...?": the record answers it
    for e in evidence:
        quotes = [
            s for s in ranking.record_sentences(e.text, e.document, e.page) if not repeats_instructions(s, instructions)
        ]
        fit = max(topic_fits.get(e.requirement, 0.0), shows)
        pieces += [Piece(len(sources), i, s, fit) for i, s in enumerate(quotes)]
        sources.append(_record_source(e))
    return sources, pieces


def extractive(
    question: str,
    kb: KnowledgeBase,
    evidence: list[Evidence] | None = None,
    instructions: list[str] | None = None,
    embed: Embed | None = None,
) -> Answer:
    """The sentences that answer the question, one a line; only the sources they come from are
    listed, numbered in the order the answer first cites them."""

    def ranked(embed: Embed | None) -> tuple[list[Source], list[Piece], list[int]]:
        candidates, pieces = _candidates(question, kb, evidence or [], instructions or [], embed)
        return candidates, pieces, ranking.choose(pieces, *ranking.score(question, pieces, embed))

    try:
        candidates, pieces, chosen = ranked(embed)
    except EmbeddingModelMissing:  # the model is not installed: BM25 alone still answers
        candidates, pieces, chosen = ranked(None)
    numbers: dict[int, int] = {}
    lines = []
    for i in chosen:
        piece = pieces[i]
        n = numbers.setdefault(piece.source, len(numbers) + 1)
        record = candidates[piece.source].kind == "record"
        lines.append(f'From the record: "{piece.text}" [{n}]' if record else f"{piece.text} [{n}]")
    used = [replace(candidates[s], number=n) for s, n in numbers.items()]
    warnings = [] if lines else ["Nothing in the knowledge base or the case answers this question."]
    return Answer(question, "\n".join(lines), used, warnings=warnings)


def check_answer(text: str, sources: list[Source], question: str) -> list[str]:
    """Reasons a model's answer must not be shown; [] when it may."""
    by_number = {s.number: s for s in sources}
    markers = [int(n) for n in MARKER.findall(text)]
    problems = []
    if not markers:
        problems.append("no_citations: the answer cites no source")
    dangling = sorted({n for n in markers if n not in by_number})
    if dangling:
        problems.append(f"dangling_marker: {dangling} match no source")
    cited_text = " ".join(by_number[n].text for n in markers if n in by_number) + " " + question
    invented = sorted(numbers_in(MARKER.sub(" ", text)) - numbers_in(cited_text))
    if invented:
        problems.append(f"unsupported_number: {', '.join(invented[:5])} in no cited source")
    return problems


def answer_question(
    question: str,
    kb: KnowledgeBase,
    evidence: list[Evidence] | None = None,
    models: list[ChatModel] | None = None,
    instructions: list[str] | None = None,
    embed: Embed | None = None,
) -> Answer:
    """`embed` (the app's embedder) adds dense similarity to the extractive ranking; BM25 alone without it."""
    sources = gather_sources(question, kb, evidence)
    if not models or not sources:
        return extractive(question, kb, evidence, instructions, embed)
    from langchain_core.messages import HumanMessage

    data = "\n".join(fenced("source", {"n": s.number, "label": s.label}, s.text) for s in sources)
    prompt = load_prompt("chat").substitute(question=question, sources=data)
    attempts: list[ModelAttempt] = []
    reason = "No model answered"
    for chat in models:
        start = time.perf_counter()
        try:
            reply = chat.model.invoke([HumanMessage(prompt)])
        except Exception as exc:  # provider down, slow or refusing: try the next one
            attempts.append(chat.attempt("draft", time.perf_counter() - start, error=exc))
            continue
        text = reply_text(reply)
        problems = check_answer(text, sources, question)
        problems += [str(f) for f in repeats_instructions(text, instructions or [])]
        attempts.append(chat.attempt("draft", time.perf_counter() - start, [p.split(":")[0] for p in problems]))
        if not problems:
            return Answer(question, text, sources, "llm", attempts=attempts)
        reason = "The model's answer was not used (" + "; ".join(problems) + ")"
        break
    fallback = extractive(question, kb, evidence, instructions, embed)
    fallback.attempts = attempts
    fallback.warnings.insert(0, f"{reason}; these are the sources' own words.")
    return fallback
