"""Several claims on one page (a remittance printout, an explanation of payment): each claim is
read on its own, from a table row under a header or from the block of labelled lines that starts
at its claim number, and the case takes the denied one. When the page does not say which one was
denied, nothing it gives is passed off as certain: a confidently wrong claim is the worst outcome."""

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date

from service.remittance.notice_labels import labels_in
from service.remittance.notice_layout import (
    CELL,
    GROUP_CODE,
    GUESS,
    OCR_GRID,
    TABLE,
    Found,
    Line,
    found_at,
    in_order,
    is_table_header,
    typed,
)
from service.remittance.notice_values import MONEY, money
from service.remittance.triage import ROUTINE

DENIED_WORDS = re.compile(
    r"\b(?:denied|denial|not covered|not payable|not paid|returned|rejected|unprocessable|disallowed)\b", re.I
)
PAID_WORDS = re.compile(r"\bstatus\W+(?:paid|approved|processed)\b", re.I)
ROW_FIELDS = ("claim_number", "patient_name", "patient_id", "date_of_service")


@dataclass
class Claim:
    number: str
    fields: dict[str, Found]
    indices: list[int]
    denied: bool
    where: str = "block"


@dataclass
class Choice:
    fields: dict[str, Found] = field(default_factory=dict)
    indices: list[int] | None = None
    """The chosen claim's lines; None when the letter holds one claim (all its lines count)."""
    claims: int = 1
    denied: int = 0
    """How many of the claims read as denied: the one taken is sure only when exactly one is."""

    def note(self) -> str | None:
        """What the reading says of the claim it took, when the letter holds several."""
        if self.claims < 2:
            return None
        if self.denied == 1:
            return f"the letter lists {self.claims} claims; this is the one it denies (its row is quoted)"
        return f"the letter lists {self.claims} claims and {'none reads' if not self.denied else f'{self.denied} read'} as denied: this is the first; check which one to appeal"


COST_SHARE = {"1", "2", "3"}
"""Deductible, coinsurance, copay: the patient's share of a paid line under any group (a scan's
'C03' note read as 'CO3' is no denial)."""


def routine(group: str, carc: str) -> bool:
    return (group.upper(), carc.upper()) in ROUTINE or carc.lstrip("0") in COST_SHARE


def denied_line(text: str, payer_codes: AbstractSet[str]) -> bool:
    """A line that says its claim or service was not paid: in words, by a payer-side adjustment
    code, by one of the payer's own codes, or a charge with nothing paid at the end of the row."""
    if DENIED_WORDS.search(text):
        return True
    codes = {(g.upper(), c.upper()) for g, c in GROUP_CODE.findall(text)}
    if any(not routine(group, carc) for group, carc in codes):
        return True
    if set(re.findall(r"\b[A-Z]{2,4}\d{2}\b", text)) & payer_codes:
        return True
    if codes:  # routine adjustments explain why nothing was paid (a deductible, a copay)
        return False
    amounts = [a for a in (money(m.group(0)) for m in MONEY.finditer(text)) if a is not None]
    return len(amounts) >= 2 and amounts[0] > 0 and amounts[1] == 0


def table_claims(lines: list[Line], payer_codes: AbstractSet[str]) -> list[Claim]:
    """One claim per row of each table whose header names a claim-number column (text pages)."""
    claims = []
    for i, line in enumerate(lines):
        header = _header(line)
        if header is None:
            continue
        section = " ".join(lines[k].text for k in range(max(0, i - 3), i) if lines[k].page == line.page)
        section_denied = bool(re.search(r"status\W+(?:denied|rejected)", section, re.I))
        for j in range(i + 1, min(i + 60, len(lines))):
            row = lines[j]
            if row.page != line.page or re.match(r"\s*totals?\b", row.text, re.I) or _header(row):
                break
            if not row.text.strip(" -=_"):
                continue
            cells = [(m.start(), m.end(), m.group(0)) for m in CELL.finditer(row.text)]
            if len(cells) < 3 and not re.search(r"\d", row.text):
                continue  # a header's second line ('No.' under 'Patient Account')
            if len(cells) < 3:
                break
            found: dict[str, Found] = {}
            for k, (start, end, text) in enumerate(cells):
                name = header[k][2] if len(cells) == len(header) else _column(header, start, end)
                if name in ROW_FIELDS and name not in found and (value := typed(name, text)) is not None:
                    found[name] = found_at(name, value, TABLE, j, row.text)
            if "claim_number" in found:
                denied = section_denied or denied_line(row.text, payer_codes) and not PAID_WORDS.search(row.text)
                claims.append(Claim(str(found["claim_number"].value), found, [j], denied, "table"))
    return claims


def ocr_table_claims(lines: list[Line], payer_codes: AbstractSet[str]) -> list[Claim]:
    """The same on scanned pages, where OCR closed the columns up: each row's values are taken
    in the order of the header's labels, by kind, marked for review."""
    claims = []
    for i, line in enumerate(lines):
        if not line.ocr or not is_table_header(line):
            continue
        labels = labels_in(line.text, loose=True)
        section = " ".join(lines[k].text for k in range(max(0, i - 3), i) if lines[k].page == line.page)
        section_denied = bool(re.search(r"status\W+(?:denied|rejected)", section, re.I))
        for j in range(i + 1, min(i + 60, len(lines))):
            row = lines[j]
            if (
                row.page != line.page
                or re.match(r"\s*totals?\b", row.text, re.I)
                or is_table_header(row)
                or not re.search(r"\d", row.text)
            ):
                break
            found = {
                name: found_at(name, value, OCR_GRID, j, row.text)
                for name, value in reversed(in_order(labels, row.text))
            }
            if "claim_number" in found:
                denied = section_denied or denied_line(row.text, payer_codes) and not PAID_WORDS.search(row.text)
                claims.append(Claim(str(found["claim_number"].value), found, [j], denied, "table"))
    return claims


def _header(line: Line) -> list[tuple[int, int, str | None]] | None:
    """A table's header row on a text page: its columns, each named by the label it holds."""
    if line.ocr or not is_table_header(line):
        return None
    cells = list(CELL.finditer(line.text))
    labels = labels_in(line.text)
    columns = []
    for cell in cells:
        inside = [label for label in labels if cell.start() <= label.start < cell.end()]
        columns.append((cell.start(), cell.end(), inside[0].field if inside else None))
    return columns


def _column(header: list[tuple[int, int, str | None]], start: int, end: int) -> str | None:
    overlap = [(min(end, e) - max(start, s), -abs(start - s), name) for s, e, name in header]
    best = max(overlap)
    return best[2] if best[0] > 0 or best[1] > -4 else None


def block_claims(
    found: list[Found], lines: list[Line], payer_codes: AbstractSet[str]
) -> tuple[list[Found], list[Claim]]:
    """Labelled values before the first claim number (shared by every claim), and one claim per
    block of lines that starts where a different claim number is labelled."""
    starts: list[tuple[int, str | float | date]] = []
    for item in found:
        if (
            item.field == "claim_number"
            and item.confidence >= TABLE
            and (not starts or starts[-1][1] != item.value)
            and all(item.value != value for _, value in starts)
        ):
            starts.append((item.index, item.value))
    if len(starts) < 2:
        return found, []
    shared = [item for item in found if item.index < starts[0][0]]
    claims = []
    for k, (begin, number) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        mine = {}
        for item in found:
            if begin <= item.index < end and item.field not in mine:
                mine[item.field] = item
        indices = list(range(begin, end))
        denied = any(denied_line(lines[i].text, payer_codes) for i in indices)
        claims.append(Claim(str(number), mine, indices, denied))
    return shared, claims


def choose(claims: list[Claim]) -> Choice:
    """The denied claim when exactly one claim number is denied; else the first, marked for review."""
    numbers = list(dict.fromkeys(c.number for c in claims))
    if not claims:
        return Choice(claims=0)
    denied = list(dict.fromkeys(c.number for c in claims if c.denied))
    chosen = denied[0] if len(denied) == 1 else numbers[0]
    sure = len(numbers) == 1 or len(denied) == 1
    fields: dict[str, Found] = {}
    indices: list[int] = []
    for claim in (c for c in claims if c.number == chosen):
        indices += claim.indices
        for name, item in claim.fields.items():
            if name not in fields or item.confidence > fields[name].confidence:
                fields[name] = (
                    item if sure else Found(item.field, item.value, min(item.confidence, GUESS), item.index, item.quote)
                )
    return Choice(fields, sorted(set(indices)) if len(numbers) > 1 else None, len(numbers), len(denied))
