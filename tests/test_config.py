import pytest

from service.config import Settings
from service.errors import SettingsError


def test_knowledge_dirs_come_from_the_environment(tmp_path):
    settings = Settings.from_env(
        {"OVERTURN_HOME": str(tmp_path), "OVERTURN_KNOWLEDGE_DIRS": f"{tmp_path}/a:{tmp_path}/b"}
    )
    assert settings.knowledge_dirs == [tmp_path / "a", tmp_path / "b"]
    assert settings.home == tmp_path


def test_a_bad_setting_names_the_variable():
    with pytest.raises(SettingsError, match="OVERTURN_MAX_PAGES"):
        Settings.from_env({"OVERTURN_MAX_PAGES": "many"})


def test_defaults_point_at_the_bundled_model_and_codes(tmp_path):
    settings = Settings(home=tmp_path)
    assert settings.embedding_model is not None and (settings.embedding_model / "config.json").is_file()
    assert settings.code_dirs[0].name == "codes" and settings.chroma_dir == tmp_path / "chroma"


def test_llm_settings_are_read_and_bad_specs_are_named():
    from service.errors import SettingsError
    from service.llm.chat import load_chat_models, split_spec

    settings = Settings.from_env(
        {
            "OVERTURN_LLM": "openai:m1",
            "OVERTURN_LLM_FALLBACKS": "openai:m2, ollama:m3@http://h:1/v1",
            "OVERTURN_LLM_TIMEOUT": "12",
        }
    )
    assert settings.llm == "openai:m1" and settings.llm_fallbacks == ["openai:m2", "ollama:m3@http://h:1/v1"]
    assert settings.llm_timeout_s == 12
    assert split_spec("ollama:m3@http://h:1/v1") == ("ollama", "m3", "http://h:1/v1")
    with pytest.raises(SettingsError, match="OVERTURN_LLM"):
        split_spec("gpt-4o")
    assert load_chat_models(Settings()) == []


def test_an_openai_compatible_server_gets_its_url_timeout_and_one_retry(tmp_path):
    from service.llm.chat import load_chat_models

    settings = Settings(home=tmp_path, llm="openai:local-model", llm_base_url="http://127.0.0.1:9/v1", llm_timeout_s=8)
    [chat] = load_chat_models(settings)
    assert (chat.provider, chat.name) == ("openai", "local-model")
    assert str(chat.model.openai_api_base).startswith("http://127.0.0.1:9/v1")
    assert chat.model.request_timeout == 4 and chat.model.max_retries == 1


def test_an_openai_compatible_server_is_sent_the_answer_cap_under_both_names(tmp_path, monkeypatch):
    """llama.cpp's server ignores `max_completion_tokens` (what LangChain sends); without the older
    `max_tokens` it writes until its context is full and the call runs into the timeout."""
    from langchain_core.messages import HumanMessage

    from service.llm.chat import load_chat_models

    compatible = Settings(
        home=tmp_path, llm="openai:local-model", llm_base_url="http://127.0.0.1:9/v1", llm_max_tokens=321
    )
    [chat] = load_chat_models(compatible)
    payload = chat.model._get_request_payload([HumanMessage("hi")])
    assert payload["max_completion_tokens"] == 321 and payload["extra_body"] == {"max_tokens": 321}
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    [hosted] = load_chat_models(Settings(home=tmp_path, llm="openai:gpt-4o-mini", llm_max_tokens=321))
    assert "extra_body" not in hosted.model._get_request_payload([HumanMessage("hi")])


def test_a_hosted_model_without_its_key_is_a_settings_error_not_a_traceback(tmp_path, monkeypatch):
    from service.errors import SettingsError
    from service.llm.chat import load_chat_models

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(SettingsError, match="OVERTURN_LLM: openai:gpt-4o-mini: .*(api_key|OPENAI_API_KEY)"):
        load_chat_models(Settings(home=tmp_path, llm="openai:gpt-4o-mini"))


def test_every_documented_variable_sets_its_field_and_empty_ones_are_ignored(tmp_path):
    settings = Settings.from_env(
        {
            "OVERTURN_HOME": str(tmp_path),
            "OVERTURN_OCR": "false",
            "OVERTURN_OCR_TIMEOUT": "9",
            "OVERTURN_JOB_LEASE": "7",
            "OVERTURN_DRAFT_WAIT": "5",
            "OVERTURN_LLM_TIMEOUT": "3",
            "OVERTURN_RETRIEVAL": "bm25",
            "OVERTURN_MAX_PAGES": "",
        }
    )
    assert (settings.ocr_enabled, settings.ocr_timeout_s, settings.job_lease_s) == (False, 9, 7)
    assert (settings.draft_wait_s, settings.llm_timeout_s) == (5, 3)
    assert (settings.retrieval, settings.max_pages) == ("bm25", 500)


def test_settings_built_directly_ignore_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("OVERTURN_MAX_PAGES", "3")
    monkeypatch.setenv("OVERTURN_CHUNK_CHARS", "10")
    assert Settings(home=tmp_path).max_pages == 500
    assert Settings.from_env().max_pages == 3 and Settings.from_env().chunk_chars == 600


def test_the_openai_key_is_read_with_the_settings_and_never_shown(tmp_path):
    from service.llm.chat import load_chat_models

    settings = Settings.from_env(
        {"OVERTURN_HOME": str(tmp_path), "OVERTURN_LLM": "openai:gpt-4o-mini", "OPENAI_API_KEY": "sk-abc"}
    )
    assert "sk-abc" not in repr(settings) and "sk-abc" not in str(settings.model_dump())
    [chat] = load_chat_models(settings)
    assert chat.model.openai_api_key.get_secret_value() == "sk-abc"
