"""The billing staff's page: index.html, app.css and app.js, which loads the page's plain ES
modules (core, session, cases, notice, remit, track, letter, side, stats; each says what it
holds). Served by the API app itself, no build step, nothing from a CDN; it talks to the same
/v1 routes a portal uses."""

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
