"""What a month's checks add up to: one CSV row per patient for the billing office, and the
prevention report (which requirements go missing most often, so the team fixes the habit, not
the claim). Shared by `overturn check --csv`, `GET /v1/checks.csv` and the stats panel."""

import csv
import io
from collections import Counter
from collections.abc import Iterable

from service.models import CheckResult

CSV_COLUMNS = [
    "patient",
    "code",
    "month",
    "ready",
    "minutes",
    "minutes_needed",
    "supported_codes",
    "missing",
    "at_risk",
    "warnings",
]


def csv_row(label: str, result: CheckResult) -> list[str]:
    def ids(status: str) -> str:
        return "; ".join(r.id for r in result.requirements if r.status == status)

    return [
        label,
        result.code,
        result.month,
        "yes" if result.ready else "no",
        str(result.minutes.total),
        "" if result.minutes.needed is None else str(result.minutes.needed),
        " ".join(result.supported_codes),
        ids("missing"),
        ids("at_risk"),
        str(len(result.warnings)),
    ]


def _safe(cell: str) -> str:
    """A cell a spreadsheet would run as a formula ('=', '+', '-', '@' first) is kept as text."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def checks_csv(rows: Iterable[tuple[str, CheckResult]]) -> str:
    """`rows`: (how the patient is named to staff, the check). Not-ready months first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for label, result in sorted(rows, key=lambda row: (row[1].ready, row[0])):
        writer.writerow([_safe(cell) for cell in csv_row(label, result)])
    return out.getvalue()


def missing_counts(results: Iterable[CheckResult]) -> list[tuple[str, str, int]]:
    """(requirement id, title, months it was missing in), most frequent first: the prevention report."""
    counts: Counter[str] = Counter()
    titles: dict[str, str] = {}
    for result in results:
        for req in result.requirements:
            if req.status == "missing":
                counts[req.id] += 1
                titles.setdefault(req.id, req.title)
    return [(req_id, titles[req_id], n) for req_id, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
