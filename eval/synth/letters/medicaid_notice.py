"""Layout: a Medicaid denial notice from a state program or a Medicaid managed care plan,
with TCN, program edit (EOB) codes and reconsideration rights.
"""

from __future__ import annotations

from ..compose import Page, Para
from .context import Ctx
from .gold import LetterFields
from .parties import MEDICAIDS
from .reasons import _explain, _legend_rows
from .render import BREAK, H, Keep, P, _fit_table, lines
from .values import _code_str, _date, _ident, _money, _name, _phone, _rng

MCD_CLAIM = ["TCN:", "Transaction Control Number:", "ICN:", "Claim Ref #:", "Claim Number:"]
MCD_ID = ["Recipient ID:", "Medicaid ID:", "Member ID:", "Beneficiary No.:", "Medicaid #:"]
MCD_NAME = ["Recipient:", "Recipient Name:", "Member:", "Patient:"]
MCD_TITLES = [
    "Provider Claim Denial Notice",
    "Remittance Advice - Denied Claim",
    "Notice of Adverse Benefit Determination - Provider Copy",
    "Claim Denial Notification",
]


def write_letter(c: Ctx):
    """The Medicaid notice: (first page, blocks, continuation page, gold, footer tag)."""
    w, cl, p, pa = c.w, c.claim, c.patient, c.party
    name, sub, box, city = c.pick(MEDICAIDS)
    mco = "Department" not in name and "Bureau" not in name
    ids = _rng(c.layout, c.seed, "ids")
    recip = _ident(ids, c.pick(["DDDDDDDDDDDD", "DDDDDDDDDD", "LLDDDDDL", "DDDDDDDDD"]), c.scanned)
    tcn = f"{cl.received:%y}{cl.received.timetuple().tm_yday:03d}" + "".join(str(ids.randint(0, 9)) for _ in range(12))
    prov_id = "".join(str(ids.randint(0, 9)) for _ in range(c.pick([7, 9, 10])))
    phone = _phone(w)
    title = c.pick(MCD_TITLES if mco else MCD_TITLES[:2] + MCD_TITLES[3:])
    header = [sub, c.pick([f"{box}  |  {city}", f"Provider Services: {phone}", f"{box}, {city}  |  {phone}"])]
    nm = c.show(_name(p, c.pick(["LAST, FIRST M", "LAST, FIRST", "First Last", "Last, First M"])))
    letter = c.show(c.d(cl.letter))
    items: list = [Para(title, bold=True, size="heading", space_after=6)]
    items += [P(f"{c.pick(['Date:', 'Notice Date:', 'Run Date:'])} {letter}", space_after=6)]
    items += lines([pa.practice, pa.street, pa.city_line])
    items.append(
        P(
            c.pick(
                [
                    f"Medicaid Provider ID: {prov_id}    NPI: {pa.npi}",
                    f"Provider No. {prov_id}",
                    f"NPI {pa.npi}  |  Provider ID {prov_id}",
                ]
            ),
            size="small",
            space_after=6,
        )
    )
    info = [(c.pick(MCD_NAME), nm), (c.pick(MCD_ID), recip), (c.pick(MCD_CLAIM), tcn)]
    if w.random() < 0.5:
        info.append((c.pick(["Date Received:", "Received:"]), c.d(cl.received)))
    if w.random() < 0.3:
        info.append(("DOB:", c.d(p.dob, "mdy")))
    if w.random() < 0.5:
        info.append((c.pick(["Dates of Service:", "DOS:", "Service Date:"]), c.show(c.d(cl.dos))))
    if w.random() < 0.5:
        w.shuffle(info)
    items += lines([f"{k} {v}" for k, v in info])
    items.append(
        P(
            c.pick(
                [
                    "The claim below has been processed. One or more services were denied for the reasons shown.",
                    f"{name} has denied payment for the service(s) listed below.",
                    "This notice tells you about services on your claim that we did not pay.",
                ]
            )
        )
    )
    money = c.pick(["$", ","])
    sep = c.pick(["-", "-", " "])
    tdate = c.pick(["mdy", "mdy_s", "mmddyy"])
    edit = {ln.cpt: f"{ids.randint(100, 9999):04d}" for ln in cl.lines}
    with_edit = not mco or w.random() < 0.3
    cols = (
        [
            "Ln",
            c.pick(["DOS", "From DOS", "Service Date"]),
            c.pick(["Proc", "Procedure"]),
            "Units",
            c.pick(["Billed", "Billed Amt"]),
            "Allowed",
            "Paid",
            "Status",
        ]
        + (["EOB"] if with_edit else [])
        + [c.pick(["Adj Reason / Remark", "CARC / RARC", "Reason"])]
    )

    def build(mk, dk):
        m = lambda x: _money(x, mk)  # noqa: E731
        rows = []
        for k, ln in enumerate(cl.lines, 1):
            codes = [_code_str(g, r, sep) for g, r, _ in ln.adj] + ln.rarcs
            rows.append(
                [
                    str(k),
                    _date(ln.dos, dk),
                    ln.cpt,
                    str(ln.units),
                    m(ln.billed),
                    m(ln.allowed),
                    m(ln.paid),
                    "DENIED" if ln.denied else "PAID",
                ]
                + ([edit[ln.cpt]] if with_edit else [])
                + [", ".join(codes)]
            )
        return cols, rows

    table, money, tdate = _fit_table(build, money, tdate)
    items.append(table)
    items.append(
        P(
            f"{c.pick(['Total denied charges:', 'Denied amount:', 'Amount denied:'])} "
            f"{c.show(_money(cl.amount_denied))}",
            space_after=6,
        )
    )
    c.shows += [ln.cpt for ln in cl.denied]
    c.show(_code_str(*cl.code.split("-"), sep))
    items.append(Keep(H(c.pick(["Reason for Denial", "Explanation", "Denial Reason"]))))
    items.append(P(_explain(c, "We")))
    if with_edit:
        items.append(
            P(
                f"EOB {edit[cl.denied[0].cpt]}: "
                + c.pick(
                    [
                        "Service denied; see the adjustment reason code.",
                        "Claim line denied by a program edit.",
                        "Refer to the HIPAA reason and remark codes on this line.",
                    ]
                ),
                size="small",
            )
        )
    if w.random() < 0.5:
        items.append(Keep(H(c.pick(["Code Descriptions", "Adjustment Reason and Remark Codes"]))))
    items += [P(x, size="small", space_after=2) for x in _legend_rows(c, sep)]
    if w.random() < 0.3:
        items.append(BREAK)
    items.append(Keep(H(c.pick(["Your Appeal Rights", "Reconsideration and Appeal", "If You Disagree"]))))
    days = c.pick([60, 90]) if not mco else 60
    items.append(
        P(
            f"You may ask us to reconsider this decision. Your request must be received within "
            f"{days} days of the date of this notice and must include the claim number, a copy of "
            f"this notice and any records that support the service."
        )
    )
    if mco:
        items.append(
            P(
                "The member may also appeal to the plan and, after the plan's decision, ask "
                "for a State fair hearing. The member will receive a separate notice."
            )
        )
    items.append(P(f"Send requests to: {name}, Provider Appeals, {box}, {city}. Questions: {phone}."))
    first = Page(name, header, [], c.pick(["", "Medicaid"] if mco else ["", "State Medical Assistance"]))
    cont = Page(name, [c.pick([f"{title} (continued)", f"{nm}  {tcn}"])], [], "")
    gold = LetterFields(
        tcn,
        f"{p.first} {p.last}",
        recip,
        cl.dos,
        name,
        cl.code,
        cl.letter,
        [ln.cpt for ln in cl.denied],
        cl.amount_denied,
        list(cl.rarcs),
    )
    c.shows += [tcn, recip, name]
    return first, items, cont, gold, "RA-"
