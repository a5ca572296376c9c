"""The model drafter: passages in, letter out, and the validator between the model and the user.

Each configured model (primary, then fallbacks when a call fails) gets one draft and, if the
validator rejects it, one repair round with the failures fed back. The first letter that passes
ships with `method: "llm"`; otherwise the caller falls back to the template letter. Every call
is recorded as a `ModelAttempt` (no record text is stored in it).
"""

import html
import time
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from service.drafting.abstain import abstain
from service.drafting.statements import split_statements
from service.drafting.template import RULE, flat, sources_lines
from service.drafting.validator import MARKER, Failure, Passage, Sources, validate
from service.llm.chat import ChatModel
from service.models import CaseFields, Citation, CodeEntry, Evidence, ModelAttempt
from service.resources import PROMPTS


def load_prompt(name: str, folder: Path = PROMPTS) -> Template:
    return Template((folder / f"{name}.md").read_text(encoding="utf-8"))


def number_passages(evidence: list[Evidence]) -> dict[int, Passage]:
    return {n: Passage(n, e.document, e.page, e.text, e.requirement) for n, e in enumerate(evidence, 1)}


def fenced(tag: str, attributes: dict, text: str) -> str:
    """Record text as escaped data inside a tag, so a page cannot close the fence or pose as one."""
    attrs = " ".join(f'{k}="{html.escape(str(v))}"' for k, v in attributes.items())
    return f"<{tag} {attrs}>\n{html.escape(flat(text))}\n</{tag}>"


def fence(passages: dict[int, Passage]) -> str:
    return "\n".join(
        fenced("passage", {"n": p.number, "document": p.document, "page": p.page}, p.text) for p in passages.values()
    )


@dataclass
class ModelLetter:
    letter: str | None
    citations: list[Citation] = field(default_factory=list)
    attempts: list[ModelAttempt] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dropped: list[Failure] = field(default_factory=list)
    """Sentences left out of the shipped letter (cite or abstain), by number and reason."""


def reply_text(message) -> str:
    """A chat model's reply as plain text (content may be a string or a list of parts)."""
    content = getattr(message, "content", message)
    if isinstance(content, list):
        content = "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return str(content).strip()


def finish(body: str, passages: dict[int, Passage], ocr: set[tuple[str, int]]) -> tuple[str, list[Citation]]:
    """The accepted body plus our own Sources list for the markers it uses, in order of use."""
    used = list(dict.fromkeys(int(n) for n in MARKER.findall(body) if int(n) in passages))
    citations = [
        Citation(marker=f"[{n}]", document=passages[n].document, page=passages[n].page, quote=passages[n].text)
        for n in used
    ]
    lines = [body.rstrip(), "", RULE, "Sources", *sources_lines(citations, ocr)]
    return "\n".join(lines) + "\n", citations


def draft_prompt(case: CaseFields, entry: CodeEntry, passages: dict[int, Passage], folder: Path = PROMPTS) -> str:
    fields = "\n".join(f"{k}: {v}" for k, v in case.model_dump(mode="json").items() if v not in (None, [], ""))
    return load_prompt("draft", folder).substitute(
        case=fields,
        code=entry.code,
        title=entry.title,
        explanation=flat(entry.explanation),
        argument=flat(entry.appeal_argument),
        passages=fence(passages),
    )


def rejection_warnings(outcome: ModelLetter) -> list[str]:
    """Why the model's letter was not used, by failure name, for the person sending the letter."""
    out = [f"The model's letter was not used ({e}); this is the template letter." for e in outcome.errors]
    if outcome.letter is not None and outcome.dropped:
        reasons = "; ".join(f"sentence {f.sentence}: {f.name}" for f in outcome.dropped)
        out.append(
            f"The model's letter shipped without {len(outcome.dropped)} sentence(s) that said more than their citations ({reasons})."
        )
        return out
    if outcome.failures:
        reasons = "; ".join(str(f) for f in outcome.failures[:8])
        out.append(
            f"The model's letter failed validation after a repair round and was replaced by the template letter: {reasons}."
        )
    return out


def model_letter(
    models: list[ChatModel],
    prompt: str,
    sources: Sources,
    ocr: set[tuple[str, int]],
    repair: Template,
    clock=time.perf_counter,
) -> ModelLetter:
    from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

    outcome = ModelLetter(letter=None)
    for chat in models:
        messages: list[BaseMessage] = [HumanMessage(prompt)]
        for round_name in ("draft", "repair"):
            start = clock()
            try:
                reply = chat.model.invoke(messages)
            except Exception as exc:  # any provider failure: timeout, refused, bad response
                outcome.attempts.append(chat.attempt(round_name, clock() - start, error=exc))
                outcome.errors.append(f"{chat.provider}:{chat.name} failed ({exc.__class__.__name__})")
                break
            body = reply_text(reply)
            failures = validate(body, sources)
            outcome.attempts.append(chat.attempt(round_name, clock() - start, [f.name for f in failures]))
            if not failures:
                outcome.letter, outcome.citations = finish(body, sources.passages, ocr)
                outcome.failures = []
                return outcome
            outcome.failures = failures
            if round_name == "repair":
                kept = abstain(body, failures, sources)
                if kept is not None:
                    outcome.letter, outcome.citations = finish(kept[0], sources.passages, ocr)
                    outcome.dropped, outcome.failures = kept[1], []
                    return outcome
            messages += [AIMessage(body), HumanMessage(repair.substitute(failures=repair_list(body, failures)))]
        else:
            return outcome  # the model answered twice and was rejected twice: no fallback for that
    return outcome


def repair_list(body: str, failures: list[Failure]) -> str:
    """Each failure for the model, with the sentence it is about quoted back (never logged)."""
    statements = {st.index: st.text for st in split_statements(body)}
    lines = []
    for f in failures:
        said = f' "{statements[f.sentence]}"' if f.sentence in statements else ""
        lines.append(f"- {f.name}: " + (f"sentence {f.sentence}{said}: " if f.sentence else "") + f.detail)
    return "\n".join(lines)
