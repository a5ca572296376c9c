"""The relevance judge: is a quote cited for requirement R relevant to R? Pure functions.

The gold lists, per requirement and page, the plain text of every content block or table row a
reviewer accepts as relevant (`relevant`: [{requirement, document, page, text}]). A quote cited
for R on (document, page) is judged against R's items on that same page only:

1. both texts are lower-cased and cut into word tokens (`\\w+`), so line breaks, hyphens and
   punctuation from the PDF or OCR do not matter;
2. words "shared" between two texts are those in runs of at least three consecutive tokens found
   in both, in order (`MIN_RUN`; a text shorter than that must match whole). A date (3 tokens) or
   a name with credentials alone is one run, so it cannot carry a quote by itself;
3. the quote is RELEVANT when at least 75% of its tokens are shared with R's items on the page
   (a piece of a relevant block, or a quote running over two relevant rows), or when it shares
   at least 75% of some item's tokens (a merged quote holding a whole relevant block, sign-off
   line and all). The 25% slack admits a misread OCR word or two.

So "Electronically signed by Ana Ruiz, RN on 03/09/2026." is not relevant beside the row
"03/09/2026 Phone call 25 minutes Ana Ruiz, RN" (only the date and the name are shared: 6 of
its 10 tokens), while the row with the sign-off line under it is. A quote on a page with no item
for R is irrelevant; a quote whose requirement is unknown ("") is judged against every
requirement's items on its page.
"""

import re
from difflib import SequenceMatcher

MIN_RUN = 3
SHARE = 0.75


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def shared(a: list[str], b: list[str]) -> tuple[set[int], set[int]]:
    """Positions in a and in b of the tokens in runs of MIN_RUN or more found in both, in order."""
    least = min(MIN_RUN, len(a), len(b))
    in_a, in_b = set(), set()
    for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        if block.size and block.size >= least:
            in_a.update(range(block.a, block.a + block.size))
            in_b.update(range(block.b, block.b + block.size))
    return in_a, in_b


def judge(quote: str, items: list[str]) -> bool:
    q = words(quote)
    if not q:
        return False
    covered: set[int] = set()
    for item in items:
        i = words(item)
        if not i:
            continue
        in_q, in_i = shared(q, i)
        if len(in_i) >= SHARE * len(i):
            return True
        covered |= in_q
    return len(covered) >= SHARE * len(q)


def overlaps(quote: str, item: str) -> bool:
    """The judge with a single relevant item."""
    return judge(quote, [item])


def relevant_items(gold: dict) -> dict[tuple[str, str, int], list[str]]:
    """(requirement, document, page) -> texts of the relevant blocks there."""
    items: dict[tuple[str, str, int], list[str]] = {}
    for item in gold.get("relevant") or []:
        key = (item["requirement"], item["document"], int(item["page"]))
        items.setdefault(key, []).append(item["text"])
    return items


def is_relevant(quote: str, requirement: str, document: str, page: int, items: dict) -> bool:
    if requirement:
        texts = items.get((requirement, document, page), [])
    else:
        texts = [t for (_, doc, number), group in items.items() if (doc, number) == (document, page) for t in group]
    return judge(quote, texts)
