"""An instruction appended after a signed note taints the appendix, not the note.

A page holding an instruction to a reader or an AI is not cited: whoever wrote it tried to steer
the letter, and whatever else they wrote on that page is suspect. A signature closes a note, so
text after a sign-off line is a later entry (an addendum, a message, another hand's remark) that
cannot have changed what was signed above it. When every instruction on a page comes after such
a sign-off, and the signed note above holds more words than everything after the signature,
the note stays citable and everything after the signature is blocked (never quoted; staff are
told). An instruction inside the note itself, or a page that is
mostly the appended message, keeps the page excluded whole.
"""

import re
from collections.abc import Set as AbstractSet

from service.models import Span, span_key
from service.screening.boilerplate import is_sign_off

Key = tuple[str, int, int]
Where = tuple[str, int]
WORD = re.compile(r"[A-Za-z]{2,}")


def appended_instructions(
    sentences: list[Span], flagged: set[Key], skip: AbstractSet[Key] = frozenset()
) -> tuple[set[Where], set[Key]]:
    """(pages spared, sentences to block): pages whose instructions all follow a sign-off line
    that closes a note of their own, and every sentence after that sign-off on those pages.
    `skip` holds running headers, footers and legends, which belong to neither part."""
    by_page: dict[Where, list[Span]] = {}
    for s in sentences:
        if span_key(s) not in skip:
            by_page.setdefault((s.document, s.page), []).append(s)
    spared: set[Where] = set()
    blocked: set[Key] = set()
    for where in sorted({(d, p) for d, p, _ in flagged}):
        lines = sorted(by_page.get(where, []), key=lambda s: s.start)
        first = next((i for i, s in enumerate(lines) if span_key(s) in flagged), None)
        if first is None:
            continue
        signed = [i for i in range(first) if is_sign_off(" ".join(lines[i].text.split()))]
        if not signed:
            continue
        note, appendix = lines[: signed[-1]], lines[signed[-1] + 1 :]
        if _words(note) <= _words(appendix):
            continue
        spared.add(where)
        blocked |= {span_key(s) for s in appendix}
    return spared, blocked


def _words(spans: list[Span]) -> int:
    return sum(len(WORD.findall(s.text)) for s in spans)


def appended_warning(document: str, page: int) -> str:
    return (
        f"{document} page {page}: text after a signed note is addressed to a reader or an AI; "
        "it was not used and is not quoted (the signed note above it was)."
    )
