"""The files the package ships beside its code: denial-code knowledge and prompt templates.

They live in the top-level `knowledge/` and `prompts/` folders of a checkout; a built wheel
carries them inside the package (`service/_bundled/`, copied there by setup.py), so a plain
`pip install` drafts without the source tree.
"""

from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    inside = PACKAGE_ROOT / "_bundled" / name
    return inside if inside.is_dir() else PACKAGE_ROOT.parent / name


KNOWLEDGE = bundled("knowledge")
PROMPTS = bundled("prompts")


def load_yaml(text: str):
    """Parse a shipped YAML file with libyaml's safe loader when PyYAML has it (about ten times
    faster: the knowledge files are most of a cold start's parsing), else the pure-Python one.
    Both build plain data only and raise `yaml.YAMLError` alike."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
