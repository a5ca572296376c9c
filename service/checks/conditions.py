"""Coded diagnoses in a chart: the structural proof of 'two or more chronic conditions'.

A problem list or an assessment names its conditions with ICD-10-CM codes ('E11.40', 'I48.21',
'(I10)'); two different three-character categories are two conditions. Only the chapters that
hold diseases count: symptoms (R), injuries and poisonings (S, T), external causes (V-Y),
pregnancy (O) and the factors of chapter Z ('long-term use of anticoagulants') are not
conditions. A code without its dot is read only inside brackets, so a lab's 'B12' or 'A1C' is
never a diagnosis.
"""

import re
from dataclasses import dataclass

from service.models import Page

DOTTED = re.compile(r"(?<![A-Za-z0-9.])([A-NPQ]\d[0-9A-Z])\.([0-9A-Z]{1,4})(?![A-Za-z0-9])")
BRACKETED = re.compile(r"[(\[]\s*(?:ICD(?:-?10)?(?:-CM)?:?\s*)?([A-NPQ]\d\d)\s*[)\]]")


@dataclass(frozen=True)
class CodedLine:
    document: str
    page: int
    line: str  # verbatim: the page's text holds it
    categories: frozenset[str]


def coded_lines(pages: list[Page], excluded: set[tuple[str, int]] | frozenset = frozenset()) -> list[CodedLine]:
    """Every line naming a disease code, with the code categories it names."""
    out = []
    for page in pages:
        if (page.document, page.number) in excluded:
            continue
        for m in re.finditer(r"[^\n]+", page.text):
            line = m.group(0)
            found = {c.group(1) for c in DOTTED.finditer(line)} | {c.group(1) for c in BRACKETED.finditer(line)}
            if found:
                out.append(CodedLine(page.document, page.number, line.strip(), frozenset(found)))
    return out


def distinct_conditions(lines: list[CodedLine]) -> set[str]:
    return {category for line in lines for category in line.categories}
