"""The package as a user installs it: a built wheel, installed non-editable in a fresh virtual
environment, lists the codes and drafts the bundled sample without the source tree. It holds the
product only: no generator or harness of the lab (`eval/`), and its `overturn eval` says how to get
the lab."""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[1]


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)


def test_a_built_wheel_carries_knowledge_and_prompts_and_drafts(tmp_path):
    # pip builds in the source folder: a copy, so no build/ left over from an earlier run counts
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "__pycache__", ".pytest_cache", "_bundled", "tests", "docs"
        ),
    )
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(source)])
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("overturn-*.whl"))
    # the source handed to pip holds the lab (eval/), and none of it is packed
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")} == {"service"}, names
    assert not [n for n in names if {"synth", "harness", "evaluation", "eval", "cli_eval.py"} & set(n.split("/"))]
    assert "service/cli.py" in names and any(n.startswith("service/knowledge/") for n in names)
    venv = tmp_path / "venv"
    assert run([sys.executable, "-m", "venv", str(venv)]).returncode == 0
    python = venv / "bin" / "python"
    installed = run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)])
    assert installed.returncode == 0, installed.stderr[-2000:]
    # The dependencies come from this environment (installing torch again would take minutes);
    # a path in a .pth file runs none of the .pth files there, so the editable checkout stays out.
    site = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    env = {**os.environ, "OVERTURN_HOME": str(tmp_path / "home"), "HF_HUB_OFFLINE": "1", "PYTHONPATH": ""}
    where = run(
        [str(python), "-c", "import service.resources as r; print(r.__file__); print(r.KNOWLEDGE); print(r.PROMPTS)"],
        cwd=tmp_path,
        env=env,
    )
    module, knowledge, prompts = where.stdout.split()
    assert module.startswith(str(venv)) and knowledge.startswith(str(venv)) and prompts.startswith(str(venv)), (
        where.stdout
    )
    assert Path(prompts, "draft.md").is_file() and Path(knowledge, "not-evidence.md").is_file()

    overturn = venv / "bin" / "overturn"
    codes = run([str(overturn), "codes", "list"], cwd=tmp_path, env=env)
    assert codes.returncode == 0, codes.stderr[-2000:]
    assert {"CCM02", "CCM06", "CCM20", "CCM31", "CCM39"} <= {line.split()[0] for line in codes.stdout.splitlines()}

    sample = ROOT / "eval" / "sample"
    draft = run(
        [str(overturn), "draft", "--case", str(sample / "case.json"), "--records", str(sample / "records.pdf")],
        cwd=tmp_path,
        env=env,
    )
    assert draft.returncode == 0, draft.stderr[-2000:]
    result = json.loads(draft.stdout)
    assert result["method"] == "template" and result["citations"]

    lab = run([str(overturn), "eval", "--subset", "ci"], cwd=tmp_path, env=env)
    assert lab.returncode == 2 and "development install" in lab.stderr and "make setup" in lab.stderr, lab.stderr[
        -2000:
    ]
    assert "Traceback" not in lab.stderr
