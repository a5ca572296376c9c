"""The CARC and RARC tables (`knowledge/adjustments/carc.yaml`, `rarc.yaml`): every code with our
own short wording, a category, the action a billing office takes first, and for appealable CARCs
what a chart can prove. The X12 lists are copyrighted, so their text is never shipped; a practice
that licenses them can load its own file (`overturn knowledge codelist FILE`) and see the
official wording beside ours.
"""

import csv
import io
import re
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from service.errors import InputError
from service.models import Action, CodeEntry, EvidenceRequirement
from service.resources import load_yaml

GROUPS = ("CO", "PR", "OA", "PI", "CR")
GROUP_NAMES = {
    "CO": "contractual obligation: the provider may not bill the patient",
    "PR": "patient responsibility: the patient may be billed",
    "OA": "other adjustment",
    "PI": "payer-initiated reduction",
    "CR": "correction or reversal (before 5010)",
}
ADJUSTMENT = re.compile(r"^(CO|PR|OA|PI|CR)[\s-]*([A-Z]?\d{1,3}|[A-Z]\d?)$")


class CodeListError(InputError):
    code = "invalid_code_list"


class AdjustmentCode(BaseModel):
    code: str
    title: str
    category: str
    action: Action | None = None
    """For a CARC, the action taken first; for a RARC, set only when the remark alone decides it."""
    meaning: str
    remark_required: bool = False
    argument: str | None = None
    evidence: list[EvidenceRequirement] = Field(default_factory=list)


class CodeTable(BaseModel):
    carc: dict[str, AdjustmentCode] = Field(default_factory=dict)
    rarc: dict[str, AdjustmentCode] = Field(default_factory=dict)
    sources: list[str] = Field(default_factory=list)
    official: dict[str, str] = Field(default_factory=dict)
    """Wording from a licensed list the practice loaded itself ('CARC 97' / 'RARC N130' -> text)."""

    def entry(self, code: str) -> CodeEntry | None:
        """'CO-204', 'pr 1', 'OA16' as a code entry built from the CARC row, 'N130' from the
        RARC row, or None."""
        key = code.strip().upper()
        if key in self.rarc:
            return self._remark(key)
        match = ADJUSTMENT.match(key)
        if match is None:
            return None
        group, carc = match.groups()
        row = self.carc.get(carc)
        if row is None:
            return None
        official = self.official.get(f"CARC {carc}")
        explanation = f"{row.meaning} Group {group}: {GROUP_NAMES[group]}."
        if official:
            explanation += f"\n\nOfficial wording (from the list your practice loaded): {official}"
        return CodeEntry(
            code=f"{group}-{carc}",
            title=row.title,
            kind="carc",
            group=group,
            evidence=row.evidence,
            explanation=explanation,
            appeal_argument=row.argument or "",
            source="; ".join(self.sources),
        )

    def _remark(self, code: str) -> CodeEntry:
        row = self.rarc[code]
        official = self.official.get(f"RARC {code}")
        explanation = row.meaning + (
            f"\n\nOfficial wording (from the list your practice loaded): {official}" if official else ""
        )
        return CodeEntry(
            code=code,
            title=row.title,
            kind="rarc",
            evidence=[],
            explanation=explanation,
            appeal_argument="",
            source="; ".join(self.sources),
        )


def load_code_table(folder: Path, official: Path | None = None) -> CodeTable:
    table = CodeTable()
    for kind in ("carc", "rarc"):
        path = folder / f"{kind}.yaml"
        if not path.is_file():
            continue
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
        try:
            rows = {
                str(r["code"]).upper(): AdjustmentCode.model_validate({**r, "code": str(r["code"]).upper()})
                for r in data.get("codes", [])
            }
        except (ValidationError, KeyError, TypeError) as exc:
            raise CodeListError(f"{path.name}: {str(exc).splitlines()[0][:200]}") from None
        getattr(table, kind).update(rows)
        table.sources += [s for s in data.get("sources", []) if s not in table.sources]
    if official is not None and official.is_file():
        table.official = read_official_list(official.read_bytes())
    return table


def read_official_list(data: bytes) -> dict[str, str]:
    """A licensed code list as CSV: a `code` column (97, N130, MA04...), a `description` column,
    and optionally `type` (CARC or RARC; guessed from the code's shape when absent)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CodeListError("the code list is not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    columns = {name.strip().lower(): name for name in reader.fieldnames or []}
    if "code" not in columns or "description" not in columns:
        raise CodeListError("the code list needs a header row with 'code' and 'description' columns")
    out: dict[str, str] = {}
    for row in reader:
        code = (row.get(columns["code"]) or "").strip().upper()
        description = (row.get(columns["description"]) or "").strip()
        if not code or not description:
            continue
        kind = (row.get(columns["type"]) or "").strip().upper() if "type" in columns else ""
        if kind not in ("CARC", "RARC"):
            kind = "RARC" if re.match(r"^(M|MA|N)\d", code) else "CARC"
        out[f"{kind} {code}"] = description[:2000]
    if not out:
        raise CodeListError("the code list has no rows with both a code and a description")
    return out
