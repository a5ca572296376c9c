"""The quick commands stay quick: `--help`, `codes list`, `cases list`, `import 835`, `audit verify`
and `users list` never load the vector store, the models, the web framework or the document writers.
Each runs in a fresh interpreter, as a user starts it, so nothing another test imported hides a
regression."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
REMITTANCE = REPO / "eval" / "sample" / "remittance.835"

HEAVY = (
    "chromadb",
    "torch",
    "sentence_transformers",
    "transformers",
    "onnxruntime",
    "spacy",
    "medspacy",
    "scipy",
    "langchain",
    "fastapi",
    "uvicorn",
    "pypdfium2",
    "reportlab",
    "docx",
)

PROBE = """
import json, sys
from service.cli import main
args, heavy = json.loads(sys.argv[1]), json.loads(sys.argv[2])
sys.argv = ["overturn", *args]
try:
    main()
except SystemExit:
    pass
loaded = sorted({m.split(".")[0] for m in sys.modules} & set(heavy) | {m.split(".")[0] for m in sys.modules if m.startswith("langchain")})
print("LOADED=" + json.dumps(loaded), file=sys.stderr)
"""


def loaded_modules(args: list[str], home: Path) -> list[str]:
    env = {"OVERTURN_HOME": str(home), "HOME": str(home), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args), json.dumps(HEAVY)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    marker = [line for line in done.stderr.splitlines() if line.startswith("LOADED=")]
    assert marker, f"the probe did not finish: {done.stderr[-2000:]}"
    return json.loads(marker[-1].removeprefix("LOADED="))


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["codes", "list"],
        ["cases", "list"],
        ["import", "835", str(REMITTANCE)],
        ["audit", "verify"],
        ["users", "list"],
    ],
    ids=["help", "codes-list", "cases-list", "import-835", "audit-verify", "users-list"],
)
def test_quick_commands_load_nothing_heavy(args, tmp_path):
    assert loaded_modules(args, tmp_path) == []
