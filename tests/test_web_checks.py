"""Before you bill, in a real headless Chromium against a real `overturn serve`: a biller checks
every case's month against 99490, watches the batch finish, finds the case whose consent page was
left out listed first as not ready with the line-level evidence behind it, the complete case
counted ready, downloads the CSV, and sees the missing consent in the prevention report."""

import csv
from datetime import date, timedelta

import pytest

from tests import test_web as web
from tests.api_server import wait_ready
from tests.pdfs import make_pdf
from tests.test_web import shot, staff_sign_in

pytestmark = pytest.mark.browser
browser, server, page = web.browser, web.server, web.page
"""test_web's fixtures: the module's own browser and server, a fresh page per test."""

BILLER = "nadia@harbor.example"
COMPLETE, NO_CONSENT = "HL-CHK-0001", "HL-CHK-0002"


def last_month(today: date) -> tuple[int, int]:
    before = today.replace(day=1) - timedelta(days=1)
    return before.year, before.month


def chart(name: str, member: str, year: int, month: int, consent: bool) -> bytes:
    """One month of care management for one fictional patient: consent (unless left out), a
    problem list with chronic conditions, a care plan handed to the patient, an RN time log."""

    def day(n: int) -> str:
        return date(year, month, n).strftime("%m/%d/%Y")

    who = f"Patient: {name}    DOB: 02/14/1950    ID: {member}"
    pages = [
        [
            "Problem list",
            who,
            f"Reviewed {day(3)} by Dr. Imre Vale",
            "1. Type 2 diabetes mellitus without complications (E11.9), since 2011",
            "2. Chronic systolic heart failure (I50.22), since 2018",
            "3. Essential hypertension (I10), since 2009",
            "These chronic conditions are expected to last more than twelve months and place",
            "the patient at significant risk of hospitalization and functional decline.",
        ],
        [
            "Comprehensive care plan",
            who,
            f"Written {day(3)} by Dr. Imre Vale with K. Albers RN",
            "Problems: diabetes, heart failure, hypertension (see problem list).",
            "Goals: A1c below 7.5 by spring; daily weights logged; blood pressure under 135/85.",
            "Interventions: RN weekly calls for weights and sugars (K. Albers RN); medication review",
            "monthly by the pharmacist; cardiology follow-up coordinated by the practice.",
            "Function and cognition: independent at home, lives with a son who helps with meals.",
            "Prognosis: stable with support. Plan reviewed again in three months.",
            f"{day(4)}: printed copy of the care plan handed to the patient and her son at the visit.",
        ],
        [
            "Care management time log",
            who,
            "Date          Minutes   Staff            Activity",
            f"{day(6)}    12        K. Albers RN     Call: weights, diuretic dose reviewed",
            f"{day(13)}    9         K. Albers RN     Call: glucose log reviewed",
            f"{day(20)}    8         K. Albers RN     Pharmacy refill coordinated",
            "Total                29",
        ],
    ]
    if consent:
        pages.insert(
            0,
            [
                "Harbor Lane Family Medicine - Care Management Agreement",
                who,
                f"Date: {day(2)}",
                "The patient agreed verbally to chronic care management services with Dr. Imre Vale.",
                "She was told a copay may apply each month, that only one clinician bills for it",
                "each month, and that she may stop the program at any time.",
                "Consent recorded by K. Albers RN.",
            ],
        )
    return make_pdf(pages)


def seed(server, tenant: str, year: int, month: int) -> dict[str, str]:
    """The two cases with their records read, made through the API as an admin would."""
    admin = server.client(server.key(tenant, "admin"))
    ids = {}
    for claim, name, member, consent in (
        (COMPLETE, "Tessa Quill", "HLQ-4410", True),
        (NO_CONSENT, "Orla Brennick", "HLQ-5512", False),
    ):
        fields = {
            "claim_number": claim,
            "patient_name": name,
            "patient_id": member,
            "date_of_service": str(date(year, month, 28)),
            "payer": "Medicare Part B",
            "denial_code": "CCM20",
            "provider_name": "Dr. Imre Vale",
            "practice_name": "Harbor Lane Family Medicine",
        }
        made = admin.post("/v1/cases", json=fields)
        assert made.status_code == 201, made.status_code
        ids[claim] = made.json()["id"]
        pdf = chart(name, member, year, month, consent)
        sent = admin.post(f"/v1/cases/{ids[claim]}/documents", files={"file": ("month.pdf", pdf, "application/pdf")})
        assert sent.status_code in (201, 202), sent.status_code
        case = wait_ready(admin, ids[claim])
        assert [d["status"] for d in case["documents"]] == ["ready"], f"the records of {claim} were not read"
    return ids


def test_a_biller_checks_the_month_before_billing(page, server):
    from playwright.sync_api import expect

    tenant = "web-checks"
    made = server.cli("users", "create", "--tenant", tenant, "--email", BILLER, "--role", "biller")
    assert made.returncode == 0, made.stderr
    year, month = last_month(date.today())
    ids = seed(server, tenant, year, month)

    staff_sign_in(page, BILLER, made.stdout.strip())
    page.get_by_role("heading", name="Cases").wait_for()
    page.get_by_role("button", name="Before you bill").click()
    view = page.locator("#checks-view")
    expect(view).to_be_visible()
    expect(view.get_by_label("Month")).to_have_value(f"{year}-{month:02d}")
    view.get_by_label("Billable code").select_option("99490")
    page.get_by_role("button", name="Check all cases").click()
    expect(page.locator("#checks-progress-text")).to_have_text("Checked 2 of 2 cases.", timeout=240_000)
    progress = page.locator("#checks-progress")
    assert (
        progress.get_attribute("max") == "2" and page.evaluate("document.getElementById('checks-progress').value") == 2
    )

    expect(page.locator("#checks-summary")).to_contain_text("1 ready, 1 not ready")
    waiting = page.locator("#checks-not-ready article")
    expect(waiting).to_have_count(1)
    card = waiting.first
    assert card.get_attribute("data-case") == ids[NO_CONSENT], "the not-ready case is not the one without consent"
    expect(card.get_by_role("button", name=f"Open case {NO_CONSENT}")).to_be_visible()
    missing = card.locator(".check-problems.missing li")
    expect(missing).to_have_count(1)
    expect(missing.first).to_contain_text("Consent to care management")
    expect(card.locator(".check-facts")).to_contain_text("29 of 20 min")
    expect(card.locator(".check-facts")).to_contain_text("Supports no code yet")
    cites = card.locator(".check-evidence .citations li")
    expect(cites.first).to_be_hidden()
    card.get_by_text("Evidence", exact=True).click()
    expect(cites.first).to_be_visible()
    expect(card.locator(".check-evidence")).to_contain_text('month.pdf p.3 "')
    shot(page, "40-before-you-bill")

    ready = page.locator("#checks-ready")
    expect(ready).to_be_visible()
    expect(ready.locator("summary").first).to_have_text("Ready to bill (1)")
    ready_card = ready.locator("article").first
    expect(ready_card).to_be_hidden()
    ready.locator("summary").first.click()
    expect(ready_card).to_be_visible()
    assert ready_card.get_attribute("data-case") == ids[COMPLETE], "the complete case is not counted ready"
    expect(ready_card.locator(".check-facts")).to_contain_text("Supports 99490")

    href = page.get_by_role("link", name="Download CSV").get_attribute("href")
    assert href == f"/v1/checks.csv?month={year}-{month:02d}&code=99490", href
    answer = page.request.get(href)
    assert answer.status == 200, answer.status
    assert answer.headers["content-type"].startswith("text/csv"), answer.headers["content-type"]
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    with open(download.value.path(), encoding="utf-8", newline="") as saved:
        rows = list(csv.reader(saved))
    assert len(rows) == 3, f"the CSV has {len(rows)} rows"
    assert [row[rows[0].index("ready")] for row in rows[1:]] == ["no", "yes"], "the not-ready month is not first"

    page.get_by_role("tab", name="Outcomes").click()
    prevention = page.locator("#stats-missing-wrap")
    expect(prevention).to_be_visible()
    expect(prevention.locator("li").first).to_contain_text("Consent to care management")
    expect(prevention.locator("li .count").first).to_have_text("1")
    shot(page, "41-before-you-bill-outcomes")

    card.get_by_role("button", name=f"Open case {NO_CONSENT}").click()
    expect(view).to_be_hidden()
    expect(page.locator("#case-title")).to_contain_text(NO_CONSENT)
