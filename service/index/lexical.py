"""BM25 over a case's chunks: exact terms (CPT codes, 'PAM', drug names) that embeddings blur."""

import re

from rank_bm25 import BM25Okapi

STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it of on or that the this to was were with".split()
)


def tokens(text: str) -> list[str]:
    return [t for t in re.findall(r"[a-z0-9]+(?:\.[0-9]+)?", text.lower()) if t not in STOPWORDS]


def stem(word: str) -> str:
    """A crude stem: 'goals' and 'goal', 'synced' and 'sync', 'devices' and 'device' meet."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def stems(text: str) -> set[str]:
    """Five-letter crude stems of a text's words, for overlap between differently worded texts."""
    return {stem(w)[:5] for w in tokens(text) if len(w) >= 3 and not w.isdigit()}


class LexicalIndex:
    def __init__(self, ids: list[str], texts: list[str]):
        self.ids = ids
        self._bm25 = BM25Okapi([tokens(t) or ["_"] for t in texts]) if texts else None

    def search(self, query: str, limit: int) -> list[str]:
        if self._bm25 is None:
            return []
        query_tokens = tokens(query)
        if not query_tokens:
            return []
        scores = self._bm25.get_scores(query_tokens)
        order = sorted(range(len(self.ids)), key=lambda i: (-scores[i], self.ids[i]))
        return [self.ids[i] for i in order[:limit] if scores[i] > 0]
