"""Layout: the Medicare Advantage Integrated Denial Notice (CMS-10003-NDMCP), written to the
member; it may print no code and no amount, and words the reason for the member.
"""

from __future__ import annotations

from ..compose import Page, Para
from .context import Ctx
from .gold import LetterFields
from .parties import COMMERCIALS, MA_PLANS, _member_address
from .render import BREAK, H, Keep, P, _table, lines
from .scenarios import DETAILS, PAYER_CODES, SERVICE
from .values import _date, _ident, _money, _name, _phone, _rng

IDN_CLAIM = ["Claim number:", "Claim #:", "Reference number:", "Claim/Reference No.:", "Claim ID:"]
IDN_ID = ["Member number:", "Member number:", "Member ID:", "Plan member #:"]
IDN_NAME = ["Name:", "Name:", "Member name:", "Enrollee:"]
IDN_DATE = ["Date:", "Date:", "Notice date:", "Date of notice:"]


def _idn_reason(c: Ctx) -> str:
    cl, fam = c.claim, c.claim.family
    svc = SERVICE[fam]
    detail = c.pick(DETAILS[fam])
    key = cl.scen.key
    plan = c.claim.extra["plan_short"]
    if cl.payer_code:
        return (
            f"{PAYER_CODES[cl.code][0]} Because of this, the records do not meet our payment "
            f"policy for {svc} in {c.month}."
        )
    texts = {
        "necessity": lambda: (
            f"We reviewed the records your provider sent us. They do not show that the "
            f"{svc} you received in {c.month} was medically necessary under Medicare "
            f"coverage rules. {detail}"
        ),
        "records": lambda: (
            f"We asked your provider on {c.d(cl.extra.get('adr', cl.received))} for the "
            f"medical records we need to decide this claim. We did not receive them."
        ),
        "frequency": lambda: (
            f"{svc.capitalize()} is covered only once per period for each member. "
            f"{plan} already paid for this service for the same period."
        ),
        "noncovered": lambda: (
            f"{svc.capitalize()} is not a covered benefit under your plan. Please see your Evidence of Coverage."
        ),
        "no_auth": lambda: (
            f"Your plan requires prior authorization for {svc}. Your provider did not get "
            f"our approval before giving you this service."
        ),
        "out_of_network": lambda: (
            f"Your plan covers {svc} only from providers in our network. The "
            f"provider who gave you this service is not in our network, and we had "
            f"no referral or approval on file."
        ),
        "coverage_ended": lambda: (
            f"Your coverage with {plan} ended on {c.d(cl.extra['coverage_end'])}, before the date of this service."
        ),
    }
    return texts[key]()


def write_letter(c: Ctx):
    """The IDN: (first page, blocks, continuation page, gold, form number for the footer)."""
    w, cl, p, pa = c.w, c.claim, c.patient, c.party
    plan, company = c.pick(MA_PLANS)
    cl.extra["plan_short"] = c.pick([plan, company])
    ids = _rng(c.layout, c.seed, "ids")
    member = _ident(ids, c.pick(["LDDDDDDDDD", "DDDDDDDDDDD", "LLLDDDDDDDD", "DDDDDDDDD-DD"]), c.scanned)
    claim_no = _ident(ids, c.pick(["DDDDDDDDDDDDDD", "LLDDDDDDDDDD", "DDDDLDDDDDDDD"]), c.scanned)
    phone = _phone(w)
    header = [
        c.pick([company + " - Medicare Advantage", f"{company}  |  Member Services {phone}", "Medicare Advantage Plan"])
    ]
    title = "Notice of Denial of Medical Coverage (or Payment)"
    nm = c.show(_name(p, c.pick(["First M. Last", "First Last", "First Last", "LAST, FIRST", "FIRST M LAST"])))
    letter = c.show(c.d(cl.letter))
    items: list = []
    items += lines([nm.upper() if w.random() < 0.5 else nm] + _member_address(w))
    info = [(c.pick(IDN_DATE), letter), (c.pick(IDN_NAME), nm), (c.pick(IDN_ID), member)]
    claim_in_header = w.random() < 0.6
    if claim_in_header:
        info.append((c.pick(IDN_CLAIM), claim_no))
    style = w.randint(0, 1)
    if style == 0:
        items += lines([f"{k.rstrip(':')}: {v}" for k, v in info])
    else:
        items += lines(
            [f"{info[0][0].rstrip(':')}: {info[0][1]}", "    ".join(f"{k.rstrip(':')}: {v}" for k, v in info[1:])]
        )
    items.append(Keep(H(c.pick(["Your request was denied", "Your request was denied."]))))
    amount = None
    show_amt = w.random() < 0.35
    svc_kind = w.randint(0, 1)
    items.append(
        P(
            c.pick(
                [
                    "We have denied payment for the following services that you received:",
                    "We denied payment for the medical services listed below. You received these services "
                    f"from {pa.practice}.",
                ]
            )
        )
    )
    if svc_kind == 0:
        for ln in cl.denied:
            txt = f"- {ln.desc} ({c.pick(['CPT ', 'code ', ''])}{ln.cpt}), provided on {c.d(ln.dos)} by {pa.provider}"
            if show_amt:
                txt += f"; amount billed {_money(ln.billed)}"
            items.append(P(txt, indent=12, space_after=2))
        c.show(c.d(cl.dos))
    else:
        cols = [c.pick(["Date of service", "Service date"]), "Service", "Code", "Provider"] + (
            ["Amount billed"] if show_amt else []
        )
        rows = [
            [_date(ln.dos, "mdy"), ln.desc, ln.cpt, pa.practice] + ([_money(ln.billed)] if show_amt else [])
            for ln in cl.denied
        ]
        items.append(_table(cols, rows))
        c.show(_date(cl.dos, "mdy"))
    if show_amt:
        if len(cl.denied) > 1:
            items.append(P(f"Total amount billed: {c.show(_money(cl.amount_denied))}", space_after=4))
        else:
            c.show(_money(cl.amount_denied))
        amount = cl.amount_denied
    if not claim_in_header:
        items.append(P(f"{c.pick(IDN_CLAIM)} {claim_no}", space_after=6))
    items.append(Keep(H("Why did we deny your request?")))
    reason = _idn_reason(c)
    code_mode = w.random()
    code, remarks = "", False
    if cl.payer_code:
        if code_mode < 0.7:
            reason += f" (Plan reason code: {cl.code})"
            code = cl.code
    elif code_mode < 0.4:
        g, r = cl.scen.group, cl.scen.carc
        reason += c.pick(
            [f" (Reason code: {g}-{r})", f" Denial code: {g}-{r}.", f" [Claim adjustment reason code {g}-{r}]"]
        )
        code = cl.code
        if cl.rarcs and w.random() < 0.6:
            reason += f" Remark: {', '.join(cl.rarcs)}."
            remarks = True
    rarcs = list(cl.rarcs) if remarks else []
    items.append(P(f"We denied the services listed above because: {reason}" if w.random() < 0.5 else reason))
    if code:
        c.show(code)
    items.append(
        P(
            c.pick(
                [
                    "If you already paid for these services, you may be able to get your money back if you "
                    "appeal and we decide the services should be covered.",
                    "You are not responsible for paying for these services except for your usual cost "
                    "sharing, if your provider is in our network.",
                ]
            )
        )
    )
    if w.random() < 0.4:
        items.append(BREAK)
    items.append(Keep(H("You have the right to appeal our decision")))
    items.append(
        P(
            f"You have the right to ask {plan} to review our decision by asking us for an "
            f"appeal. Ask for an appeal within 65 days from the date of this notice. We can "
            f"give you more time if you have a good reason for missing the deadline."
        )
    )
    items.append(
        P(
            "Because you already received these services, you cannot ask for a fast "
            "appeal. We will answer a standard payment appeal within 60 calendar days."
        )
    )
    items.append(
        P(
            "A provider who does not have a contract with us may appeal this payment "
            "decision for you if the provider signs a waiver saying you will not be billed "
            "for the services, whatever the outcome of the appeal."
        )
    )
    items.append(Keep(H("How to ask for an appeal")))
    items.append(
        P(
            c.pick(
                [
                    "Step 1: You, your representative, or your doctor must ask us for an appeal. Your "
                    "written request must include your name, address, member number, the reasons for "
                    "appealing, and any evidence you wish to attach.",
                    "Step 1: Send us a written appeal that gives your name, member number and the service you want "
                    "us to review, and explains why you think we should pay for it. You may include records "
                    "from your doctor.",
                ]
            )
        )
    )
    items.append(
        P(
            f"Step 2: Mail, fax, or deliver your appeal to: {company} Appeals and "
            f"Grievances, {c.pick(['PO Box 45020', 'PO Box 8812', 'PO Box 61390'])}, "
            f"{c.pick([t[2] for t in COMMERCIALS])}. Fax: {_phone(w)}. For a fast appeal "
            f"about care you have not received, call {phone}."
        )
    )
    items.append(Keep(H("What happens next?")))
    items.append(
        P(
            "If you ask for an appeal and we continue to deny payment, we will send your "
            "case to an independent reviewer automatically. If the independent reviewer "
            "also denies payment, you will be told about further levels of appeal."
        )
    )
    items.append(Keep(H("Get help & more information")))
    items.append(
        P(
            f"{plan}: {phone} (TTY 711), 8 a.m. to 8 p.m., seven days a week. "
            f"Medicare: 1-800-MEDICARE (1-800-633-4227), 24 hours a day, 7 days a week. "
            f"TTY users call 1-877-486-2048."
        )
    )
    if w.random() < 0.5:
        items.append(P(f"Copy sent to: {pa.provider}, {pa.practice}", size="small"))
    first = Page(plan, header, [], "")
    items.insert(0, Para(title, bold=True, size="title", space_after=6))
    cont = Page(plan, [c.pick([title, f"{nm}  -  {member}", f"Member number: {member}"])], [], "")
    gold = LetterFields(
        claim_no,
        f"{p.first} {p.last}",
        member,
        cl.dos,
        plan,
        code,
        cl.letter,
        [ln.cpt for ln in cl.denied],
        amount,
        rarcs,
    )
    c.shows += [claim_no, member, plan] + [ln.cpt for ln in cl.denied]
    return first, items, cont, gold, "Form CMS-10003-NDMCP"
