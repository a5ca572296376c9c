"""Only one thing pyproject.toml cannot say: copy the top-level knowledge/ and prompts/ folders
into the built package (service/_bundled/), so an installed wheel has them."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED = ("knowledge", "prompts")


class BuildWithBundledFiles(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the folders in place
        root = Path(__file__).resolve().parent
        for name in BUNDLED:
            shutil.copytree(root / name, Path(self.build_lib) / "service" / "_bundled" / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithBundledFiles})
