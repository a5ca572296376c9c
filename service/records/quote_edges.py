"""A quote's edges without OCR noise: a scan's ruling read as '|', a speck read as '~' or '_', a
stray quote mark or bracket, a full stop left alone after a space. Only the offsets move, so the
quote stays a verbatim slice of the page; a bracket or quote mark closed inside the quote stays,
and so does a list's bullet, which says what the line is.
"""

import re

NOISE = set("|[](){}_~'\"\u2018\u2019\u201c\u201d`\u00ab\u00bb")
LONE = set(".,;:!?*-=+^#\u00b7\u2022\u2014\u2013") | NOISE
"""Characters that, standing alone at an edge (a token of nothing else), say nothing."""
BULLETS = set("-*\u2022>")
PAIRS = {"(": ")", "[": "]", "{": "}", "\u2018": "\u2019", "\u201c": "\u201d", "'": "'", '"': '"', "\u00ab": "\u00bb"}
CLOSERS = {close: open_ for open_, close in PAIRS.items()}


FRAMED = re.compile(r"^([-=*~_#\u2014\u2013])\1+\s.*\s([-=*~_#\u2014\u2013])\2+$", re.DOTALL)
"""'-- Procedure note --', '== Plan ==': a title its author framed with rules on both sides. The
frame says the line is a heading, not a sentence of the note; it is the author's, not noise."""


def trim_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """`(start, end)` moved inward past noise at either edge of `text[start:end]`; unchanged if
    nothing would be left, or if the text is a framed title."""
    if FRAMED.match(text[start:end]):
        return start, end
    s, e = start, end
    changed = True
    while changed and s < e:
        changed = False
        s2 = _trim_lead(text, s, e)
        e2 = _trim_tail(text, s2, e)
        s2, e2 = _spaces(text, s2, e2)
        if (s2, e2) != (s, e) and s2 < e2 and any(ch.isalnum() for ch in text[s2:e2]):
            s, e, changed = s2, e2, True
    return s, e


def _spaces(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _token_end(text: str, s: int, e: int) -> int:
    i = s
    while i < e and not text[i].isspace():
        i += 1
    return i


def _token_start(text: str, s: int, e: int) -> int:
    i = e
    while i > s and not text[i - 1].isspace():
        i -= 1
    return i


def _trim_lead(text: str, s: int, e: int) -> int:
    token = text[s : _token_end(text, s, e)]
    if token and all(ch in LONE for ch in token) and not (len(token) == 1 and token in BULLETS):
        return s + len(token)  # a token of nothing but punctuation
    ch = text[s]
    if ch in NOISE and not _closed(text, s, e):
        return s + 1
    return s


def _trim_tail(text: str, s: int, e: int) -> int:
    at = _token_start(text, s, e)
    token = text[at:e]
    if token and at > s and all(ch in LONE for ch in token):
        return at  # ' .' or ' |' after the last word
    ch = text[e - 1]
    if ch in NOISE and not _opened(text, s, e - 1):
        if ch in "'\u2019" and e - 2 >= s and text[e - 2].isalpha():
            return e  # an apostrophe ending a word ('the patients'')
        return e - 1
    return e


def _closed(text: str, s: int, e: int) -> bool:
    """The opening mark at `s` is closed later in the quote."""
    close = PAIRS.get(text[s])
    return close is not None and close in text[s + 1 : e]


def _opened(text: str, s: int, at: int) -> bool:
    """The closing mark at `at` was opened earlier in the quote."""
    open_ = CLOSERS.get(text[at])
    return open_ is not None and open_ in text[s:at]
