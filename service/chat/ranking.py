"""Which sentences answer a question, for the answer given without a model.

Each candidate source (a knowledge section, a piece of a case's evidence) is cut into sentences
and list items. Every piece is ranked against the question by BM25 and, when an embedding
function is given, by dense similarity; the two rankings are fused by reciprocal rank because
their scores cannot be compared. A piece is then lifted by how well its source fits what the
question asks: a knowledge section fully when the question asks for that section (what it means,
why, how to prevent, what to attach, ...), a record quote by how close the question is to the
requirement the quote was chosen for. So "how many minutes were logged?" lifts the time-log
quotes and "what does CCM20 mean?" lifts the explanation, not the record: decided by scores,
never by a list of phrases that mean "the chart". The answer is the best 2 to 5 pieces that
are about as similar to the question as the best one (`choose`).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from service.chat.sources import INTENTS, Embed, intents
from service.index.fusion import reciprocal_rank_fusion
from service.index.lexical import STOPWORDS, LexicalIndex
from service.models import Page
from service.records.spans import split_sentences

RRF_K = 10
"""Small, so the first few ranks of each list stand out from the rest."""
LIFT = 1.0
"""A fully fitting source outranks any piece of a source that does not fit (fused score <= 1)."""
TOPIC_FROM, TOPIC_FULL = 0.45, 0.7
"""Question-to-requirement similarity at which a record quote starts to be lifted, and is lifted
fully. Questions about a code ('how do we prevent CCM39?') stay under 0.45 against every
requirement of the code; questions about the chart's facts reach 0.5-0.9 against one."""
INTENT_MIN = 0.4
"""Dense similarity to a section's model question that counts as asking for the section, used
only when no word of the question names one."""
INTENT_SPREAD = 0.1
"""How far under the closest of the sections one sentence names another may be and still count."""
CLOSE = 0.25
"""Past `FEWEST`, pieces less similar to the question than the best piece by this much are left out."""
MARGIN = 0.5
"""Without similarities: pieces scoring this far under the best one are left out past `FEWEST`."""
STICK = 0.5
"""When the best piece's source fits the question at least this well, pieces of sources that fit
less only make up the `FEWEST`: a question that asks for the prevention gets the prevention."""
FEWEST, MOST = 2, 5
LIST_STEP = 0.01
"""Each item of a list scores this much under the one before, so the list keeps its order."""

SECTION_QUESTIONS = {
    "explanation": "What does this denial code mean? What is the payer saying?",
    "common_causes": "Why does this denial happen? What causes it?",
    "prevention": "How do we prevent or avoid this denial in the future?",
    "evidence": "What must the record show? What evidence is needed?",
    "appeal_argument": "How do we argue the appeal?",
    "attachments": "What documents should we attach or send with the appeal?",
}
CODE_TOKEN = re.compile(r"\b(?:CCM|CO|PR|OA|PI)[- ]?\d{1,3}\b", re.I)
"""Denial code names (CCM20, CO-16): they mean nothing to the embedding model or to a sentence."""
WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
SUFFIXES = ("ations", "ation", "ings", "ing", "ions", "ion", "ed", "s")
QUESTION_WORDS = frozenset(
    "what how why which when who where does do did can could should would will we our us i my you "
    "there any anything about get got much many".split()
)
LIST_ITEM = re.compile(r"^(?:\d{1,2}[.)]|[-*\u2022])\s")
TERMINAL = re.compile(r"[.!?;]['\")\]]?$")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9\"(])")


@dataclass(frozen=True)
class Piece:
    source: int
    """Index of the candidate source it was cut from."""
    position: int
    """Its order inside that source: the answer keeps a source's pieces in this order."""
    text: str
    fit: float
    """0..1: how well its source fits what the question asks."""
    lead: bool = False
    """The first sentence of running text (an explanation, an argument): the sentences after it
    lean on it ('Usually this means ...'), so it comes with any of them."""


def knowledge_sentences(text: str) -> list[str]:
    """List items whole, running text cut after each sentence."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("- "):
            out.append(line[2:].strip())
        elif line:
            out += [s.strip() for s in SENTENCE_END.split(line) if s.strip()]
    return out


def record_sentences(text: str, document: str, page: int) -> list[str]:
    """Evidence cut as the pipeline cuts pages; only whitespace is flattened, so each piece is
    still a verbatim quote of the record."""
    spans = split_sentences(Page(document=document, number=page, text=text))
    return [" ".join(s.text.split()) for s in spans] or [" ".join(text.split())]


def without_codes(question: str) -> str:
    return " ".join(CODE_TOKEN.sub(" ", question).split())


def similarities(question: str, texts: Sequence[str], embed: Embed) -> np.ndarray:
    vectors = embed([question, *texts])
    return vectors[1:] @ vectors[0]


def asked_sections(question: str, embed: Embed | None) -> list[str]:
    """Sections the question asks for. Each sentence of the question asks for the sections its
    words name; when one sentence names several ('what do we attach to prove ...'), the model
    keeps those nearly as close to it as the closest. A question naming none asks for the section
    whose model question it is closest to, if close enough. Code names are left out of every
    comparison: they mean nothing to the model."""
    parts = [p for p in SENTENCE_END.split(without_codes(question)) if p.strip()] or [question]
    asked: list[str] = []
    for part in parts:
        named = intents(part)
        if len(named) > 1 and embed is not None:
            sims = dict(zip(SECTION_QUESTIONS, similarities(part, list(SECTION_QUESTIONS.values()), embed)))
            named = [n for n in named if sims[n] >= max(sims[m] for m in named) - INTENT_SPREAD]
        asked += [n for n in named if n not in asked]
    if asked or embed is None:
        return asked
    scores = similarities(without_codes(question), list(SECTION_QUESTIONS.values()), embed)
    best = int(np.argmax(scores))
    return [list(SECTION_QUESTIONS)[best]] if scores[best] >= INTENT_MIN else []


def topic_fit(question: str, topics: Sequence[Sequence[str]], embed: Embed | None) -> list[float]:
    """For each topic (a requirement's label, need and search queries): 0..1 by the closest of its
    texts to the question. Without embeddings every topic fits 0: quotes then compete on BM25."""
    if embed is None or not topics:
        return [0.0] * len(topics)
    flat = [text for topic in topics for text in topic]
    sims = similarities(without_codes(question), flat, embed)
    out, at = [], 0
    for topic in topics:
        best = float(sims[at : at + len(topic)].max()) if topic else 0.0
        out.append(min(1.0, max(0.0, (best - TOPIC_FROM) / (TOPIC_FULL - TOPIC_FROM))))
        at += len(topic)
    return out


def stemmed(text: str) -> str:
    """Words cut to a crude stem, so 'syncing' meets 'sync' and 'devices' meets 'device' in BM25."""
    words = []
    for word in WORD.findall(text.lower()):
        if word in STOPWORDS:
            continue
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        words.append(word[:-1] if len(word) > 3 and word.endswith("e") else word)
    return " ".join(words)


def lexical_query(question: str) -> str:
    """What the question is about, for BM25: without the words saying which section it asks for
    (the lift weighs those) and without the words every question has ('how', 'does', 'we')."""
    for pattern in INTENTS.values():
        question = re.sub(pattern, " ", question, flags=re.I)
    return stemmed(" ".join(w for w in WORD.findall(question.lower()) if w not in QUESTION_WORDS))


def fused(question: str, texts: Sequence[str], sims: np.ndarray | None) -> np.ndarray:
    """BM25 and dense ranks fused, scaled so a piece first in every ranking scores 1."""
    ids = [str(i) for i in range(len(texts))]
    rankings = [LexicalIndex(ids, [stemmed(t) for t in texts]).search(lexical_query(question), len(ids))]
    if sims is not None:
        rankings.append([ids[i] for i in np.argsort(-sims, kind="stable")])
    scores = np.zeros(len(texts))
    for key, value in reciprocal_rank_fusion(rankings, k=RRF_K):
        scores[int(key)] = value
    return scores * (RRF_K + 1) / len(rankings)


def score(question: str, pieces: Sequence[Piece], embed: Embed | None) -> tuple[np.ndarray, np.ndarray | None]:
    """Each piece's fused rank score plus its lift, and its dense similarity (None without `embed`)."""
    if not pieces:
        return np.zeros(0), None
    texts = [p.text for p in pieces]
    plain = without_codes(question)
    sims = similarities(plain, texts, embed) if embed is not None else None
    return fused(plain, texts, sims) + LIFT * np.array([p.fit for p in pieces]), sims


def with_lists(pieces: Sequence[Piece], values: np.ndarray) -> np.ndarray:
    """The items of a list under a heading score (and are as similar) at least as much as the
    heading ('Problem list' then '1. Type 2 diabetes (E11.9)'): a heading answers nothing without
    its items."""
    out = values.copy()
    headed = False
    for i in range(1, len(pieces)):
        before, piece = pieces[i - 1], pieces[i]
        if piece.source == before.source and LIST_ITEM.match(piece.text):
            headed = headed if LIST_ITEM.match(before.text) else not TERMINAL.search(before.text)
            if headed:
                out[i] = max(out[i], out[i - 1] - LIST_STEP)
        else:
            headed = False
    return out


def choose(pieces: Sequence[Piece], scores: np.ndarray, sims: np.ndarray | None = None) -> list[int]:
    """The best `FEWEST`..`MOST` distinct pieces, in answer order: sources in the order of their
    best piece, each source's pieces in their own order. Past `FEWEST`, a piece must be about as
    similar to the question as the best one (`CLOSE`); a question with little more in it than
    what it asks for ('how do we prevent CCM06?') is as far from every piece, and so gets all of
    the section it asks for, where a pointed one gets its few sentences. Without similarities the
    fused score must be within `MARGIN` of the best."""
    scores = with_lists(pieces, scores)
    sims = None if sims is None else with_lists(pieces, sims)
    order = sorted(range(len(pieces)), key=lambda i: (-scores[i], pieces[i].source, pieces[i].position))
    leads = {p.source: i for i, p in enumerate(pieces) if p.lead}
    picked: list[int] = []
    seen: set[str] = set()
    for i in order:
        key = " ".join(pieces[i].text.lower().split())
        if key in seen:
            continue
        if len(picked) >= MOST or (len(picked) >= FEWEST and sims is None and scores[i] < scores[order[0]] - MARGIN):
            break
        if len(picked) >= FEWEST and sims is not None and sims[i] < sims[order[0]] - CLOSE:
            continue
        if len(picked) >= FEWEST and pieces[i].fit < STICK <= pieces[order[0]].fit:
            continue
        lead = leads.get(pieces[i].source, i)
        if lead not in picked and len(picked) + 1 < MOST:
            picked.append(lead)
            seen.add(" ".join(pieces[lead].text.lower().split()))
        if i not in picked:
            picked.append(i)
        seen.add(key)
    first: dict[int, int] = {}
    for i in picked:
        first.setdefault(pieces[i].source, len(first))
    return sorted(picked, key=lambda i: (first[pieces[i].source], pieces[i].position))
