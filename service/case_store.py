"""What `overturn ask --case-id` needs from an earlier draft: the case's code and its evidence.

Saved under `$OVERTURN_HOME/cases/<tenant>/<case_id>.json` after each draft. Case ids are
checked against a strict pattern so a client-supplied id can never name a path.
"""

import json
import re
from pathlib import Path

from pydantic import BaseModel

from service.errors import InputError
from service.models import Evidence

CASE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
LATEST = "latest.txt"


class UnknownCaseError(InputError):
    code = "unknown_case"
    status = 404


class SavedCase(BaseModel):
    case_id: str
    denial_code: str
    evidence: list[Evidence]
    instructions: list[str] = []


def _path(home: Path, tenant: str, case_id: str) -> Path:
    if not CASE_ID.fullmatch(case_id) or not CASE_ID.fullmatch(tenant):
        raise UnknownCaseError("case id must be 1-64 letters, digits, '-' or '_'")
    return home / "cases" / tenant / f"{case_id}.json"


def save_case(home: Path, tenant: str, saved: SavedCase) -> None:
    path = _path(home, tenant, saved.case_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(saved.model_dump_json(), encoding="utf-8")
    tmp.replace(path)
    (path.parent / LATEST).write_text(saved.case_id, encoding="utf-8")


def load_case(home: Path, tenant: str, case_id: str) -> SavedCase:
    """`case_id` may be 'latest': the tenant's most recent draft."""
    if case_id == "latest":
        pointer = _path(home, tenant, "x").parent / LATEST
        if not pointer.is_file():
            raise UnknownCaseError("no case drafted yet")
        case_id = pointer.read_text(encoding="utf-8").strip()
    path = _path(home, tenant, case_id)
    try:
        return SavedCase.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise UnknownCaseError(f"no case '{case_id}' (draft it first; overturn draft --format text prints its case id, and 'latest' names the last one)") from None
