"""A measured value stated beside an earlier one is quoted for its current value only."""

import pytest

from service.evidence.comparisons import current_part, cut_comparisons
from service.evidence.matching import expand
from service.models import Span


def _pieces(text: str) -> list[str | None]:
    parts = current_part(text)
    return [text[p[0] : p[1]] if p else None for p in parts] if parts else []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("GAD-7 = 4 (was 9 last spring) - sleeping through", ["GAD-7 = 4", "sleeping through"]),
        ("Weight 88.2 kg (stable, down from 91.0).", ["Weight 88.2 kg", None]),
        ("BP 128/76, prev 146/92; no dizziness", ["BP 128/76", "no dizziness"]),
        ("eGFR 48 (11/3) up from 41. Repeat in spring.", ["eGFR 48 (11/3)", "Repeat in spring."]),
    ],
    ids=["was-in-parentheses", "change-inside-parentheses", "prev-after-comma", "change-after-a-dated-value"],
)
def test_the_current_value_and_the_rest_are_kept_and_the_earlier_value_is_left_out(text, expected):
    assert _pieces(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Retinal exam (last 03/14/2025) overdue",
        "Hgb up from 9.8 to 11.2",
        "She was 15 min late for the call",
        "Reviewed goals with pt and son",
    ],
    ids=["a-date-is-no-earlier-value", "no-value-before-the-change", "was-without-a-comparison", "no-value"],
)
def test_lines_without_a_value_beside_an_earlier_one_are_not_cut(text):
    assert current_part(text) is None


def _span(text: str, start: int = 0) -> Span:
    return Span(document="d.pdf", page=1, start=start, end=start + len(text), text=text)


def test_a_cut_line_keeps_verbatim_offsets_and_is_scored_by_its_own_words():
    text = "MoCA 24/30 (prior 21) today"
    line = _span(text, 40)
    match = {("d.pdf", 1, 40): expand(text)}
    pieces = cut_comparisons([line], match)
    assert [(p.start, p.text) for p in pieces] == [(40, "MoCA 24/30"), (62, "today")]
    assert match[("d.pdf", 1, 40)] == expand("MoCA 24/30")


def test_a_table_row_read_under_its_header_is_left_whole():
    text = "PHQ-9   5 (was 10)   met"
    line = _span(text)
    pieces = cut_comparisons([line], {("d.pdf", 1, 0): "Measure: PHQ-9; Value: 5 (was 10); Status: met"})
    assert pieces == [line]
