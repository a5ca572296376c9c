"""Cut page text into sentences and chunks that remember exactly where they came from.

Every span is an offset pair into one page's text, so a quote taken from it is verbatim by
construction and its page is never lost. Chunks never cross a page boundary.
"""

import re
from collections.abc import Iterator

from service.models import Chunk, Page, Span

TERMINAL = re.compile(r"[.!?:;]['\")\]]?$")
LABEL_OR_BULLET = re.compile(r"^(?:[-*\u2022]|\d{1,2}[.)]\s|\d{1,2}/\d{1,2}/\d{2,4}|[A-Z][\w /&()-]{0,40}:\s)")
HEADER_LINE = re.compile(r"^(?:patient|pt|name|date|reporting\s+period|period|dob|mrn|member)\b[^:]{0,30}:", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])['\")\]]?\s+(?=[A-Z0-9\"(\[])")
ABBREVIATIONS = ("Dr.", "Mr.", "Mrs.", "Ms.", "e.g.", "i.e.", "vs.", "No.", "St.", "approx.", "Jr.", "Sr.", "Pt.")
MAX_SENTENCE = 400
INITIAL_OR_NUMBER = re.compile(r"(?:(?:^|\s)[A-Z]\.|^\s*\d{1,2}[.)])$")


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank line, trimmed of surrounding whitespace."""
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group(0)
        lead = len(raw) - len(raw.lstrip())
        trail = len(raw) - len(raw.rstrip())
        if raw.strip():
            yield match.start() + lead, match.end() - trail


def _continues(prev: str, cur: str, wide: int, paragraphs: bool) -> bool:
    """Does `cur` continue the wrapped sentence of `prev`? Lowercase starts always do; other
    lines only inside a blank-line paragraph (OCR text) or when `prev` ran to nearly the full
    width of the page without ending."""
    if re.search(r"[.!?]['\")\]]?$", prev):
        return False
    if HEADER_LINE.match(prev):
        return False
    if cur[:1].islower():
        return True
    if TERMINAL.search(prev) or " | " in prev or LABEL_OR_BULLET.match(cur):
        return False
    return paragraphs or len(prev) >= 0.85 * wide


def _blocks(text: str) -> list[tuple[int, int]]:
    lines = list(_lines(text))
    wide = max((e - s for s, e in lines), default=0)
    paragraphs = text.count("\n\n") >= 2
    blocks: list[list[int]] = []
    for start, end in lines:
        blank_between = paragraphs and "\n\n" in text[blocks[-1][1] : start] if blocks else False
        joined = blocks and (not blank_between or text[start:end][:1].islower())
        if joined and _continues(text[blocks[-1][2] : blocks[-1][1]], text[start:end], wide, paragraphs):
            blocks[-1][1] = end
            blocks[-1][2] = start
        else:
            blocks.append([start, end, start])
    return [(b[0], b[1]) for b in blocks]


def _split_block(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    cursor = start
    for match in SENTENCE_END.finditer(text, start, end):
        before = text[cursor : match.start()]
        if before.endswith(ABBREVIATIONS) or INITIAL_OR_NUMBER.search(before):
            continue
        closing = len(match.group(0)) - len(match.group(0).lstrip("'\")]"))
        yield cursor, match.start() + closing
        cursor = match.end()
    yield cursor, end


def _bounded(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Very long 'sentences' (tables flattened into one line) are cut at word boundaries."""
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start, start + MAX_SENTENCE)
        if cut <= start:
            cut = start + MAX_SENTENCE
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    yield start, end


def split_sentences(page: Page) -> list[Span]:
    text = page.text
    spans: list[Span] = []
    for block_start, block_end in _blocks(text):
        for s, e in _split_block(text, block_start, block_end):
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            for bs, be in _bounded(text, s, e):
                piece = text[bs:be]
                if sum(ch.isalnum() for ch in piece) >= 3:
                    spans.append(Span(document=page.document, page=page.number, start=bs, end=be, text=piece))
    return spans


def chunk_page(page: Page, sentences: list[Span], max_chars: int, doc_key: str) -> list[Chunk]:
    """Consecutive sentences up to `max_chars`, overlapping by one sentence."""
    chunks: list[Chunk] = []
    i = 0
    while i < len(sentences):
        j = i + 1
        while j < len(sentences) and sentences[j].end - sentences[i].start <= max_chars:
            j += 1
        first, last = sentences[i], sentences[j - 1]
        chunks.append(
            Chunk(
                id=f"{doc_key}:{page.number}:{len(chunks)}",
                document=page.document,
                page=page.number,
                start=first.start,
                end=last.end,
                text=page.text[first.start : last.end],
                ocr=page.ocr,
            )
        )
        if j >= len(sentences):
            break
        i = j - 1 if j - i > 2 else j
    return chunks
