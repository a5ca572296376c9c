"""An 835's segments as read from the file, grouped the way the reader needs them, and the
element forms (dates, composites) both the strict and the tolerant claim readers share."""

from dataclasses import dataclass, field
from datetime import date, datetime

PRODUCT_QUALIFIERS = {"HC", "AD", "ER", "IV", "N4", "NU", "WK", "HP", "N1", "N2", "N6", "UI"}
OTHER_COMPONENTS = (":", ">", "^", "|", "\\")


@dataclass
class Segment:
    position: int
    name: str
    fields: list[str]

    def get(self, n: int) -> str:
        """Element n (1-based, as the X12 guides number them), '' when absent."""
        return self.fields[n].strip() if n < len(self.fields) else ""


@dataclass
class ClaimBlock:
    lx: Segment | None
    segments: list[Segment]
    """CLP first, then everything up to the next CLP, LX or trailer."""


@dataclass
class Transaction:
    header: list[Segment] = field(default_factory=list)
    claims: list[ClaimBlock] = field(default_factory=list)


@dataclass
class Envelope:
    isa: Segment
    gs: Segment | None
    element: str
    terminator: str
    component: str


def composite(value: str, component: str) -> list[str]:
    """SVC01 split on the declared component separator; some payers write another one (a `>`
    under an ISA16 of `:`), recognisable because a product qualifier (HC, AD, ER...) leads."""
    parts = value.split(component)
    if len(parts) == 1:
        for other in OTHER_COMPONENTS:
            qualifier, _, rest = value.partition(other)
            if rest and qualifier in PRODUCT_QUALIFIERS:
                return value.split(other)
    return parts


def x12_date(value) -> date | None:
    """X12 dates are CCYYMMDD; x12sdk may already have made them dates."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime(str(value)[:8], "%Y%m%d").date()
    except ValueError:
        return None
