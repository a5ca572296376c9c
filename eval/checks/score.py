"""A check's result against a chart's gold, and the figures of a set of them. The floors the
issue asks for: every requirement labelled missing found missing, no ready month flagged, the
month's minutes within one row of the gold."""

from dataclasses import dataclass, field

from service.models import CheckResult


@dataclass
class Scored:
    case_id: str
    missing_found: list[str] = field(default_factory=list)
    missing_lost: list[str] = field(default_factory=list)
    at_risk_found: list[str] = field(default_factory=list)
    at_risk_lost: list[str] = field(default_factory=list)
    flagged_met: list[str] = field(default_factory=list)  # labelled met, reported otherwise
    gold_ready: bool = False
    ready_flagged: bool = False
    not_ready_passed: bool = False
    minutes_ok: bool | None = True  # None when the code counts days, not minutes
    minutes: tuple[int, int] = (0, 0)  # (engine, gold)
    codes_ok: bool = True
    codes: tuple[list[str], list[str]] = ([], [])
    days_ok: bool | None = None  # None when the gold states no reading days
    seconds: float = 0.0


def within_one_row(got: int, gold: int, gold_rows: list[int], got_rows: list[int]) -> bool:
    """Equal, or off by exactly one row's minutes (a row the gold counts that was missed, or one
    the engine counted that the gold does not)."""
    diff = abs(got - gold)
    return diff == 0 or diff in set(gold_rows) | set(got_rows)


def score(case_id: str, gold: dict, result: CheckResult, seconds: float) -> Scored:
    s = Scored(case_id, seconds=seconds)
    status = {r.id: r.status for r in result.requirements}
    for req, label in gold["requirements"].items():
        got = status.get(req, "absent")
        if label == "missing":
            (s.missing_found if got == "missing" else s.missing_lost).append(req)
        elif label == "at_risk":
            (s.at_risk_found if got in ("at_risk", "missing") else s.at_risk_lost).append(req)
        elif got != "met":
            s.flagged_met.append(req)
    s.gold_ready = gold_ready = gold["verdict"] == "ready"
    s.ready_flagged = gold_ready and not result.ready
    s.not_ready_passed = not gold_ready and result.ready
    counted = [r.minutes for r in result.minutes.rows if r.counted]
    s.minutes = (result.minutes.total, gold["minutes"])
    if gold["minutes"] is None:
        s.minutes_ok = None
    else:
        s.minutes_ok = within_one_row(result.minutes.total, gold["minutes"], gold.get("minute_rows", []), counted)
    s.codes = (list(result.supported_codes), list(gold["supported_codes"]))
    s.codes_ok = s.codes[0] == s.codes[1]
    if "data_days" in gold:
        s.days_ok = result.data_days == gold["data_days"]
    return s


def figures(scored: list[Scored]) -> dict:
    """One set's figures: counts, not names or chart text."""
    n = len(scored)
    missing = sum(len(s.missing_found) + len(s.missing_lost) for s in scored)
    at_risk = sum(len(s.at_risk_found) + len(s.at_risk_lost) for s in scored)
    return {
        "charts": n,
        "missing_labelled": missing,
        "missing_found": sum(len(s.missing_found) for s in scored),
        "at_risk_labelled": at_risk,
        "at_risk_found": sum(len(s.at_risk_found) for s in scored),
        "met_flagged": sum(len(s.flagged_met) for s in scored),
        "ready_months": sum(1 for s in scored if s.gold_ready),
        "ready_flagged": sum(1 for s in scored if s.ready_flagged),
        "not_ready_passed": sum(1 for s in scored if s.not_ready_passed),
        "minutes_within_one_row": sum(1 for s in scored if s.minutes_ok),
        "minutes_charts": sum(1 for s in scored if s.minutes_ok is not None),
        "codes_exact": sum(1 for s in scored if s.codes_ok),
        "days_exact": sum(1 for s in scored if s.days_ok),
        "days_charts": sum(1 for s in scored if s.days_ok is not None),
        "seconds_per_chart": round(sum(s.seconds for s in scored) / n, 2) if n else 0.0,
        "cases": {s.case_id: _case_line(s) for s in scored},
    }


def _case_line(s: Scored) -> dict:
    return {
        "missing_lost": s.missing_lost,
        "at_risk_lost": s.at_risk_lost,
        "met_flagged": s.flagged_met,
        "ready_flagged": s.ready_flagged,
        "not_ready_passed": s.not_ready_passed,
        "minutes": list(s.minutes),
        "minutes_ok": s.minutes_ok,
        "codes": list(s.codes),
        "codes_ok": s.codes_ok,
        "days_ok": s.days_ok,
    }
