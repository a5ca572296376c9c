"""The staff page in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright;
no browser is ever downloaded) against a real `overturn serve`.

Screenshots go to tests/artifacts/ (or $OVERTURN_ARTIFACTS) so a person can look at what a
billing office would see.
"""

import os
import shutil
from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest

from eval.synth.charts import make_case
from eval.synth.remittance import ClaimSpec, LineSpec, RemittanceSpec, write_835
from tests.api_server import Server
from tests.pdfs import encrypt, make_pdf

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("OVERTURN_ARTIFACTS", Path(__file__).parent / "artifacts"))
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make setup installs it when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("web") / "home").start()
    yield srv
    srv.stop()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True, base_url=server.url)
    page = context.new_page()
    page.set_default_timeout(60_000)
    blocked, crashes = [], []
    page.on(
        "request", lambda r: blocked.append(r.url) if not r.url.startswith((server.url, "data:", "blob:")) else None
    )
    page.on("pageerror", lambda error: crashes.append(error.name))
    yield page
    context.close()
    assert not blocked, f"the page asked for outside resources: {blocked[:3]}"
    assert not crashes, f"uncaught errors in the page's script: {crashes}"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def sign_in(page, key: str) -> None:
    page.goto("/")
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Use key").click()
    page.get_by_role("heading", name="Cases").wait_for()


def staff_sign_in(page, email: str, password: str) -> None:
    """Fills and sends the email form; the caller waits for what should follow."""
    page.goto("/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def fill_case(page, case: dict, opens: bool = True) -> None:
    page.get_by_role("button", name="New case").click()
    for field in (
        "claim_number",
        "patient_name",
        "patient_id",
        "payer",
        "denial_code",
        "provider_name",
        "practice_name",
    ):
        if case.get(field):
            page.locator(f"[name={field}]").fill(str(case[field]))
    for field in ("date_of_service", "denial_date"):
        if case.get(field):
            page.locator(f"[name={field}]").fill(str(case[field]))
    page.get_by_role("button", name="Create case").click()
    if opens:
        page.locator("#case-view").wait_for(state="visible")


def test_sign_in_is_refused_with_a_bad_key(page, server):
    page.goto("/")
    shot(page, "01-sign-in")
    page.get_by_label("API key").fill("ovt_wrong")
    page.get_by_role("button", name="Use key").click()
    page.locator("#signin-error").filter(has_text="not valid").wait_for()
    assert "ovt_wrong" not in page.url


def _idle(server, email: str, minutes: int) -> None:
    """The user's sessions as if the server had seen no request from them for `minutes`."""
    import sqlite3
    from datetime import UTC, datetime

    seen = (datetime.now(UTC) - timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(server.home / "overturn.db") as db:
        db.execute(
            "UPDATE web_sessions SET last_seen_at = ? WHERE user_id = (SELECT id FROM users WHERE email = ?)",
            (seen, email),
        )


def test_staff_sign_in_with_a_password_work_and_idle_logoff(page, server, case_fields):
    made = server.cli("users", "create", "--tenant", "web-staff", "--email", "biller@web.example", "--role", "biller")
    assert made.returncode == 0, made.stderr
    password = made.stdout.strip()
    staff_sign_in(page, "biller@web.example", "not the password")
    page.locator("#signin-error").filter(has_text="do not match").wait_for()
    assert page.get_by_label("Password").input_value() == ""
    staff_sign_in(page, "Biller@web.example", password)
    page.get_by_role("heading", name="Cases").wait_for()
    assert page.locator("#tenant").inner_text() == "biller@web.example (biller) · Practice: web-staff"
    cookie = next(c for c in page.context.cookies() if c["name"] == "overturn_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert page.evaluate("document.cookie") == "", "the session cookie is readable by the page's script"
    assert password not in page.evaluate("JSON.stringify(sessionStorage)")
    fill_case(page, case_fields)  # a POST: the page sent the session's CSRF token
    shot(page, "15-signed-in-staff")

    page.reload()  # the tab keeps the session
    page.locator("#case-rows tr").first.wait_for()
    assert page.locator("#tenant").inner_text().startswith("biller@web.example")

    _idle(server, "biller@web.example", 16)  # longer than OVERTURN_IDLE_MINUTES (15)
    fill_case(page, {**case_fields, "claim_number": "CLM-IDLE-1"}, opens=False)
    page.locator("#signin-error").filter(has_text="ended after inactivity").wait_for()
    assert page.get_by_label("Email").is_visible() and not page.locator("#app").is_visible()
    assert case_fields["patient_name"] not in page.content()
    shot(page, "16-idle-logoff")

    staff_sign_in(page, "biller@web.example", password)  # sign in again, then out
    page.get_by_role("heading", name="Cases").wait_for()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Email").wait_for()
    page.reload()
    page.get_by_label("Email").wait_for()
    assert not page.locator("#app").is_visible()


def test_five_wrong_passwords_lock_the_account(page, server):
    made = server.cli("users", "create", "--tenant", "web-staff", "--email", "locked@web.example", "--role", "reviewer")
    password = made.stdout.strip()
    for _ in range(4):
        staff_sign_in(page, "locked@web.example", "a wrong password")
        page.locator("#signin-error").filter(has_text="do not match").wait_for()
    staff_sign_in(page, "locked@web.example", "a wrong password")
    page.locator("#signin-error").filter(has_text="locked").wait_for()
    staff_sign_in(page, "locked@web.example", password)
    page.locator("#signin-error").filter(has_text="locked").wait_for()
    assert not page.locator("#app").is_visible()
    shot(page, "17-account-locked")


def test_from_sign_in_to_an_exported_cited_letter(page, server, tmp_path):
    made = make_case(
        "CCM20", 8123, pages=8, documents=2, scanned=1, misfiled=True, out_of_period=False, injection=False
    )
    key = server.key("web-clinic")
    sign_in(page, key)
    assert page.locator("#cases-empty").is_visible()
    shot(page, "02-empty-case-list")
    fill_case(page, made.case)
    paths = []
    for name, data in made.documents:
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    page.locator("#file-input").set_input_files(paths)
    page.locator(".doc").first.wait_for()
    shot(page, "03-reading-records")
    page.locator(".doc.ready").nth(len(paths) - 1).wait_for(timeout=240_000)
    docs = page.locator(".doc").all_inner_texts()
    assert any("by OCR" in d for d in docs), "the scanned page is not reported as OCR'd"
    page.get_by_role("button", name="Draft appeal").click()
    page.locator("#letter .marker").first.wait_for()
    assert page.locator("#alerts").inner_text().count("left out of the evidence") == 1
    shot(page, "04-letter-with-warnings")

    appeal_id = next(r for r in server.client(key).get("/v1/cases").json())["id"]
    citations = (
        server.client(key)
        .get(f"/v1/appeals/{server.client(key).get(f'/v1/cases/{appeal_id}').json()['appeals'][-1]['id']}")
        .json()["citations"]
    )
    target = citations[-1]
    page.locator("#letter button.marker", has_text=target["marker"]).first.click()
    mark = page.locator("#evidence-text mark")
    mark.wait_for()
    same_quote = " ".join(mark.inner_text().split()) == " ".join(target["quote"].split())
    assert same_quote, "the highlighted text is not the citation's quote"
    assert (
        page.locator("#evidence-title").inner_text()
        == f"{target['marker']} {target['document']}, page {target['page']}"
    )
    assert page.locator("#evidence-meta").inner_text().endswith("highlighted.")
    shot(page, "05-citation-opens-its-page")

    page.get_by_role("button", name="Edit").click()
    letter = page.locator("#letter-edit").input_value()
    page.locator("#letter-edit").fill(letter.replace("Dear", "We also spent 45 minutes on 03/03/2031.\n\nDear", 1))
    page.get_by_role("button", name="Check edits").click()
    page.locator("#findings .alert").wait_for()
    assert "no longer resolve" in page.locator("#findings").inner_text()
    shot(page, "06-edit-check")
    page.get_by_role("button", name="Discard edits").click()

    for label, suffix in (
        ("Download Word (.docx)", ".docx"),
        ("Download PDF", ".pdf"),
        ("Evidence packet (PDF)", ".pdf"),
    ):
        with page.expect_download() as download:
            page.get_by_role("button", name=label).click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.suffix == suffix and saved.stat().st_size > 1000

    page.get_by_role("tab", name="Ask about the code").click()
    page.get_by_role("textbox", name="Question").fill("What should we attach?")
    page.get_by_role("button", name="Ask").click()
    answer = page.locator(".answer").last
    answer.locator("button.marker").first.wait_for()
    shot(page, "07-chat")
    answer.locator("button.marker").first.click()
    assert page.locator("#evidence").is_visible()
    row = page.locator("#case-rows tr").first.inner_text()
    assert made.case["claim_number"] in row and "Drafted" in row
    assert page.locator("#tenant").inner_text() == "Practice: web-clinic"
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("API key").wait_for()
    left = made.case["patient_name"] in page.content() or made.case["claim_number"] in page.content()
    assert not left, "patient data stayed in the page after signing out"


def test_an_upload_error_is_shown_and_the_case_kept(page, server, tmp_path, case_fields):
    sign_in(page, server.key("web-errors"))
    fill_case(page, case_fields)
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(encrypt(make_pdf([["secret"]]), "pw"))
    good = tmp_path / "good.pdf"
    good.write_bytes(make_pdf([["Care plan reviewed with the patient for 30 minutes."]]))
    page.locator("#file-input").set_input_files([str(locked), str(good)])
    page.locator("#upload-error").filter(has_text="password").wait_for()
    page.locator(".doc.ready").first.wait_for(timeout=120_000)
    assert page.locator(".doc").count() == 1
    shot(page, "08-upload-error")


def test_keyboard_reaches_the_upload_and_the_form(page, server, case_fields):
    from playwright.sync_api import expect

    # Subscribed from the start: Playwright turns on file-chooser interception when the first
    # listener arrives, and a listener added just before the key press can lose that race.
    choosers = []
    page.on("filechooser", lambda chooser: choosers.append(chooser))
    sign_in(page, server.key("web-keys"))
    page.get_by_role("button", name="New case").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[name=claim_number]")).to_be_focused()
    fill_case(page, case_fields)
    expect(page.locator("#case-title")).to_be_focused()  # opening a case moves focus to its heading
    page.locator("#dropzone").focus()
    expect(page.locator("#dropzone")).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(100):
        if choosers:
            break
        page.wait_for_timeout(100)
    assert choosers and choosers[0].is_multiple(), "Enter on the drop area did not open the file chooser"


def test_deleting_a_case_asks_first(page, server, case_fields):
    sign_in(page, server.key("web-delete"))
    fill_case(page, case_fields)
    page.get_by_role("button", name=f"Delete case {case_fields['claim_number']}").click()
    dialog = page.locator("#confirm-delete")
    assert dialog.is_visible()
    shot(page, "09-delete-confirmation")
    page.get_by_role("button", name="Keep it").click()
    assert page.locator("#case-rows tr").count() == 1
    page.get_by_role("button", name=f"Delete case {case_fields['claim_number']}").click()
    page.get_by_role("button", name="Delete", exact=True).click()
    page.locator("#cases-empty").wait_for(state="visible")


def remittance_835(today: date) -> str:
    """Five claims: an overdue Medicare CO-50 and a later CO-97 (appeals), a CO-16 (corrected
    claim), a PR-96 (the patient's share) and one paid as expected (no case)."""
    early = today - timedelta(days=150)  # Medicare: 125 days from the notice, so 25 days overdue
    late = today - timedelta(days=20)
    return write_835(
        [
            RemittanceSpec(
                payer="NORIDIAN JF PART B",
                payer_id="01182",
                paid_on=early,
                trace="1EFTWEB1",
                claims=[
                    ClaimSpec(
                        "PCN-W001",
                        "HALVORSEN",
                        "GRETA",
                        "1EG4TE5MK72",
                        filing="MB",
                        payer_claim_number="22026001",
                        lines=[
                            LineSpec(
                                "99490",
                                D("64.21"),
                                [("CO", "50", D("64.21"))],
                                ["N115"],
                                date_of_service=early - timedelta(days=30),
                            )
                        ],
                    ),
                ],
            ),
            RemittanceSpec(
                payer="NORIDIAN JF PART B",
                payer_id="01182",
                paid_on=late,
                trace="1EFTWEB2",
                claims=[
                    ClaimSpec(
                        "PCN-W002",
                        "OKAFOR",
                        "CHIDI",
                        "2TY7UJ3KL19",
                        filing="MB",
                        payer_claim_number="22026002",
                        lines=[
                            LineSpec(
                                "99495",
                                D("201.40"),
                                [("CO", "97", D("201.40"))],
                                ["M15"],
                                date_of_service=late - timedelta(days=20),
                            )
                        ],
                    ),
                    ClaimSpec(
                        "PCN-W003",
                        "DUBOIS",
                        "MARIE",
                        "3XJ8821930",
                        filing="MB",
                        payer_claim_number="22026003",
                        lines=[
                            LineSpec(
                                "99214",
                                D("128"),
                                [("CO", "16", D("128"))],
                                ["N290"],
                                date_of_service=late - timedelta(days=18),
                            )
                        ],
                    ),
                    ClaimSpec(
                        "PCN-W004",
                        "NAKAMURA",
                        "KEN",
                        "4XJ8821930",
                        filing="MB",
                        payer_claim_number="22026004",
                        lines=[
                            LineSpec(
                                "99454",
                                D("48"),
                                [("PR", "96", D("48"))],
                                ["N130"],
                                date_of_service=late - timedelta(days=17),
                            )
                        ],
                    ),
                    ClaimSpec(
                        "PCN-W005",
                        "PARK",
                        "JIN",
                        "5XJ8821930",
                        filing="MB",
                        payer_claim_number="22026005",
                        lines=[
                            LineSpec(
                                "99213",
                                D("90"),
                                [("CO", "45", D("10")), ("PR", "2", D("16"))],
                                date_of_service=late - timedelta(days=16),
                            )
                        ],
                    ),
                ],
            ),
        ]
    )


def queue_claims(page) -> list[str]:
    return [cell.strip() for cell in page.locator("#case-rows tr td:first-child button.link").all_inner_texts()]


def test_a_remittance_becomes_a_work_queue_worked_to_a_won_appeal(page, server, tmp_path):
    from playwright.sync_api import expect

    sign_in(page, server.key("web-remit"))
    era = tmp_path / "noridian.835"
    era.write_text(remittance_835(date.today()))
    page.get_by_label("Import remittance (835)").set_input_files(str(era))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#import-result")).to_contain_text("5 claims: 4 cases (4 new), 1 paid as expected, no errors")
    expect(page.locator("#case-rows tr")).to_have_count(4)
    shot(page, "10-remittance-work-queue")

    # The queue: appeals by deadline (the overdue one first), then the rest by amount; the paid claim is no case.
    assert queue_claims(page) == ["PCN-W001", "PCN-W002", "PCN-W003", "PCN-W004"]
    rows = page.locator("#case-rows tr")
    # Row texts hold patient names: only booleans reach the assertions.
    texts = rows.all_inner_texts()
    first_complete = all(part in texts[0] for part in ("CO-50", "Appeal", "days overdue", "$64.21"))
    assert first_complete, "the overdue appeal row lacks its code, action, days overdue or amount"
    assert rows.nth(0).locator(".overdue").count() >= 1, "the missed deadline is not highlighted"
    second_on_time = "days left" in texts[1] and rows.nth(1).locator(".overdue").count() == 0
    assert second_on_time, "the appeal still in time is not shown with its days left"
    assert rows.nth(0).locator(".level").inner_text() == "redetermination", "the appeal level is not on the row"
    basis = rows.nth(0).locator(".date").get_attribute("title")
    assert basis and basis.startswith("42 CFR 405.942"), "the deadline's regulation is not on the row"
    labels = ["Corrected claim" in texts[2] and "No appeal" in texts[2], "Patient's share" in texts[3]]
    assert labels == [True, True], "the corrected claim or the patient's share is not labelled"
    rule = rows.nth(0).locator(".action").get_attribute("title")
    assert rule and rule.startswith("CO-50:"), "the rule that chose the action is not on the row"

    page.get_by_label("Action").select_option("appeal")
    assert queue_claims(page) == ["PCN-W001", "PCN-W002"]
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    csv_path = tmp_path / download.value.suggested_filename
    download.value.save_as(csv_path)
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    assert csv_path.suffix == ".csv" and lines[0].startswith("id,claim_number,")
    assert [line.split(",")[1] for line in lines[1:]] == ["PCN-W001", "PCN-W002"]
    page.get_by_label("Action").select_option("")
    expect(page.locator("#case-rows tr")).to_have_count(4)

    # Open the overdue appeal: its action, rule and adjustments; records, a draft, then the outcome.
    page.get_by_role("button", name="PCN-W001", exact=True).click()
    expect(page.locator("#case-title")).to_be_focused()
    assert page.locator("#case-action").inner_text().startswith("Appeal · CO-50:")
    assert page.locator("#adjustment-rows tr").all_inner_texts() == ["CO-50\tN115\t$64.21\t99490"]
    expect(page.locator("#case-deadline")).to_have_class("deadline overdue")
    expect(page.locator("#case-deadline")).to_contain_text("Redetermination by")
    expect(page.locator("#case-status")).to_contain_text("Status: New")
    record = tmp_path / "record.pdf"
    record.write_bytes(
        make_pdf(
            [
                [
                    "Progress note. Chronic care management, 45 minutes of care coordination.",
                    "Assessment: hypertension and type 2 diabetes, uncontrolled.",
                    "Plan: follow-up is medically necessary to adjust medication.",
                ]
            ]
        )
    )
    page.locator("#file-input").set_input_files(str(record))
    page.locator(".doc.ready").first.wait_for(timeout=120_000)
    page.get_by_role("button", name="Draft appeal").click()
    page.locator("#appeal").wait_for(state="visible")
    drafted_for_the_claim = "PCN-W001" in page.locator("#letter").inner_text()
    assert drafted_for_the_claim, "the letter does not name the claim"
    expect(page.locator("#case-status")).to_contain_text("Status: Drafted")

    page.get_by_role("button", name="Mark sent", exact=True).click()
    expect(page.locator("#case-status")).to_contain_text("Status: Sent · sent ")
    expect(page.get_by_role("button", name="Mark sent", exact=True)).to_have_attribute("aria-pressed", "true")
    page.get_by_label("Amount recovered").fill("64.21")
    page.get_by_role("button", name="Mark won", exact=True).click()
    expect(page.locator("#case-status")).to_contain_text("Status: Won")
    expect(page.locator("#case-status")).to_contain_text("recovered $64.21")
    # Decided, it leaves the open work: last in the queue, and no longer shown as overdue.
    expect(page.locator("#case-rows tr").last).to_contain_text("Won")
    assert queue_claims(page)[-1] == "PCN-W001"
    assert page.locator("#case-rows tr").last.locator(".overdue").count() == 0

    page.get_by_role("tab", name="Outcomes").click()
    stats = page.locator("#stats")
    expect(stats).to_be_visible()
    expect(page.locator("#stats-totals")).to_contain_text("Recovered$64.21")
    expect(page.locator("#stats-status")).to_contain_text("Won 1")
    assert "New 3" in page.locator("#stats-status").inner_text()
    code_row = page.locator("#stats-codes tbody tr", has_text="CO-50").inner_text().split("\t")
    assert code_row == ["CO-50", "1", "0", "1", "0", "100%", "$64.21", "$64.21"]
    payer_row = page.locator("#stats-payers tbody tr").first.inner_text().split("\t")
    assert payer_row == ["NORIDIAN JF PART B", "4", "3", "1", "0", "100%", "$441.61", "$64.21"]
    shot(page, "11-won-appeal-and-outcomes")

    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("API key").wait_for()
    left = any(text in page.content() for text in ("PCN-W00", "HALVORSEN", "NORIDIAN", "$64.21"))
    assert not left, "case or remittance data stayed in the page after signing out"


def test_a_remittance_with_a_bad_claim_lists_its_error_and_keeps_the_rest(page, server, tmp_path):
    from playwright.sync_api import expect

    sign_in(page, server.key("web-remit-errors"))
    good = remittance_835(date.today())
    broken = good.replace("CAS*CO*16*128~", "CAS*CO*16*12X8~", 1)
    assert broken != good
    era = tmp_path / "broken.835"
    era.write_text(broken)
    page.get_by_label("Import remittance (835)").set_input_files(str(era))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#import-result")).to_contain_text("1 error")
    errors = page.locator(".import-errors li").all_inner_texts()
    assert len(errors) == 1 and errors[0].startswith("Claim PCN-W003 (segment ") and "CAS" in errors[0]
    expect(page.locator("#case-rows tr")).to_have_count(3)
    shot(page, "12-remittance-with-an-error")

    not_835 = tmp_path / "notes.txt"
    not_835.write_text("This is not a remittance.")
    page.get_by_label("Import remittance (835)").set_input_files(str(not_835))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#import-error")).to_contain_text("notes.txt was not imported")
    assert page.locator("#case-rows tr").count() == 3


NOTICE_FIELDS = {
    "claim_number": "Claim number",
    "patient_name": "Patient name",
    "patient_id": "Patient ID",
    "date_of_service": "Date of service",
    "payer": "Payer",
    "denial_code": "Denial code",
    "denial_date": "Denial date",
    "billed_cpt": "Billed CPT codes",
}


def read_letter(page, path) -> None:
    from playwright.sync_api import expect

    page.get_by_role("button", name="New case").click()
    page.get_by_label("Fill from the denial letter").set_input_files(str(path))
    page.get_by_role("button", name="Read the letter").click()
    expect(page.locator("#notice-status")).to_contain_text("Filled ")


def test_a_denial_letter_fills_the_new_case_form_with_where_each_value_came_from(page, server, tmp_path):
    from playwright.sync_api import expect

    from eval.synth.letters import make_letter

    pdf, gold = make_letter("medicare_mac", 2001)
    letter = tmp_path / "denial-letter.pdf"
    letter.write_bytes(pdf)
    key = server.key("web-notice")
    reading = (
        server.client(key).post("/v1/notices", files={"file": ("denial-letter.pdf", pdf, "application/pdf")}).json()
    )
    to_check = [
        label
        for name, label in NOTICE_FIELDS.items()
        if name in reading["fields"] and reading["fields"][name]["review"]
    ]
    sign_in(page, key)
    read_letter(page, letter)

    # Letter values are patient data: only booleans reach the assertions.
    value = lambda name: page.locator(f"[name={name}]").input_value()  # noqa: E731
    same = [
        value("claim_number") == gold.claim_number,
        value("patient_id") == gold.patient_id,
        value("date_of_service") == gold.date_of_service.isoformat(),
        value("denial_code") == gold.denial_code,
    ]
    assert same == [True, True, True, True], (
        "claim number, patient ID, date of service or denial code is not the letter's"
    )
    cpt_filled = value("billed_cpt") == ", ".join(gold.billed_cpt)
    assert cpt_filled, "the billed CPT codes are not filled comma-separated"
    for name in ("claim_number", "patient_id", "date_of_service", "denial_code"):
        note = page.locator(f"#reading-{name}")
        expect(note).to_be_visible()
        assert note.inner_text().startswith("From page 1: “"), f"{name} does not say where it was read"
        assert page.locator(f"[name={name}]").get_attribute("aria-describedby") == f"reading-{name}"
        quoted = len(note.locator(".quote").inner_text()) <= len("From page 1: “”") + 80
        assert quoted, f"the quote under {name} is not shortened"
    expect(page.locator("#code-title")).not_to_have_text("")

    # Fields read under the bar are marked with words, listed above Create case, until ticked.
    assert to_check, "the letter was expected to hold a field read under the bar"
    marked = [NOTICE_FIELDS[n] for n in NOTICE_FIELDS if page.locator(f".field.review [name={n}]").count()]
    assert marked == to_check
    for label in to_check:
        name = next(n for n, shown in NOTICE_FIELDS.items() if shown == label)
        expect(page.locator(f"#reading-{name} .flag")).to_have_text("Check this")
    expect(page.locator("#review-left")).to_be_visible()
    assert all(label in page.locator("#review-left").inner_text() for label in to_check)
    shot(page, "13-letter-fills-the-form")
    for label in to_check:
        page.get_by_label(f"{label} checked against the letter").check()
    expect(page.locator("#review-left")).to_be_hidden()
    assert page.locator(".field.review").count() == 0 and page.locator(".flag:visible").count() == 0

    page.get_by_role("button", name="Create case").click()
    page.locator("#case-view").wait_for(state="visible")
    listed = any(gold.claim_number in row for row in page.locator("#case-rows tr").all_inner_texts())
    assert listed, "the case made from the letter is not in the list"
    page.get_by_role("button", name="New case").click()
    assert page.locator(".reading").count() == 0, "the previous letter's notes stayed in a new form"
    assert page.locator("[name=claim_number]").input_value() == ""


def test_a_letter_without_a_claim_number_says_so_and_an_unknown_code_is_refused(page, server, tmp_path):
    from playwright.sync_api import expect

    letter = tmp_path / "notice.txt"
    letter.write_text(
        "Dear provider,\nMember: John Q Test\nMember ID: ABC123456\nDate of service: 03/14/2025\n"
        "Denial reason code CO-999 (a code no list holds).\nCPT 99490 billed $64.21\n",
        encoding="utf-8",
    )
    sign_in(page, server.key("web-notice-text"))
    read_letter(page, letter)
    assert page.locator("[name=claim_number]").input_value() == ""
    expect(page.locator("#reading-claim_number")).to_have_text("Not found in the letter", ignore_case=True)
    assert page.locator("[name=claim_number]").get_attribute("aria-describedby") == "reading-claim_number"
    expect(page.locator("#notice-status")).to_contain_text("Not found in the letter: Claim number")
    shot(page, "14-letter-field-not-found")

    # The payer was guessed from the greeting: under the bar until the user edits it.
    if page.locator(".field.review [name=payer]").count():
        assert "Payer" in page.locator("#review-left").inner_text()
        page.locator("[name=payer]").fill("Acme Health Plan")
        assert page.locator(".field.review [name=payer]").count() == 0
        assert "Payer" not in page.locator("#review-left").inner_text()
        expect(page.locator("#reading-payer")).to_contain_text("Edited; the letter read from page 1")

    # The letter's code is read, but the knowledge base does not know it: creating the case is refused.
    assert page.locator("[name=denial_code]").input_value() == "CO-999"
    expect(page.locator("#code-title")).to_have_text("Not a code we know yet")
    page.locator("[name=claim_number]").fill("CLM-TXT-1")
    page.locator("[name=payer]").fill("Acme Health Plan")
    page.get_by_role("button", name="Create case").click()
    expect(page.locator("#case-error")).to_have_text("Pick a denial code from the list.")
    assert page.locator("#case-rows tr").count() == 0

    page.get_by_label("Fill from the denial letter").set_input_files(
        {"name": "scan.bin", "mimeType": "application/octet-stream", "buffer": b"\x00\x01\x02binary"}
    )
    page.get_by_role("button", name="Read the letter").click()
    expect(page.locator("#notice-error")).to_contain_text("scan.bin could not be read")


def test_a_letter_is_approved_then_sent_with_a_tracking_number_and_shows_filed_on_time(page, server):
    from playwright.sync_api import expect

    from tests.api_server import wait_ready

    made = make_case(
        "CCM39", 8807, pages=5, documents=1, scanned=0, misfiled=False, out_of_period=False, injection=False
    )
    biller_key = server.key("web-send")
    admin = server.client(server.key("web-send", "admin"))
    api = server.client(biller_key)
    denied_lately = {**made.case, "denial_date": str(date.today() - timedelta(days=10))}
    case_id = api.post("/v1/cases", json=denied_lately).json()["id"]
    name, data = made.documents[0]
    api.post(f"/v1/cases/{case_id}/documents", files={"file": (name, data, "application/pdf")})
    wait_ready(api, case_id)
    api.post(f"/v1/cases/{case_id}/appeals")
    assert admin.put("/v1/tenant/settings", json={"review_required": True}).status_code == 200

    sign_in(page, biller_key)
    page.locator("#case-rows tr button.link").first.click()
    page.locator("#letter .marker").first.wait_for()
    expect(page.locator("#review-state")).to_contain_text("needs a reviewer's approval")
    assert page.locator("#send").is_disabled()
    page.get_by_role("button", name="Request review").click()
    expect(page.locator("#review-state")).to_contain_text("not approved yet")
    page.get_by_role("button", name="Approve letter").click()
    expect(page.locator("#send-error")).to_contain_text("reviewer")

    appeal_id = api.get(f"/v1/cases/{case_id}").json()["appeals"][-1]["id"]
    assert server.client(server.key("web-send", "reviewer")).post(f"/v1/appeals/{appeal_id}/approve").status_code == 200
    page.locator("#case-rows tr button.link").first.click()
    expect(page.locator("#review-state")).to_contain_text("Approved")
    page.get_by_label("Sent by").select_option("mail")
    page.get_by_label("Tracking or confirmation number").fill("9400 1118 9922 3344 5566 77")
    page.get_by_role("button", name="Record sending").click()
    expect(page.locator("#send-result")).to_contain_text("filed on time")
    expect(page.locator("#send-result")).to_contain_text("9400 1118 9922 3344 5566 77")
    shot(page, "20-sent-with-proof")
    assert api.get(f"/v1/cases/{case_id}").json()["status"] == "sent"
