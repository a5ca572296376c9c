"""The billing staff's page, in static/: index.html, app.css and app.js, the entry ES module, which
loads ten more plain ES modules: core (state, API client, DOM helpers), session (sign in and out),
cases (work queue, new-case form, records), assign (whose cases, bulk assignment, reminders),
notice (a denial letter read into the form), remit (835 import, CSV export), track (action,
adjustments, outcome), letter (draft, edits, exports), side (evidence panel, chat) and stats
(outcomes); each says what it holds. Served by the API app
itself, no build step, no framework, nothing from a CDN; it talks to the same /v1 routes a portal
uses (docs/staff-page.md)."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})
