"""A line that says something repeats on a schedule, or is the written rule that makes it repeat.

A requirement for a recurring process (knowledge `cue: recurring`, CCM31's gap review) is shown by
'registry report runs on the 1st of every month', 'Scheduled job: CG-MONTHLY', 'reviewed at the
weekly huddle', 'q month', or by the written protocol itself ('Policy QI-12', 'per SOP'). A
single dated run ('Registry query run 01/01/2025 across 1571 pts') shows that it happened once:
it is the registry's evidence, and beside a schedule it may join the quote, but alone it leaves
the process unproven, so staff are told to attach the protocol.
"""

import re

UNIT = (
    r"(?:day|night|morning|week|month|quarter|year|cycle|visit|encounter|run|shift|"
    r"mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?"
)
ORDINAL = r"(?:other|first|second|third|fourth|last|1st|2nd|3rd|4th|\d+|business|calendar|working)"
RECURRENCE = re.compile(
    "|".join(
        (
            r"\b(?:hourly|daily|nightly|weekly|bi-?weekly|fortnightly|monthly|bi-?monthly|quarterly|semi-?annual(?:ly)?|"
            r"annual(?:ly)?|yearly)\b",
            rf"\b(?:every|each|per)\s+(?:{ORDINAL}\s+){{0,2}}{UNIT}\b",
            rf"\bof\s+(?:the|every|each)\s+{UNIT}\b",
            r"\bon\s+(?:mon|tues|wednes|thurs|fri|satur|sun)days\b",
            r"\bq\.?\s?(?:\d+\s?)?(?:d|day|days|wk|wks|week|weeks|mo|mos|month|months|qtr|quarter|yr|year)\b",
            r"\b(?:recurring|recurrent|routinely|regularly|periodically|at\s+regular\s+intervals|on\s+a\s+schedule|cadence)\b",
            r"\bscheduled\s+(?:job|run|report|review|query|task|process)\b",
            r"\b(?:protocol|policy|procedure|sop|workflow|standing\s+orders?)\b",
        )
    ),
    re.IGNORECASE,
)


def states_recurrence(text: str) -> bool:
    """Does the line state a schedule, or name the written rule that sets one?"""
    return bool(RECURRENCE.search(" ".join(text.split())))
