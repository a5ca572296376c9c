"""Text that is on the page but proves nothing: headers, footers, headings, bare labels.

Running headers and footers are found by repetition: a line (digits ignored, so page numbers and
dates do not hide it) that recurs on several pages of one document is letterhead, not evidence.
"""

import re
from collections import Counter

from service.index.lexical import tokens
from service.models import Page, Span

LABEL_ONLY = re.compile(
    r"\b(?:DOB|D\.O\.B|MRN)\b|^\W*(?:patient(?:\s+name)?|name|page|date(?:\s+of\s+service)?|"
    r"reporting\s+period|provider|clinic|fax|phone)\s*[:#]?\s*[\w/ ,.\-]{0,40}$|^page\s+\d+(?:\s+of\s+\d+)?$",
    re.IGNORECASE,
)
DIGITS = re.compile(r"\d+")


def is_boilerplate(text: str) -> bool:
    """Headings and bare labels: true of every chart, evidence of nothing."""
    flat = " ".join(text.split())
    if flat.endswith(":") or (flat.isupper() and not DIGITS.search(flat)) or is_heading(flat) or is_fragment(flat):
        return True
    if is_section_heading(flat) and not DIGITS.search(flat):
        return True
    return bool(LABEL_ONLY.search(flat)) or len(tokens(flat)) < 3


FRAGMENT_END = re.compile(r"\b(?:was|were|is|are|the|of|and|or|to|with|for|a|an|in|on|by|at|from|that|who)$", re.IGNORECASE)


def is_fragment(flat: str) -> bool:
    """A sentence cut by a page break ('The registry query was'): it proves nothing alone."""
    return bool(FRAGMENT_END.search(flat))


def is_heading(flat: str) -> bool:
    """'Chronic Care Management Enrollment and Consent': short, capitalised, no digits, no end."""
    words = flat.split()
    if not words or len(words) > 8 or DIGITS.search(flat) or flat[-1] in ".!?;,":
        return False
    capitalised = sum(w[:1].isupper() for w in words if len(w) > 3)
    return capitalised >= max(1, len([w for w in words if len(w) > 3]) - 1)


def is_section_heading(flat: str) -> bool:
    """A line that names the section below it ('Treatment goals and expected outcomes',
    'Problem list (conditions expected to last 12 months)'): never quoted, but it lends its
    relevance to the lines under it."""
    words = flat.split()
    bare = re.sub(r"\([^)]*\)", "", flat)
    if not words or len(words) > 12 or DIGITS.search(bare) or flat[-1] in ".!?;," or not flat[0].isalpha():
        return False
    if re.match(r"^(?:[-*\u2022]|\d+[.)])\s", flat) or re.search(r"\w:\s+\w", flat):
        return False
    return True


def _shape(text: str) -> str:
    return DIGITS.sub("#", " ".join(text.split()).lower())


def repeated_lines(pages: list[Page], min_pages: int = 3) -> set[str]:
    """Shapes of lines printed on at least `min_pages` pages of the same document."""
    counts: Counter[tuple[str, str]] = Counter()
    for page in pages:
        for shape in {_shape(line) for line in page.text.splitlines() if line.strip()}:
            counts[(page.document, shape)] += 1
    return {shape for (_, shape), n in counts.items() if n >= min_pages}


def running_text_spans(sentences: list[Span], repeated: set[str]) -> set[tuple[str, int, int]]:
    """Keys of sentences that sit inside a repeated header or footer line."""
    flagged = set()
    for s in sentences:
        shape = _shape(s.text)
        if shape in repeated or any(shape in line for line in repeated if len(shape) >= 12):
            flagged.add((s.document, s.page, s.start))
    return flagged
