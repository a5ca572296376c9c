"""Synthetic X12 835 remittances written from a description, for tests, the eval and the demo.

Written the way payers' clearinghouses write them (5010 X221A1): envelope, BPR/TRN, payer and
payee loops, then per claim CLP, claim CAS, NM1*QC and the rendering NM1*82, MOA remarks, claim
dates, and per line SVC, DTM*472, CAS, REF*6R, AMT*B6 and LQ*HE. Amounts balance the way the
835 requires (paid = charge - adjustments), so a description cannot produce an impossible file.
Every name and number is invented.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass
class LineSpec:
    cpt: str
    charge: Decimal
    adjustments: list[tuple[str, str, Decimal]] = field(default_factory=list)
    """(group, CARC, amount) as on a CAS; several of one group share a CAS segment."""
    rarcs: list[str] = field(default_factory=list)
    modifiers: list[str] = field(default_factory=list)
    date_of_service: date | None = None
    units: int = 1
    control_number: str | None = None

    @property
    def paid(self) -> Decimal:
        return self.charge - sum((a for _, _, a in self.adjustments), Decimal(0))


@dataclass
class ClaimSpec:
    number: str
    patient_last: str
    patient_first: str
    member_id: str
    lines: list[LineSpec]
    status: str = "1"
    payer_claim_number: str | None = None
    adjustments: list[tuple[str, str, Decimal]] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    """Claim-level remark codes (MOA)."""
    statement: tuple[date, date] | None = None
    rendering_npi: str = "1467512312"
    filing: str = "12"
    """CLP06: MB Medicare Part B, 16 Medicare Advantage HMO, MC Medicaid, 12 PPO, HM HMO, 15 indemnity..."""

    @property
    def charge(self) -> Decimal:
        return sum((line.charge for line in self.lines), Decimal(0))

    @property
    def paid(self) -> Decimal:
        return sum((line.paid for line in self.lines), Decimal(0)) - sum(
            (a for _, _, a in self.adjustments), Decimal(0)
        )

    @property
    def patient_share(self) -> Decimal:
        every = [*self.adjustments, *(a for line in self.lines for a in line.adjustments)]
        return sum((amount for group, _, amount in every if group == "PR"), Decimal(0))


@dataclass
class RemittanceSpec:
    payer: str
    claims: list[ClaimSpec]
    payer_id: str = "00882"
    payee: str = "MAPLE FAMILY MEDICINE"
    payee_npi: str = "1306894412"
    paid_on: date = date(2026, 10, 2)
    trace: str = "1EFT20261002"


@dataclass
class Delimiters:
    element: str = "*"
    component: str = ":"
    repetition: str = "^"
    terminator: str = "~"
    newline: bool = True


def write_835(remits: list[RemittanceSpec], delimiters: Delimiters | None = None, control: int = 1) -> str:
    """One interchange holding one 835 transaction per remittance."""
    d = delimiters or Delimiters()
    rows: list[list[str]] = [
        _isa(d, control),
        ["GS", "HP", "CLEARINGHOUSE", "MAPLEFM", "20261002", "0815", str(control), "X", "005010X221A1"],
    ]
    for n, remit in enumerate(remits, start=1):
        rows += _transaction(remit, d, f"{n:04d}")
    rows += [["GE", str(len(remits)), str(control)], ["IEA", "1", f"{control:09d}"]]
    end = d.terminator + ("\n" if d.newline else "")
    return "".join(d.element.join(row) + end for row in rows)


def _isa(d: Delimiters, control: int) -> list[str]:
    return [
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        "ZZ",
        "CLEARINGHOUSE  ",
        "ZZ",
        "MAPLEFM        ",
        "261002",
        "0815",
        d.repetition,
        "00501",
        f"{control:09d}",
        "0",
        "P",
        d.component,
    ]


def _transaction(remit: RemittanceSpec, d: Delimiters, control: str) -> list[list[str]]:
    total = sum((c.paid for c in remit.claims), Decimal(0))
    body: list[list[str]] = [
        ["ST", "835", control],
        [
            "BPR",
            "I",
            _amount(total),
            "C",
            "ACH",
            "CCP",
            "01",
            "011000015",
            "DA",
            "4401775",
            "1512345678",
            "",
            "01",
            "021000021",
            "DA",
            "77001234",
            remit.paid_on.strftime("%Y%m%d"),
        ],
        ["TRN", "1", remit.trace, "1512345678"],
        ["DTM", "405", remit.paid_on.strftime("%Y%m%d")],
        ["N1", "PR", remit.payer, "XV", remit.payer_id],
        ["N3", "PO BOX 4410"],
        ["N4", "COLUMBIA", "SC", "292024410"],
        ["PER", "BL", "PROVIDER SERVICES", "TE", "8005550199"],
        ["N1", "PE", remit.payee, "XX", remit.payee_npi],
        ["REF", "TJ", "621234567"],
        ["LX", "1"],
    ]
    for claim in remit.claims:
        body += _claim(claim, d)
    return body + [["SE", str(len(body) + 1), control]]


def _claim(claim: ClaimSpec, d: Delimiters) -> list[list[str]]:
    rows = [
        [
            "CLP",
            claim.number,
            claim.status,
            _amount(claim.charge),
            _amount(claim.paid),
            _amount(claim.patient_share),
            claim.filing,
            claim.payer_claim_number or "",
            "11",
            "1",
        ]
    ]
    rows += _cas(claim.adjustments)
    rows += [
        ["NM1", "QC", "1", claim.patient_last, claim.patient_first, "", "", "", "MI", claim.member_id],
        ["NM1", "82", "1", "RIVERA", "ANA", "", "", "", "XX", claim.rendering_npi],
    ]
    if claim.remarks:
        rows.append(["MOA", "", "", *claim.remarks[:5]])
    if claim.statement:
        rows += [
            ["DTM", "232", claim.statement[0].strftime("%Y%m%d")],
            ["DTM", "233", claim.statement[1].strftime("%Y%m%d")],
        ]
    for line in claim.lines:
        procedure = d.component.join(["HC", line.cpt, *line.modifiers])
        rows.append(["SVC", procedure, _amount(line.charge), _amount(line.paid), "", str(line.units)])
        if line.date_of_service:
            rows.append(["DTM", "472", line.date_of_service.strftime("%Y%m%d")])
        rows += _cas(line.adjustments)
        if line.control_number:
            rows.append(["REF", "6R", line.control_number])
        rows.append(
            ["AMT", "B6", _amount(line.charge - sum((a for g, _, a in line.adjustments if g == "CO"), Decimal(0)))]
        )
        rows += [["LQ", "HE", code] for code in line.rarcs]
    return rows


def _cas(adjustments: list[tuple[str, str, Decimal]]) -> list[list[str]]:
    """One CAS per group, up to six reasons each, in the order first met."""
    rows: list[list[str]] = []
    for group in dict.fromkeys(g for g, _, _ in adjustments):
        reasons = [(carc, amount) for g, carc, amount in adjustments if g == group]
        for start in range(0, len(reasons), 6):
            row = ["CAS", group]
            for carc, amount in reasons[start : start + 6]:
                row += [carc, _amount(amount), ""]
            while row[-1] == "":
                row.pop()
            rows.append(row)
    return rows


def _amount(value: Decimal) -> str:
    text = f"{value:.2f}"
    return text[:-3] if text.endswith(".00") else text.rstrip("0")


SAMPLE_DENIALS = [
    ("99490", "CO", "97", ["M15"]),
    ("99457", "CO", "50", ["N115"]),
    ("99454", "CO", "252", ["N706"]),
    ("99214", "CO", "16", ["N290"]),
    ("99495", "CO", "197", []),
    ("99490", "CO", "151", ["N362"]),
    ("99458", "CO", "50", []),
    ("99453", "PR", "96", ["N130"]),
    ("99496", "CO", "97", ["N20"]),
    ("99491", "OA", "22", ["MA04"]),
    ("99439", "CO", "97", ["M80"]),
    ("99454", "CO", "18", []),
    ("99213", "CO", "4", []),
    ("99490", "CO", "16", ["MA130"]),
    ("99457", "CO", "197", ["N54"]),
    ("99495", "CO", "50", []),
    ("99484", "CO", "252", []),
    ("99214", "CO", "11", []),
    ("99487", "CO", "151", []),
    ("99091", "CO", "50", ["N115"]),
]
FIRST = ["MARGARET", "THEO", "LUCIA", "DESMOND", "PRIYA", "ELLIOT", "ROSA", "KWAME", "INGRID", "SAMIR"]
LAST = [
    "ABERNATHY",
    "BRANDT",
    "CASTELLANOS",
    "DUARTE",
    "ESPOSITO",
    "FAIRWEATHER",
    "GRUBER",
    "HOLLOWAY",
    "IBARRA",
    "JANSSEN",
]


def sample_remittance() -> str:
    """The bundled sample (`eval/sample/remittance.835`): a Medicare Part B remittance with 20
    denied claims across common CARCs and 4 claims paid as expected. Invented people."""
    claims: list[ClaimSpec] = []
    for n, (cpt, group, carc, rarcs) in enumerate(SAMPLE_DENIALS):
        charge = Decimal(48 + 11 * n)
        claims.append(
            ClaimSpec(
                f"MFM-26-{1040 + n}",
                LAST[n % 10],
                FIRST[(n * 3) % 10],
                f"{n + 2}EG4TE5MK{70 + n}",
                filing="MB",
                payer_claim_number=f"2226275{n:06d}",
                lines=[LineSpec(cpt, charge, [(group, carc, charge)], rarcs, date_of_service=date(2026, 8, 4 + n))],
            )
        )
    for n in range(4):
        claims.append(
            ClaimSpec(
                f"MFM-26-{1100 + n}",
                LAST[(n + 5) % 10],
                FIRST[(n + 1) % 10],
                f"{n + 3}HJ7TE5MK{40 + n}",
                filing="MB",
                payer_claim_number=f"2226276{n:06d}",
                lines=[
                    LineSpec(
                        "99214",
                        Decimal(131),
                        [("CO", "45", Decimal("21.40")), ("PR", "2", Decimal("21.92"))],
                        date_of_service=date(2026, 8, 20),
                    )
                ],
            )
        )
    return write_835(
        [RemittanceSpec(payer="NORIDIAN JF PART B", payer_id="01112", claims=claims, paid_on=date(2026, 10, 2))]
    )
