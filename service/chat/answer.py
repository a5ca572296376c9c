"""Answers to billing staff's questions, every specific cited to a numbered source.

Without a model the answer is extractive: the relevant sections themselves, each with its
marker. With a model the answer must pass `check_answer` (markers resolve, at least one is
used, every number is in a cited source or the question, nothing repeated from instruction
text) or the extractive answer is given instead, with the reason in `warnings`.
"""

import time
from dataclasses import dataclass, field

from service.chat.sources import SECTION_TITLES, Source, knowledge_sources
from service.drafting.llm import fenced, load_prompt, reply_text
from service.drafting.template import flat
from service.drafting.validator import MARKER, numbers_in, repeats_instructions
from service.knowledge.loader import KnowledgeBase
from service.llm.chat import ChatModel
from service.models import Evidence, ModelAttempt


@dataclass
class Answer:
    question: str
    text: str
    sources: list[Source]
    method: str = "extractive"
    warnings: list[str] = field(default_factory=list)
    attempts: list[ModelAttempt] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "question": self.question, "answer": self.text, "method": self.method,
            "sources": [{k: v for k, v in s.__dict__.items() if v is not None} for s in self.sources],
            "warnings": self.warnings, "attempts": [a.model_dump() for a in self.attempts],
        }


def gather_sources(question: str, kb: KnowledgeBase, evidence: list[Evidence] | None = None, limit: int = 4) -> list[Source]:
    sources = [
        Source(n, f"{entry.code} ({entry.title}): {SECTION_TITLES[section]}", text, "knowledge", code=entry.code, section=section)
        for n, (entry, section, text) in enumerate(knowledge_sources(question, kb, limit), 1)
    ]
    for e in evidence or []:
        n = len(sources) + 1
        sources.append(Source(n, f"{e.document}, page {e.page}", e.text, "record", document=e.document, page=e.page))
    return sources


def extractive(sources: list[Source]) -> str:
    """The sources' own words, each line carrying its marker."""
    lines = []
    for s in sources:
        if s.kind == "record":
            lines.append(f'- From the record, {s.label}: "{flat(s.text)}" [{s.number}]')
            continue
        lines.append(f"{s.label}:")
        for line in s.text.splitlines():
            if line.strip():
                lines.append(f"  {line.strip()} [{s.number}]" if line.lstrip().startswith("-") else f"  {flat(line)} [{s.number}]")
    return "\n".join(lines)


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


def render_sources(sources: list[Source]) -> str:
    return "\n".join(f"[{s.number}] {s.label}" for s in sources)


def answer_question(
    question: str,
    kb: KnowledgeBase,
    evidence: list[Evidence] | None = None,
    models: list[ChatModel] | None = None,
    instructions: list[str] | None = None,
) -> Answer:
    sources = gather_sources(question, kb, evidence)
    answer = Answer(question, extractive(sources), sources)
    if not models or not sources:
        return answer
    from langchain_core.messages import HumanMessage

    data = "\n".join(fenced("source", {"n": s.number, "label": s.label}, s.text) for s in sources)
    prompt = load_prompt("chat").substitute(question=question, sources=data)
    for chat in models:
        start = time.perf_counter()
        try:
            reply = chat.model.invoke([HumanMessage(prompt)])
        except Exception as exc:  # provider down, slow or refusing: try the next one
            answer.attempts.append(chat.attempt("draft", time.perf_counter() - start, error=exc))
            continue
        text = reply_text(reply)
        problems = check_answer(text, sources, question)
        problems += [str(f) for f in repeats_instructions(text, instructions or [])]
        answer.attempts.append(chat.attempt("draft", time.perf_counter() - start, [p.split(":")[0] for p in problems]))
        if not problems:
            answer.text, answer.method = text, "llm"
            return answer
        answer.warnings.append("The model's answer was not used (" + "; ".join(problems) + "); these are the sources' own words.")
        return answer
    answer.warnings.append("No model answered; these are the sources' own words.")
    return answer
