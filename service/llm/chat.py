"""Chat models from settings, through LangChain's `init_chat_model`; nothing when unset.

`OVERTURN_LLM=provider:model` (openai:..., anthropic:..., ollama:...), `OVERTURN_LLM_BASE_URL`
for any OpenAI-compatible server, `OVERTURN_LLM_FALLBACKS` tried in order when a call fails (a
spec may end in `@base_url` to reach a different server).
`OVERTURN_LLM_TIMEOUT` is the most one model may cost per round: each of its two tries (the call
and one retry) gets half. `OVERTURN_LLM_MAX_TOKENS` caps each answer; LangChain sends it to OpenAI
as `max_completion_tokens`, which compatible servers such as llama.cpp's ignore (they then write
until their context is full), so a server reached by URL also gets the older `max_tokens`.
OpenAI's key comes from `Settings.openai_api_key` (read from OPENAI_API_KEY); an OpenAI-compatible
server without one gets a dummy key. Other providers' packages read their own key variable.
"""

from dataclasses import dataclass
from typing import Any

from service.config import Settings
from service.errors import SettingsError
from service.models import ModelAttempt


@dataclass
class ChatModel:
    provider: str
    name: str
    model: Any
    """A LangChain chat model (imported only when a model is configured: it costs startup time)."""

    def attempt(
        self, round: str, seconds: float, failures: list[str] | None = None, error: Exception | None = None
    ) -> ModelAttempt:
        """The audit record of one call: accepted when it neither failed nor raised."""
        return ModelAttempt(
            provider=self.provider,
            model=self.name,
            round=round,
            seconds=round_seconds(seconds),
            accepted=not failures and error is None,
            failures=sorted(set(failures or [])),
            error=error.__class__.__name__ if error is not None else None,
        )


def round_seconds(seconds: float) -> float:
    return round(seconds, 3)


def split_spec(spec: str) -> tuple[str, str, str | None]:
    """'provider:model' or 'provider:model@base_url' (a fallback on another server)."""
    head, _, url = spec.partition("@")
    provider, sep, name = head.partition(":")
    if not sep or not provider or not name:
        raise SettingsError(
            f"setting OVERTURN_LLM is not valid: '{spec}' must look like provider:model (e.g. openai:gpt-4o-mini)"
        )
    return provider, name, url or None


def load_chat_models(settings: Settings) -> list[ChatModel]:
    """The primary model and its fallbacks, in order; [] when no model is configured."""
    if not settings.llm:
        return []
    from langchain.chat_models import init_chat_model

    models = []
    for spec in [settings.llm, *settings.llm_fallbacks]:
        provider, name, url = split_spec(spec)
        options: dict = {
            "timeout": settings.llm_timeout_s / 2,
            "max_retries": 1,
            "temperature": 0,
            "max_tokens": settings.llm_max_tokens,
        }
        base_url = url or settings.llm_base_url
        if provider == "openai" and settings.openai_api_key is not None:
            options["api_key"] = settings.openai_api_key.get_secret_value()
        if base_url and provider == "openai":
            options["base_url"] = base_url
            options["extra_body"] = {"max_tokens": settings.llm_max_tokens}
            options.setdefault("api_key", "not-needed")
        try:
            models.append(ChatModel(provider, name, init_chat_model(name, model_provider=provider, **options)))
        except ImportError as exc:
            raise SettingsError(
                f"setting OVERTURN_LLM: provider '{provider}' needs its LangChain package ({exc.name})"
            ) from None
        except Exception as exc:  # a provider's own check, e.g. openai.OpenAIError for a missing key
            raise SettingsError(f"setting OVERTURN_LLM: {spec}: {exc}") from None
    return models
