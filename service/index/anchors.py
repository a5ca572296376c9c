"""Texts scored against named groups of descriptions by the embedding model: the best description
of each group per text. The check reads a plan's elements this way, and what an agreement is for
(care management or other care)."""

from collections.abc import Callable

import numpy as np

Embed = Callable[[list[str]], np.ndarray]
Scorer = Callable[[list[str]], np.ndarray]
"""texts -> (len(texts), groups) similarities, columns in the groups' order."""


def anchor_scorer(embed: Embed, groups: dict[str, list[str]]) -> Scorer:
    """A scorer of texts against the groups; nothing is embedded until it scores something (a
    draft whose consent quotes name nothing agreed to never embeds the agreement's anchors)."""
    names = list(groups)
    described = [(column, text) for column, name in enumerate(names) for text in groups[name]]

    def unit(texts: list[str]) -> np.ndarray:
        vectors = np.asarray(embed(texts))
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)

    anchors: list[np.ndarray] = []  # the descriptions embedded at the first texts scored, not before

    def score(texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(names)), dtype=np.float32)
        if not texts:
            return out
        if not anchors:
            anchors.append(unit([text for _, text in described]))
        sims = unit(texts) @ anchors[0].T
        for j, (column, _) in enumerate(described):
            out[:, column] = np.maximum(out[:, column], sims[:, j])
        return out

    return score
