"""Cite or abstain: each sentence of a model's letter against its own citations.

- A sentence with a marker must state only what its own quotes hold: every number, date, code
  and proper word is in the passages it cites (or the case fields), never only in another
  passage (`claim_not_in_quote`); and it must be about what those passages say, by shared
  content words or by meaning (`marker_irrelevant`).
- A sentence without a marker may be the request ('we ask that the denial be reversed'), the
  letter's own business, or the code's argument (a rule stated in general: 'Medicare requires
  consent before services begin', close to the knowledge file). Anything else it states about
  this patient, claim or record needs a citation (`uncited_claim`): 'The patient consented in
  writing' is a claim, however plain.

Failures name the sentence by its number, never by its text.
"""

import re

import numpy as np

from service.drafting.facts import QUOTED, SHORTEST_QUOTE, SMALL, Allowed, facts_of, shares_a_fact, unquoted, word_set
from service.drafting.grounds import Sources, case_text, knowledge_text
from service.drafting.statements import Statement
from service.evidence.matching import expand
from service.index.lexical import stems

Failure = tuple[str, int, str]  # (name, sentence number, why)

LETTER_WORDS = frozenset(
    """
    i we us our ours you your yours he she him her his hers they them their it its this that these those
    which who whom whose what when where while as so such than then there here also both each every all any
    not no nor only very more most much many same other others own just again further once can could will
    would shall should may might must do does did done doing be been being am is are was were has have had
    having a an the of to in on at by for from with without about above below under over into onto upon
    per via within through during before after between against toward towards and or but if because since
    although though unless until whether therefore thus hence accordingly however please kindly thank
    thanks dear sincerely respectfully regards behalf writing write written request requests requested
    requesting ask asking asked seek seeking reconsider reconsideration redetermination reopening review
    reviewed reviewer reviewers reviewing appeal appeals appealing claim claims denial denials denied deny
    denying decision reverse reversed reversal reprocess reprocessed reprocessing overturn overturned
    payment payments pay paid payable reimbursement services service billed billing bill provided
    provide providing rendered enclosed enclose enclosing enclosure enclosures attached attach attachment
    attachments include includes included including copy copies notice remittance advice letter
    documentation document documents documented record records medical chart charts support supports
    supported supporting show shows showed shown demonstrate demonstrates demonstrated meet meets met
    requirement requirements standard standards criteria criterion element elements cited citation
    citations following listed list information additional questions question contact office practice
    provider physician patient patients date dates month monthly period code codes reason received
    consideration attention department team help find finds found note noted below above herein
    accordance basis respect regard regarding relevant pertinent applicable fully complete completed
    evidence evidenced clearly therefore respectfully submit submitted submitting response respond
    valid properly correct correctly appropriate appropriately necessary medically necessity plan payer
    insurer insurance coverage covered policy request page pages
""".split()
)
"""Words of the letter's own business: a sentence made only of these (and the case's fields)
states nothing about the patient that needs a citation."""
NORMATIVE = re.compile(
    r"\b(?:must|should|shall|may|can|requires?|required|requiring|allows?|allowed|permits?|permitted|defines?|"
    r"defined|describes?|described|covers?|eligible|billable|guidance|rules?|regulations?|policy|policies|"
    r"according\s+to)\b",
    re.IGNORECASE,
)
"""A rule stated in general, as the knowledge file states it."""
REQUEST = re.compile(
    r"\b(?:request(?:s|ing)?|ask(?:s|ing)?|revers\w*|reconsider\w*|redetermin\w*|reprocess\w*|overturn\w*|"
    r"contact\s+(?:us|our|me|the\s+office)|enclos\w*|attach\w*|on\s+behalf|writing\s+to|thank\s+you)\b",
    re.IGNORECASE,
)
"""The letter's own business: what it asks for and what comes with it."""
ABOUT = re.compile(
    r"\b(?:the|this|our|your)\s+(?:patient|beneficiary|member|pt)\b|\b(?:he|she|him|his|her|hers)\b|"
    r"\b(?:Mr|Mrs|Ms|Mx)\.?\s+[A-Z]|\b(?:we|our|us)\b|\b(?:nurse|care\s+manager|staff|physician|doctor|"
    r"medical\s+director|clinician|pharmacist|caregiver|daughter|son|wife|husband|spouse)\b|"
    r"\b(?:the|this|her|his|their|our)\s+(?:[\w-]+\s+){0,2}(?:device|cuff|monitor|meter|scale|plan|consent|"
    r"readings?|log|notes?|visits?|calls?|contacts?|minutes|goals?|assessments?|medications?|order|setup|"
    r"education|summary|reports?|transmissions?|data|referrals?|appointments?|vaccines?|screenings?)\b",
    re.IGNORECASE,
)
"""A clause about this patient, the people caring for them, or a thing of their care ('the cuff',
'her care plan'); a general rule says 'a patient', 'a device'."""
EVENT = re.compile(
    r"\b(?:on\s+file|documented|signed|obtained|reconciled|ordered|scheduled|administered|performed|completed|"
    r"discharged|admitted|enrolled|consented|transmitted|logged|spent|called|visited|seen)\b",
    re.IGNORECASE,
)
"""A clause reporting an act of care ('Advance directive on file', 'Medications reconciled')."""
CLAUSE = re.compile(
    r";\s+|,\s+(?:and|but|so|which|because|as|since|while|after|when)\s+|\s+(?:because|since|so\s+that)\s+"
)
LEXICAL_FLOOR = 0.3
MEANING_FLOOR = 0.45
"""A marked sentence is about its quotes when this share of its content words is in them, or
when its embedding is this close to one of them (all-MiniLM-L6-v2 cosine)."""
ACT = re.compile(
    r"\b(?:ordered|completed|signed|administered|discharged|admitted|enrolled|scheduled|declined|refused|"
    r"referred|prescribed|cancell?ed|discontinued|stopped|started)\b",
    re.IGNORECASE,
)
"""An act a sentence reports is a fact too: 'uACR ordered [1]' on a line saying the test is due
is not what the chart says."""
RECORD_COPY = 0.8
"""An uncited sentence with this share of its content words on one record page copies that page."""


LETTER_STEMS = stems(" ".join(LETTER_WORDS))


def content_stems(text: str, ignore: set[str]) -> set[str]:
    """Stems of the words that say something: not the letter's own business, not the `ignore` stems."""
    return {s for s in stems(expand(text)) if not s.isdigit()} - LETTER_STEMS - ignore


def check_support(statements: list[Statement], sources: Sources) -> list[Failure]:
    """Every sentence that says more than its citations (or, uncited, more than the request and
    the argument) may say."""
    passages, knowledge_words = sources.passages, knowledge_text(sources.entry)
    flat_knowledge, fields_text = " ".join(knowledge_words.split()), case_text(sources)
    names = [re.escape(w) for w in re.findall(r"[A-Za-z'’-]{3,}", sources.case.patient_name)]
    patient = re.compile(rf"\b(?:{'|'.join(names)})\b", re.I) if names else None
    where = " ".join(f"{p.document} page {p.page}" for p in passages.values())
    cited_numbers = {n: Allowed.of(p.text).numbers for n, p in passages.items()}
    knowledge = Allowed.of(knowledge_words, parts=False)
    fields = Allowed.of(fields_text, knowledge_words, " ".join(LETTER_WORDS), parts=False)
    unmarked_allowed = fields | Allowed.of(where) | Allowed(SMALL, set(), set(), set())
    claim = Allowed.of(case_text(sources, letter=False), " ".join(LETTER_WORDS), parts=False)
    record = _RecordCopy(sources.page_text, knowledge_words)
    out: list[Failure] = []
    marked: list[tuple[Statement, list, set[str]]] = []
    for st in statements:
        if st.part == "frame":
            continue
        own = [passages[n] for n in dict.fromkeys(st.markers) if n in passages]
        bare = st.bare
        if not st.markers:
            if bare.rstrip(":") and bare.strip(" -*.") and " ".join(bare.split()) not in flat_knowledge:
                why = _uncited(bare, unmarked_allowed, patient) or record.copied(bare)
                if why:
                    out.append(("uncited_claim", st.index, why))
            continue
        if not own:
            continue  # dangling markers are named by the validator
        others = set().union(*(nums for n, nums in cited_numbers.items() if n not in st.markers))
        allowed = claim | Allowed.of(*(f"{p.text} {p.document}" for p in own))
        allowed = allowed | Allowed(knowledge.numbers - others, set(), set(), knowledge.words)
        kinds = allowed.unsupported(facts_of(bare))
        quoted = stems(expand(" ".join(p.text for p in own)))
        if any(not (stems(act) & quoted) for act in ACT.findall(unquoted(bare))):
            kinds.append("act")
        if kinds:
            out.append(("claim_not_in_quote", st.index, f"a {', a '.join(kinds)} not found in its cited passage(s)"))
        marked.append((st, own, quoted))
    # the service's codes are names every sentence shares; what they pay for ('staff time') is not
    ignore = stems(" ".join(word_set(fields_text) | word_set(expand(" ".join(sources.entry.services), codes=False))))
    every = {n: stems(expand(p.text)) for n, p in passages.items()}
    out += _irrelevant(marked, ignore, sources.embed, every)
    return sorted(out, key=lambda f: f[1])


class _RecordCopy:
    """An uncited sentence whose words are a record page's and not the knowledge file's is the
    chart copied without its citation ('Sleeping about six hours a night.')."""

    def __init__(self, page_text: dict, knowledge: str):
        self.pages = [stems(expand(text)) for text in page_text.values()]
        self.knowledge = stems(expand(knowledge)) | LETTER_STEMS

    def copied(self, bare: str) -> str:
        content = {s for s in stems(expand(unquoted(bare))) if not s.isdigit()}
        own = content - self.knowledge
        if len(content) < 3 or len(own) < 2:
            return ""
        if any(len(content & page) >= RECORD_COPY * len(content) for page in self.pages):
            return "repeats what a record page says without citing it"
        return ""


def _uncited(bare: str, allowed: Allowed, patient: re.Pattern | None) -> str:
    kinds = allowed.unsupported(facts_of(bare))
    if kinds:
        return f"states a {', a '.join(kinds)} without citing a passage"
    for clause in CLAUSE.split(unquoted(bare)):
        about = ABOUT.search(clause) or EVENT.search(clause) or (patient is not None and patient.search(clause))
        if about and not NORMATIVE.search(clause) and not REQUEST.search(clause):
            return "states something about the patient or their care without citing a passage"
    return ""


def _quotes_its_passage(bare: str, own: list) -> bool:
    """A sentence that quotes one of its own passages is about it."""
    texts = [" ".join(p.text.split()) for p in own]
    for match in QUOTED.finditer(bare):
        quote = " ".join(match.group(1).split()).rstrip(".,;: ")
        if len(quote) >= SHORTEST_QUOTE and any(quote in t for t in texts):
            return True
    return False


def _irrelevant(
    marked: list[tuple[Statement, list, set[str]]], ignore: set[str], embed, every: dict[int, set[str]]
) -> list[Failure]:
    """Marked sentences whose words and meaning are both far from their own quotes (`quoted`:
    their stems), or whose words another passage holds and their own do not. `ignore`: stems of
    the case's and the service's own words, shared by all; `every`: each passage's stems."""
    far, elsewhere = [], []
    for st, own, quoted in marked:
        if _quotes_its_passage(st.bare, own) or shares_a_fact(st.bare, [p.text for p in own]):
            continue
        content = content_stems(st.bare, ignore)
        if not content:
            continue
        if _better_elsewhere(content, quoted, [words for n, words in every.items() if n not in st.markers]):
            elsewhere.append((st, own))
            continue
        if len(content & quoted) >= LEXICAL_FLOOR * len(content):
            continue
        far.append((st, own))
    if far and embed is not None:
        texts = [st.bare for st, _ in far]
        quotes = [p.text for _, own in far for p in own]
        vectors, quote_vectors = embed(texts), embed(quotes)
        kept, at = [], 0
        for (st, own), vector in zip(far, vectors):
            best = float(np.max(quote_vectors[at : at + len(own)] @ vector))
            at += len(own)
            if best < MEANING_FLOOR:
                kept.append((st, own))
        far = kept
    return [
        ("marker_irrelevant", st.index, f"its marker(s) {' '.join(f'[{p.number}]' for p in own)} do not support it")
        for st, own in sorted(far + elsewhere, key=lambda item: item[0].index)
    ]


def _better_elsewhere(content: set[str], quoted: set[str], others: list[set[str]]) -> bool:
    """'The record shows recombinant zoster vaccine [7]' on a page of flu and A1c results: its own
    quote holds under half of its words and another passage holds them all; the marker was
    moved."""
    held = len(content & quoted)
    return held < len(content) / 2 and any(len(content & other) == len(content) >= held + 2 for other in others)
