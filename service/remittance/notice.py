"""Claim fields read from a payer's denial letter or EOB (text or OCR), each with a confidence
and the page and quote it came from.

Letters differ in layout and labels, so fields are found by where they sit and what they look
like (`notice_layout`: right of a label, under it, in a table column, a label row over a value
row on a scan; `notice_values`: a date, an amount, an identifier, a name), from the payers' own
label vocabulary with its decoys (`knowledge/notice-labels.yaml`). A page with several claims is
read claim by claim and the denied one taken (`notice_claims`); a narrative letter gives its
fields in sentences (`notice_sentences`); the payer is the letterhead's organisation
(`notice_payer`). The service table (the rows denied, not the rows paid) gives the codes and
the amount. A value under the bar is returned marked `review`, never dropped and never passed
off as certain; a field with no candidate is absent.
"""

import re
from collections.abc import Set as AbstractSet
from datetime import date

import dateparser

from service.knowledge import KnowledgeBase
from service.models import FieldReading, NoticeReading, Page
from service.remittance.notice_claims import block_claims, choose, denied_line, ocr_table_claims, routine, table_claims
from service.remittance.notice_labels import labels_in
from service.remittance.notice_layout import FUZZY, GUESS, TABLE, Found, Line, grid, labelled
from service.remittance.notice_payer import is_furniture, payer
from service.remittance.notice_sentences import only_amount, sentence_values
from service.remittance.notice_values import first_date as typed_date

BAR = 0.75
OCR_GRID = 0.7
GROUP_CODE = re.compile(r"\b(CO|PR|OA|PI|CR)(?:-|\s{0,16})([A-Z]?\d{1,3}|[A-Z]\d)\b", re.I)
"""'CO-50', 'CO 50', 'CO50', and group and reason in two table columns ('CO          50')."""
CARC = re.compile(r"\bCARC\s*#?\s*(\d{1,3})\b", re.I)
CPT = re.compile(r"(?<![\d.,$/-])\b(\d{4}[0-9FTU]|[A-HJ-V]\d{4})\b(?![\d/-])")
MONEY = re.compile(r"\$?\b\d{1,3}(?:,\d{3})*\.\d{2}\b")
DATE = re.compile(
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}-[A-Za-z]{3}-\d{4}\b|"
    r"\b[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}\b|\b\d{1,2} [A-Z][a-z]{2,8} \d{4}\b|\b\d{6}\b"
)
NOT_DATES = re.compile(
    r"birth|dob|received|receipt|coverage (?:end|term)|fax|printed|request(?:ed)? (?:for|on)|admi", re.I
)
CONFUSABLE = re.compile(r"[OoIl](?=\d)|(?<=\d)[OoIl]")
CLAIM_FIELDS = ("claim_number", "patient_name", "patient_id", "date_of_service")


def read_notice(
    pages: list[Page], payer_codes: AbstractSet[str] = frozenset(), remark_codes: AbstractSet[str] = frozenset()
) -> NoticeReading:
    """`payer_codes`: the knowledge base's own codes (CCM20...), `remark_codes`: the RARCs the
    table knows; both are only recognised, never required."""
    lines = [Line(p.number, text, p.ocr) for p in pages for text in p.text.splitlines() if text.strip()]
    found = labelled(lines) + grid(lines)
    shared, blocks = block_claims(found, lines, payer_codes)
    choice = choose(table_claims(lines, payer_codes) + ocr_table_claims(lines, payer_codes) + blocks)
    picked: dict[str, Found] = dict(choice.fields)
    elsewhere = shared if blocks else found
    if choice.claims > 1:  # another claim's labelled values are not this one's
        elsewhere = [
            item for item in elsewhere if item.field not in CLAIM_FIELDS or item.index in (choice.indices or [])
        ]
    for item in elsewhere:
        if item.field not in picked or item.confidence > picked[item.field].confidence:
            picked[item.field] = item
    said = sentence_values(lines)
    for item in said:
        if item.field != "amount_denied":
            picked.setdefault(item.field, item)
    out = {name: _from(item, lines) for name, item in picked.items() if name != "denial_code"}
    scope = [lines[i] for i in choice.indices] if choice.indices else lines
    _service_fields(out, scope, payer_codes)
    sums = [item for item in said if item.field == "amount_denied"] + [x for x in [only_amount(lines)] if x is not None]
    if "amount_denied" not in out and sums:
        out["amount_denied"] = _from(sums[0], lines)
    if "claim_number" in out and (note := choice.note()):
        out["claim_number"] = out["claim_number"].model_copy(update={"note": note})
    code = _denial_code(scope, lines, payer_codes, picked.get("denial_code"))
    if code is not None:
        out["denial_code"] = code
    remarks = _remarks(scope, remark_codes) or _remarks(lines, remark_codes)
    if remarks is not None:
        out["rarcs"] = remarks
    named = payer(lines)
    if named is not None:
        out["payer"] = _from(named, lines)
    if "denial_date" not in out and (day := _letter_date(out, lines)) is not None:
        out["denial_date"] = day
    return NoticeReading(fields=out, bar=BAR)


def _remarks(lines: list[Line], remark_codes: AbstractSet[str]) -> FieldReading | None:
    """The remark codes the table knows, in the order the letter names them."""
    found = [
        (line, m.group(0).upper())
        for line in lines
        for m in re.finditer(r"\b(?:MA|M|N)\d{1,3}\b", line.text, re.I)
        if m.group(0).upper() in remark_codes
    ]
    if not found:
        return None
    return _reading(list(dict.fromkeys(code for _, code in found)), TABLE, found[0][0], found[0][0].text)


def _letter_date(out: dict[str, FieldReading], lines: list[Line]) -> FieldReading | None:
    """The first date at the head of the first page that is no other field's day and sits on
    no decoy's line (a birth date, a received date, a fax header): a guess."""
    first_page = (
        [line for line in lines if line.page == lines[0].page and not is_furniture(line.text)][:25] if lines else []
    )
    taken = {f.value for f in out.values() if isinstance(f.value, date)}
    for line in first_page:
        decoy = NOT_DATES.search(line.text) or any(label.field is None for label in labels_in(line.text))
        day = None if decoy else (typed_date(line.text) or (None, False))[0]
        if day and day not in taken:
            return _reading(day, GUESS, line, line.text)
    return None


def recognised_codes(knowledge: KnowledgeBase) -> tuple[set[str], set[str]]:
    """(the knowledge base's own payer codes, the RARCs its table knows): what `read_notice`
    recognises as codes in a letter."""
    return {e.code for e in knowledge.all() if e.kind == "payer"}, set(knowledge.table.rarc)


def _from(item: Found, lines: list[Line]) -> FieldReading:
    """An identifier OCR read with a letter O or I beside a digit may be a misread 0 or 1, and
    one read with a '$' for its S was corrected: both marked for review."""
    confidence = item.confidence
    value = str(item.value)
    if (
        lines[item.index].ocr
        and item.field in ("claim_number", "patient_id")
        and (CONFUSABLE.search(value) or f"${value[1:]}" in item.quote)
    ):
        confidence = min(confidence, GUESS)
    return _reading(item.value, confidence, lines[item.index], item.quote)


def _reading(value, confidence: float, line: Line, quote: str) -> FieldReading:
    return FieldReading(
        value=value, confidence=confidence, page=line.page, quote=quote.strip(), review=confidence < BAR
    )


def _service_fields(out: dict[str, FieldReading], scope: list[Line], payer_codes: AbstractSet[str]) -> None:
    """Codes, charges and the day from the service rows that were denied (all rows, marked for
    review, when none says it was)."""
    rows = _service_rows(scope)
    priced = [r for r in rows if MONEY.search(r.text)]
    rows = priced or rows  # a code named in a remark's sentence is no service row when the table has priced rows
    denied = [r for r in rows if denied_line(r.text, payer_codes)]
    sure = TABLE if denied else GUESS
    denied = denied or rows
    if not denied:
        return
    codes = list(dict.fromkeys(c for r in denied for c in CPT.findall(_strip_dates(r.text))))
    if codes:
        out["billed_cpt"] = _reading(codes, sure, denied[0], denied[0].text)
    dated = next(((r, day) for r in denied if (day := _first_date(r.text))), None)
    ranged = "date_of_service" in out and (
        len(DATE.findall(out["date_of_service"].quote)) > 1 or out["date_of_service"].review
    )
    if dated is not None and ("date_of_service" not in out or ranged):
        out["date_of_service"] = _reading(dated[1], sure, dated[0], dated[0].text)
    if "amount_denied" not in out:
        charged = [(r, charge) for r in denied if (charge := _money(r.text)) is not None]
        if charged:
            out["amount_denied"] = _reading(
                round(sum(c for _, c in charged), 2), min(sure, TABLE), charged[0][0], charged[0][0].text
            )


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
        if (
            CPT.search(text)
            and not DATE.search(line.text)
            and after is not None
            and not CPT.search(_strip_dates(after.text))
        ):
            line = Line(line.page, f"{line.text} {after.text}")  # a service sentence wrapped before its date
        if not CPT.search(text) or re.search(r"\b[A-Z]{2} \d{5}\b", line.text):
            continue
        if (
            MONEY.search(line.text)
            or DATE.search(line.text)
            or re.search(r"\((?:cpt|code|hcpcs)?\s*\d{4}", line.text, re.I)
        ) and not re.match(r"\s*totals?\b", line.text, re.I):
            rows.append(line)
    return rows


def _denial_code(
    scope: list[Line], lines: list[Line], payer_codes: AbstractSet[str], labelled_code: Found | None
) -> FieldReading | None:
    """A payer-side reason on a denied row; else the one the letter labels as its reason; else
    the first payer-side group code or payer's own code anywhere; else a bare CARC number said
    where the letter says what was denied ('(CARC 29)'), marked for review."""
    rows = [r for r in _service_rows(scope) if denied_line(r.text, payer_codes)]
    for source, confidence in ((rows, TABLE), (None, 0), (scope, FUZZY), (lines, FUZZY)):
        if source is None:
            if labelled_code is not None:
                return _from(labelled_code, lines)
            continue
        for line in source:
            for group, carc in GROUP_CODE.findall(line.text):
                if not routine(group, carc):
                    return _reading(f"{group.upper()}-{carc.upper()}", confidence, line, line.text)
            for code in re.findall(r"\b[A-Z]{2,4}\d{2}\b", line.text):
                if code in payer_codes:
                    return _reading(code, confidence, line, line.text)
    flat = " ".join(" ".join(line.text.split()) for line in lines)
    for match in CARC.finditer(flat):
        before = re.split(r"(?<=[a-z)])\.\s", flat[max(0, match.start() - 300) : match.start()])[-1]
        if not routine("CO", match.group(1)) and re.search(r"deni|not (?:be )?paid|not covered|reason", before, re.I):
            line = next((x for x in lines if match.group(0) in " ".join(x.text.split())), lines[0])
            return _reading(match.group(1), GUESS, line, line.text)
    return None
