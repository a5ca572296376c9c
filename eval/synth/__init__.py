"""Synthetic medical records with gold answers, for testing and evaluating appeal drafting."""

from .charts import FAMILIES, SynthCase, make_case
from .voice import STYLES

CODES = sorted(FAMILIES)
__all__ = ["CODES", "STYLES", "SynthCase", "make_case"]
