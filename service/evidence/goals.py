"""A measurable goal by its shape: a target value, with a deadline or named as a goal.

'LDL below 100 mg/dL by 09/30/2025', 'PHQ-9 below 10 by 05/31/2025', 'A1c <7.5% in 6 months',
'Home BP < 135/85 by next visit', 'goal mMRC dyspnea grade 1 (now 2)', 'target 90 days sober by
06/01/2026' are goals however a chart words them, and they often read less like 'treatment goal'
to the embedding model than 'Prognosis: fair' does. Not goals: an alert rule ('call if SBP above
160'), a time frame ('f/u within 7 days'), a dose change ('metformin reduced to 500 mg'), or a
line saying the plan was reviewed ('CP reviewed + revised w/ pt, goals updated 5/19').
"""

import re

from service.screening.dates import DAY, MONTH_NAME

NUMBER = r"\d+(?:[.,]\d+)?(?:/\d+)?"
TIME_UNIT = r"(?:days?|d|wks?|weeks?|mos?|months?|yrs?|years?|hrs?|hours?|mins?|minutes?|x)\b"
COMPARED = re.compile(
    rf"(?:<=?|>=?|\u2264|\u2265|\bbelow|\bunder|\babove|\bover|\bless\s+than|\bmore\s+than|\bgreater\s+than|"
    rf"\bat\s+least|\bat\s+most|\bno\s+more\s+than|\bfewer\s+than|\bwithin|\bbetween|\bkeep\s+\w+(?:\s+\w+)?\s+(?:at|near)|"
    rf"\bto\s+goal\s+of)\s*(?:[a-z][\w-]*\s+){{0,2}}(?P<value>{NUMBER})\s*(?P<unit>%|\S+)?",
    re.IGNORECASE,
)
DEADLINE = re.compile(
    rf"\b(?:by|before|until|thru|through|within|in|over\s+the\s+next)\s+(?:the\s+)?(?:end\s+of\s+|next\s+)?"
    rf"(?:{MONTH_NAME}|\d{{1,2}}/\d{{1,2}}|\d{{1,2}}/\d{{2,4}}|\d{{4}}|\d+\s*{TIME_UNIT}|\w+\s+(?:{TIME_UNIT})|visit|appt|"
    rf"year|summer|spring|fall|winter|q[1-4]|quarter|month)",
    re.IGNORECASE,
)
BARE_TARGET = re.compile(
    r"(?:<=?|>=?|\u2264|\u2265)\s*\d|\bwithin\s+\d+(?:\.\d+)?\s*(?:lbs?|kg|%|points?|mmhg)\s+of\b", re.IGNORECASE
)
"""'A1c < 8', 'wt within 2 lb of dry wt': a value set as a bound, read as a goal without a date."""
GOAL_WORD = re.compile(r"\b(?:goals?|target(?:ed|s)?|aim)\b", re.IGNORECASE)
ALERT = re.compile(
    r"\b(?:call|notify|alert|contact|page|report|seek|return|go\s+to|escalat\w*)\b[^.;]{0,40}\bif\b|"
    r"\bif\b[^.;]{0,30}(?:<|>|\babove\b|\bbelow\b|\bover\b|\bunder\b|\bgain\w*|\bdrops?\b)|\balert\s+(?:limit|threshold|range)",
    re.IGNORECASE,
)
DOSE = re.compile(
    r"\b(?:increas|decreas|reduc|titrat|start|stopp|chang|adjust|lower|rais|hold|held|cut)\w*\b[^.;]{0,30}"
    r"\d+(?:\.\d+)?\s*(?:mg|mcg|units?|ml)\b",
    re.IGNORECASE,
)
REVIEW = re.compile(r"\b(?:reviewed|revised|updated|shared|discussed|sent|mailed|given|printed|faxed)\b", re.IGNORECASE)


def _targets(text: str) -> list[re.Match]:
    """Comparisons with a measured value: not a time frame ('within 7 days'), a goal or not."""
    return [
        m for m in COMPARED.finditer(text) if not re.fullmatch(TIME_UNIT, (m.group("unit") or "").strip(".,;)"), re.I)
    ]


def states_target(text: str) -> bool:
    flat = " ".join(text.split())
    undated = DAY.sub(" ", flat)
    if ALERT.search(undated) or reports_review(flat):
        return False
    if DOSE.search(undated) and not GOAL_WORD.search(undated):
        return False
    compared = _targets(undated)
    if compared and (DEADLINE.search(flat) or GOAL_WORD.search(undated) or BARE_TARGET.search(undated)):
        return True
    goal = GOAL_WORD.search(undated)
    return bool(goal and re.search(r"\d", undated[goal.end() :]))


def reports_review(text: str) -> bool:
    """'CP reviewed + revised w/ pt and son, goals/interventions updated': the plan was reviewed
    or shared; the line names the goals but sets none."""
    flat = " ".join(text.split())
    return bool(REVIEW.search(flat)) and not _targets(DAY.sub(" ", flat))
