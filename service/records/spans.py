"""Cut page text into sentences and chunks that remember exactly where they came from.

Every span is an offset pair into one page's text, so a quote taken from it is verbatim by
construction and its page is never lost. Chunks never cross a page boundary.
"""

import re
from collections.abc import Iterator

from service.models import Chunk, Page, Span
from service.records.quote_edges import trim_edges
from service.records.tables import RULE, find_tables, is_row

TERMINAL = re.compile(r"[.!?:;]['\")\]]?$")
LABEL_OR_BULLET = re.compile(r"^(?:[-*\u2022]|\d{1,2}[.)]\s|\d{1,2}/\d{1,2}/\d{2,4}|[A-Z][\w /&()-]{0,40}:\s)")
HEADER_LINE = re.compile(
    r"^(?:patient|pt|name|date|reporting\s+period|period|dob|mrn|member)\b[^:]{0,30}:", re.IGNORECASE
)
SENTENCE_END = re.compile(r"(?<=[.!?])['\")\]]?\s+(?=[A-Z0-9\"(\[])")
ABBREVIATIONS = ("Dr.", "Mr.", "Mrs.", "Ms.", "e.g.", "i.e.", "vs.", "No.", "St.", "approx.", "Jr.", "Sr.", "Pt.")
MAX_SENTENCE = 400
TABULAR = re.compile(r"\S {3,}\S.* {3,}\S")
"""Two wide gaps inside a line: cells of a table row, never part of a wrapped sentence."""
DANGLING = re.compile(
    r",$|\s(?:the|of|and|or|to|with|for|a|an|in|on|by|at|from|that|who|was|were|is|are)$", re.IGNORECASE
)
"""A line ending on a comma, or on a word no sentence ends on, was wrapped there."""
BARE_VALUE = re.compile(r"^\d[\w/.:-]*(?:\s+\d[\w/.:-]*)?$")
"""'03/10/2025', '3/10/25 14:30', '42': a value alone on its line, as OCR leaves one whose label
('Date reviewed/revised:') ended the line above."""
INITIAL_OR_NUMBER = re.compile(r"(?:(?:^|[\s(\[])[A-Z]\.|^\s*\d{1,2}[.)])$")
"""'J. Ellis', '(G. Novak RN)', '1. Diabetes': a full stop that ends no sentence."""


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank line, trimmed of surrounding whitespace."""
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group(0)
        lead = len(raw) - len(raw.lstrip())
        trail = len(raw) - len(raw.rstrip())
        if raw.strip():
            yield match.start() + lead, match.end() - trail


def _continues(prev: str, cur: str, wide: int, paragraphs: bool, wraps: bool = True) -> bool:
    """Does `cur` continue the wrapped sentence of `prev`? Lowercase starts always do; other
    lines only inside a blank-line paragraph (OCR text) or when `cur`'s first word would not have
    fitted on `prev` (the line was wrapped there), `wide` being the page's body width. `wraps`:
    the page is written in wrapped sentences (`_wrapped`); on a page of terse lines that each
    open with a capital, a line as wide as the widest is only the longest line."""
    if re.search(r"[.!?]['\")\]]?$", prev):
        return False
    if prev.rstrip().endswith(":") and BARE_VALUE.match(cur.strip()):
        return True
    if HEADER_LINE.match(prev):
        return False
    if cur[:1].islower():
        return True
    if TERMINAL.search(prev) or " | " in prev or LABEL_OR_BULLET.match(cur):
        return False
    if TABULAR.search(prev) or TABULAR.search(cur):
        return False
    if DANGLING.search(prev):
        return True  # 'copy sent to' / 'Dr. Leah Moss (cardiology) ...': no line ends on 'to'
    if cur.rstrip().endswith(":") and len(cur.split()) <= 5:
        return False  # 'Goals:' opens a section
    if paragraphs:
        return True
    if not wraps and cur[:1].isupper():
        return False
    flat = " ".join(prev.split())
    return len(flat) >= 0.6 * wide and len(flat) + 1 + len(cur.split()[0]) >= 0.97 * wide


INNER_END = re.compile(r"(\S{2,})[.!?]\s+[A-Z][a-z]")


def _wrapped(lines: list[str]) -> bool:
    """Is the page written in sentences wrapped across lines? A line opens in lowercase, or a
    sentence ends inside two lines ('...BP monitor. Dx: I50.42'); a page of terse charting lines
    ('Meds reviewed, taking as prescribed' / 'F/u call 2 wks') shows neither. One two-sentence
    footer ('...health information. Do not re-disclose.') does not make a terse page prose."""
    inner = 0
    for line in lines:
        if line[:1].islower():
            return True
        if any(m.group(1) + "." not in ABBREVIATIONS for m in INNER_END.finditer(line)):
            inner += 1
    return inner >= 2


def _table_lines(text: str) -> tuple[set[int], set[int]]:
    """Starts of table header and row lines (each its own block), and of every table line."""
    tables = find_tables(text)
    own = {t.header[0] for t in tables}
    every = set(own)
    wide = max((len(" ".join(line.split())) for line in text.splitlines()), default=0)
    for table in tables:
        for start, end in table.rows:
            every.add(start)
            if is_row(text[start:end], wide):
                own.add(start)
    return own, every


def _body_width(text: str, lines: list[tuple[int, int]]) -> int:
    """How wide a full line of running text is on this page: the longest line of four words or
    more, leaving out the top two and bottom two lines (letterhead, footer) and lines with wide
    gaps (banners, table rows), so a letterhead above two narrow columns does not set it."""
    body = lines[2:-2] if len(lines) > 6 else lines
    widths = [
        len(" ".join(text[s:e].split())) for s, e in body if len(text[s:e].split()) >= 4 and "   " not in text[s:e]
    ]
    if not widths:
        return max((len(" ".join(text[s:e].split())) for s, e in lines), default=0)
    wide = max(widths)
    if sum(w >= 0.9 * wide for w in widths) < 2:
        return wide * 2  # no two lines reach the same width: nothing here was wrapped
    return wide


REGION_BREAK = "\n\n\n"
"""Two blank lines: the text layer's reader sets a page's regions apart with them (columns, a
sidebar, drawn boxes; `records.regions`); OCR text marks a paragraph with one."""
REGION_BREAKS = re.compile(r"\n[ \t]*\n[ \t]*\n\s*")
"""`REGION_BREAK` or more, blanks on the blank lines allowed. No sentence crosses one, and each
region is measured on its own (its width, whether it is wrapped prose)."""


def _regions(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in REGION_BREAKS.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _blocks(text: str) -> list[tuple[int, int]]:
    """Sentence blocks of the whole page, region by region, as page offsets."""
    blocks: list[tuple[int, int]] = []
    for start, end in _regions(text):
        blocks += [(start + a, start + b) for a, b in _region_blocks(text[start:end])]
    return blocks


def _region_blocks(text: str) -> list[tuple[int, int]]:
    lines = list(_lines(text))
    wide = _body_width(text, lines)
    paragraphs = text.count("\n\n") >= 2
    wraps = _wrapped([text[s:e] for s, e in lines])
    own_line, table_line = _table_lines(text)
    blocks: list[list[int]] = []
    ruled = False
    for start, end in lines:
        if RULE.match(text[start:end]):
            ruled = True  # a ruled line ends the block above it and is no sentence itself
            continue
        if ruled:
            blocks.append([start, end, start])
            ruled = False
            continue
        blank_between = paragraphs and "\n\n" in text[blocks[-1][1] : start] if blocks else False
        joined = blocks and (not blank_between or text[start:end][:1].islower()) and start not in own_line
        after_table = bool(blocks) and blocks[-1][2] in table_line and start not in table_line
        if after_table and not text[start:end][:1].islower():
            joined = False
        if blocks and start in table_line and start not in own_line and blocks[-1][2] in table_line:
            blocks[-1][1], blocks[-1][2] = end, start  # a wrapped cell's second line belongs to its row
            continue
        if joined and _continues(text[blocks[-1][2] : blocks[-1][1]], text[start:end], wide, paragraphs, wraps):
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
            s, e = trim_edges(text, s, e)
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
