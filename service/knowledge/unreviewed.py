"""The entry for a denial code a remittance carried that our code table does not hold.

An 835 may carry any CARC or RARC the X12 lists hold (or a payer's own), and docs/remittance.md (Triage) promises
that such a claim is appealed until someone reviews it rather than lost. Its case and its letter
need an entry to stand on: this one argues nothing code-specific and says, wherever it is shown,
that the code wants review.
"""

import re

from service.models import CodeEntry

SOURCE = "not in the code table"
"""Marks the entry as a stand-in: `needs_review` reads it."""
TITLE = "Not in our code table: review this code before acting on it"
GROUPED = re.compile(r"^([A-Z]{2})-([A-Z0-9]{1,5})$")
"""Any group: a payer may send one outside the five (a tolerant reading keeps it as sent)."""
REMARK = re.compile(r"^(M|MA|N)\d{1,4}$")


def unreviewed_entry(code: str) -> CodeEntry | None:
    """A stand-in entry for a well-formed adjustment ('OA-A7') or remark ('N999') code, or None
    for anything else (a typed code that is no code at all stays an error)."""
    key = code.strip().upper()
    grouped = GROUPED.match(key)
    if grouped is None and not REMARK.match(key):
        return None
    explanation = (
        f"{key} is not in our code table, so nothing is known here about what it means or what "
        "proves it wrong. Look the code up on the remittance or in the licensed CARC/RARC list and "
        "check the letter's argument before it is sent."
    )
    return CodeEntry(
        code=key,
        title=TITLE,
        kind="carc" if grouped else "rarc",
        group=grouped.group(1) if grouped else None,
        evidence=[],
        explanation=explanation,
        appeal_argument="",
        source=SOURCE,
    )


def needs_review(entry: CodeEntry) -> bool:
    return entry.source == SOURCE


def review_warning(entry: CodeEntry) -> list[str]:
    """The warning a letter on an unreviewed code carries."""
    if not needs_review(entry):
        return []
    return [
        f"{entry.code} is not in the code table: the letter argues no code-specific ground; review the code and the letter before sending it."
    ]
