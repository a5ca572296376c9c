"""Letters: the deterministic template drafter, deadlines and renderers."""
