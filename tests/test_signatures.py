"""A signed form is quoted with its dated signature line (evidence/signatures.py)."""

from service.evidence.signatures import closing_signatures, is_dated_signature
from service.models import Span, span_key


def _spans(lines: list[str]) -> list[Span]:
    out, at = [], 0
    for line in lines:
        out.append(Span(document="form.pdf", page=1, start=at, end=at + len(line), text=line))
        at += len(line) + 1
    return out


FORM = [
    "[x] I agree to have the practice manage my long-term conditions between visits.",
    "[x] I may be responsible for a copayment each month.",
    "Member signature: /s/ Ada Quinn     Dated 2025-07-03",
    "Staff initials: RT",
]


def test_a_signature_line_needs_a_signature_and_a_date():
    assert is_dated_signature("Member signature: /s/ Ada Quinn     Dated 2025-07-03")
    assert is_dated_signature("Signed on 7/3/25 by the patient")
    assert not is_dated_signature("Member signature: ____________")
    assert not is_dated_signature("Follow-up visit booked for 08/14/2025")


def test_the_forms_signature_line_joins_the_chosen_line_above_it():
    spans = _spans(FORM)
    by_page = {("form.pdf", 1): spans}
    position = {span_key(s): i for i, s in enumerate(spans)}
    extra = closing_signatures([(0.8, spans[0])], by_page, position, blocked=set())
    assert [s.text for _, s in extra] == [FORM[2]]
    assert extra[0][0] == 0.8


def test_a_blocked_line_between_stops_the_search_and_a_chosen_signature_is_not_added_twice():
    spans = _spans(FORM)
    by_page = {("form.pdf", 1): spans}
    position = {span_key(s): i for i, s in enumerate(spans)}
    assert closing_signatures([(0.8, spans[0])], by_page, position, blocked={span_key(spans[1])}) == []
    assert closing_signatures([(0.8, spans[0]), (0.7, spans[2])], by_page, position, blocked=set()) == []
