"""Values compared as a person reading a letter compares them (identifiers, dates, money, names):
what holds a language model's answer to the letter's own text."""

from datetime import date

import pytest

from service.remittance.letter_values import (
    amounts_in,
    dates_in,
    has_code,
    has_name,
    has_phrase,
    parse_amount,
    parse_date,
    same_name,
)

DAY = date(2026, 3, 5)


@pytest.mark.parametrize(
    "text",
    [
        "DOS 03/05/2026",
        "on March 5, 2026,",
        "Mar. 5 2026",
        "05-MAR-2026",
        "5th March 2026",
        "2026-03-05",
        "3/5/26",
        "20260305",
        "DTM*472*030526",
        "10/01/2026-03/05/2026",
    ],
)
def test_a_date_in_any_form_is_the_same_date(text):
    assert DAY in dates_in(text)


@pytest.mark.parametrize("text", ["claim 2026030512345", "tel 555-305-2026", "Page 3 of 5", "March 2026", "13/45/2026"])
def test_numbers_that_are_no_date_are_not_read_as_one(text):
    assert DAY not in dates_in(text)


def test_a_model_date_is_parsed_whatever_its_form():
    assert parse_date("2026-03-05") == parse_date("March 5, 2026") == parse_date(DAY) == DAY
    assert parse_date("soon") is None


def test_money_is_compared_as_an_amount_and_only_where_it_reads_as_money():
    assert amounts_in("Billed $1,234.50  USD 62.00  $85  48.80") == [1234.5, 62.0, 85.0, 48.8]
    assert amounts_in("PO Box 85, Suite 1234, on 10.02.2026") == []
    assert parse_amount("$1,234.5") == 1234.5 and parse_amount(64.21) == 64.21 and parse_amount("none") is None


def test_an_identifier_ignores_case_and_punctuation_but_not_its_own_length():
    assert has_code("MBI 1EG4 TE5 MK72", "1eg4-te5-mk72") and has_code("ADJ CO   50", "CO-50")
    assert not has_code("claim 2026031400123", "2026031") and not has_code("claim 2026031400123", "20260314001234")


def test_a_name_in_any_order_case_and_punctuation_but_together():
    assert has_name("Patient Name:    PATEL, ANJALI K", "Anjali Patel") and has_name(
        "BENE: J SMITHERS-OKAFOR", "Mr. J. Smithers-Okafor"
    )
    assert not has_name("Subscriber: PATEL, RAVI for ANJALI", "Anjali Patel") and not has_name("Patel", "Patel")
    assert same_name("Ms. Anjali K. Patel", "PATEL, ANJALI") and not same_name("Ravi Patel", "Anjali Patel")


def test_a_phrase_is_its_words_in_order():
    assert has_phrase("BLUE RIDGE HEALTH ALLIANCE  |  Page 1", "Blue Ridge Health Alliance")
    assert not has_phrase("Blue Ridge Health and Alliance", "Blue Ridge Health Alliance")
