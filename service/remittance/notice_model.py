"""A denial letter read by the configured language model, beside the layout reader.

The letter's pages go to the model fenced and escaped as data (prompts/notice.md), with the
claim fields as a structured-output schema; a model or server without structured output is
asked again for plain text and the JSON is read from its reply. A model that fails (down, slow,
refusing) gives way to the next configured one; one that answers with nothing readable leaves
the layout reading alone. Nothing of the letter is logged or kept.
"""

import html
from pathlib import Path

from service.drafting.llm import load_prompt, reply_text
from service.llm.chat import ChatModel
from service.models import NoticeReading, Page
from service.remittance.notice_claim import NoticeClaim, claim_from_data, claim_from_text
from service.remittance.notice_grounding import grounded
from service.remittance.notice_merge import doubted, merge
from service.resources import PROMPTS


def model_reading(layout: NoticeReading, pages: list[Page], models: list[ChatModel]) -> NoticeReading:
    """The layout reading, checked and completed by the first model that answers; unchanged
    when none does or its answer holds nothing the letter prints."""
    claim = ask_models(models, notice_prompt(pages))
    if claim is None:
        return layout
    return merge(layout, grounded(claim, pages, doubted(layout.bar), layout.bar))


def notice_prompt(pages: list[Page], folder: Path = PROMPTS) -> str:
    fields = "\n".join(f"- {name}: {info.description}" for name, info in NoticeClaim.model_fields.items())
    letter = "\n".join(fenced_page(page) for page in pages)
    return load_prompt("notice", folder).substitute(fields=fields, letter=letter)


def fenced_page(page: Page) -> str:
    """One page, escaped, inside its tag, lines kept (a letter's layout is half its meaning)."""
    text = "\n".join(html.escape(line.rstrip()) for line in page.text.strip().splitlines())
    return f'<letter_page n="{int(page.number)}">\n{text}\n</letter_page>'


def ask_models(models: list[ChatModel], prompt: str) -> NoticeClaim | None:
    from langchain_core.messages import HumanMessage

    for chat in models:
        try:
            return ask(chat.model, [HumanMessage(prompt)])
        except Exception:  # the provider failed (down, slow, refused): the next one, else no model reading
            continue
    return None


def ask(model, messages: list) -> NoticeClaim | None:
    """The model's claim, through structured output where the model has it; raises only when
    the model could not be reached or failed."""
    structured = _structured(model)
    if structured is not None:
        try:
            out = structured.invoke(messages)
        except Exception as exc:
            if not _answered_badly(exc):
                raise
        else:
            parsed, raw = (out.get("parsed"), out.get("raw")) if isinstance(out, dict) else (out, None)
            return claim_from_data(parsed) or (claim_from_text(reply_text(raw)) if raw is not None else None)
    return claim_from_text(reply_text(model.invoke(messages)))


def _structured(model):
    try:
        return model.with_structured_output(NoticeClaim, include_raw=True)
    except (NotImplementedError, ValueError, TypeError):  # no tool calling or schema support
        return None


def _answered_badly(exc: Exception) -> bool:
    """The server refused the schema (400) or its reply did not parse: worth asking for text."""
    return isinstance(exc, ValueError) or getattr(exc, "status_code", None) in (400, 422)
