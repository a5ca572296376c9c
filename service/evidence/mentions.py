"""A line that names a requirement's subject without reporting anything done or found.

'Monitoring episode starts at device setup.', 'Outreach on each gap w/in 5 business days',
'Measures are reviewed with the patient at the monthly call.', 'Patients will be taught to use
the cuff at enrollment' read like their requirement and state a rule, a habit or a plan: nothing
in them happened to this patient. Such a line may join a quote beside real evidence, never be a
requirement's only evidence; the requirement is then reported missing so staff look for the
real document. A line is a mention only when it speaks in general (a quantifier, a modal, a
plural or habitual passive, a defining verb) and has no date, no value and no act of its own:
terse charting ('Pt agrees to CCM', 'cuff education, teach-back') is never one.
"""

import re

from service.screening.dates import DAY

WHEN = (
    r"(?:morning|evening|night|day|week|month|year|time|hour|meal|dose|visit|sunday|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|weekend|quarter)s?"
)
QUANTIFIER = rf"\b(?:each|every|all|any)\s+(?!{WHEN}\b|of\b)\w+"
"""'each gap', 'every CCM pt', 'all pts': a rule over cases. 'every morning', 'at any time'
are when the patient does something, which goals and consent terms say."""
PARTICIPLE = r"(?:\w+(?:ed|en)|set|put|done|given|sent|taught|shown|seen|made|run|kept|held|told)"
FUTURE = rf"\b(?:will|shall|should|must)\s+be\s+{PARTICIPLE}\b"
PLURAL_PASSIVE = rf"\bare\s+(?:\w+ly\s+)?{PARTICIPLE}\b"
HABIT = r"\b(?:monthly|weekly|daily|annually|routinely|always|per\s+protocol|(?:w/in|within)\s+\d+)\b"
HABITUAL_PASSIVE = rf"\bis\s+(?:\w+ly\s+)?{PARTICIPLE}\b.*{HABIT}"
DEFINING = r"\b(?:starts|begins|ends|meets|means|occurs)\b"
GENERAL = re.compile("|".join((QUANTIFIER, FUTURE, PLURAL_PASSIVE, HABITUAL_PASSIVE, DEFINING)), re.IGNORECASE)

VALUE = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:%|[a-z]{3,}s\b|(?:mg|mcg|mmhg|bpm|lbs?|kg|min(?:ute)?s?|hrs?|hours?|readings?|logins?|messages?|calls?|meds?|pts?)\b)"
    r"|\b\d{2,3}/\d{2,3}\b|\b\d+\.\d+\b|\b[A-Z]{1,4}-?\d{2,5}[A-Z]?\b|\b[A-TV-Z]\d{2}(?:\.\d{1,4})?\b",
    re.IGNORECASE,
)
"""A value a chart records: a measure with its unit, a count ('5 entries'), a reading, a decimal,
a model or an ICD-10 code. A bare number ('201(h)', 'w/in 5 business days') is a rule's, not a record's."""
DEADLINE = re.compile(
    r"\b(?:w/in|within|in|after|before)\s+\d+\s*(?:business\s+|calendar\s+)?(?:days?|hrs?|hours?|min(?:ute)?s?)\b", re.I
)

IRREGULAR = (
    "given|done|sent|seen|taught|made|spoke|spoken|met|held|told|run|set|put|got|written|drawn|shown|"
    "taken|gave|did|went|came|had|left|kept|brought|understood|verbalized|began|begun|signed|agreed"
)
NOT_ACTS = (
    "need|needed|required|expected|recommended|allowed|permitted|based|related|associated|intended|"
    "designed|defined|indeed|speed|feed|seed|embed|exceed|proceed|succeed|hundred|red|bed|shed|med"
)
PAST = re.compile(rf"\b(?!(?:{NOT_ACTS})\b)(?:\w{{2,}}ed|{IRREGULAR})\b", re.IGNORECASE)
NOT_DONE_YET = re.compile(
    r"\b(?:is|are|be|to|will|shall|should|must)\s+(?:(?:\w+ly|first|then|also|not)\s+)?$", re.IGNORECASE
)
"""Only asked of a line already speaking in general: there 'is assigned' is the rule's verb."""


def _acts(text: str) -> bool:
    """A verb of something done ('reviewed', 'set up', 'given'), not one still to do ('to be
    reviewed') or done as a rule ('are reviewed')."""
    return any(not NOT_DONE_YET.search(text[: m.start()]) for m in PAST.finditer(text))


LABEL = re.compile(r"^\W{0,3}[A-Z][\w'()/&-]*(?:\s+[\w'()/&-]+){0,3}:\s")
"""'Source: device transmission for every reading': a field charted with its finding."""


def is_mention(text: str) -> bool:
    """Does the line state a rule, a habit or a plan, and report nothing that happened?"""
    flat = " ".join(text.split())
    if LABEL.match(flat):
        return False
    if DAY.search(flat):
        return False
    if VALUE.search(DEADLINE.sub(" ", flat)):
        return False
    if not GENERAL.search(flat):
        return False
    return not _acts(GENERAL.sub(" ", flat))
