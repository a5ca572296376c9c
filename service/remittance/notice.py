"""Claim fields read from a payer's denial letter or EOB (text or OCR), each with a confidence
and the page and quote it came from.

Letters differ in everything but their vocabulary: a field is found by its label ('ICN',
'Claim #', 'Member ID', 'Beneficiary'), on the same line ('ICN: 1426...'), across a row of
labelled cells, or in a label row over a value row; what no label gives is taken from the
service table (the rows denied, not the rows paid) or the letterhead, at a lower confidence. A
value under the bar is returned marked `review`, never dropped and never passed off as certain;
a field with no candidate is absent.
"""

import re
from dataclasses import dataclass
from datetime import date

import dateparser
from nameparser import HumanName
from rapidfuzz import fuzz, process

from service.knowledge import KnowledgeBase
from service.models import FieldReading, NoticeReading, Page
from service.remittance.triage import ROUTINE

BAR = 0.75
LABELLED, FUZZY, TABLE, OCR_GRID, GUESS = 0.95, 0.85, 0.8, 0.7, 0.6
LABELS: dict[str, list[str]] = {
    "claim_number": ["claim number", "claim #", "claim no", "claim id", "icn", "icn #", "internal control number",
                     "claim control number", "payer claim control #", "tcn", "transaction control number",
                     "reference no", "reference number", "claim ref #", "claim/reference no", "claim number (icn)"],
    "patient_id": ["medicare number", "mbi", "medicare beneficiary identifier", "medicare beneficiary identifier (mbi)",
                   "medicare id", "beneficiary id", "beneficiary id (mbi)", "medicare no", "member id", "member number",
                   "member no", "subscriber id", "id #", "identification no", "recipient id", "medicaid id", "medicaid #",
                   "beneficiary no", "plan member #", "hicn", "health plan id"],
    "patient_name": ["beneficiary", "beneficiary name", "patient", "patient name", "member", "member name",
                     "medicare beneficiary", "recipient", "recipient name", "enrollee", "name"],
    "denial_date": ["date", "letter date", "notice date", "date of notice", "statement date", "date issued",
                    "issue date", "run date", "remittance date", "decision date", "date of this notice"],
    "date_of_service": ["dates of service", "date of service", "date(s) of service", "service date", "dos", "from dos"],
    "amount_denied": ["amount denied", "total denied", "billed amount denied", "total denied charges", "denied amount",
                      "total not covered", "amount not covered"],
}
LABEL_WORDS = re.compile(r"[A-Za-z][A-Za-z.()/']*(?: [A-Za-z.()/'#]+){0,3}?(?: (?:ID|No\.?|Number|#))?(?=\s*(?:\||$|\s[‘'A-Z]))")
CELL_SPLIT = re.compile(r"\s{2,}|\s\|\s|\t")
PAIR = re.compile(r"^(?P<label>[A-Za-z][A-Za-z .#()/'-]{0,45}?)\s*:\s*(?P<value>\S.*)$")
GROUP_CODE = re.compile(r"\b(CO|PR|OA|PI|CR)(?:-|\s{0,16})([A-Z]?\d{1,3}|[A-Z]\d)\b", re.I)
"""'CO-50', 'CO 50', 'CO50', and group and reason in two table columns ('CO          50')."""
CPT = re.compile(r"(?<![\d.,$/-])\b(\d{4}[0-9FTU]|[A-HJ-V]\d{4})\b(?![\d/-])")
MONEY = re.compile(r"\$?\b\d{1,3}(?:,\d{3})*\.\d{2}\b")
DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}-[A-Za-z]{3}-\d{4}\b|"
                  r"\b[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}\b|\b\d{6}\b")
DENIED_ROW = re.compile(r"\bdenied\b|not covered", re.I)
NOT_DATES = re.compile(r"birth|dob|received|receipt|coverage (?:end|term)|fax|printed|request(?:ed)? (?:for|on)|admi", re.I)


@dataclass
class Line:
    page: int
    text: str


def read_notice(pages: list[Page], payer_codes: set[str] = frozenset(), remark_codes: set[str] = frozenset()) -> NoticeReading:
    """`payer_codes`: the knowledge base's own codes (CCM20...), `remark_codes`: the RARCs the
    table knows; both are only recognised, never required."""
    lines = [Line(p.number, text) for p in pages for text in p.text.splitlines() if text.strip()]
    found = _labelled(lines)
    rows = _service_rows(lines)
    denied = [r for r in rows if _is_denied(r.text, payer_codes)] or rows
    if denied:
        codes = list(dict.fromkeys(c for r in denied for c in CPT.findall(_strip_dates(r.text))))
        found["billed_cpt"] = _reading(codes, TABLE, denied[0], denied[0].text)
        dated = next(((r, day) for r in denied if (day := _first_date(r.text))), None)
        ranged = "date_of_service" in found and len(DATE.findall(found["date_of_service"].quote)) > 1
        if dated is not None and ("date_of_service" not in found or ranged):
            found["date_of_service"] = _reading(dated[1], TABLE, dated[0], dated[0].text)
        if "amount_denied" not in found:
            charged = [(r, charge) for r in denied if (charge := _money(r.text)) is not None]
            if charged:
                found["amount_denied"] = _reading(round(sum(c for _, c in charged), 2), GUESS, charged[0][0], charged[0][0].text)
    if "amount_denied" not in found:
        billed = [(line, m) for line in lines for m in re.finditer(r"amount billed:?\s*(\$?[\d,]+\.\d{2})", line.text, re.I)]
        if billed:
            total = round(sum(_money(m.group(1)) for _, m in billed), 2)
            found["amount_denied"] = _reading(total, GUESS, billed[0][0], billed[0][0].text)
    code = _denial_code(denied, lines, payer_codes)
    if code is not None:
        found["denial_code"] = code
    remarks = [(line, m.group(0).upper()) for line in lines for m in re.finditer(r"\b(?:MA|M|N)\d{1,3}\b", line.text, re.I)
               if m.group(0).upper() in remark_codes]
    if remarks:
        found["rarcs"] = _reading(list(dict.fromkeys(r for _, r in remarks)), TABLE, remarks[0][0], remarks[0][0].text)
    payer = _payer(lines)
    if payer is not None:
        found["payer"] = payer
    if "denial_date" not in found:
        first_page = [line for line in lines if line.page == lines[0].page][:15] if lines else []
        for line in first_page:
            day = None if NOT_DATES.search(line.text) else _first_date(line.text)
            if day:
                found["denial_date"] = _reading(day, GUESS, line, line.text)
                break
    return NoticeReading(fields=found, bar=BAR)


def recognised_codes(knowledge: KnowledgeBase) -> tuple[set[str], set[str]]:
    """(the knowledge base's own payer codes, the RARCs its table knows): what `read_notice`
    recognises as codes in a letter."""
    return {e.code for e in knowledge.all() if e.kind == "payer"}, set(knowledge.table.rarc)


def _payer(lines: list[Line]) -> FieldReading | None:
    """The letterhead's name: of the first lines of the first page, the one the letter repeats
    (in its body, signature or later headers), else the first that reads as a name."""
    if not lines:
        return None
    first = [line for line in lines if line.page == lines[0].page][:5]
    candidates = [line for line in first if re.search(r"[A-Za-z]{3}", line.text) and not re.search(r"\d{3}|fax|page|p\.\s*\d", line.text, re.I)]
    def quoted(name: str) -> int:  # said inside a sentence ('Mail to: <name>, PO Box'), not as a repeated header
        return sum(1 for other in lines if name in other.text and other.text.strip() != name)

    said = [(quoted(line.text.strip()), -i, line) for i, line in enumerate(candidates) if len(line.text.split()) >= 2]
    count, _, line = max(said) if said else (0, 0, None)
    if count > 0:
        return _reading(line.text.strip(), TABLE, line, line.text)
    return _reading(candidates[0].text.strip(), GUESS, candidates[0], candidates[0].text) if candidates else None


def _reading(value, confidence: float, line: Line, quote: str) -> FieldReading:
    return FieldReading(value=value, confidence=confidence, page=line.page, quote=quote.strip(), review=confidence < BAR)


def _labelled(lines: list[Line]) -> dict[str, FieldReading]:
    """Every 'label: value' cell, and label rows over value rows; the first good one wins."""
    out: dict[str, FieldReading] = {}
    for i, line in enumerate(lines):
        text = re.sub(r"^\s*(?:RE:)\s*", "", line.text)
        for cell in _cells(text):
            match = PAIR.match(cell)
            if match:
                _take(out, match.group("label"), match.group("value"), line)
            else:
                _unmarked(out, cell, line)
        if i + 1 < len(lines) and ":" not in line.text and lines[i + 1].page == line.page:
            _grid(out, line, lines[i + 1])
    return out


def _cells(text: str) -> list[str]:
    """The line's cells; a cell that is only a label ('Claim No.:') takes the next as its value,
    and one that OCR ran together ('Member name: RAMON L Member ID: 7921...') is cut before
    each label it holds."""
    cells: list[str] = []
    for cell in (c.strip() for c in CELL_SPLIT.split(text.strip()) if c.strip()):
        if cells and cells[-1].endswith(":"):
            cells[-1] = f"{cells[-1]} {cell}"
        else:
            cells.append(cell)
    return [part for cell in cells for part in _split_labels(cell)]


def _split_labels(cell: str) -> list[str]:
    cuts = []
    for colon in [m.start() for m in re.finditer(":", cell)][1:]:  # the first colon ends the cell's own label
        words = cell[:colon].split()
        for size in range(min(4, len(words) - 1), 0, -1):
            label = " ".join(words[-size:])
            if _field_of(label):
                cuts.append(cell[:colon].rfind(label))
                break
    parts, start = [], 0
    for cut in cuts:
        if cut > start:
            parts.append(cell[start:cut].strip())
            start = cut
    parts.append(cell[start:].strip())
    return [p for p in parts if p]


def _unmarked(out: dict[str, FieldReading], cell: str, line: Line) -> None:
    """'MBI 7QP2-KD4-MX11', 'ICN 0226272118340': a known label and a value with no colon between,
    taken only for identifiers and dates (a value that holds a digit)."""
    words = cell.split()
    for cut in range(1, min(len(words), 5)):
        label, value = " ".join(words[:cut]), " ".join(words[cut:])
        kind = _field_of(label)
        if kind and kind[1] == LABELLED and kind[0] in ("claim_number", "patient_id", "date_of_service", "denial_date") and re.search(r"\d", value):
            if kind[0] not in out and (parsed := _value(kind[0], value)) is not None:
                out[kind[0]] = _reading(parsed, FUZZY, line, line.text)
            return


def _grid(out: dict[str, FieldReading], labels: Line, values: Line) -> None:
    """A row of labels over a row of values: each value belongs to the label it starts under.
    OCR keeps the words but not the columns; then the labels are found by name and each takes
    the next value of its kind (a name, an identifier, a date, an amount), marked for review."""
    if re.search(r"\d", labels.text):
        return
    heads = [(m.start(), m.group(0).strip()) for m in re.finditer(r"\S+(?: \S+)*", labels.text)]
    cells = [(m.start(), m.group(0).strip()) for m in re.finditer(r"\S+(?: \S+)*", values.text)]
    if len(heads) >= 2 and len(cells) == len(heads) and any(_field_of(h) for _, h in heads):
        for (_, head), (_, value) in zip(heads, cells):
            _take(out, head, value, values, quote=f"{head}: {value}")
        return
    named = _labels_in(labels.text)
    people = [name for name, _ in named if name in ("claim_number", "patient_id", "patient_name")]
    if len(people) < 2 or MONEY.search(values.text):  # a service table's header is no header block
        return
    pieces = [p.strip() for p in re.split(r"\s*\|\s*|\s{2,}", values.text) if p.strip()]
    tokens: list[str] = []
    for piece in pieces:
        words = piece.split()
        tokens += words if all(re.search(r"\d", w) for w in words) else [piece]
    kinds = {"name": [t for t in tokens if re.fullmatch(r"[A-Za-z][A-Za-z .,'-]+ [A-Za-z .,'-]+", t)],
             "id": [t for t in tokens if re.search(r"\d", t) and not DATE.fullmatch(t) and not MONEY.fullmatch(t)],
             "date": [t for t in tokens if DATE.fullmatch(t)], "money": [t for t in tokens if MONEY.fullmatch(t)]}
    for label, kind in named:
        queue = kinds[kind]
        if label is None:  # a label of a field we do not read still takes its value
            if queue:
                queue.pop(0)
            continue
        if queue and label not in out:
            value = _value(label, queue.pop(0))
            if value is not None:
                out[label] = _reading(value, OCR_GRID, values, f"{labels.text.strip()} / {values.text.strip()}")


def _labels_in(text: str) -> list[tuple[str | None, str]]:
    """(field or None, kind of value) for each label of a label row, in order."""
    found = []
    for match in LABEL_WORDS.finditer(text):
        phrase = match.group(0)
        field = _field_of(phrase)
        name = field[0] if field else None
        kind = {"patient_name": "name", "denial_date": "date", "date_of_service": "date", "amount_denied": "money"}.get(name or "", "id")
        if name is None and not re.search(r"number|no\b|#|\bid\b|code", phrase, re.I):
            continue
        found.append((name, kind))
    return found


def _field_of(label: str) -> tuple[str, float] | None:
    """The field a label names: exactly (ignoring case, a trailing period and an abbreviation in
    parentheses), else by a close spelling ('Claim Numbr', OCR's 'Member 1D')."""
    plain = " ".join(label.lower().replace(":", " ").replace("(s)", "").split()).rstrip(".").strip()
    variants = [plain, " ".join(re.sub(r"\([^)]*\)", " ", plain).split())]
    best = None
    for name, options in LABELS.items():
        if any(v in options for v in variants):
            return name, LABELLED
        hit = process.extractOne(variants[-1], options, scorer=fuzz.ratio)
        if hit and hit[1] >= 90 and (best is None or hit[1] > best[2]):
            best = (name, FUZZY, hit[1])
    return (best[0], best[1]) if best else None


def _take(out: dict[str, FieldReading], label: str, raw: str, line: Line, quote: str | None = None) -> None:
    kind = _field_of(label)
    if kind is None or kind[0] in out:
        return
    name, confidence = kind
    value = _value(name, raw.strip())
    if value is None:
        return
    if name == "patient_name" and label.strip().lower() == "name" and confidence == LABELLED:
        confidence = FUZZY
    out[name] = _reading(value, confidence, line, quote or line.text)


def _value(name: str, raw: str):
    if name in ("claim_number", "patient_id"):
        token = raw.split()[0].strip(",;") if raw.split() else ""
        return token if len(token) >= 5 and re.search(r"\d", token) else None
    if name == "patient_name":
        return _name(raw)
    if name in ("denial_date", "date_of_service"):
        return _first_date(raw)
    if name == "amount_denied":
        return _money(raw)
    return None


def _name(raw: str) -> str | None:
    raw = CELL_SPLIT.split(raw)[0].strip()
    if not re.fullmatch(r"[A-Za-z][A-Za-z .,'-]{2,80}", raw):
        return None
    person = HumanName(raw)
    first, last = person.first.strip(" ."), person.last.strip(" .")
    if not first or not last:
        return None
    return f"{_title(first)} {_title(last)}"


def _title(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() if part.isupper() or part.islower() else part for part in word.split("-"))


def _first_date(text: str) -> date | None:
    for match in DATE.finditer(text):
        token = match.group(0)
        if re.fullmatch(r"\d{6}", token):
            token = f"{token[:2]}/{token[2:4]}/{token[4:]}"
        day = dateparser.parse(token, languages=["en"], settings={"DATE_ORDER": "MDY", "PREFER_DAY_OF_MONTH": "first"})
        if day is not None and 1990 <= day.year <= 2100:
            return day.date()
    return None


def _strip_dates(text: str) -> str:
    return DATE.sub(" ", text)


def _money(text: str) -> float | None:
    amounts = [float(m.group(0).replace("$", "").replace(",", "")) for m in MONEY.finditer(text)]
    return amounts[0] if amounts else None


def _service_rows(lines: list[Line]) -> list[Line]:
    """Lines that bill a procedure: a CPT/HCPCS code with a charge or a date beside it, not an
    address or a phone number."""
    rows = []
    for i, line in enumerate(lines):
        text = _strip_dates(line.text)
        after = lines[i + 1] if i + 1 < len(lines) and lines[i + 1].page == line.page else None
        if CPT.search(text) and not DATE.search(line.text) and after is not None and not CPT.search(_strip_dates(after.text)):
            line = Line(line.page, f"{line.text} {after.text}")  # a service sentence wrapped before its date
        if not CPT.search(text) or re.search(r"\b[A-Z]{2} \d{5}\b", line.text):
            continue
        if MONEY.search(line.text) or DATE.search(line.text) or re.search(r"\((?:cpt|code|hcpcs)?\s*\d{4}", line.text, re.I):
            if not re.match(r"\s*totals?\b", line.text, re.I):
                rows.append(line)
    return rows


def _is_denied(text: str, payer_codes: set[str]) -> bool:
    codes = {(g.upper(), c.upper()) for g, c in GROUP_CODE.findall(text)}
    own = set(re.findall(r"\b[A-Z]{2,4}\d{2}\b", text)) & payer_codes
    return bool(DENIED_ROW.search(text)) or bool(codes - ROUTINE) or bool(own)


def _denial_code(denied: list[Line], lines: list[Line], payer_codes: set[str]) -> FieldReading | None:
    """The first payer-side reason on a denied row, else in a sentence giving the reason; a
    payer's own code (CCM20) when that is what the letter uses."""
    for source, confidence in ((denied, TABLE), (lines, FUZZY)):
        for line in source:
            for group, carc in GROUP_CODE.findall(line.text):
                if (group.upper(), carc.upper()) not in ROUTINE:
                    return _reading(f"{group.upper()}-{carc.upper()}", confidence, line, line.text)
            for code in re.findall(r"\b[A-Z]{2,4}\d{2}\b", line.text):
                if code in payer_codes:
                    return _reading(code, confidence, line, line.text)
    return None
