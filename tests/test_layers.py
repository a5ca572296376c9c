"""The layer rules in pyproject.toml ([tool.importlinter]) hold: the steps of an appeal never
import the service layer, the service layer never imports the API or the CLI, and the API's
routes and the CLI reach drafting only through the service layer."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contracts_are_kept():
    done = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
    assert "0 broken" in done.stdout
