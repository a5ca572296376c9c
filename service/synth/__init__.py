"""Synthetic medical records with gold answers, for testing and evaluating appeal drafting."""
from .charts import FAMILIES, SynthCase, make_case

CODES = sorted(FAMILIES)
__all__ = ["CODES", "SynthCase", "make_case"]
