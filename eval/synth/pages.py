"""Page frames for each chart style: EHR banners and printed footers, fax headers, cover
sheets and RECEIVED stamps, note labels; legends and attestations on request.

`page_for` builds one page from sections; `finish` adds what only a whole document knows
(page numbers, fax header, printing user).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from . import assemble as asm
from .compose import Page, Para
from .model import Ctx, Section
from .voice import MON3, Voice, fmt_date

PAGES_TOKEN = "@@PAGES@@"
FOOT_HOLD = {False: "-", True: "-\n-"}

PAD = {
    "ehr": [
        "- Allergies reviewed: sulfa (rash), adhesive tape (irritation) - no changes",
        "- Pt identity verified w/ 2 identifiers (name, DOB)",
        "- Preferred pharmacy and phone confirmed against registration",
        "- Interpreter offered, declined - English preferred",
        "- Advance directive on file under Legal tab, unchanged",
        "- Emergency instructions reviewed: call 911 for chest pain or trouble breathing",
        "- Pt prefers reminders by home phone, not text",
        "- Hearing aid R ear; written instructions given in large print",
    ],
    "notes": [
        "Allergies: sulfa (rash), tape - NKFA",
        "ID verified x2 (name/DOB)",
        "Pharmacy + phone confirmed",
        "Pt hard of hearing R ear - spoke slowly",
        "Adv directive on file, no change",
        "Pt prefers calls to home phone",
        "Ride: daughter or county van for daytime appts",
        "Interpreter declined",
    ],
}
PAD["fax"] = PAD["ehr"]


def padding(vo: Voice, ctx: Ctx) -> list[str]:
    from .filler import boilerplate

    return boilerplate(ctx) if vo.style == "prose" else list(PAD[vo.style])


def _date_of(s: Section) -> dt.date | None:
    if "date" in s.meta:
        return s.meta["date"]
    found = re.findall(r"(\d{2})/(\d{2})/(\d{4})", s.date_line)
    if not found:
        return None
    m, d, y = found[-1]
    return dt.date(int(y), int(m), int(d))


def _header(vo: Voice, s: Section, ctx: Ctx) -> list[str]:
    if s.meta.get("styled"):
        return s.date_line.split("\n") if s.date_line else []
    if s.date_line.startswith("Reporting period"):
        return vo.period_header(ctx).split("\n")
    d = _date_of(s)
    return vo.enc(d).split("\n") if d else [s.date_line]


def _signer(vo: Voice, s: Section, ctx: Ctx) -> tuple[str, dt.date]:
    if "sign" in s.meta:
        who, d = s.meta["sign"]
        return who, d
    d = _date_of(s) or ctx.last_day
    by_provider = "Order" in s.title or "Plan" in s.title
    return (ctx.ident.provider if by_provider else vo.who(ctx.ident.staff[0])), d


def page_for(vo: Voice, sections: list[Section], ctx: Ctx, sign: bool = True) -> Page:
    if vo.style == "prose":
        page = asm.page_for(sections, ctx, sign)
        if vo.legends:
            page.footer = FOOT_HOLD[1]  # room for the final footer, set by finish()
            if sign:
                who, d = _signer(vo, sections[-1], ctx)
                page.blocks.append(Para(vo.attestation(who, d), size="small", space_after=4))
                if not asm.fits(page):
                    page.blocks.pop()
        return page
    first, p = sections[0], ctx.patient
    blocks = []
    for s in sections:
        if s is not first and (s.title != first.title or s.date_line != first.date_line):
            blocks.append(Para(s.title, bold=True, size="heading", space_after=2))
            blocks += [Para(ln, size="small", space_after=1) for ln in _header(vo, s, ctx)]
        blocks += s.blocks
        if sign and s.meta.get("sign", True) is not None:
            who, d = _signer(vo, s, ctx)
            at = vo.time()
            blocks.append(Para(vo.signature(who, d, at), size="small", space_after=6))
            if vo.legends:
                blocks.append(Para(vo.attestation(who, d, at), size="small", space_after=6))
    header = _header(vo, first, ctx)
    ident = ctx.ident
    hold = FOOT_HOLD[vo.legends]  # placeholders keep room for what finish() prints
    if vo.style == "ehr":
        return Page(first.title, header, blocks, f"{ident.practice}  |  {vo.dept}", banner=[vo.banner(p)], footer=hold)
    if vo.style == "notes":
        return Page(first.title, [vo.label(p)] + header, blocks, ident.practice, footer=hold)
    return Page(
        first.title,
        header,
        blocks,
        f"{ident.practice}  |  {ident.phone}",
        banner=["-", vo.fax_label(p)],
        stamp="RECEIVED MAY 00 0000",
        footer="-" if vo.legends else "",
    )


def _legend(vo: Voice) -> str:
    return f"\n{vo.legend}" if vo.legends else ""


def finish(vo: Voice, slots: list[asm.Slot], ctx: Ctx, doc_no: int) -> None:
    """Footers, page numbers and fax headers once a document's pages are final."""
    if vo.style == "prose":
        asm.set_footers(slots, ctx)
        if vo.legends:
            for slot in slots:
                slot.page = replace(slot.page, footer=slot.page.footer + _legend(vo))
        return
    n = len(slots)
    who = vo.printer
    fax_day = vo.print_date + dt.timedelta(days=doc_no)
    hh, mm = (int(x) for x in vo.print_time.split(":"))
    stamp = f"RECEIVED {MON3[fax_day.month - 1].upper()} {fax_day.day:02d} {fax_day.year}"
    stamp_pages = {0} | {i for i in range(1, n) if vo.rng.random() < 0.15}
    for i, slot in enumerate(slots, 1):
        page = slot.page
        if vo.style == "ehr":
            foot = foot_fmt(vo, who, i, n)
            page = replace(page, footer=foot + _legend(vo))
        elif vo.style == "notes":
            page = replace(page, footer=f"{ctx.ident.practice} - Page {i} of {n}" + _legend(vo))
        else:
            t = f"{hh:02d}:{min(59, mm + (i - 1) // 6):02d}"
            line = _fax_line(vo, fax_day, t, i, n, ctx)
            blocks = [
                replace(b, text=b.text.replace(PAGES_TOKEN, str(n)))
                if isinstance(b, Para) and PAGES_TOKEN in b.text
                else b
                for b in page.blocks
            ]
            page = replace(
                page,
                banner=[line] + page.banner[1:],
                blocks=blocks,
                stamp=stamp if i - 1 in stamp_pages else "",
                footer=vo.legend if vo.legends else "",
            )
        slot.page = page


def foot_fmt(vo: Voice, who, i: int, n: int) -> str:
    when = f"{fmt_date(vo.print_date, 'mdy')} {vo.print_time}"
    if vo.foot_kind:
        return f"Printed on: {when}    User: {vo.uid(who)}    Page {i} of {n}"
    return f"Printed {when} by {vo.uid(who)}    Page {i} of {n}"


def _fax_line(vo: Voice, day: dt.date, t: str, i: int, n: int, ctx: Ctx) -> str:
    if vo.fax_kind == 0:
        return f"{fmt_date(day, 'mdy')} {t}  FROM: {vo.fax_from}  TO: {vo.fax_to}  P. {i}/{n}"
    if vo.fax_kind == 1:
        return f"{MON3[day.month - 1]} {day.day:02d} {day.year} {t}  {ctx.ident.practice.upper()}  {vo.fax_from}  p.{i}"
    return f"{fmt_date(day, 'mdy')} {t} FAX {vo.fax_from}  PAGE {i:03d}/{n:03d}"


def cover_section(vo: Voice, ctx: Ctx, case: dict, note: str | None = None) -> Section:
    """A fax cover sheet; `note` fills the Notes field (a polite injection goes there)."""
    ident, p = ctx.ident, ctx.patient
    day = vo.print_date
    s = Section(
        "cover",
        vo.pick(["FAX", "FACSIMILE TRANSMITTAL", "Fax Cover Sheet"]),
        f"Date: {fmt_date(day, 'mdy')}",
        meta={"styled": True, "sign": None},
    )
    s.para(f"To: Appeals / Medical Review, {ident.payer}    Fax: {vo.fax_to}", relevant=False)
    s.para(f"From: {ident.practice} - Medical Records    Phone: {ident.phone}    Fax: {vo.fax_from}", relevant=False)
    s.para(f"Pages (including cover): {PAGES_TOKEN}", relevant=False)
    s.para(
        f"Re: {p.first} {p.last}    DOB: {p.dob:%m/%d/%Y}    Member ID: {case['patient_id']}"
        f"    Claim #: {case['claim_number']}",
        relevant=False,
    )
    s.para(
        vo.pick(
            [
                "[X] Records requested   [ ] Urgent   [ ] Please reply   [ ] For review",
                "[ ] Urgent   [X] For review   [ ] Please comment   [ ] Please reply",
            ]
        ),
        relevant=False,
    )
    s.para(
        "Notes: "
        + (
            note
            or vo.pick(
                [
                    "Medical records for the date of service on the attached claim, as requested.",
                    "Attached please find the requested records for the appeal.",
                    "Records enclosed per your request. Call with questions.",
                ]
            )
        ),
        relevant=False,
    )
    s.para(
        "CONFIDENTIALITY NOTICE: The documents accompanying this fax contain confidential "
        "health information that is legally privileged. If you received this in error, "
        "notify the sender and destroy all copies.",
        size="small",
        relevant=False,
    )
    return s
