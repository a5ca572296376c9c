"""Sections of a page: the page title and the heading above each line, and the requirement a
heading names. A list item or a table row says little alone; its heading says what it is."""

import re
from collections.abc import Callable
from typing import Any

from service.models import Span, span_key
from service.screening.boilerplate import LIST_ITEM, is_header_line, is_section_heading
from service.screening.stamps import DATE, NAME_THEN_CREDENTIAL, NAME_WORD, TIME, is_stamp

LISTED_UNDER = 0.6
"""A list item or table row under a heading scoring this much for a requirement scores nearly
as the heading does: the items under 'Goals and expected outcomes' are goals."""
HEADING_MARGIN = 0.08
"""A heading names a requirement when it scores this much above the next one for it."""


LISTED = re.compile(r"^\W*(?:\d+[.)]|[-*\u2022])\s|^[A-Z][\w/&-]*(?:\s[\w/&-]+){0,2}:\s")
LEAD_LABEL = re.compile(r"^[A-Za-z][^:.;]{2,60}:\s+\S")
"""'RPM setup 04/24/2026 (Nina Park, RN): devices unboxed...': a paragraph that opens with its own
label says what the rest of it is about."""
BLANK_BEFORE = re.compile(r"\n[ \t]*\n[ \t]*$")


NOTE_PARTS = re.compile(r"\s+[-\u2013\u2014|]\s+")
WHEN = re.compile(rf"(?:{DATE})(?:\s*,?\s*(?:{TIME}))?", re.IGNORECASE)
TRAILING_WHEN = re.compile(rf"\s(?:{WHEN.pattern})$", re.IGNORECASE)
DOCTOR = re.compile(rf"Dr\.?\s+{NAME_WORD}(?:\s+{NAME_WORD}){{0,3}}")


def note_title(flat: str) -> str | None:
    """The title of a note's first line, or None when the line is no note heading:
    'Care Coordination - 04/20/2026 - Grace Liu, RN', 'Telephone Encounter | May 3, 2026 | J. Ortiz
    RN', 'Setup/education 03/11/2026 - Kyle Brandt, RN' (title, date and author, as EHRs print
    each note's first line). It heads what follows like any section heading, and its title alone
    says what the note is. A part that says more than when and who ('Called Dr. Kumar - 04/20 -
    refill sent') makes the line a statement."""
    parts = [part.strip(" ,") for part in NOTE_PARTS.split(flat.strip())]
    if len(parts) < 2:
        return None
    title, dated = parts[0], False
    when = TRAILING_WHEN.search(title)
    if when and when.start() > 0:
        title, dated = title[: when.start()].strip(" ,"), True
    if not is_section_heading(title):
        return None
    for part in parts[1:]:
        if WHEN.fullmatch(part):
            dated = True
            continue
        who = NAME_THEN_CREDENTIAL.match(part)
        if not DOCTOR.fullmatch(part) and (not who or part[who.end() :].strip(" ,")):
            return None
    return title if dated else None


def is_note_heading(flat: str) -> bool:
    return note_title(flat) is not None


def stands_alone(text: str) -> bool:
    """A full sentence says what it is about; a list item or a table row needs its heading."""
    flat = " ".join(text.split())
    return len(flat.split()) >= 8 and flat.endswith(".") and not LISTED.match(flat)


def _indent(text: str, span: Span) -> int | None:
    """Columns before the span when it opens its line, else None."""
    line_start = text.rfind("\n", 0, span.start) + 1
    before = text[line_start : span.start]
    return len(before) if not before.strip() else None


def _new_paragraph(text: str, span: Span, item_indent: int | None) -> bool:
    """A line that is no list item, after a blank line or set further left than the items of
    the list above it: that list has ended (the PDF text layer keeps indents, not blank lines)."""
    indent = _indent(text, span)
    if indent is None or LIST_ITEM.match(text[span.start : span.end]):
        return False
    blank = BLANK_BEFORE.search(text[max(0, span.start - 40) : span.start])
    return bool(blank) or (item_indent is not None and indent < item_indent)


def section_headings(by_page: dict, page_text: dict, reach: int = 12) -> dict:
    """Sentence key -> (title, section heading) framing it, either possibly None: the page's title ('Care Gap Outreach and
    Orders', the last heading line of the page's top, under any letterhead) and the section
    heading above it (within `reach` sentences)."""
    out = {}
    for page, spans in by_page.items():
        text = page_text.get(page, "")
        title, heading, since, previous_heading, item_indent = None, None, 0, False, None
        position = 0  # lines from the top, not counting stamps and patient labels (a fax adds both)
        for s in spans:
            flat = " ".join(s.text.split())
            whole_line = (s.start == 0 or text[s.start - 1] == "\n") and (s.end == len(text) or text[s.end] == "\n")
            looks_like_heading = whole_line and (is_section_heading(flat) or is_note_heading(flat))
            header_line = whole_line and is_header_line(flat)
            top = position < 4
            if not (header_line or is_stamp(flat)):
                position += 1
            if looks_like_heading and top and (title is None or previous_heading):
                title, heading, since, previous_heading = (
                    s,
                    s,
                    0,
                    True,
                )  # the last of the top lines: below the letterhead
                item_indent = None
                continue
            if looks_like_heading and not previous_heading:
                heading, since, previous_heading, item_indent = s, 0, True, None
                continue
            first_item = previous_heading
            previous_heading = looks_like_heading
            if header_line:
                heading, item_indent = title, None  # 'Encounter: Telephone 05/18/2026 Author: ...' starts another note
            elif heading is not title and not first_item and _new_paragraph(text, s, item_indent):
                if title is not None:
                    out[span_key(s)] = (title, None)
                heading, since, item_indent = (s if LEAD_LABEL.match(flat) else title), 0, None
                continue
            elif first_item:
                item_indent = _indent(text, s)
            since += 1
            near = heading if since <= reach and heading is not title else None
            if title is not None or near is not None:
                out[span_key(s)] = (title, near)
        for key, label in field_labels(page, text, spans).items():
            out[key] = (out.get(key, (None, None))[0], label)
    return out


class FieldLabel(Span):
    """The label of a form field, heading the sentences of its value after the first."""


def frames(sentence: Span, heading: Span | None) -> bool:
    """Does the heading say what the sentence is about? For a list item or a table row, yes; a
    full sentence says it itself, unless it is a later sentence of a field's value."""
    return heading is not None and (isinstance(heading, FieldLabel) or not stands_alone(sentence.text))


FIELD = re.compile(r"^(?P<indent>[ \t]*)(?P<label>[A-Z][\w/&.()' -]{0,30}?):[ \t]+\S")
"""A form's field: its label at the start of a line, its value after the colon on that line."""


def field_labels(page: tuple[str, int], text: str, spans: list[Span]) -> dict:
    """Sentence key -> the label (as a span of its own) of the form field whose value it
    continues: a later sentence of the value ('Caregiver:  lives alone. Niece Ana visits Sundays'
    - the second sentence), or a wrapped line of it set deeper than the label. Such a sentence
    is about what its label names, as a list item is about its heading. The sentence that opens
    with the label carries it already; a blank line or a line no deeper than the label ends it."""
    fields: list[list[Any]] = []  # [value start, value end, label start, label, label indent]
    at = 0
    current: list[Any] | None = None
    for line in text.split("\n"):
        match = FIELD.match(line)
        indent = len(line) - len(line.lstrip())
        if match:
            current = [
                at + match.end("label") + 1,
                at + len(line),
                at + match.start("label"),
                match.group("label").strip(),
                indent,
            ]
            fields.append(current)
        elif current and line.strip() and indent > current[4]:
            current[1] = at + len(line)
        else:
            current = None
        at += len(line) + 1
    out = {}
    for span in spans:
        for start, end, _, label, _ in fields:
            if start < span.start <= end and text[start : span.start].strip():
                # keyed where no sentence starts (the colon), so its own text is what is scored
                out[span_key(span)] = FieldLabel(document=page[0], page=page[1], start=start - 1, end=start, text=label)
                break
    return out


def declared_by_heading(
    requirement_ids: list[str], headings: dict, pool: list[Span], score: Callable[[str, list[Span]], list[float]]
) -> dict:
    """Sentence key -> the requirement its section heading names, for list items and table rows
    under a heading that clearly names one ('Goals:' above 'TUG < 14 sec', 'Problem list' above
    'COPD (J44.9)'), or under the page's title when no section heading is nearer (the bullets of
    a page titled 'Care Gap Closure Workflow'): the heading says what the list is, even when an
    item mentions a test or a condition that another requirement's wording also uses, unless the
    item plainly says more about that other one (a consent line after a time log)."""
    near = {}
    for span in pool:
        title, heading = headings.get(span_key(span), (None, None))
        heading = heading or title
        if frames(span, heading):
            near[span_key(span)] = heading
    unique = {span_key(h): h for h in near.values()}
    if not unique:
        return {}
    spans = [unique[k] for k in sorted(unique)]
    scores = {rid: dict(zip(map(span_key, spans), score(rid, spans))) for rid in requirement_ids}
    owner = {}
    for hk in unique:
        ranked = sorted(((scores[r][hk], r) for r in scores), reverse=True)
        if ranked[0][0] >= LISTED_UNDER and (len(ranked) == 1 or ranked[0][0] - ranked[1][0] >= HEADING_MARGIN):
            owner[hk] = ranked[0][1]
    return {key: owner[span_key(h)] for key, h in near.items() if span_key(h) in owner}
