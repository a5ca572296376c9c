"""Claim fields found by where they sit: right of their label (with or without a colon), under a
label that stands alone or heads a box, and in the cells of a table under its header row. On a
scanned page OCR keeps the words but not the columns, so a row of labels over a row of values is
matched in order, each label taking the next value of its kind, marked for review."""

import re
from dataclasses import dataclass
from datetime import date

from service.remittance.notice_labels import Label, heading, is_label_row, labels_in
from service.remittance.notice_values import (
    DATE,
    LEAD,
    first_date,
    identifier,
    medicare_shaped,
    money,
    name_span,
    person,
)

LABELLED, FUZZY, TABLE, OCR_GRID, GUESS = 0.95, 0.85, 0.8, 0.7, 0.6
CELL = re.compile(r"\S+(?: \S+)*")
GROUP_CODE = re.compile(r"\b(CO|PR|OA|PI|CR)(?:-|\s{0,16})([A-Z]?\d{1,3}|[A-Z]\d)\b", re.I)
OWN_CODE = re.compile(r"[A-Z]{1,4}\d{2,4}\b")
MEDICARE_LABEL = re.compile(r"medicare|\bmbi\b|\bmid\b|\bhic", re.I)
HEADING_REACH = 4
"""A person's box heading ('SUBSCRIBER') governs the few lines under it."""


@dataclass
class Line:
    page: int
    text: str
    ocr: bool = False


@dataclass
class Found:
    field: str
    value: str | float | date
    confidence: float
    index: int
    quote: str


def typed(field: str | None, text: str):
    """The value a field's label points at, if the text starts with one of its kind."""
    text = text.lstrip(LEAD)
    if field == "patient_id":
        return identifier(text)
    if field == "claim_number":
        value = identifier(text)
        return value if value and len(value) >= 6 and not GROUP_CODE.fullmatch(value) else None
    if field == "patient_name":
        return person(text)
    if field in ("date_of_service", "denial_date"):
        match = DATE.match(text)
        return first_date(text) if match else None
    if field == "amount_denied":
        return money(text[:24]) if re.match(r"(?:USD|US\$|\$)?\s?\d", text) else None
    if field == "denial_code":
        group = GROUP_CODE.match(text)
        if group:
            return f"{group.group(1).upper()}-{group.group(2).upper()}"
        own = OWN_CODE.match(text)
        return own.group(0) if own else None
    return None


def found_at(field: str, value, confidence: float, index: int, quote: str) -> Found:
    if isinstance(value, tuple):  # a date, and whether it opens a range: a range's start is only a guess
        value, ranged = value
        confidence = min(confidence, GUESS) if ranged else confidence
    return Found(field, value, confidence, index, quote.strip())


def labelled(lines: list[Line]) -> list[Found]:
    """Every value right of its label or under it, in reading order."""
    out: list[Found] = []
    context, since = None, 0
    for i, line in enumerate(lines):
        box = heading(line.text)
        since = 0 if box else since + 1
        context = box or context
        if since > HEADING_REACH:
            context = None
        labels = labels_in(line.text)
        if len(CELL.findall(line.text)) >= 5 and not re.search(r"\d", line.text):
            labels = []  # a table's column headings: its values are in the rows under it
        for k, label in enumerate(labels):
            if label.field is None or label.field == "patient_name" and context == "other":
                continue
            end = labels[k + 1].start if k + 1 < len(labels) else len(line.text)
            region = re.sub(r"^\s*\([^)]{1,12}\)", "", line.text[label.end : end])  # 'Claim Number (ICN): ...'
            colon = region.lstrip(" .").startswith((":", "#"))
            value = typed(label.field, region)
            if (
                value is not None
                and " " not in label.text.strip()
                and not colon
                and not _whole_cell(label.field, region, label)
            ):
                value = None
            confidence = LABELLED if colon or re.match(r"\s{2,}|\s*$", region) else FUZZY
            if (
                value is None and label.field == "patient_name"
            ):  # 'Name Relationship   Ann Lee Child': two labels, two values
                cells = [c for c in re.split(r"\s{2,}", region.strip()) if c]
                value = typed("patient_name", cells[1]) if len(cells) > 1 and is_label_row(cells[0]) else None
                confidence = FUZZY
            if value is not None and label.field in ("claim_number", "patient_id"):
                value, confidence = _doubtful_id(label, region, value, confidence)
            if value is not None:
                out.append(found_at(label.field, value, confidence, i, line.text))
            elif not region.strip(LEAD):
                below = _below(lines, i, label, labels)
                if below is not None:
                    out.append(
                        found_at(label.field, below[0], TABLE, below[1], f"{label.text}: {lines[below[1]].text}")
                    )
    return out


def _doubtful_id(label: Label, region: str, value: str, confidence: float) -> tuple[str, float]:
    """An identifier followed only by more digits ('N2606 7300'): one number OCR or a print
    split, joined and marked for review; a Medicare number that does not have the shape of
    one, marked for review."""
    rest = region.lstrip(LEAD)[len(value) :]
    more = re.fullmatch(r" (\d{2,})[\s.,;|]*", rest)
    if more:
        return value + more.group(1), min(confidence, GUESS)
    if MEDICARE_LABEL.search(label.text) and not medicare_shaped(value):
        return value, min(confidence, GUESS)
    return value, confidence


def _whole_cell(field: str, region: str, label: Label) -> bool:
    """A one-word label with no colon ('Claim', 'Name', 'MID') names a value only when the
    value fills its cell: 'claim P26... was paid' is a sentence, not a label and a value. A
    name right after such a label is taken only from a printout in capitals ('NAME DOE, JO'):
    'Member Cost Share' is one heading."""
    cell = CELL.search(region)
    if cell is None:
        return False
    if label.text.isupper() and len(label.text) <= 4 and field != "patient_name":
        return True
    if field == "patient_name" and not re.match(r"\s{2,}", region) and not label.text.isupper():
        return False
    text = cell.group(0).strip(LEAD)
    if field == "patient_id":
        return bool(identifier(text))
    if field == "claim_number":
        value = identifier(text)
        whole = re.sub(r"[\s-]", "", text)
        return bool(
            value and len(value) >= 6 and not GROUP_CODE.fullmatch(value) and re.sub(r"[\s-]", "", value) == whole
        )
    if field in ("date_of_service", "denial_date"):
        return not DATE.sub("", text).strip(" -–to")
    return not re.search(r"\d", text)


def _below(lines: list[Line], i: int, label: Label, labels: list[Label]):
    """The value under a label: the whole next line for a label alone on its line, else the
    next line's cell in the label's column (text pages only: OCR loses the columns)."""
    for j in range(i + 1, min(i + 3, len(lines))):
        if lines[j].page != lines[i].page:
            return None
        text = lines[j].text
        if labels_in(text) and len(labels_in(text)) >= len(CELL.findall(text)):
            return None
        if len(labels) == 1 and lines[i].text.strip(LEAD + " ") == label.text.strip():
            value = typed(label.field, text)
            return (value, j) if value is not None else None
        if (
            lines[i].ocr
            or is_table_header(lines[i])
            or not is_label_row(lines[i].text)
            or len(labels) > 4
            or label.field == "amount_denied"
        ):
            return None
        for cell in CELL.finditer(text):
            if cell.start() < label.end + 2 and cell.end() > label.start - 2:
                value = typed(label.field, cell.group(0))
                return (value, j) if value is not None else None
    return None


def is_table_header(line: Line) -> bool:
    """A row of three or more labels with a claim-number column: a table's header, whose rows
    are read claim by claim (notice_claims), not as one label over one value."""
    labels = labels_in(line.text, loose=line.ocr)
    covered = sum(len(label.text) for label in labels) / max(1, len(line.text.strip()))
    return (
        (len(CELL.findall(line.text)) >= 3 or line.ocr and len(labels) >= 3 and covered >= 0.5)
        and any(label.field == "claim_number" for label in labels)
        and sum(1 for label in labels if label.field) >= 2
        and not re.search(r"\d", line.text)
    )


def grid(lines: list[Line]) -> list[Found]:
    """On scanned pages: a row of labels over a row of values, matched in order by kind."""
    out: list[Found] = []
    for i, line in enumerate(lines[:-1]):
        below = lines[i + 1]
        if not line.ocr or below.page != line.page or re.search(r"\d", line.text) or not re.search(r"\d", below.text):
            continue
        labels = labels_in(line.text)
        if len(labels) < 2 or not any(label.field for label in labels):
            continue
        for name, value in in_order(labels, below.text):
            out.append(found_at(name, value, OCR_GRID, i + 1, f"{line.text.strip()} / {below.text.strip()}"))
    return out


def in_order(labels: list[Label], text: str) -> list[tuple[str, object]]:
    """Each label takes the next value of its kind in a row whose columns OCR closed up; a
    decoy's label takes its value too, so it is not left for the next label."""
    out, cursor = [], 0
    for label in labels:
        kind = label.field or _decoy_kind(label.text)
        hit = _next_of_kind(kind, text, cursor) if kind else None
        if hit is None:
            continue
        value, cursor = hit
        if label.field:
            out.append((label.field, value))
    return out


def _decoy_kind(text: str) -> str | None:
    plain = text.lower()
    if re.search(r"date|dob|birth", plain):
        return "date_of_service"
    if re.search(r"billed|paid|amount|total|allowed|charge", plain):
        return "amount_denied"
    if re.search(r"\bid\b|\bno\b|number|#|acct|account|npi", plain):
        return "patient_id"
    return None


def _next_of_kind(kind: str, text: str, cursor: int):
    """The first value of the kind at or after `cursor`, and where it ends."""
    for start in [m.start() for m in re.finditer(r"(?<!\S)\S", text) if m.start() >= cursor]:
        value = typed(kind, text[start:])
        if value is not None:
            shown = value[0] if isinstance(value, tuple) else value
            width = name_span(text[start:]) if kind == "patient_name" else len(str(shown))
            return value, start + max(width, 1)
    return None
