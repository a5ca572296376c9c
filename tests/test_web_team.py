"""A billing team's whole day on one denial, in a real headless Chromium against a real
`overturn serve`: a biller signs in with a password, sees only the practice's queue, takes the
case, drafts and asks for review; a reviewer approves; the biller records the mailing with its
tracking number and the case shows it was filed on time. The audit trail names each of them."""

from datetime import date, timedelta

import pytest

from eval.synth.charts import make_case
from tests import test_web as web
from tests.api_server import wait_ready
from tests.test_web import shot, staff_sign_in

pytestmark = pytest.mark.browser
browser, server, page = web.browser, web.server, web.page
"""test_web's fixtures: the module's own browser and server, a fresh page per test."""

BILLER, REVIEWER = "bea@team.example", "rui@team.example"


def open_first_case(page) -> None:
    page.get_by_label("All", exact=True).check()
    page.locator("#case-rows tr button.link").first.click()
    page.locator("#letter .marker").first.wait_for()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Email").wait_for()


def test_a_team_works_a_denial_from_sign_in_to_filed_on_time(page, server):
    from playwright.sync_api import expect

    tenant = "web-team"
    passwords = {}
    for email, role in ((BILLER, "biller"), (REVIEWER, "reviewer")):
        made = server.cli("users", "create", "--tenant", tenant, "--email", email, "--role", role)
        assert made.returncode == 0, made.stderr
        passwords[email] = made.stdout.strip()
    admin = server.client(server.key(tenant, "admin"))
    assert admin.put("/v1/tenant/settings", json={"review_required": True}).status_code == 200
    chart = make_case(
        "CCM39", 8811, pages=5, documents=1, scanned=0, misfiled=False, out_of_period=False, injection=False
    )
    case = {**chart.case, "denial_date": str(date.today() - timedelta(days=12))}
    case_id = admin.post("/v1/cases", json=case).json()["id"]
    name, data = chart.documents[0]
    admin.post(f"/v1/cases/{case_id}/documents", files={"file": (name, data, "application/pdf")})
    wait_ready(admin, case_id)
    elsewhere = server.client(server.key("web-team-other"))
    assert elsewhere.post("/v1/cases", json={**case, "claim_number": "ELSEWHERE-1"}).status_code == 201

    staff_sign_in(page, BILLER, passwords[BILLER])
    page.get_by_role("heading", name="Cases").wait_for()
    page.get_by_label("All", exact=True).check()
    expect(page.locator("#case-rows tr")).to_have_count(1)
    assert "ELSEWHERE-1" not in page.content(), "another practice's case is in the queue"
    page.get_by_label(f"Select case {case['claim_number']}").check()
    page.get_by_label("Assign the selected cases to").select_option(label=BILLER)
    page.get_by_role("button", name="Assign", exact=True).click()
    page.get_by_label("Mine").check()
    expect(page.locator("#case-rows tr")).to_have_count(1)
    page.locator("#case-rows tr button.link").first.click()
    page.get_by_role("button", name="Draft appeal").click()
    page.locator("#letter .marker").first.wait_for()
    expect(page.locator("#approve")).to_be_hidden()
    expect(page.locator("#send")).to_be_disabled()
    page.get_by_role("button", name="Request review").click()
    expect(page.locator("#review-state")).to_contain_text(f"Review requested by {BILLER}")
    shot(page, "30-team-review-asked")
    sign_out(page)

    staff_sign_in(page, REVIEWER, passwords[REVIEWER])
    page.get_by_role("heading", name="Cases").wait_for()
    open_first_case(page)
    page.get_by_role("button", name="Approve letter").click()
    expect(page.locator("#review-state")).to_contain_text(f"Approved by {REVIEWER}")
    shot(page, "31-team-approved")
    sign_out(page)

    staff_sign_in(page, BILLER, passwords[BILLER])
    page.get_by_role("heading", name="Cases").wait_for()
    open_first_case(page)
    expect(page.locator("#send")).to_be_enabled()
    page.get_by_label("Sent by").select_option("mail")
    page.get_by_label("Tracking or confirmation number").fill("EZ 0041 2207 US")
    page.get_by_role("button", name="Record sending").click()
    expect(page.locator("#send-result")).to_contain_text("filed on time")
    expect(page.locator("#case-rows tr").first).to_contain_text("Sent")
    shot(page, "32-team-filed-on-time")

    events = admin.get("/v1/audit", params={"case_id": case_id, "limit": 1000}).json()
    by_action = {}
    for event in events:
        by_action.setdefault(event["action"], set()).add(event["actor"])
    users = {u["email"]: u["id"] for u in admin.get("/v1/assignees").json()}
    assert by_action["appeal.approve"] == {f"user:{users[REVIEWER]}"}
    assert by_action["appeal.send"] == {f"user:{users[BILLER]}"}
    assert f"user:{users[BILLER]}" in by_action["appeal.review_request"]
