"""The numbers that tune how quotes are chosen, in one frozen object passed to `select_evidence`.

Three of them are settings a home may change (`OVERTURN_QUOTES_PER_REQUIREMENT`,
`OVERTURN_MIN_EVIDENCE_SCORE`, `OVERTURN_EVIDENCE_PRESENCE_SCORE`): `SelectionTuning.from_settings`
takes them from `Settings`; the rest are the code's own and stay what they are here.
"""

from dataclasses import dataclass

from service.config import Settings


@dataclass(frozen=True)
class SelectionTuning:
    per_requirement: int = 6
    """Quotes one requirement may take (a sentence joined to its neighbour counts once)."""
    threshold: float = 0.45
    """The floor for a line quoted beside a chosen one (the next row, the next item)."""
    presence: float = 0.57
    """The best sentence must reach it or the requirement is reported missing, and so must any
    later line quoted on its own."""
    chunk_limit: int = 8
    """Chunks read per requirement in a chart of up to `chunk_pages` pages."""
    margin: float = 0.25
    """How far below the requirement's best sentence a sentence on a new page may be."""
    chunk_pages: int = 10
    """A chart of this many pages has its requirements read on `chunk_limit` chunks each; every
    further `chunk_pages` pages add one more: a packet padded with more notes brings more notes
    close to a requirement's wording, and the evidence, printed once, must not fall below the cut."""
    timed_pages: int = 3
    """A requirement of minutes, or of contacts with outside parties, also reads the lines of its
    shape (a logged duration, a contact) on this many times the usual number of chunks."""
    near_top: float = 0.15
    """A heading's requirement claims a line scoring this close to its best requirement, and a
    further page is cited past the cap when its line scores this close to the requirement's best."""
    list_slack: float = 0.1
    """An item of a list or a row of a table next to one being quoted may score this much under
    the floor and still be quoted with it: the rest of the same list, not the rest of the page."""
    borrow: float = 0.1
    """A requirement with no sentence of its own may quote another's sentence scoring within this
    of what it scores there ..."""
    borrowed: int = 2
    """... up to this many of them."""
    cover_lift: float = 0.1
    """A further page is cited past the cap only above `threshold` plus this (and `presence`)."""
    merge_chars: int = 600
    """Neighbouring sentences merge into one quote up to this many characters."""

    @classmethod
    def from_settings(cls, settings: Settings) -> "SelectionTuning":
        """The home's three settings, the code's defaults for the rest."""
        return cls(
            per_requirement=settings.quotes_per_requirement,
            threshold=settings.min_evidence_score,
            presence=settings.evidence_presence_score,
        )
