"""The "before you bill" eval: month-charts with known verdicts run through the check engine."""
