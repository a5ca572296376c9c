"""One code family's chart sections: `prose` (the narrative chart) and `styled` (EHR, fax, notes)."""

from . import prose, styled

__all__ = ["prose", "styled"]
