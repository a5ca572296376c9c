"""Checks of a month's chart before it is billed: what the documentation supports, read with the
same care as the letters (issue 37)."""
