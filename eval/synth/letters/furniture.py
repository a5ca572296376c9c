"""Per-letter page furniture: footers with page numbers, confidentiality legends, fax headers
and RECEIVED stamps, plus the room held for them while paginating.

Apart from the layouts because every layout gets the same kinds of noise.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

from ..compose import Page
from ..voice import MON3, fmt_date
from .claim import Claim
from .parties import Party


@dataclass
class Noise:
    """Per-letter furniture: footers, legend, fax header, RECEIVED stamp."""

    page_kind: int
    legend: str
    footer_id: str
    fax: str | None
    stamp: str | None


LEGENDS = [
    "CONFIDENTIAL: This notice contains protected health information. If you received it in "
    "error, notify the sender and destroy all copies.",
    "This communication may contain protected health information (PHI). Unauthorized use or disclosure is prohibited.",
    "Confidentiality notice: intended only for the addressee. Do not re-disclose without authorization.",
]


def _noise(rng: random.Random, claim: Claim, scanned: bool, party: Party, tag: str) -> Noise:
    legend = rng.choice(LEGENDS) if rng.random() < 0.5 else ""
    footer_id = f"{tag}{rng.randint(10000, 99999)}" if rng.random() < 0.6 else ""
    fax = None
    if rng.random() < (0.45 if scanned else 0.12):
        day = claim.letter + dt.timedelta(days=rng.randint(1, 6))
        t = f"{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"
        frm = f"{rng.choice(['800', '866', '877'])}555{rng.randint(1000, 9999)}"
        fax = rng.choice(
            [
                f"{fmt_date(day, 'mdy')} {t}  FROM: {frm}  TO: {party.phone}  P. {{i}}/{{n}}",
                f"{MON3[day.month - 1]} {day.day:02d} {day.year} {t}  FAX {frm}  p.{{i}}",
                f"{fmt_date(day, 'mdy_s')} {t} PG {{i}} OF {{n}}  FROM FAX {frm}",
            ]
        )
    stamp = None
    if scanned and rng.random() < 0.5:
        day = claim.letter + dt.timedelta(days=rng.randint(3, 12))
        stamp = f"RECEIVED {MON3[day.month - 1].upper()} {day.day:02d} {day.year}"
    return Noise(rng.randint(0, 3), legend, footer_id, fax, stamp)


def _finish(pages: list[Page], noise: Noise, form: str = "") -> list[Page]:
    n = len(pages)
    out = []
    for i, page in enumerate(pages, 1):
        num = [f"Page {i} of {n}", f"{i} / {n}", f"Page {i}", f"- {i} -"][noise.page_kind]
        first = "    ".join(x for x in (form, noise.footer_id, num) if x)
        foot = first + (f"\n{noise.legend}" if noise.legend else "")
        banner = [noise.fax.format(i=i, n=n)] if noise.fax else []
        stamp = noise.stamp if noise.stamp and i == 1 else ""
        out.append(replace(page, footer=foot, banner=banner, stamp=stamp))
    return out


def _placeholder(page: Page, noise: Noise, form: str = "") -> Page:
    """The page with room held for what `_finish` prints."""
    foot = f"{form} {noise.footer_id} Page 9 of 9" + (f"\n{noise.legend}" if noise.legend else "")
    return replace(
        page, footer=foot, banner=["-"] if noise.fax else [], stamp="RECEIVED MAY 00 0000" if noise.stamp else ""
    )
