"""The payer directory: where a payer takes appeals (mail, fax, portal) per line of business.

Read from the bundled `knowledge/payers.yaml`, then each knowledge folder's `payers.yaml`, then
the tenant's own `$OVERTURN_HOME/tenants/<tenant>/payers.yaml`; a later entry with the same `id`
replaces an earlier one, so a practice corrects a shared entry by restating it. Every entry must
say where it was taken from and when it was checked: an address nobody checked is not shipped.
"""

import re
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from service.errors import KnowledgeFileError
from service.resources import KNOWLEDGE, load_yaml

LineOfBusiness = Literal[
    "medicare", "medicare_advantage", "commercial", "medicaid", "medicaid_managed_care", "other", "any"
]


class AppealAddress(BaseModel):
    line_of_business: LineOfBusiness = "any"
    mail: list[str] = Field(default_factory=list, max_length=8)
    fax: str | None = Field(default=None, pattern=r"^\+?[0-9 ().-]{7,24}$")
    portal_url: str | None = Field(default=None, pattern=r"^https://\S+$")


class PayerEntry(BaseModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")
    names: list[str] = Field(min_length=1)
    payer_ids: list[str] = Field(default_factory=list)
    appeals: list[AppealAddress] = Field(min_length=1)
    source: str = Field(min_length=8)
    checked: date


class SendTo(BaseModel):
    """The address a packet goes to, with the entry it came from."""

    payer_id: str
    payer_name: str
    address: AppealAddress
    source: str
    checked: date


def load_directory(paths: list[Path]) -> dict[str, PayerEntry]:
    entries: dict[str, PayerEntry] = {}
    for path in paths:
        if not path.is_file():
            continue
        try:
            raw = load_yaml(path.read_text(encoding="utf-8")) or {}
        except Exception:
            raise KnowledgeFileError(f"{path.name}: not valid YAML") from None
        rows = raw.get("payers") if isinstance(raw, dict) else None
        if not isinstance(rows, list):
            raise KnowledgeFileError(f"{path.name}: needs a 'payers' list")
        for at, row in enumerate(rows, 1):
            try:
                entry = PayerEntry.model_validate(row)
            except ValidationError as exc:
                field = ".".join(str(p) for p in exc.errors()[0]["loc"]) or "entry"
                raise KnowledgeFileError(f"{path.name}: payer {at}: {field} {exc.errors()[0]['msg']}") from None
            entries[entry.id] = entry
    return entries


def directory_paths(knowledge_dirs: list[Path], home: Path, tenant: str) -> list[Path]:
    return [
        KNOWLEDGE / "payers.yaml",
        *(d / "payers.yaml" for d in knowledge_dirs),
        home / "tenants" / tenant / "payers.yaml",
    ]


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def find_payer(
    entries: dict[str, PayerEntry], payer: str, line_of_business: str, payer_id: str | None = None
) -> SendTo | None:
    """The entry whose payer id matches, else the one whose name appears whole in the case's
    payer (the longest such name wins), with its address for this line of business (or `any`)."""
    wanted = _words(payer)
    best: tuple[int, PayerEntry] | None = None
    for entry in entries.values():
        if payer_id and payer_id in entry.payer_ids:
            best = (10_000, entry)
            break
        for name in entry.names:
            words = _words(name)
            if words and f" {words} " in f" {wanted} " and (best is None or len(words) > best[0]):
                best = (len(words), entry)
    if best is None:
        return None
    entry = best[1]
    fitting = [a for a in entry.appeals if a.line_of_business == line_of_business] or [
        a for a in entry.appeals if a.line_of_business == "any"
    ]
    if not fitting:
        return None
    return SendTo(
        payer_id=entry.id, payer_name=entry.names[0], address=fitting[0], source=entry.source, checked=entry.checked
    )
