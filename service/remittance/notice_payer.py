"""The payer: the organisation named at the head of the letter, not the whole line it sits on.
A fax or browser header is skipped, the document's title after the name is cut off (the title
words are in `knowledge/notice-labels.yaml`), so are a bracketed plan type and a legal suffix; a
name broken over two lines of a logo is joined. It is certain only when the letter names the
same organisation again in its body."""

import re

from service.remittance.notice_labels import labels_in, vocabulary
from service.remittance.notice_layout import GUESS, TABLE, Found, Line, found_at
from service.remittance.notice_values import DATE

CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?:\s?[AP]M)?", re.I)
TRANSMISSION = re.compile(r"->|\bp(?:age|g)?\.?\s*\d|\bfrom\b|\bto\b|\bfax\b|\d{10}|\(\d{3}\)\s?\d{3}-\d{4}", re.I)
CELLS = re.compile(r"\s{2,}|\s[|;•·]\s|\t")
LEGAL = re.compile(r",?\s+(?:inc|llc|l\.l\.c|corp|corporation|ltd|pc|p\.c|pllc|lp)\.?$", re.I)
PERSON = re.compile(r"[A-Z][A-Za-z'-]+ [A-Z]\.? [A-Z][A-Za-z'-]+", re.I)
"""'DOROTHY A WENDT': the addressee of a beneficiary's notice, not an organisation."""
NOT_NAME = re.compile(r"^(?:attn|dear|re|to|from|date|page)\b|@|https?:|www\.|\d", re.I)


def is_furniture(text: str) -> bool:
    """A fax machine's or browser's header or footer line: a clock time with a page or phone."""
    stamped = re.match(r"\W*\S+ ?\S*,? \d{1,2}:\d{2}", text) and DATE.search(
        text[:24]
    )  # '3/24/26, 4:18 PM ...': a print header
    return bool(CLOCK.search(text) and TRANSMISSION.search(text) or stamped) or bool(re.search(r"https?://", text))


def payer(lines: list[Line]) -> Found | None:
    if not lines:
        return None
    head = [(i, line) for i, line in enumerate(lines) if line.page == lines[0].page and not is_furniture(line.text)][:6]
    names = []
    for k, (i, line) in enumerate(head[:3]):
        opening = labels_in(line.text)
        name = (
            None
            if opening and opening[0].start <= len(line.text) - len(line.text.lstrip())
            else _organisation(line.text)
        )
        if name is None:  # a line that opens with a label ('Provider: ...') is no letterhead
            continue
        for _, after in head[k + 1 : k + 3]:
            more = re.sub(r"\s+page\s+\d.*$", "", CELLS.split(after.text.strip())[0], flags=re.I).strip(" .,:;°*_'\"")
            if more.startswith("of ") or len(name.split()) == 1 and re.fullmatch(r"[A-Z]{2,}(?: [A-Z]{2,}){0,2}", more):
                name = (
                    f"{name} {_organisation(more) or more}"
                    if _organisation(more) or not re.search(r"\d", more)
                    else name
                )
                break
        names.append((i, line, name))
    said = [(i, line, name) for i, line, name in names if _said_again(name, i, lines) and not PERSON.fullmatch(name)]
    if len(said) > 1 and len(said[0][2].split()) == 1:  # a program's one word ('Medicaid') over the plan's name
        said = [s for s in said if len(s[2].split()) > 1] or said
    if said:  # a tagline over the name ('Serving members since 1962') is never said again
        return found_at("payer", said[0][2], TABLE, said[0][0], said[0][1].text)
    return found_at("payer", names[0][2], GUESS, names[0][0], names[0][1].text) if names else None


def _said_again(name: str, at: int, lines: list[Line]) -> bool:
    """Named again elsewhere: in a sentence, an address or a signature; not in a fax or print
    header, not in the running header at the top of a later page, not as a heading before a title
    ('Medicare Part B Claim Determination')."""
    pattern = re.compile(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", re.I)
    titles = vocabulary().titles
    later = {line.page for line in lines} - {lines[at].page}
    letterhead = {x.text.strip() for x in lines[:6]}  # a later page's running header repeats the first page's head
    tops = {
        i
        for page in later
        for i in [j for j, x in enumerate(lines) if x.page == page][:3]
        if lines[i].text.strip() in letterhead
    }
    for j, other in enumerate(lines):
        if j == at or j in tops or is_furniture(other.text) or titles.match(other.text.strip()):
            continue
        for match in pattern.finditer(other.text):
            rest = other.text[match.end() :].strip(" -|:")
            if not (len(rest.split()) <= 4 and titles.search(rest)):  # 'X Payment Decision' is a heading
                return True
    return False


def _organisation(text: str) -> str | None:
    cell = CELLS.split(text.strip(" .,:;°*_'\""))[0].strip(" .,:;°*_'\"")
    title = vocabulary().titles.search(cell)
    if title:
        cell = cell[: title.start()].strip(" -|,")
    opening = [label for label in labels_in(cell) if label.start > 0]
    if opening:  # 'ACME HEALTH Our reference: ...' where OCR closed the gap
        cell = cell[: opening[0].start].strip(" -|,")
    shift = re.search(r"(?<=[a-z]) (?=[A-Z]{2,} [A-Z]{2,})", cell)  # 'Acme Health CLAIM NOTICE': a caps title follows
    if shift:
        cell = cell[: shift.start()]
    bracket = re.search(r"\s*\(([^)]*)\)\s*$", cell)
    if bracket and not set(re.split(r"[\s/-]+", bracket.group(1).upper())) <= vocabulary().plan_types:
        cell = cell[: bracket.start()]  # '(MEDICAID)' glosses the name; '(HMO-POS)' is part of the plan's
    words = cell.split()
    cut = next((k for k, w in enumerate(words) if _lower_words(w)), len(words))
    cell = " ".join(words[:cut]).strip(" ,.-|")  # the name ends where uncapitalised words (a tagline, OCR noise) begin
    cell = LEGAL.sub("", cell).strip(" ,.-")
    if (
        not cell
        or cut < len(words)
        and cut < 2
        or NOT_NAME.search(cell)
        or not re.search(r"[A-Za-z]{3}", cell)
        or len(cell.split()) > 7
    ):
        return None
    return cell


def _lower_words(cell: str) -> bool:
    """A tagline ('Health insurance plans and services'): an organisation capitalises its name."""
    small = {"of", "and", "the", "for", "in", "at", "de", "&"}
    return any(w[0].islower() and w not in small for w in cell.split())
