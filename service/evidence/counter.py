"""Counter-evidence: sentences that say a requirement was not met, or met the wrong way.

'Pt phoned in BP values while the hub was offline', 'No care plan review this month', 'Call
attempted x2, no answer' sit next to the evidence and share its words, so similarity alone would
quote them as support. Each requirement lists in its knowledge file how a chart says it was not
met (`against:`). A relevant sentence that is closer to one of those than to the requirement's
own wording, and that does not negate it ('no readings were typed in by hand' supports automatic
transmission), is counter-evidence: never quoted, and shown to staff in the warnings.
"""

import re
from collections.abc import Callable

import numpy as np

from service.evidence.matching import expand
from service.index.lexical import tokens
from service.models import EvidenceRequirement

NEGATION = re.compile(
    r"\b(?:no|not|never|none|nothing|neither|nor|without|denies|denied|n't|unable|failed|cannot|can't)\b|n't\b",
    re.IGNORECASE,
)
FAILURE = re.compile(
    r"\b(?:declined|declines|refused|refuses|unable\s+to|failed\s+to|incomplete|unsure|no\s+answer|no\s+response|"
    r"no[-\s]show|missed|cancel+ed|postponed|deferred|offline|off-line|opted\s+out|disenrolled|revoked|lapsed|"
    r"(?:entered|typed|keyed|written)\s+(?:in\s+)?(?:manually|by\s+hand)|manually\s+(?:entered|typed|keyed|recorded)|"
    r"phoned\s+in|called\s+in|self[-\s]reported|paper\s+log|not\s+counted|(?:left\s+)?(?:voicemail|vm)\b|"
    r"undecided|think(?:ing)?\s+(?:it\s+)?(?:over|about\s+it)|per\s+(?:the\s+)?(?:pt|patient|family|caregiver)(?:'s)?\s+(?:own\s+)?(?:report|recall)|no\s+records?\b|unavailable|"
    r"not\s+(?:on\s+file|in\s+(?:the\s+)?(?:chart|record|EHR))|(?:cannot|can't|could\s+not|couldn't)\s+\w+|"
    r"re-?teach\w*|re-?educat\w*|needs?\s+(?:more\s+|further\s+)?(?:reminders|reinforcement|prompting|teaching|review)|"
    r"needed\s+(?:reminders|reinforcement|prompting|help|cues)|pending|back-?filled|outage|"
    r"\b(?:interface|system|hub|server|network|connection|portal|feed|gateway|modem)\s+(?:was\s+|went\s+)?down\b|"
    r"(?:not|never|n't)\s+(?:yet\s+|fully\s+|completely\s+)?(?:been\s+)?(?:done|completed|obtained|returned|received|available|connected|"
    r"reviewed|signed|sent|shared|printed|mailed|faxed|handed|delivered|posted|released|reached|documented|measured|performed|transmitted|transmitting|synced|syncing|"
    r"uploaded|given|set\s+up|taught|enrolled|updated|revised|met|scheduled|interactive|discussed|scanned|filed|"
    r"attached|addressed|initiated|started|ordered|placed|collected|administered|explained|provided|logged|tracked|"
    r"e-?mailed|copied|"
    r"recorded|charted|entered|educated|trained|reconciled|assessed|screened|contacted|seen|established|verified|"
    r"confirmed|answered|billed|run))",
    re.IGNORECASE,
)
"""Words a chart uses when something did not happen, or happened the way that does not count."""
CLOSE = 0.5
"""How close (cosine) a sentence must be to an `against` phrase to be about the same thing."""


def _negated(text: str) -> bool:
    return bool(NEGATION.search(text))


BREAK = r"[;,()]|\s[-\u2013\u2014]\s|\bbut\b|\bwhile\b"
CLAUSE = re.compile(BREAK)
"""Where one clause of a charted line ends; a label stays with its value ('Care plan review: none')."""
CLAUSE_OR_LABEL = re.compile(f":|{BREAK}")


def _clause(phrase: str, sentence: str) -> str:
    """The clause of the sentence that shares most words with the phrase."""
    want = set(tokens(phrase))
    clauses = [c for c in CLAUSE_OR_LABEL.split(sentence) if c.strip()]
    return max(clauses, key=lambda c: len(want & set(tokens(c))), default=sentence)


def polarity_agrees(phrase: str, sentence: str) -> bool:
    """'no readings were typed in by hand' denies 'readings typed in by hand': that is support.
    A phrase that is itself negative ('no care plan review', 'call attempted no answer') needs a
    negative clause that shares a word with it: a registry line listing what is missing ('4 open
    care gaps for pt - foot exam not documented') reports gaps, it does not say there is no report."""
    if _negated(phrase):
        want = _stems(phrase)
        return any(_negated(c) and _stems(c) & want for c in CLAUSE.split(sentence))
    return not _negated(_clause(phrase, sentence))


def _stems(text: str) -> set[str]:
    """Five-letter stems; 'non-clinical' stays one word, so it is not read as 'clinical'."""
    return {w[:5] for w in tokens(re.sub(r"\b(non)[-\s](?=[a-z])", r"\1", text, flags=re.IGNORECASE)) if len(w) >= 3}


def distinctive(phrase: str, req: EvidenceRequirement) -> set[str]:
    """Words of an `against` phrase that the requirement's own wording lacks ('phoned', 'manually',
    'declined', 'non'): the words that make it say the opposite."""
    own = _stems(expand(" ".join([req.label, req.need, *req.queries])))
    return _stems(expand(phrase)) - own


UNVERIFIED = (
    r"per\s+(?:the\s+)?(?:pt|patient|family|caregiver)(?:'s)?\s+(?:own\s+)?(?:report|recall)|self[-\s]reported|"
    r"phoned\s+in|called\s+in|unverified|(?:not|never|n't)\s+(?:yet\s+)?(?:been\s+)?(?:verified|confirmed)"
)
UNRELIABLE = re.compile(rf"\b(?:{UNVERIFIED}|(?:cannot|can't|could\s+not|couldn't|unable\s+to)\s+\w+)", re.IGNORECASE)
"""Cues that a finding cannot be relied on, or its source cannot do its job ('Registry can't pull
outside results'): what counts against a requirement whose findings are themselves what is
missing (`gaps_are_findings`)."""
UNVERIFIED_FINDING = re.compile(rf"\b(?:{UNVERIFIED})", re.IGNORECASE)
"""'LDL from outside lab, not verified': the clause qualifies a finding listed beside it."""


def _cue_clauses(sentence: str, cue: re.Pattern = FAILURE) -> list[str]:
    """The clauses holding a failure cue ('the discharge summary was not available')."""
    parts = re.split(r"[;:()]|\s[-\u2013\u2014]\s|,\s(?=\w+\s\w+)|\bbut\b|\bwhile\b|\bbecause\b", sentence)
    return [clause for clause in parts if cue.search(clause)]


def says_not_done(req: EvidenceRequirement, sentence: str) -> bool:
    """A failure cue in a clause about this requirement's own activity ('Pt declined one screening
    referral', 'discharge summary was not available'), not negated itself ('no readings were
    typed in by hand' says the opposite). Where a missing service is the requirement's finding
    ('pneumococcal vax - not on record'), only a finding that cannot be relied on counts ('per
    patient report')."""
    own = _stems(expand(" ".join([req.label, req.need, *req.queries]))) - GENERIC
    cue = UNRELIABLE if req.gaps_are_findings else FAILURE
    for clause in _cue_clauses(sentence, cue):
        found = cue.search(clause)
        if found is None:  # every clause _cue_clauses returns holds the cue
            continue
        before = clause[: found.start()]
        if re.search(r"\b(?:no|not|never|none|without|denies|denied)\b[^,.;]{0,30}$", before, re.IGNORECASE):
            continue
        if _stems(clause) & own:
            return True
        if req.gaps_are_findings and UNVERIFIED_FINDING.search(clause) and _stems(sentence) & own:
            return (
                True  # an unverified finding in a status line ('HM: A1c 8.2%, ..., LDL from outside lab, not verified')
            )
    return False


UNCHECKED = re.compile(r"\[\s?\]\s*[^\[\n]*")
"""'[X] Agrees to CCM  [ ] Declines': an option left unticked says nothing against anything."""
GENERIC = {"patie", "care", "month", "this", "with", "time", "date", "not", "one"}
"""Stems too common to say which activity a clause is about (a negation, a numeral among them)."""


def find_counter(
    req: EvidenceRequirement, sentences: list[tuple[str, str]], embed: Callable[[list[str]], np.ndarray]
) -> list[int]:
    """Indexes of the sentences (pairs of match text and printed text) that speak against `req`:
    close in meaning to one of its `against` phrases, closer to it than to the requirement's own
    wording, holding that phrase's distinctive words, and with the same polarity."""
    if not sentences:
        return []
    sentences = [(UNCHECKED.sub(" ", m), p) for m, p in sentences]
    against = embed([expand(a) for a in req.against] or [expand(req.need)])
    support = embed([expand(q) for q in (req.need, *req.queries)])
    vectors = embed([m for m, _ in sentences])
    to_against = vectors @ against.T
    to_support = (vectors @ support.T).max(axis=1)
    marks = [distinctive(p, req) for p in req.against]
    out = []
    for i, (match, _) in enumerate(sentences):
        if says_not_done(req, match):
            out.append(i)
            continue
        if not req.against:
            continue
        stems = _stems(match)
        for j in np.argsort(-to_against[i]):
            score = float(to_against[i][j])
            if score < CLOSE or score < float(to_support[i]):
                break
            if (not marks[j] or marks[j] & stems) and polarity_agrees(req.against[j], match):
                out.append(i)
                break
    return out
