"""A model's letter cut into numbered statements, so each one can be checked against its own
citations (`support.py`) and named in a failure without repeating its text.

The header (letterhead, payer, RE block) and the signature are `frame` statements: the identity
checks read them, the support checks do not. Between 'Dear ...' and the closing every sentence
and every list item is a statement of its own; a quotation is never cut at its inner full stops,
and a marker written after the full stop ('... 45 minutes. [3]') stays with its sentence.
"""

import re
from dataclasses import dataclass

MARKER = re.compile(r"\[(\d+)\]")
SALUTATION = re.compile(r"^\s*Dear\b", re.I)
CLOSING = re.compile(
    r"^\s*(?:Sincerely|Respectfully(?:\s+submitted)?|(?:Kind|Best)\s+regards|Regards|Thank you),?\s*$", re.I
)
ITEM = re.compile(r"^\s*(?:[-*\u2022]|\d{1,2}[.)])\s+")
ABBREVIATIONS = re.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|Mx|St|Jr|Sr|No|vs|approx|Inc|Co|Corp|Ltd|Dept|U\.S|e\.g|i\.e|etc)|\b[A-Z])\.$"
)
CLOSES = {'"': '"', "\u201c": "\u201d"}
"""A quotation closes with its opening mark's partner: a curly mark inside a straight-quoted
passage (OCR text: '"Influenza vaccine co Done 10/09/2025 | Given\u201d"') ends nothing."""


@dataclass(frozen=True)
class Statement:
    index: int
    text: str
    part: str
    """'frame' (header, RE block, signature), 'body' (a sentence), or 'item' (a list item)."""

    @property
    def markers(self) -> list[int]:
        return [int(n) for n in MARKER.findall(self.text)]

    @property
    def bare(self) -> str:
        """The statement without its markers, whitespace closed up."""
        return " ".join(MARKER.sub(" ", self.text).split())


def split_statements(body: str) -> list[Statement]:
    """Every statement of a letter body, in order, numbered from 1."""
    lines = body.splitlines()
    start = next((i for i, line in enumerate(lines) if SALUTATION.match(line)), None)
    end = next(
        (i for i, line in enumerate(lines) if start is not None and i > start and CLOSING.match(line)), len(lines)
    )
    pieces: list[tuple[str, str]] = []
    if start is None:
        start = -1  # no salutation: everything up to the closing is read as the body
    pieces += [(line, "frame") for line in lines[: start + 1] if line.strip()]
    for paragraph in _paragraphs(lines[start + 1 : end]):
        if ITEM.match(paragraph):
            pieces.append((paragraph, "item"))
        else:
            pieces += [(sentence, "body") for sentence in sentences(paragraph)]
    pieces += [(line, "frame") for line in lines[end:] if line.strip()]
    return [Statement(i, " ".join(text.split()), part) for i, (text, part) in enumerate(pieces, 1)]


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank-line paragraphs; each list item is a paragraph of its own (with its wrapped lines)."""
    out: list[list[str]] = []
    fresh = True
    for line in lines:
        if not line.strip():
            fresh = True
            continue
        if fresh or ITEM.match(line):
            out.append([line.strip()])
        else:
            out[-1].append(line.strip())
        fresh = False
    return [" ".join(p) for p in out]


def sentences(paragraph: str, quotes: bool = True) -> list[str]:
    """Sentences of one paragraph, never cut inside a quotation or after an abbreviation. A
    quotation left open to the paragraph's end would hide every sentence after it inside one
    statement (and under its markers): the paragraph is then split as if it quoted nothing."""
    out, current, closing, ended = [], [], "", False
    words = paragraph.split()
    for i, word in enumerate(words):
        current.append(word)
        for ch in word if quotes else "":
            if not closing and ch in CLOSES:
                closing = CLOSES[ch]
            elif closing and ch == closing:
                closing = ""
        if closing:
            continue
        if MARKER.fullmatch(word.rstrip(".,;:")):
            ended = ended or word.endswith((".", "!", "?"))  # '... 45 minutes. [3]' or '... minutes [3].'
        else:
            ended = bool(re.search(r"[.!?][\"\u201d')\]]*$", word)) and not ABBREVIATIONS.search(
                word.rstrip("\"\u201d')")
            )
        following = words[i + 1] if i + 1 < len(words) else ""
        if (
            ended
            and following
            and not MARKER.fullmatch(following.rstrip(".,;:"))
            and re.match(r"[\"\u201c(\[A-Z0-9]", following)
        ):
            out.append(" ".join(current))
            current, ended = [], False
    if closing:
        return sentences(paragraph, quotes=False)
    if current:
        out.append(" ".join(current))
    return out
