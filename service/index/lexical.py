"""BM25 over a case's chunks: exact terms (CPT codes, 'PAM', drug names) that embeddings blur."""

import re

from rank_bm25 import BM25Okapi

STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it of on or that the this to was were with".split()
)


def tokens(text: str) -> list[str]:
    return [t for t in re.findall(r"[a-z0-9]+(?:\.[0-9]+)?", text.lower()) if t not in STOPWORDS]


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
