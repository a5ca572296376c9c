"""Layout: a Medicare Administrative Contractor's Part B denial or medical review letter,
with its RE block, service-line table (three table styles) and redetermination rights.
"""

from __future__ import annotations

from ..compose import Page
from .context import Ctx
from .gold import LetterFields
from .parties import MACS
from .reasons import _explain, _legend_rows
from .render import BREAK, H, Keep, P, _fit_table, _table, lines
from .values import _code_str, _date, _mbi, _money, _name, _phone, _rng

MAC_CLAIM = [
    "ICN:",
    "Claim Number (ICN):",
    "Internal Control Number (ICN):",
    "Claim #:",
    "ICN #:",
    "Claim Control Number:",
]
MAC_ID = [
    "Medicare Number:",
    "MBI:",
    "Medicare Beneficiary Identifier (MBI):",
    "Medicare ID:",
    "Beneficiary ID (MBI):",
    "Medicare No.:",
]
MAC_NAME = ["Beneficiary:", "Beneficiary Name:", "Patient:", "Medicare Beneficiary:"]
MAC_DOS = ["Date(s) of Service:", "Dates of Service:", "DOS:", "Service Date(s):"]
MAC_DATE = ["", "Date: ", "Notice Date: ", "Letter Date: ", "Date of Notice: "]
REVIEWS = [
    "medical review",
    "prepayment complex medical review",
    "post-payment review",
    "Targeted Probe and Educate review",
]
MAC_SUBJ = [
    "Notice of Claim Denial",
    "Medicare Part B Claim Determination",
    "Initial Determination - Services Denied",
    "Medical Review Results",
    "Results of Additional Documentation Request (ADR) Review",
    "Targeted Probe and Educate (TPE) Review Results",
]


def write_letter(c: Ctx) -> tuple[list[Page], list, Page, LetterFields, str]:
    """The MAC letter: (first page, blocks, continuation page, gold, footer tag)."""
    w, cl, p, pa = c.w, c.claim, c.patient, c.party
    name, juris, box, city = c.pick(MACS)
    safe = c.scanned
    ids = _rng(c.layout, c.seed, "ids")
    mbi = _mbi(ids, safe)
    mbi_printed = f"{mbi[:4]}-{mbi[4:7]}-{mbi[7:]}" if w.random() < 0.4 else mbi
    region = w.choice(["02", "10", "11", "12", "13", "14", "20", "21", "22"])
    icn = (
        f"{region}{cl.received:%y}{cl.received.timetuple().tm_yday:03d}{ids.randint(0, 999):03d}"
        f"{ids.randint(0, 999):03d}"
    )
    phone = _phone(w)
    review = cl.scen.key in ("necessity", "records")
    subject = c.pick(MAC_SUBJ[3:] if review else MAC_SUBJ[:3])
    who = c.pick([name, "Medical Review", "We", "The Medical Review department"])

    header = [
        c.pick(
            [f"{juris}  |  {box}, {city}", f"Medicare Administrative Contractor - {juris}", f"{juris} - {box} - {city}"]
        )
    ]
    if w.random() < 0.7:
        header.append(
            c.pick([f"Provider Contact Center: {phone}", f"Provider Services {phone}", f"Questions? Call {phone}"])
        )
    letterhead = c.pick(
        [
            "",
            "A CMS Contracted Medicare Administrative Contractor",
            "Medicare Part B",
            "CMS Medicare Administrative Contractor",
        ]
    )
    items: list = []
    date_label = c.pick(MAC_DATE)
    letter_date = c.show(c.d(cl.letter))
    date_para = P(f"{date_label}{letter_date}", space_after=8)
    addr = [
        pa.practice,
        c.pick(["Attn: Billing Office", "Attn: Billing Department", "Attn: Medical Records", pa.provider]),
        pa.street,
        pa.city_line,
    ]
    idline = c.pick([f"NPI: {pa.npi}    PTAN: {pa.ptan}", f"Provider NPI: {pa.npi}", f"PTAN {pa.ptan} / NPI {pa.npi}"])
    if w.random() < 0.5:
        items += [date_para] + lines(addr) + [P(idline, size="small", space_after=8)]
    else:
        items += lines(addr) + [P(idline, size="small", space_after=6), date_para]

    # The RE block
    nm = c.show(_name(p, c.name_kind))
    dates = sorted({ln.dos for ln in cl.lines})
    dkind = c.date_kind if w.random() < 0.6 else "mdy"
    if len(dates) == 1:
        dos_txt = _date(dates[0], dkind)
        c.show(dos_txt)
    else:
        dos_txt = f"{_date(dates[0], dkind)} - {_date(dates[-1], dkind)}"
    re_fields = [
        (c.pick(MAC_NAME), nm),
        (c.pick(MAC_ID), mbi_printed),
        (c.pick(MAC_CLAIM), icn),
        (c.pick(MAC_DOS), dos_txt),
    ]
    if w.random() < 0.6:
        re_fields.append((c.pick(["Date Received:", "Claim Received:", "Received Date:"]), c.d(cl.received, dkind)))
    if w.random() < 0.3:
        re_fields.append(("Date of Birth:", c.d(p.dob, "mdy")))
    if len(cl.denied) > 1 or w.random() < 0.4:  # else only the denied line's charge shows it
        amt = c.show(_money(cl.amount_denied))
        re_fields.append((c.pick(["Amount Denied:", "Total Denied:", "Billed Amount Denied:"]), amt))
    if w.random() < 0.5:
        head, rest = re_fields[:1], re_fields[1:]
        w.shuffle(rest)
        re_fields = head + rest
    re_style = w.randint(0, 2)
    if re_style == 0:
        items.append(Keep(P("RE:", bold=True, space_after=1)))
        items += lines([f"{k} {v}" for k, v in re_fields])
    elif re_style == 1:
        items += lines([f"RE: {re_fields[0][0]} {re_fields[0][1]}"] + [f"      {k} {v}" for k, v in re_fields[1:]])
    else:
        cols = [k.rstrip(":") for k, _ in re_fields[:4]]
        items.append(_table(cols, [[v for _, v in re_fields[:4]]]))
        if re_fields[4:]:
            items.append(P("    ".join(f"{k} {v}" for k, v in re_fields[4:]), space_after=6))
    items.append(Keep(P(subject, bold=True, size="heading", space_after=4)))
    doc = pa.provider.split(",")[0]
    doc = f"Dr. {doc.split()[-1]}" if pa.provider.endswith(("MD", "DO")) else doc
    items.append(P(c.pick(["Dear Provider:", "Dear Medicare Provider:", f"Dear {doc}:"]), space_after=4))
    opening = (
        c.pick(
            [
                "This letter is to notify you that Medicare has denied payment for one or more services "
                "on the claim identified above.",
                f"{name} has completed its review of the claim identified above. The service(s) listed "
                f"below have been denied. This letter explains the decision and your right to appeal.",
                "We have made an initial determination on the claim listed above. Medicare will not pay "
                "for the service(s) shown as denied below.",
            ]
        )
        if not review
        else c.pick(
            [
                "We requested medical records to support the claim identified above. This letter gives "
                "the results of that request.",
                f"{name} selected the claim identified above for review and asked for the supporting "
                "medical records. The results are shown below.",
            ]
        )
        if cl.scen.key == "records"
        else c.pick(
            [
                f"{name} performed a {c.pick(REVIEWS)} "
                f"of the claim identified above. Based on the records received, the service(s) below "
                f"have been denied.",
                "Thank you for responding to our request for medical records. We reviewed the "
                "documentation for the claim identified above; the results are shown below.",
            ]
        )
    )
    items.append(P(opening, space_after=6))

    # Service lines
    sep = c.pick(["-", "-", "-", " ", ""])
    tdate = c.pick(["mdy", "mdy", "mdy_s", "mmddyy", c.date_kind if c.date_kind in ("mdy", "iso") else "mdy"])
    money = c.pick(["$", ",", "."])
    variant = w.randint(0, 2)
    heads = _mac_heads(c, variant)
    total_row = len(cl.lines) > 1 and w.random() < 0.5
    table, money, tdate = _fit_table(lambda mk, dk: _mac_table(c, variant, heads, sep, dk, mk, total_row), money, tdate)
    for ln in cl.denied:
        c.show(_money(ln.billed, money))
        c.show(ln.cpt)
    items.append(Keep(H(c.pick(["Claim Detail", "Service Line Detail", "Services Reviewed", "Line Item Detail"]))))
    items.append(table)
    if variant == 2:
        c.shows += [cl.code.split("-")[0]]
    else:
        c.show(_code_str(*cl.code.split("-"), sep))
    if w.random() < 0.4:
        items.append(
            P(f"Claim remark code(s): {', '.join(cl.rarcs) if cl.rarcs else 'none'}", size="small", space_after=6)
        )

    items.append(
        Keep(
            H(
                c.pick(
                    [
                        "Reason for Denial",
                        "Why was the service denied?",
                        "Review Findings",
                        "Explanation of Decision",
                        "Decision Rationale",
                    ]
                )
            )
        )
    )
    items.append(P(_explain(c, who), space_after=6))
    legend = _legend_rows(c, sep)
    if legend:
        items.append(
            Keep(
                H(
                    c.pick(
                        [
                            "Reason and Remark Codes",
                            "Code Descriptions",
                            "Claim Adjustment Reason and Remark Code Descriptions",
                        ]
                    )
                )
            )
        )
        items += [P(x, size="small", space_after=2) for x in legend]
    if w.random() < 0.3:
        items.append(BREAK)
    items.append(
        Keep(
            H(
                c.pick(
                    [
                        "Your Right to Appeal",
                        "Appeal Rights",
                        "If You Disagree With This Decision",
                        "Redetermination Rights",
                    ]
                )
            )
        )
    )
    if "MA130" in cl.rarcs:
        items.append(
            P(
                "This claim cannot be processed as submitted and does not carry appeal "
                "rights. Correct the missing or invalid information and send a new claim; "
                "a redetermination request for this claim will be dismissed."
            )
        )
    else:
        items.append(
            P(
                c.pick(
                    [
                        f"If you disagree with this decision, you may ask for a redetermination. A "
                        f"redetermination is a new review of the claim by {name} staff who were not "
                        f"involved in the first decision. Your request must reach us within 120 days from "
                        f"the date you receive this notice; we assume you received it 5 days after the date "
                        f"of this letter unless you show otherwise.",
                        "You have the right to request a redetermination (the first level of the Medicare "
                        "appeals process). File your request within 120 days of receiving this notice. "
                        "This notice is presumed received 5 calendar days after the date shown above.",
                    ]
                )
            )
        )
        items.append(
            P(
                c.pick(
                    [
                        "Use form CMS-20027, Medicare Redetermination Request Form, or send a signed letter. "
                        "Include the beneficiary's name, the Medicare number, the specific services and dates "
                        "of service you are appealing, your name and signature, and any records that support "
                        "the claim.",
                        "You may use form CMS-20027 or a written request that names the beneficiary, gives the "
                        "Medicare number, identifies the service(s) and date(s) of service in dispute and "
                        "explains why you disagree. Attach supporting medical records.",
                    ]
                )
            )
        )
        items.append(
            P(
                f"Mail to: {name}, {juris} Redeterminations, {box}, {city}."
                + c.pick(["", " You may also submit your request through the provider portal."])
            )
        )
    items.append(
        P(
            c.pick(
                [
                    f"If you have questions about this letter, call the Provider Contact Center at {phone}, "
                    f"Monday through Friday, 8:00 a.m. to 4:00 p.m. Please have the claim number ready.",
                    f"Questions: {phone} (Provider Contact Center).",
                ]
            ),
            space_after=8,
        )
    )
    items += lines(
        [
            "Sincerely,",
            c.pick(
                [
                    "Medical Review Department",
                    "Part B Claims Processing",
                    "Provider Services",
                    "Part B Medical Review Unit",
                ]
            ),
            name,
        ]
    )
    first = Page(name, header, [], letterhead)
    cont_header = c.pick([[f"{re_fields[0][1]}    {icn}"], [f"Beneficiary: {nm}    ICN: {icn}"], [juris]])
    cont = Page(name, cont_header, [], letterhead)
    fields = LetterFields(
        icn,
        f"{p.first} {p.last}",
        mbi_printed,
        cl.dos,
        name,
        cl.code,
        cl.letter,
        [ln.cpt for ln in cl.denied],
        cl.amount_denied,
        list(cl.rarcs),
    )
    c.shows += [icn, mbi_printed, name]
    return first, items, cont, fields, "MR-"


def _mac_heads(c: Ctx, variant: int) -> list[str]:
    if variant == 0:
        return [
            c.pick(["DOS", "Service Date", "From Date"]),
            c.pick(["CPT", "Proc", "Procedure"]),
            "Mod",
            "Units",
            c.pick(["Billed", "Billed Amt", "Charge"]),
            "Allowed",
            "Paid",
            c.pick(["Adj Codes", "Group / Reason", "Reason Code"]),
            c.pick(["Remarks", "RARC", "Remark Codes"]),
        ]
    if variant == 1:
        return [
            c.pick(["Serv Date", "DOS"]),
            c.pick(["Proc", "HCPCS"]),
            "Mod",
            c.pick(["Billed", "Charge"]),
            c.pick(["Allowed", "Approved"]),
            c.pick(["Grp/Rsn", "Adj Reason"]),
            "Adj Amt",
            "Paid",
            c.pick(["Remarks", "RARC"]),
        ]
    return [
        c.pick(["DOS", "Svc Date"]),
        c.pick(["HCPCS", "Proc Code"]),
        "Billed",
        "Allowed",
        "Deduct",
        "Coins",
        "Paid",
        "Group",
        "Reason",
        c.pick(["RARC", "Remark"]),
    ]


def _mac_table(c: Ctx, variant: int, cols: list[str], sep: str, tdate: str, money: str, total_row: bool):
    """Service lines as a contractor prints them: codes joined in one cell (0), one row per
    adjustment with its amount (1), or group and reason in separate columns (2)."""
    cl = c.claim
    m = lambda x: _money(x, money)  # noqa: E731
    rows = []
    if variant == 0:
        joiner = ", " if sep == " " else " "
        for ln in cl.lines:
            rows.append(
                [
                    _date(ln.dos, tdate),
                    ln.cpt,
                    " ".join(ln.mods),
                    str(ln.units),
                    m(ln.billed),
                    m(ln.allowed),
                    m(ln.paid),
                    joiner.join(_code_str(g, r, sep) for g, r, _ in ln.adj),
                    " ".join(ln.rarcs),
                ]
            )
    elif variant == 1:
        for ln in cl.lines:
            for k, (g, r, a) in enumerate(ln.adj):
                if k == 0:
                    rows.append(
                        [
                            _date(ln.dos, tdate),
                            ln.cpt,
                            " ".join(ln.mods),
                            m(ln.billed),
                            m(ln.allowed),
                            _code_str(g, r, sep),
                            m(a),
                            m(ln.paid),
                            " ".join(ln.rarcs),
                        ]
                    )
                else:
                    rows.append(["", "", "", "", "", _code_str(g, r, sep), m(a), "", ""])
    else:
        for ln in cl.lines:
            co = [r for g, r, _ in ln.adj if g != "PR"] or [r for g, r, _ in ln.adj]
            grp = next(g for g, r, _ in ln.adj if r == co[0])
            rows.append(
                [
                    _date(ln.dos, tdate),
                    ln.cpt,
                    m(ln.billed),
                    m(ln.allowed),
                    m(ln.deduct),
                    m(ln.coins),
                    m(ln.paid),
                    grp,
                    ", ".join(co),
                    " ".join(ln.rarcs),
                ]
            )
    if total_row:
        tot = [m(sum(x.billed for x in cl.lines)), m(sum(x.allowed for x in cl.lines))]
        paid = m(sum(x.paid for x in cl.lines))
        if variant == 0:
            rows.append(["Totals", "", "", "", *tot, paid, "", ""])
        elif variant == 1:
            rows.append(["Totals", "", "", *tot, "", "", paid, ""])
        else:
            rows.append(
                [
                    "Totals",
                    "",
                    *tot,
                    m(sum(x.deduct for x in cl.lines)),
                    m(sum(x.coins for x in cl.lines)),
                    paid,
                    "",
                    "",
                    "",
                ]
            )
    return cols, rows
