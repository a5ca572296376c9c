"""A marked sentence must mean what its quotes mean, not only hold their facts.

`support.py` finds a sentence's numbers, dates and names in its quotes; a sentence can hold all of
them and still turn the quote around. Each check here reads the sentence outside its quotations
(a quotation is verbatim, checked on its page) against the passages it cites:

- `polarity_mismatch`: a word both hold is negated in one and asserted in the other ('shared'
  against 'not shared'). Negation is decided by medspaCy's ConText, plus a few rules of our own
  for care-management events ('unable to', 'refused').
- `actor_mismatch`: the sentence says a kind of clinician, or a person by title or credential, did
  it, and the quotes name another (a physician for a nurse's call), or do not name that person.
- `modality_mismatch`: verbal, written or electronic; by phone, by video or in person: the sentence
  says one, its quotes say another.
- `quantity_mismatch`: a bound ('well over an hour'), a count ('twice') or a frequency ('every
  week') the quotes' durations, counts or dated entries do not bear out.
- `unsupported_universal`: 'never', 'every', 'all', 'no gaps'... with no quote that says so.

Every check is one-sided toward acceptance: where the quote says nothing of the kind, the
sentence is left to the other checks, except for claims (bounds, counts, frequencies, universals)
that only the quote can back.
"""

import re
from datetime import timedelta
from functools import lru_cache

from service.drafting.facts import dates_in, numbers_in, unquoted, without_dates, words_as_digits
from service.drafting.grounds import Sources
from service.drafting.statements import Statement
from service.evidence.matching import expand
from service.index.lexical import stems

Failure = tuple[str, int, str]  # (name, sentence number, why)

CLAUSE = re.compile(
    r"\s*\n\s*|[.;!?|]+(?:\s+|$)|\s+[-\u2013\u2014]+\s+|\s{3,}|\s+(?:but|however|although|though|whereas)\s+", re.I
)
"""Where one statement of a chart line or a sentence ends: negation does not cross it."""
SKIP = {
    "patient",
    "member",
    "beneficiary",
    "with",
    "from",
    "that",
    "this",
    "were",
    "been",
    "have",
    "their",
    "there",
    "about",
    "after",
    "before",
    "during",
    "into",
    "also",
    "then",
    "than",
    "they",
    "them",
    "what",
    "which",
    "when",
}
RECORD_WORDS = {
    "record",
    "records",
    "chart",
    "charts",
    "note",
    "notes",
    "noted",
    "show",
    "shows",
    "showed",
    "shown",
    "state",
    "states",
    "stated",
    "read",
    "reads",
    "document",
    "documents",
    "documented",
    "documentation",
    "file",
    "confirm",
    "confirms",
    "confirmed",
    "indicate",
    "indicates",
    "reflect",
    "reflects",
    "enclosed",
}
"""A letter's words about the record itself ('The record shows ...'): its frame, not an event of
care, so never weighed against a quote's 'not on record'."""
NEGATIVE_WORDS = re.compile(
    r"\b(?:miss\w*|gaps?|laps\w*|skipp?\w*|fail\w*|interrupt\w*|without|absent|lack\w*)\b", re.I
)
"""Words that are negative in themselves: a clause that also negates them ('did not miss') says
the opposite of what ConText's scope alone would read."""


SCOPE = 5
"""Tokens a negation reaches: 'no diuretic change' and 'did not share the care plan', not the
next row of a table run together into one line."""


@lru_cache(maxsize=1)
def _context():
    """A blank English pipeline with only ConText, loaded once (~2 s), and a few rules of ours."""
    import spacy
    from medspacy.context import ConText, ConTextRule

    nlp = spacy.blank("en")
    context: ConText = nlp.add_pipe("medspacy_context", config={"max_scope": SCOPE})
    ours = [
        ("unable to", "FORWARD"),
        ("refused", "BIDIRECTIONAL"),
        ("never", "FORWARD"),
        ("failed to", "FORWARD"),
        ("unanswered", "BIDIRECTIONAL"),
    ]
    context.add([ConTextRule(text, "NEGATED_EXISTENCE", direction=way, max_scope=3) for text, way in ours])
    return nlp, context


UNCHECKED = re.compile(r"(?:\[\s?\]|\u2610)\s*[^\[\u2610\u2611\u2612\n]*")
"""An empty box and the option beside it ('[ ] Declines', '\u2610 Verbal'): what was not chosen."""


WRAPPED = re.compile(
    r"[ \t]*\n\s*(?=[a-z])|\b(not|no|never|without|and|or|to|of|the|a|an|with|by|for|in|was|were|is|be)[ \t]*\n\s*"
)
"""A line that goes on into the next ('copy not / sent', 'by the / nurse'): one clause, not two rows."""


def _unwrapped(text: str) -> str:
    return WRAPPED.sub(lambda m: f"{m.group(1) or ''} ", text)


ANSWERED_NO = re.compile(r"^[ \t]*(?P<asked>[^:?\n]{3,80}?)\s*[:?]\s*(?:no|none|not done)[ \t]*\.?[ \t]*$", re.I | re.M)
"""'Care plan shared with patient: No': a form's question answered no."""


def _checked(text: str) -> str:
    """A form's text without the options left unticked, its questions answered no read as denied."""
    return ANSWERED_NO.sub(lambda m: f"no {m.group('asked')}", UNCHECKED.sub(" ", text))


def polarity(text: str, prose: bool = False) -> dict[str, set[tuple[bool, bool]]]:
    """Each content word's stem: whether ConText reads it negated, and whether its clause negates
    anything at all, clause by clause. In `prose` (a letter's sentence) a capitalised word inside
    a clause is a name, not an event."""
    from spacy.tokens import Span

    nlp, context = _context()
    out: dict[str, set[tuple[bool, bool]]] = {}
    for clause in CLAUSE.split(_unwrapped(_checked(text))):
        if not clause or not clause.strip():
            continue
        clause = expand(clause)
        doc = nlp.make_doc(clause)
        for i, token in enumerate(doc):
            token.is_sent_start = i == 0
        doc.ents = [
            Span(doc, i, i + 1, label="WORD")
            for i, t in enumerate(doc)
            if t.is_alpha
            and len(t) >= 4
            and t.lower_ not in SKIP
            and not (prose and (t.lower_ in RECORD_WORDS or (i and t.is_title)))
        ]
        context(doc)
        modifiers = doc._.context_graph.modifiers
        if len(modifiers) > 1 or (modifiers and NEGATIVE_WORDS.search(clause)):
            continue  # a double negative: left to the other checks
        inside = {i for m in modifiers for i in range(m.modifier_span[0], m.modifier_span[1])}
        for ent in doc.ents:
            if ent.start not in inside:
                for s in stems(ent.text):
                    out.setdefault(s, set()).add((bool(ent._.is_negated), bool(modifiers)))
    return out


def _polarity_mismatch(said: str, quoted: str) -> bool:
    """A word read negated on one side only, in a clause that negates nothing on the other: 'no
    copy was sent' agrees with 'copy NOT sent' though ConText's scope covers 'copy' in one only."""
    mine, theirs = polarity(said, prose=True), polarity(quoted)
    for s in mine.keys() & theirs.keys():
        if len(mine[s]) == 1 == len(theirs[s]):
            (negated, clause), (their_negated, their_clause) = next(iter(mine[s])), next(iter(theirs[s]))
            if negated != their_negated and clause != their_clause:
                return True
    return False


ROLES = [
    ("advanced", re.compile(r"\bnurse practitioners?\b|\bphysician assistants?\b|\b(?:A?PRN|FNP|NP|PA-C)\b")),
    ("physician", re.compile(r"\b(?:[Dd]r\.?|[Dd]octors?|[Pp]hysicians?|[Aa]ttending|MD|M\.D\.|DO|D\.O\.)(?![\w-])")),
    ("nurse", re.compile(r"\b(?:[Nn]urses?|RN|LPN|LVN|BSN)\b")),
    ("pharmacist", re.compile(r"\b(?:[Pp]harmacists?|PharmD|RPh)\b")),
    ("assistant", re.compile(r"\b(?:[Mm]edical assistants?|CMA|MA)\b")),
    ("social", re.compile(r"\b(?:[Ss]ocial workers?|LCSW|MSW)\b")),
    ("dietitian", re.compile(r"\b(?:[Dd]ietitians?|[Nn]utritionists?|RDN?)\b")),
]
"""Kinds of clinician by their names, titles and credentials; 'care manager', 'staff' and 'team'
name no kind and agree with any."""
TITLED = re.compile(r"\b(?:Dr|Nurse|Doctor)\.?\s+(?:[A-Z]\.\s*)*([A-Z][a-z'’-]+)(?!['’]s)\b")
CREDENTIALED = re.compile(r"\b([A-Z][a-z'’-]+),?\s+(?:MD|M\.D\.|DO|RN|LPN|NP|PA-C|PharmD|RPh|CMA|LCSW|RDN?)\b")

NOT_NAMES = {
    "the",
    "a",
    "an",
    "our",
    "his",
    "her",
    "their",
    "its",
    "this",
    "that",
    "each",
    "every",
    "any",
    "one",
    "staff",
    "clinic",
    "practice",
    "team",
    "another",
    "same",
    "attending",
    "treating",
    "covering",
    "supervising",
}
"""'The RN', 'our MD': a kind of clinician, not a person's name."""


def _roles(text: str) -> set[str]:
    out = set()
    for kind, pattern in ROLES:
        if pattern.search(text):
            out.add(kind)
            text = pattern.sub(" ", text)  # 'nurse practitioner' is no nurse as well
    return out


def _actor_mismatch(said: str, quoted: str, patient: set[str]) -> bool:
    """A kind the quotes do not name when they name one, or a person they do not name."""
    mine, theirs = _roles(said), _roles(quoted)
    if mine and theirs and not mine & theirs:
        return True
    people = {m.group(1).lower() for p in (TITLED, CREDENTIALED) for m in p.finditer(said)} - patient - NOT_NAMES
    quoted_words = set(re.findall(r"[a-z'’-]+", quoted.lower()))
    return any(person not in quoted_words for person in people)


MODES = {
    "form": [
        ("verbal", re.compile(r"\bverbal(?:ly)?\b|\borally\b|\boral (?:consent|agreement)\b|\bspoken\b", re.I)),
        ("written", re.compile(r"\bwritten\b|\bin writing\b|\bhand-?written\b|\bwet[- ]?ink\b|\bon paper\b", re.I)),
        ("electronic", re.compile(r"\belectronic(?:ally)?\b|\be-?sign\w*|\bdocusign\b|\bonline\b|\bportal\b", re.I)),
    ],
    "channel": [
        ("phone", re.compile(r"\b(?:tele)?phon\w*\b|\bcall(?:s|ed|ing)?\b|\bvoicemail\b", re.I)),
        ("video", re.compile(r"\bvideo\b|\baudio-?visual\b|\bzoom\b|\bvirtual visit\b", re.I)),
        (
            "in person",
            re.compile(
                r"\bin[- ]person\b|\bface[- ]to[- ]face\b|\bF2F\b|\b(?:office|home|clinic) visit\b|"
                r"\bin (?:the )?(?:clinic|office)\b",
                re.I,
            ),
        ),
    ],
}
"""Two questions of how: how an agreement was given, and how a contact was made."""
SIGNED_BY = re.compile(r"\b(?:electronically|e-?)\s*signed(?:\s+by)?\b|\belectronic (?:health|medical) record\b", re.I)
"""A chart's signature line and the record itself are not how anything was agreed."""


def modes(text: str, group: str) -> set[str]:
    text = SIGNED_BY.sub(" ", text)
    return {mode for mode, pattern in MODES[group] if pattern.search(text)}


def _modality_mismatch(said: str, quoted: str) -> bool:
    return any((mine := modes(said, g)) and (theirs := modes(quoted, g)) and not mine & theirs for g in MODES)


DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*-?\s*(hours?|hrs?|h|minutes?|mins?|m)\b", re.I)
HOUR_WORDS = [
    (re.compile(r"\b(?:an|one|a full|a whole)\s+hour\s+and\s+a\s+half\b", re.I), 90),
    (re.compile(r"\bhalf\s+an\s+hour\b|\bhalf-hour\b", re.I), 30),
    (re.compile(r"\b(?:an|a full|a whole)\s+hour\b", re.I), 60),
]
BOUNDS = [
    (re.compile(r"\bwell\s+(?:over|above|beyond|past|in excess of)\s+$", re.I), lambda v, n: v >= 1.15 * n),
    (
        re.compile(r"\b(?:over|more than|above|beyond|exceeding|in excess of|longer than|upwards of)\s+$", re.I),
        lambda v, n: v > n,
    ),
    (re.compile(r"\b(?:at least|no less than|a minimum of|minimum of)\s+$", re.I), lambda v, n: v >= n),
    (re.compile(r"\b(?:nearly|almost|close to|just under|just shy of)\s+$", re.I), lambda v, n: 0.8 * n <= v < n),
    (re.compile(r"\b(?:under|less than|below|fewer than|shy of)\s+$", re.I), lambda v, n: v < n),
    (re.compile(r"\b(?:about|approximately|around|roughly|some|~)\s*$", re.I), lambda v, n: 0.85 * n <= v <= 1.15 * n),
]
"""How a stated amount binds the recorded one; the phrase is read just before the amount."""


TOTAL = re.compile(r"\b(?:total\w*|cumulative|sum|altogether|in all)\b", re.I)


SMALL_WORDS = {
    w: str(n) for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())
}


def _digits(text: str) -> str:
    """Numbers as digits, the small ones too: text2num leaves 'two hours' as it is."""
    return re.sub(
        rf"\b(?:{'|'.join(SMALL_WORDS)})\b",
        lambda m: SMALL_WORDS[m.group(0).lower()],
        words_as_digits(text),
        flags=re.I,
    )


def _minutes(match: re.Match) -> float:
    value = float(match.group(1))
    return value * 60 if match.group(2).lower().startswith("h") else value


def _durations(text: str) -> list[tuple[float, str]]:
    """Every amount of time in a text, in minutes, with the words just before it."""
    text = _digits(text)
    out: list[tuple[float, str]] = []
    for pattern, minutes in HOUR_WORDS:
        out += [(minutes, text[: m.start()][-24:]) for m in pattern.finditer(text)]
        text = pattern.sub(" ", text)
    out += [(_minutes(m), text[: m.start()][-24:]) for m in DURATION.finditer(text)]
    return out


def recorded_minutes(quoted: str) -> set[float]:
    """Each time a quote records, its stated totals, and the sum of its entries when it states none."""
    entries, totals = [], []
    for line in quoted.splitlines():
        if TOTAL.search(line):
            totals += [minutes for minutes, _ in _durations(line)] + [float(n) for n in numbers_in(without_dates(line))]
        else:
            entries += [minutes for minutes, _ in _durations(line)]
    return set(entries) | set(totals) | ({sum(entries)} if entries and not totals else set())


def _bound_unmet(said: str, quoted: str) -> bool:
    """A duration the sentence binds ('over forty minutes') or gives in words ('an hour')."""
    recorded = recorded_minutes(quoted)
    for minutes, before in _durations(said):
        test = next((ok for pattern, ok in BOUNDS if pattern.search(before)), None)
        worded = not re.search(r"\d", before[-3:]) and test is None and minutes in (30, 60, 90)
        if test is None and not worded:
            continue  # an exact amount in digits is the facts check's
        test = test or (lambda v, n: v == n)
        if not any(test(v, minutes) for v in recorded):
            return True
    return False


COUNT = re.compile(
    r"\b(\d+)\s+(?:separate\s+|different\s+|more\s+|further\s+|phone\s+|telephone\s+)?"
    r"(?:times|calls|contacts|visits|occasions|attempts|sessions|conversations|encounters|outreach\w*)\b",
    re.I,
)
ADVERBS = {"twice": "2 times", "thrice": "3 times"}


def counts(text: str) -> set[int]:
    """'x3', 'three calls', 'twice': the counts of events a text states."""
    text = expand(_digits(text))
    for word, count in ADVERBS.items():
        text = re.sub(rf"\b{word}\b", count, text, flags=re.I)
    return {int(m.group(1)) for m in COUNT.finditer(text)}


def _count_unmet(said: str, quoted: str) -> bool:
    """'Called her twice' needs a count of two in the quotes, or two dated entries."""
    mine = {n for n in counts(said) if n > 1}
    if not mine:
        return False
    return bool(mine - held_counts(quoted, said))


def held_counts(quoted: str, said: str = "") -> set[int]:
    """The counts a quote bears out: those it states, its distinct days, its dated rows, and how
    often it repeats a word of the sentence ('unreachable' twice)."""
    rows = [line for line in quoted.splitlines() if dates_in(line)[0]]
    words = [stems(w) for w in re.findall(r"[a-z]{4,}", expand(quoted).lower())]
    mine = {s for w in re.findall(r"[a-z]{4,}", expand(said).lower()) if w not in SKIP for s in stems(w)}
    repeats = {sum(1 for w in words if s in w) for s in mine}
    return counts(quoted) | {len(dates_in(quoted)[0]), len(rows)} | repeats


PERIODS = [
    (
        "day",
        1,
        re.compile(r"\b(?:daily|every\s+(?:single\s+)?day|each\s+day|per\s+day|a\s+day|day\s+after\s+day)\b", re.I),
    ),
    (
        "week",
        7,
        re.compile(
            r"\b(?:weekly|every\s+(?:single\s+)?week|each\s+week|per\s+week|a\s+week|week\s+after\s+week)\b", re.I
        ),
    ),
    (
        "month",
        31,
        re.compile(
            r"\b(?:monthly|every\s+(?:single\s+)?month|each\s+month|per\s+month|a\s+month|month\s+after\s+month)\b",
            re.I,
        ),
    ),
]
SAYS_PERIOD = {
    "day": re.compile(r"\bdaily\b|\bq\.?\s?d\b|/\s?day\b|\bper day\b|\bevery day\b|\beach day\b", re.I),
    "week": re.compile(
        r"\bweekly\b|\bq\.?\s?wk\b|/\s?w(?:ee)?k\b|\bper week\b|\bevery week\b|\beach week\b|\bx\s?\d+\s?/\s?wk", re.I
    ),
    "month": re.compile(r"\bmonthly\b|/\s?mo(?:nth)?\b|\bper month\b|\bevery month\b|\beach month\b", re.I),
}


def frequency_unmet(said: str, quoted: str) -> bool:
    """'Every week' needs the quotes to say so, or dated entries no further apart than a week
    (at least three of them, from first to last)."""
    days = sorted(dates_in(quoted)[0])
    for period, length, pattern in PERIODS:
        if not pattern.search(said) or SAYS_PERIOD[period].search(quoted) or pattern.search(quoted):
            continue
        steady = len(days) >= 3 and all(b - a <= timedelta(days=length) for a, b in zip(days, days[1:]))
        if not steady:
            return True
    return False


def _without_periods(text: str) -> str:
    for _, _, pattern in PERIODS:
        text = pattern.sub(" ", text)
    return text


UNIVERSAL = re.compile(
    r"\b(?:never|always|every|each|all|none|nothing|nobody|no\s+one|not\s+(?:once|a\s+single|one|any)|"
    r"without\s+(?:fail|exception|interruption|a\s+break|a\s+gap|gaps|lapse)|at\s+all\s+times|consistently|"
    r"continuous(?:ly)?|uninterrupted|throughout|entire|whole|100\s?%|"
    r"no(?=\s+(?!longer|later|sooner|earlier|more\s+than|less\s+than|fewer\s+than|cost|charge)[a-z]))\b",
    re.I,
)
"""Claims of always and never. 'No' counts when it denies a thing ('no gaps'), not in 'no later than'."""
PART = re.compile(r"[,;.!?|\n]+\s*|\s+[-\u2013\u2014]\s+")
SAYS_ALL = re.compile(
    r"\b(?:never|always|every|each|all|none|nothing|no|not|without|denie[sd]|zero|complete[sd]?|entire|whole|"
    r"throughout|continuous\w*|uninterrupted|daily|consistent\w*)\b|\b0\s|\b100\s?%|\b(\d+)\s*(?:/|of)\s*\1\b",
    re.I,
)
"""What a quote must hold to back one: its own always, never or none, or 'n of n'."""


def _universal_unmet(said: str, quoted: str) -> bool:
    """An always or never needs a quote that says one, in a part about the same thing ('no
    hypoglycemia' backs no claim that a check was never missed)."""
    said = _without_periods(said)
    found = UNIVERSAL.search(said)
    if not found:
        return False
    about = stems(expand(UNIVERSAL.sub(" ", said))) - stems(" ".join(SKIP))
    return not any(SAYS_ALL.search(part) and about & stems(expand(part)) for part in PART.split(quoted))


CHECKS = [
    (
        "polarity_mismatch",
        "a thing its cited passage(s) deny is asserted, or one they record is denied",
        lambda said, quoted, patient: _polarity_mismatch(said, quoted),
    ),
    (
        "actor_mismatch",
        "it says someone its cited passage(s) do not name did it",
        lambda said, quoted, patient: _actor_mismatch(said, quoted, patient),
    ),
    (
        "modality_mismatch",
        "it says the thing was done another way (verbal, written, by phone, in person) than its cited passage(s)",
        lambda said, quoted, patient: _modality_mismatch(said, quoted),
    ),
    (
        "quantity_mismatch",
        "an amount, count or frequency it states is not what its cited passage(s) record",
        lambda said, quoted, patient: (
            _bound_unmet(said, quoted) or _count_unmet(said, quoted) or frequency_unmet(said, quoted)
        ),
    ),
    (
        "unsupported_universal",
        "it claims always, never, every or none, and no cited passage says so",
        lambda said, quoted, patient: _universal_unmet(said, quoted),
    ),
]


LABEL = re.compile(r"^[-*\u2022\s]*(?:[\w'’/()-]+\s+){0,5}[\w'’/()-]+:\s*")
"""'- Care management consent: "..."': a heading names what follows; it claims nothing."""


def check_meaning(statements: list[Statement], sources: Sources) -> list[Failure]:
    """Every marked sentence that disagrees with its own quotes, by the checks above."""
    patient = {w.lower() for w in re.findall(r"[A-Za-z'’-]{2,}", sources.case.patient_name)}
    out: list[Failure] = []
    for st in statements:
        own = [sources.passages[n].text for n in dict.fromkeys(st.markers) if n in sources.passages]
        if st.part == "frame" or not own:
            continue
        said = LABEL.sub("", unquoted(st.bare))
        quoted = _checked("\n".join(own))
        for name, why, check in CHECKS:
            if check(said, quoted, patient):
                out.append((name, st.index, why))
    return out
