"""The queue's assignment in a real headless Chromium against a real `overturn serve`: the
Mine / Unassigned / All filter, cases picked and assigned together, the reminders badge and its
list. Signed in with an API key, which acts for no one: "Mine" is offered only to staff."""

from datetime import date, timedelta

import pytest

from service.casework.state import open_workspace
from service.config import Settings
from service.store.db import CaseRow, UserRow
from tests import test_web as web
from tests.test_web import remittance_835, shot, sign_in

pytestmark = pytest.mark.browser
browser, server, page = web.browser, web.server, web.page
"""test_web's fixtures: the module's own browser and server, a fresh page per test."""


def seed(server, key: str) -> dict[str, str]:
    """The remittance's four cases, a colleague to give them to, and the later appeal due in 3
    days (set in its row, as an import would): one overdue and one due within 7 days."""
    client = server.client(key)
    answer = client.post(
        "/v1/remittances", files={"file": ("era.835", remittance_835(date.today()).encode(), "text/plain")}
    )
    assert answer.status_code == 201, answer.status_code
    ids = {c["claim_number"]: c["id"] for c in client.get("/v1/cases").json()}
    ws = open_workspace(Settings.from_env({"OVERTURN_HOME": str(server.home)}))
    with ws.sessions.begin() as session:
        session.add(
            UserRow(id="usr_ana", tenant="web-assign", email="ana@north.example", role="biller", password_hash="x")
        )
        session.add(
            UserRow(id="usr_olga", tenant="elsewhere", email="olga@south.example", role="biller", password_hash="x")
        )
        session.get(CaseRow, ids["PCN-W002"]).deadline = date.today() + timedelta(days=3)
    ws.engine.dispose()
    return ids


def claims(page) -> list[str]:
    return [t.strip() for t in page.locator("#case-rows tr td:first-child button.link").all_inner_texts()]


def test_the_queue_is_filtered_assigned_in_bulk_and_reminds_what_is_due(page, server):
    from playwright.sync_api import expect

    key = server.key("web-assign")
    ids = seed(server, key)
    sign_in(page, key)
    expect(page.locator("#case-rows tr")).to_have_count(4)
    expect(page.get_by_label("Mine")).to_be_disabled()
    expect(page.locator("#mine-hint")).to_be_visible()
    badge = page.locator("#reminders-badge")
    expect(badge).to_have_text("2 due")
    expect(badge).to_have_class("badge late")

    page.get_by_label("Select case PCN-W001").check()
    page.get_by_label("Select case PCN-W003").check()
    expect(page.locator("#bulk-count")).to_have_text("2 selected")
    options = page.locator("#bulk-assignee option").all_inner_texts()
    assert options == ["Assign to…", "ana@north.example", "Nobody (unassign)"], "the staff list is not the tenant's"
    page.get_by_label("Assign the selected cases to").select_option(label="ana@north.example")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator("#bulk")).to_be_hidden()
    row = page.locator("#case-rows tr", has_text="PCN-W001")
    expect(row.locator(".assignee")).to_have_text("ana")
    assert server.client(key).get(f"/v1/cases/{ids['PCN-W003']}").json()["assignee"] == "usr_ana"
    assert server.client(key).get(f"/v1/cases/{ids['PCN-W002']}").json()["assignee"] is None

    page.get_by_label("Unassigned").check()
    expect(page.locator("#case-rows tr")).to_have_count(2)
    assert sorted(claims(page)) == ["PCN-W002", "PCN-W004"]
    shot(page, "20-unassigned-queue")
    page.get_by_label("All", exact=True).check()
    expect(page.locator("#case-rows tr")).to_have_count(4)

    badge.click()
    dialog = page.locator("#reminders")
    expect(dialog).to_be_visible()
    titles = dialog.locator("h3").all_inner_texts()
    assert titles == ["Overdue (1)", "Due within 7 days (1)"]
    expect(dialog.locator(".bucket").first).to_contain_text("ana@north.example")
    expect(dialog.locator(".bucket").nth(1)).to_contain_text("unassigned")
    shot(page, "21-reminders")
    fits = "(() => { const p = document.querySelector('.cases'); return p.scrollWidth <= p.clientWidth + 1; })()"
    assert page.evaluate(fits), "the queue is wider than its column: part of it is cut off"
    dialog.get_by_role("button", name="PCN-W001").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#case-status")).to_contain_text("assigned to ana@north.example")
