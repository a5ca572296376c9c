"""The codes a month's countable minutes support: a base code at its threshold, then an add-on
for each further full block. The thresholds are the knowledge base's to state; here they are
parameters, so the rule holds for CCM, PCM and RPM alike."""


def supported_codes(
    total_minutes: int, base_code: str, add_on_code: str | None, base_minutes: int, unit_minutes: int, max_units: int
) -> list[str]:
    """47 minutes with 99490 at 20 and 99439 per further 20 (at most 2) -> ['99490', '99439'];
    below the base threshold, nothing."""
    if total_minutes < base_minutes:
        return []
    codes = [base_code]
    if add_on_code and unit_minutes > 0:
        units = min(max_units, (total_minutes - base_minutes) // unit_minutes)
        codes += [add_on_code] * max(units, 0)
    return codes
