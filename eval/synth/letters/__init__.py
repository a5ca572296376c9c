"""Synthetic payer denial letters and provider EOBs as PDFs, with the claim fields as gold.

Test data for reading a payer's denial notice into claim fields. The letters are written the
way payers write them, not the way any reader parses them: a Medicare contractor's review
letter, a commercial plan's provider remittance / EOB, the Medicare Advantage Integrated
Denial Notice (CMS-10003-NDMCP) and a Medicaid denial notice. Each seed varies the wording
of labels, date formats, name order, the order of fields, tables, distracting dates and
numbers (received date, ADR date, DOB, account and group numbers), page breaks, fax
headers, RECEIVED stamps and footers.

Every name, number and address is invented. Code descriptions are paraphrased in our own
words (the X12 code lists are copyrighted). `make_letter(layout, seed, scanned)` is
deterministic: the same arguments give the same PDF bytes; `build_pages` gives the laid-out
pages and gold without rendering. A scanned letter (every page an image, no text layer) keeps
its text twin's wording and layout; its IDs are drawn from characters tesseract reads well on
these pages (measured), and a code with a 0 touching a letter (MA01, MA04, CCM02, CCM06),
which OCR reads as O, is swapped for another, which may change that letter's claim.

The package, one job per module:
  make.py            the entry points: seed -> claim, people, wording -> pages -> PDF
  scenarios.py       layouts, billed codes, reason/remark code tables, denial scenarios
  claim.py           the claim behind a letter (service lines, dates, remarks)
  values.py          seeded streams, invented IDs, and date/money/name/phone formats
  parties.py         the billing practice, the member's address, the invented payers
  context.py         Ctx, what a layout writes from
  reasons.py         the denial reason in the payer's voice and the code legend
  render.py          blocks, tables and pagination
  furniture.py       footers, legends, fax headers and RECEIVED stamps
  gold.py            LetterFields and the check that the gold is printed
  medicare_mac.py, commercial_eob.py, cms_idn.py, medicaid_notice.py   one layout each
"""

from .gold import LetterFields
from .make import build_pages, make_letter
from .scenarios import LAYOUTS

__all__ = ["LAYOUTS", "LetterFields", "build_pages", "make_letter"]
