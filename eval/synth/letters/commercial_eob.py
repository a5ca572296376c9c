"""Layout: a commercial plan's provider remittance / explanation of benefits, with claim
totals, payer or X12 codes on each line and the plan's appeal instructions.
"""

from __future__ import annotations

from ..compose import Page
from ..people import NamePool, Person
from .context import Ctx
from .gold import LetterFields
from .parties import COMMERCIALS
from .reasons import _explain, _legend_rows
from .render import BREAK, H, Keep, P, _fit_table, _table, lines
from .scenarios import PAID_CODES
from .values import _code_str, _date, _ident, _money, _name, _phone, _rng

EOB_TITLES = [
    "Provider Remittance / Explanation of Benefits",
    "Explanation of Benefits - Provider Copy",
    "Provider Claim Summary",
    "Claim Denial Notification",
    "Explanation of Payment (EOP)",
    "PROVIDER EXPLANATION OF BENEFITS",
]
EOB_CLAIM = ["Claim #", "Claim Number", "Claim ID", "Reference No.", "Payer Claim Control #", "Claim No."]
EOB_ID = ["Member ID", "ID #", "Subscriber ID", "Member No.", "Identification No."]
EOB_NAME = ["Member", "Patient", "Member Name", "Patient Name"]
EOB_GROUP = ["Group No.", "Group #", "Group Number", "Employer Group"]
EOB_ACCT = ["Patient Acct #", "Patient Account No.", "Pt Control No.", "Your Patient #"]
EOB_DATE = ["Notice Date", "Statement Date", "Date", "Date Issued", "Issue Date"]
CLAIM_PATTERNS = ["LLDDDDDDDDDD", "DDDDLLDDDDDD", "LDDDDDDDDD-DD", "DDDD-LL-DDDDDDD", "LLLDDDDDDDDD"]
MEMBER_PATTERNS = ["LLLDDDDDDDDD", "LDDDDDDDD", "LLLDDDDDDDDD-DD", "DDDDDDDDDLL", "LLDDDDDDD"]


def write_letter(c: Ctx):
    """The provider EOB: (first page, blocks, continuation page, gold, footer tag)."""
    w, cl, p, pa = c.w, c.claim, c.patient, c.party
    name, box, city = c.pick(COMMERCIALS)
    ids = _rng(c.layout, c.seed, "ids")
    claim_no = _ident(ids, c.pick(CLAIM_PATTERNS), c.scanned)
    member = _ident(ids, c.pick(MEMBER_PATTERNS), c.scanned)
    group_no = _ident(ids, c.pick(["DDDDDD", "DDDDD-DDD", "LDDDDD", "DDDDDDDD-LL"]), c.scanned)
    acct = _ident(ids, c.pick(["DDDDDDD", "LLDDDDDD", "DDDDDD-D"]), c.scanned)
    phone = _phone(w)
    title = c.pick(EOB_TITLES)
    logo = c.pick([name, name])
    header = [
        title,
        c.pick(
            [
                f"{box}  |  {city}  |  Provider Services {phone}",
                f"Claims: {box}, {city}",
                f"Provider Service Center {phone}",
            ]
        ),
    ]
    letterhead = c.pick(["", "", "Health insurance plans and services", "Serving members since 1962"])
    items: list = []
    nm = c.show(_name(p, c.pick(["LAST, FIRST", "LAST, FIRST", "LAST, FIRST M", "First Last", "First M. Last"])))
    letter = c.show(c.d(cl.letter))
    payee = [pa.practice, pa.street, pa.city_line]
    items += (
        [P(c.pick(["Payee:", "Pay To Provider:", "Provider:"]), bold=True, space_after=1)]
        + lines(payee)
        + [
            P(
                c.pick([f"NPI: {pa.npi}    TIN: {pa.tin}", f"Billing NPI {pa.npi}", f"TIN {pa.tin}  NPI {pa.npi}"]),
                size="small",
                space_after=6,
            )
        ]
    )
    dl = c.pick(EOB_DATE)
    pay = [f"{dl}: {letter}"]
    if w.random() < 0.5:
        pay.append(
            c.pick(
                [
                    f"EFT Trace #: {ids.randint(10**8, 10**9 - 1)}",
                    f"Check #: {ids.randint(10**6, 10**7 - 1)}",
                    "Payment: none (denied)",
                ]
            )
        )
    items.append(P("    ".join(pay), space_after=6))

    subscriber = w.random() < 0.25
    fields = [
        (c.pick(EOB_NAME) if not subscriber else "Patient", nm),
        (c.pick(EOB_ID), member),
        (c.pick(EOB_CLAIM), claim_no),
        (c.pick(EOB_GROUP), group_no),
        (c.pick(EOB_ACCT), acct),
    ]
    if subscriber:
        sub = NamePool(w).person()
        fields.insert(
            1,
            (
                "Subscriber",
                _name(
                    Person(sub.first, sub.middle, p.last, "", sub.dob, sub.sex), c.pick(["LAST, FIRST", "First Last"])
                ),
            ),
        )
    if w.random() < 0.5:
        fields.append((c.pick(["Received", "Date Received", "Claim Received"]), c.d(cl.received)))
    if w.random() < 0.4:
        fields.append(("Rendering Provider", pa.provider))
    if w.random() < 0.3:
        fields.append(("Patient DOB", c.d(p.dob, "mdy")))
    if w.random() < 0.6:
        w.shuffle(fields)
    style = w.randint(0, 2)
    if style == 0:  # label over value grid, 3 or 4 per row
        per = c.pick([3, 4])
        for k in range(0, len(fields), per):
            chunk = fields[k : k + per]
            items.append(_table([f for f, _ in chunk], [[v for _, v in chunk]]))
    elif style == 1:
        pairs = [f"{k}: {v}" for k, v in fields]
        items += lines(["    ".join(pairs[k : k + 2]) for k in range(0, len(pairs), 2)])
    else:
        items += lines([f"{k}: {v}" for k, v in fields])

    money = c.pick(["$", ",", "."])
    sep = c.pick(["-", "-", "-", " "])
    tdate = c.pick(["mdy", "mdy", "mdy_s", c.date_kind if c.date_kind in ("mdy", "iso") else "mdy"])
    cols = [
        c.pick(["Line", "Ln", "#"]),
        c.pick(["Service Date", "Dates of Service", "DOS"]),
        c.pick(["Proc", "Service Code", "Code"]),
        c.pick(["Billed", "Charges", "Amount Billed"]),
        c.pick(["Allowed", "Allowed Amt"]),
        c.pick(["Member Resp", "Member Cost Share", "Ded, Coins, Copay"]),
        c.pick(["Not Covered", "Denied", "Amount Not Covered"]),
        c.pick(["Plan Paid", "Paid", "Paid Amt"]),
        c.pick(["Reason", "Remark", "Codes"]),
    ]

    def build(mk, dk):
        m = lambda x: _money(x, mk)  # noqa: E731
        rows = []
        for k, ln in enumerate(cl.lines, 1):
            if cl.payer_code:
                codes = (
                    [ln.adj[0][1]]
                    if ln.denied
                    else ["CTR"] + [{"1": "DED", "2": "COI", "3": "CPY"}[r] for g, r, _ in ln.adj if g == "PR"]
                )
            else:
                codes = [_code_str(g, r, sep) for g, r, _ in ln.adj]
            codes += ln.rarcs
            svc = ln.cpt + (f"-{ln.mods[0]}" if ln.mods else "")
            rows.append(
                [
                    str(k),
                    _date(ln.dos, dk),
                    svc,
                    m(ln.billed),
                    m(ln.allowed),
                    m(ln.deduct + ln.coins),
                    m(ln.billed if ln.denied else 0.0),
                    m(ln.paid),
                    ", ".join(codes),
                ]
            )
        tot = lambda f: m(sum(f(x) for x in cl.lines))  # noqa: E731
        rows.append(
            [
                "",
                "Totals",
                "",
                tot(lambda x: x.billed),
                tot(lambda x: x.allowed),
                tot(lambda x: x.deduct + x.coins),
                m(cl.amount_denied),
                tot(lambda x: x.paid),
                "",
            ]
        )
        return cols, rows

    table, money, tdate = _fit_table(build, money, tdate)
    m = lambda x: _money(x, money)  # noqa: E731
    tot = lambda f: m(sum(f(x) for x in cl.lines))  # noqa: E731
    c.show(m(cl.amount_denied))
    rows = table.rows
    items.append(Keep(H(c.pick(["Claim Detail", "Service Detail", "Claim Information"]))))
    items.append(table)
    c.shows += [ln.cpt for ln in cl.denied]
    c.show(cl.code if cl.payer_code else _code_str(*cl.code.split("-"), sep))
    if w.random() < 0.5:
        share = sum(x.deduct + x.coins for x in cl.lines) + (cl.amount_denied if cl.code.startswith("PR") else 0)
        items.append(
            P(
                c.pick([f"Patient responsibility: {m(share)}", f"Total paid to provider: {tot(lambda x: x.paid)}"]),
                space_after=6,
            )
        )
    items.append(
        Keep(H(c.pick(["Claim Message", "Explanation", "Why this claim was denied", "Notes About This Claim"])))
    )
    items.append(P(_explain(c, "We"), space_after=6))
    items.append(
        Keep(H(c.pick(["Reason Code Descriptions", "Explanation of Codes", "Code Legend", "Remark Code Key"])))
    )
    items += [P(x, size="small", space_after=2) for x in _legend_rows(c, sep)]
    if cl.payer_code:
        for code, txt in PAID_CODES.items():
            if any(code in r[-1] for r in rows):
                items.append(P(f"{code}: {txt}", size="small", space_after=2))
    if w.random() < 0.3:
        items.append(BREAK)
    items.append(Keep(H(c.pick(["Appeal Rights", "How to Appeal", "If You Disagree", "Provider Appeal Instructions"]))))
    items.append(
        P(
            c.pick(
                [
                    "If you disagree with how this claim was processed, you may file a written appeal within "
                    "180 days of the date of this notice. Include a copy of this notice, the claim number "
                    "and any medical records or other documents that support your request.",
                    "You or the member may ask us to review this decision. Appeals must be received within "
                    "180 calendar days from the date on this statement. Send the claim number, the reason "
                    "you disagree and supporting records.",
                ]
            )
        )
    )
    items.append(
        P(
            f"Send appeals to: {name} Provider Appeals, {box}, {city}"
            + c.pick(["", f", or fax to {_phone(w)}", ". Appeals may also be filed on the provider portal."])
        )
    )
    if w.random() < 0.5:
        items.append(
            P(
                "If the member's plan is governed by ERISA, the member may also have the "
                "right to bring a civil action under section 502(a) after the plan's "
                "appeal process is complete.",
                size="small",
            )
        )
    if w.random() < 0.5:
        items.append(P(c.pick(["THIS IS NOT A BILL.", "Keep this statement for your records."]), bold=True))
    first = Page(logo, header, [], letterhead)
    cont = Page(
        logo,
        [c.pick([f"{title} (continued)", f"Claim {claim_no} - continued", f"{nm}    Member ID {member}"])],
        [],
        letterhead,
    )
    gold = LetterFields(
        claim_no,
        f"{p.first} {p.last}",
        member,
        cl.dos,
        name,
        cl.code,
        cl.letter,
        [ln.cpt for ln in cl.denied],
        cl.amount_denied,
        list(cl.rarcs),
    )
    c.shows += [claim_no, member, name]
    return first, items, cont, gold, "EOB"
