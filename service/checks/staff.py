"""Who did a piece of work, and whether their minutes may count: clinical staff and practitioners
do (a credential or a clinical role), front-desk, scheduling and billing staff do not.

A person is read from structure: name words followed by a credential ('J. Ortiz RN', 'Ortiz,
Jane LPN', 'K. Diaz, RN') or by a role in brackets or after a comma ('L. Moss (front desk)')."""

import re
from dataclasses import dataclass

CREDENTIALS = (
    r"RN|LPN|LVN|BSN|MSN|APRN|CNS|FNP|FNP-C|NP|PA-C|PA|MD|DO|MBBS|PharmD|RPh|CMA|RMA|CCMA|MA|LCSW|LICSW|MSW|"
    r"RD|RDN|CDCES|CDE|CCM|CHW|ANP|AGNP|DNP|RRT|OTR|PT|DPT|ACNP"
)
CLINICAL_ROLES = (
    r"nurse|physician|pharmacist|practitioner|medical\s+assistant|care\s+manager|nurse\s+navigator|"
    r"dietitian|social\s+worker|doctor"
)
NON_CLINICAL_ROLES = (
    r"front\s+desk|receptionist|reception|scheduler|scheduling|billing|biller|coder|coding|clerk|clerical|"
    r"registrar|secretary|office\s+manager|practice\s+manager|admin(?:istrative)?(?:\s+assistant)?|"
    r"patient\s+access|call\s+cent(?:er|re)|volunteer|driver"
)
CREDENTIAL = re.compile(rf"(?<![\w-])(?:{CREDENTIALS})(?![\w-])")
CLINICAL = re.compile(rf"\b(?:{CLINICAL_ROLES})s?\b", re.IGNORECASE)
NON_CLINICAL = re.compile(rf"\b(?:{NON_CLINICAL_ROLES})\b", re.IGNORECASE)
NAME = r"(?:[A-Z][A-Za-z'’\-]*\.?|[A-Z]\.)"
PERSON = re.compile(
    rf"(?P<name>(?:{NAME},?\s+){{0,2}}{NAME}),?\s*"
    rf"(?:(?P<cred>(?<![\w-])(?:{CREDENTIALS})(?![\w-])(?:\s*\([^)\n]{{1,30}}\))?)|\((?P<role>[^)\n]{{1,30}})\))"
)
"""'Pruitt, Jennifer RN (CCM)', 'D. Amaro, LPN', 'Oakes, Brandi (Front Desk)'."""
TITLE = re.compile(r"\bDr\.?\s+[A-Z][A-Za-z'’\-]+")


@dataclass(frozen=True)
class Staff:
    who: str  # as printed ('' when no one is named)
    kind: str  # 'clinical', 'non-clinical' or 'unknown'

    @property
    def names(self) -> frozenset[str]:
        """The person's name words (lowercase, no initials or credentials): what a copy of the
        same row elsewhere shares ('J. Pruitt RN' and 'Pruitt, Jennifer RN' share 'pruitt')."""
        words = re.findall(r"[A-Za-z'’\-]{2,}", CREDENTIAL.sub(" ", re.sub(r"\([^)]*\)", " ", self.who)))
        return frozenset(w.lower() for w in words if not NON_CLINICAL.fullmatch(w) and not CLINICAL.fullmatch(w))


def kind_of(text: str) -> str:
    """'non-clinical' for a non-clinical role, 'clinical' for a credential or clinical role."""
    if NON_CLINICAL.search(re.sub(CREDENTIAL, " ", text)) and not CREDENTIAL.search(text):
        return "non-clinical"
    if CREDENTIAL.search(text) or CLINICAL.search(text) or TITLE.search(text):
        return "clinical"
    return "unknown"


def staff_in_cell(cell: str) -> Staff:
    """A time log's staff cell: the whole cell is the person."""
    cell = " ".join(cell.split())
    return Staff(cell, kind_of(cell) if cell else "unknown")


def people_in(text: str) -> list[Staff]:
    """Every person named with a credential or a bracketed role, in order."""
    out = []
    for m in PERSON.finditer(text):
        if m.group("role") and kind_of(m.group("role")) == "unknown":
            continue  # '(CCM)', '(speaker)': not a role
        out.append(Staff(" ".join(m.group(0).split()), kind_of(m.group("cred") or m.group("role"))))
    return out


def staff_in_line(segments: list[str]) -> Staff:
    """The person of a one-line entry or a note's first line: a segment that is a person alone
    ('K. Diaz, RN'), else every person named on the line."""
    for seg in segments:
        found = people_in(seg)
        if len(found) == 1 and len(seg.split()) <= len(found[0].who.split()) + 1:
            return found[0]
    found = [p for seg in segments for p in people_in(seg)]
    if not found:
        return Staff("", "unknown")
    kind = "clinical" if any(p.kind == "clinical" for p in found) else found[0].kind
    return Staff(" / ".join(p.who for p in found), kind)


def resolve(staff: Staff, roster: dict[str, str]) -> Staff:
    """A name printed without a credential takes the kind the same name has elsewhere in the chart."""
    if staff.kind != "unknown" or not staff.names:
        return staff
    kinds = {roster[n] for n in staff.names if n in roster}
    return Staff(staff.who, kinds.pop()) if len(kinds) == 1 else staff


PRACTITIONER_CREDENTIAL = re.compile(
    r"(?<![\w-])(?:MD|DO|MBBS|NP|FNP|FNP-C|ANP|AGNP|ACNP|APRN|CNS|DNP|PA|PA-C)(?![\w-])"
)
PRACTITIONER_ROLE = re.compile(r"\b(?:physician|doctor|nurse\s+practitioner|physician\s+assistant)\b|\bDr\.?\s", re.I)


def is_practitioner(who: str) -> bool:
    """A physician or qualified health professional ('A. Ramaswamy MD', 'Dr. Feld', 'K. Lam, NP'):
    the only person whose minutes count toward a code for the practitioner's personal time."""
    return bool(PRACTITIONER_CREDENTIAL.search(who) or PRACTITIONER_ROLE.search(who))
