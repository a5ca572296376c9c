import pytest

from service.config import Settings
from service.errors import SettingsError


def test_knowledge_dirs_come_from_the_environment(tmp_path):
    settings = Settings.from_env({"OVERTURN_HOME": str(tmp_path), "OVERTURN_KNOWLEDGE_DIRS": f"{tmp_path}/a:{tmp_path}/b"})
    assert settings.knowledge_dirs == [tmp_path / "a", tmp_path / "b"]
    assert settings.home == tmp_path


def test_a_bad_setting_names_the_variable():
    with pytest.raises(SettingsError, match="OVERTURN_MAX_PAGES"):
        Settings.from_env({"OVERTURN_MAX_PAGES": "many"})


def test_defaults_point_at_the_bundled_model_and_codes(tmp_path):
    settings = Settings(home=tmp_path)
    assert settings.embedding_model is not None and (settings.embedding_model / "config.json").is_file()
    assert settings.code_dirs[0].name == "codes" and settings.chroma_dir == tmp_path / "chroma"
