"""What each API route does to PHI, users or keys, as the audit trail names it.

Every `/v1` route is in one of the two tables: `ACTIONS` (each answered call is an event) or
`NOT_AUDITED` (with why); a test fails on a route in neither, so a new route is decided on, not
forgotten. Keys are (method, path template) as the app declares them.
"""

ACTIONS: dict[tuple[str, str], str] = {
    ("GET", "/v1/cases"): "case.list",
    ("POST", "/v1/cases"): "case.create",
    ("GET", "/v1/cases/{case_id}"): "case.view",
    ("PATCH", "/v1/cases/{case_id}"): "case.update",
    ("DELETE", "/v1/cases/{case_id}"): "case.delete",
    ("POST", "/v1/cases/assign"): "case.assign",
    ("POST", "/v1/cases/{case_id}/documents"): "document.upload",
    ("GET", "/v1/cases/{case_id}/documents/{doc_id}"): "document.view",
    ("GET", "/v1/cases/{case_id}/documents/{doc_id}/pages/{number}"): "document.page",
    ("DELETE", "/v1/cases/{case_id}/documents/{doc_id}"): "document.delete",
    ("POST", "/v1/cases/{case_id}/appeals"): "appeal.draft",
    ("GET", "/v1/draft-jobs/{job_id}"): "appeal.draft_job",
    ("GET", "/v1/appeals/{appeal_id}"): "appeal.view",
    ("GET", "/v1/appeals/{appeal_id}.docx"): "appeal.docx",
    ("GET", "/v1/appeals/{appeal_id}.pdf"): "appeal.pdf",
    ("GET", "/v1/appeals/{appeal_id}/packet.pdf"): "appeal.packet",
    ("PUT", "/v1/appeals/{appeal_id}/letter"): "appeal.edit",
    ("POST", "/v1/appeals/{appeal_id}/check"): "appeal.check",
    ("POST", "/v1/checks"): "check.run",
    ("GET", "/v1/checks"): "check.list",
    ("GET", "/v1/checks.csv"): "check.csv",
    ("POST", "/v1/checks/batch"): "check.batch",
    ("GET", "/v1/checks/batch/{batch_id}"): "check.batch_view",
    ("POST", "/v1/chat"): "chat.ask",
    ("POST", "/v1/chat/stream"): "chat.ask",
    ("GET", "/v1/chat"): "chat.history",
    ("POST", "/v1/remittances"): "remittance.import",
    ("POST", "/v1/notices"): "notice.read",
    ("GET", "/v1/appeals/{appeal_id}/review"): "appeal.review_view",
    ("POST", "/v1/appeals/{appeal_id}/review-request"): "appeal.review_request",
    ("POST", "/v1/appeals/{appeal_id}/approve"): "appeal.approve",
    ("GET", "/v1/appeals/{appeal_id}/payer-packet.pdf"): "appeal.payer_packet",
    ("POST", "/v1/appeals/{appeal_id}/send"): "appeal.send",
    ("GET", "/v1/cases/{case_id}/sendings"): "case.sendings",
    ("PUT", "/v1/tenant/settings"): "tenant.settings_change",
    ("GET", "/v1/reminders"): "reminders.view",
    ("GET", "/v1/audit"): "audit.view",
}

NOT_AUDITED: dict[tuple[str, str], str] = {
    ("GET", "/healthz"): "liveness, no key",
    ("GET", "/v1/me"): "the key's own tenant",
    ("GET", "/v1/health"): "backends' state",
    ("GET", "/v1/codes"): "the knowledge base, no patient",
    ("GET", "/v1/codes/{code}"): "the knowledge base, no patient",
    ("GET", "/v1/stats"): "totals by payer and code, no patient",
    ("GET", "/v1/assignees"): "the tenant's staff for the assign menu, no patient",
    ("GET", "/v1/tenant/settings"): "the practice's review setting, no patient",
    ("POST", "/v1/session"): "sign-in is recorded by the session route itself (ok, denied, locked)",
    ("DELETE", "/v1/session"): "sign-out is recorded by the session route itself",
    ("GET", "/v1/session"): "who the browser is signed in as, no patient",
}

OBJECTS: dict[str, str] = {
    "case_id": "case",
    "doc_id": "document",
    "number": "page",
    "appeal_id": "appeal",
    "job_id": "draft_job",
    "batch_id": "check_batch",
    "user_id": "user",
    "key_id": "key",
}
"""How a path parameter is named in an event's object: `case:<id>/document:<id>/page:<n>`."""


def action_for(method: str, path: str) -> str | None:
    """The action of a call; a HEAD runs the GET route's code, so it is the GET's action."""
    method = method.upper()
    return ACTIONS.get(("GET" if method == "HEAD" else method, path))
