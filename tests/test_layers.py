"""The layer rules in pyproject.toml ([tool.importlinter]) hold: one layers contract over every
top-level package of `service` (each imports only what lies below it), the product never imports
the lab (`eval`), the generators never import the product, the API's routes and the CLI reach
drafting only through the service layer, and no web framework (fastapi, starlette, python-multipart, uvicorn) is imported
by the service layer or below."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_are_kept():
    done = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
    assert "0 broken" in done.stdout
