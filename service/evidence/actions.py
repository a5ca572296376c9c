"""A dated act of care by its shape: what was ordered, referred, given, scheduled or sent, and when.

'6/14/2026 urine ACR ordered, pt aware', '06/23/2026 PCV20 given at the nurse visit', 'Referral
to GI placed 05/06/26 for colonoscopy' are actions taken to close a gap, however a registry or a
note words them. A date under a status label is no action date: 'Flu vaccine - Last done:
10/12/2025', 'Colonoscopy Due 06/2026', 'Done: 03/02/2026' report where a service stands.
"""

import re

from service.screening.dates import DAY
from service.screening.stamps import is_name_and_stamp

ACT = re.compile(
    r"\b(?:ordered|order\s+(?:placed|entered|sent)|referred|referral\s+(?:placed|sent|made|faxed|entered|to)|"
    r"scheduled|rescheduled|given|administered|injected|mailed|sent|faxed|drawn|collected|"
    r"called|outreach|contacted|reached|left\s+(?:vm|message)|lvm|booked|dispensed|placed)\b",
    re.IGNORECASE,
)
STATUS_DATE = re.compile(
    r"\b(?:last\s+(?:done|given|dose|completed|date|result)?|done|due|next\s+due|completed\s+on|date\s+completed|"
    r"overdue\s+since|expires?|valid\s+(?:through|until)|status)\s*[:\-]?\s*$",
    re.IGNORECASE,
)
"""The words right before a date that make it a status date ('Last done: ', 'Due ')."""


def action_date_spans(text: str) -> list[re.Match]:
    """Full dates in the line that are not status dates."""
    return [m for m in DAY.finditer(text) if not STATUS_DATE.search(text[max(0, m.start() - 24) : m.start()])]


def states_action(text: str) -> bool:
    """An act and a date of its own: a signature's date on the line below ('Kendra Haddad, DO /
    Jun 1, 2026') does not date a protocol above it ('outreach w/in 5 bus days')."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    flat = " ".join(line for line in lines if line and not is_name_and_stamp(line))
    return bool(ACT.search(flat)) and bool(action_date_spans(flat))
