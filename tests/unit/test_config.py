"""The config file as a user meets it: saving, loading, overrides, and error messages."""

from __future__ import annotations

import shlex
import stat
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from wpe_tui.config import (
    DEFAULT_BASE_URL,
    Config,
    ConfigError,
    Profile,
    Settings,
    UiPrefs,
    config_path,
    load_config,
    permission_warning,
    resolve_settings,
    save_config,
    save_profile,
)

KEY = "sk-live-very-secret-0123456789"


@pytest.fixture(autouse=True)
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the config directory at a temporary one and clear the WPE_* variables."""
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    for name in ("WPE_API_KEY", "WPE_API_URL", "WPE_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    return home


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def command_printing(text: str, status: int = 0) -> str:
    """An api_key_command that prints `text` and exits with `status`."""
    code = f"import sys; sys.stdout.write({text!r}); sys.exit({status})"
    return shlex.join([sys.executable, "-c", code])


def two_profile_config() -> Config:
    return Config(
        default_profile="work",
        profiles={
            "work": Profile(api_key=SecretStr(KEY), base_url="https://work.example/v1"),
            "client": Profile(api_key=SecretStr("client-key"), read_only=True),
        },
    )


# --- where the file lives, saving and loading -------------------------------------------


def test_config_path_follows_xdg_config_home(xdg: Path) -> None:
    assert config_path() == xdg / "wpe-tui" / "config.toml"


def test_missing_file_gives_defaults() -> None:
    config = load_config()
    assert config == Config()
    assert config.profiles == {}
    assert config.ui.page_size == 50
    assert config.ui.refresh_interval == 3.0


def test_save_then_load_round_trips_and_keeps_the_key(xdg: Path) -> None:
    config = two_profile_config()
    config.ui = UiPrefs(theme="nord", refresh_interval=1.5, page_size=25, bell=True)

    written = save_config(config)

    assert written == xdg / "wpe-tui" / "config.toml"
    loaded = load_config()
    assert loaded == config
    work_key = loaded.profiles["work"].api_key
    assert work_key is not None
    assert work_key.get_secret_value() == KEY


def test_saved_file_is_plain_toml_without_unset_fields() -> None:
    path = save_config(Config(profiles={"default": Profile(api_key=SecretStr(KEY))}))
    text = path.read_text()
    assert f'api_key = "{KEY}"' in text
    assert "api_key_command" not in text  # None fields are omitted, not written as "".
    assert "**********" not in text


def test_saved_file_is_0600_and_new_directory_0700(xdg: Path) -> None:
    path = save_config(Config(profiles={"default": Profile(api_key=SecretStr(KEY))}))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    # No temporary file left beside it.
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]


def test_saving_over_a_world_readable_file_makes_it_private(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'default_profile = "x"\n', mode=0o644)
    save_config(Config(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_save_profile_first_profile_becomes_default_and_others_are_kept() -> None:
    save_profile("work", Profile(api_key=SecretStr(KEY)))
    save_profile("client", Profile(api_key=SecretStr("other"), read_only=True))

    config = load_config()
    assert config.default_profile == "work"
    assert sorted(config.profiles) == ["client", "work"]
    assert config.profiles["client"].read_only is True


def test_unknown_keys_are_ignored_but_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml",
        '[profiles.default]\napi_key = "k"\nread-only = true\n[ui]\ncolour = "red"\n',
    )
    config = load_config(path)
    assert config.profiles["default"].read_only is False
    settings = resolve_settings(config, env={}, config_path=path)
    assert any("profiles.default.read-only" in w for w in settings.warnings)
    assert any("ui.colour" in w for w in settings.warnings)


# --- error messages -----------------------------------------------------------------------


def test_broken_toml_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", '[ui]\ntheme = "nord"\npage_size 20\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: line 3, column")
    assert "expected '='" in message


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ("[ui]\npage_size = 500\n", "ui.page_size", "must be between 1 and 100"),
        ("[ui]\npage_size = 0\n", "ui.page_size", "must be between 1 and 100"),
        ("[ui]\nrefresh_interval = 0\n", "ui.refresh_interval", "must be between 0.5 and 3600"),
        ('[ui]\npage_size = "50"\n', "ui.page_size", "must be a whole number, not a string"),
        ('[ui]\nbell = "yes"\n', "ui.bell", "must be true or false, not a string"),
        (
            "[profiles.work]\nread_only = 1\n",
            "profiles.work.read_only",
            "must be true or false, not a whole number",
        ),
        (
            "[profiles.work]\napi_key = 42\n",
            "profiles.work.api_key",
            "must be a string, not a whole number",
        ),
        ("profiles = 3\n", "profiles", "must be a table, not a whole number"),
        (
            '[profiles.work]\nbase_url = "ftp://example.com"\n',
            "profiles.work.base_url",
            "must be an http:// or https:// URL",
        ),
    ],
)
def test_bad_value_message_names_the_file_and_the_field(
    tmp_path: Path, body: str, field: str, problem: str
) -> None:
    path = write(tmp_path / "config.toml", body)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}: {field}: {problem}"


def test_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.mkdir()  # A directory cannot be read as a file, even by root.
    with pytest.raises(ConfigError, match="cannot read the file"):
        load_config(path)


def test_missing_profile_lists_the_available_ones(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    with pytest.raises(ConfigError) as caught:
        resolve_settings(two_profile_config(), profile="staging", env={}, config_path=path)
    assert str(caught.value) == f"{path}: no profile named 'staging' (available: client, work)"


def test_profile_from_environment_must_exist_too() -> None:
    with pytest.raises(ConfigError, match=r"available: client, work"):
        resolve_settings(two_profile_config(), env={"WPE_PROFILE": "nope"})


def test_first_run_without_profiles_resolves_to_defaults() -> None:
    settings = resolve_settings(Config(), env={})
    assert settings.profile_name == "default"
    assert settings.api_key is None
    assert settings.base_url == DEFAULT_BASE_URL
    assert settings.read_only is False


def test_bad_api_url_from_environment_or_flag_is_rejected() -> None:
    with pytest.raises(ConfigError, match=r"^WPE_API_URL: must be an http"):
        resolve_settings(Config(), env={"WPE_API_URL": "wpengineapi.com"})
    with pytest.raises(ConfigError, match=r"^--api-url: must be an http"):
        resolve_settings(Config(), api_url="localhost:8000", env={})


# --- precedence ---------------------------------------------------------------------------


def test_profile_in_file_is_used_by_default() -> None:
    settings = resolve_settings(two_profile_config(), env={})
    assert settings.profile_name == "work"
    assert settings.api_key is not None
    assert settings.api_key.get_secret_value() == KEY
    assert settings.base_url == "https://work.example/v1"


def test_environment_overrides_the_file() -> None:
    env = {"WPE_PROFILE": "client", "WPE_API_KEY": "env-key", "WPE_API_URL": "http://127.0.0.1:9/"}
    settings = resolve_settings(two_profile_config(), env=env)
    assert settings.profile_name == "client"
    assert settings.api_key is not None
    assert settings.api_key.get_secret_value() == "env-key"
    assert settings.base_url == "http://127.0.0.1:9"


def test_environment_is_read_from_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WPE_API_KEY", "from-os-env")
    settings = resolve_settings(two_profile_config())
    assert settings.api_key is not None
    assert settings.api_key.get_secret_value() == "from-os-env"


def test_command_line_overrides_the_environment() -> None:
    env = {"WPE_PROFILE": "client", "WPE_API_URL": "http://127.0.0.1:9"}
    settings = resolve_settings(
        two_profile_config(), profile="work", api_url="https://cli.example/v1", env=env
    )
    assert settings.profile_name == "work"
    assert settings.base_url == "https://cli.example/v1"


def test_empty_environment_variables_count_as_unset() -> None:
    settings = resolve_settings(
        two_profile_config(), env={"WPE_PROFILE": "", "WPE_API_KEY": "", "WPE_API_URL": ""}
    )
    assert settings.profile_name == "work"
    assert settings.api_key is not None
    assert settings.api_key.get_secret_value() == KEY


def test_read_only_comes_from_the_profile_or_the_flag() -> None:
    config = two_profile_config()
    assert resolve_settings(config, profile="client", env={}).read_only is True
    assert resolve_settings(config, profile="work", env={}).read_only is False
    assert resolve_settings(config, profile="work", read_only=True, env={}).read_only is True


def test_settings_carry_ui_prefs_and_config_path(tmp_path: Path) -> None:
    config = Config(ui=UiPrefs(page_size=10))
    path = tmp_path / "elsewhere.toml"
    settings = resolve_settings(config, env={}, config_path=path)
    assert settings.ui.page_size == 10
    assert settings.config_path == path


# --- api_key_command ----------------------------------------------------------------------


def test_api_key_command_output_becomes_the_key() -> None:
    config = Config(profiles={"default": Profile(api_key_command=command_printing(KEY + "\n"))})
    settings = resolve_settings(config, env={})
    assert settings.api_key is not None
    assert settings.api_key.get_secret_value() == KEY


def test_api_key_command_is_not_run_when_the_key_comes_from_the_environment() -> None:
    config = Config(profiles={"default": Profile(api_key_command=command_printing("x", 3))})
    settings = resolve_settings(config, env={"WPE_API_KEY": "env-key"})
    assert settings.api_key is not None
    assert settings.api_key.get_secret_value() == "env-key"


def test_failing_api_key_command_names_profile_and_status_but_not_output(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config = Config(profiles={"default": Profile(api_key_command=command_printing(KEY, 3))})
    with pytest.raises(ConfigError) as caught:
        resolve_settings(config, env={}, config_path=path)
    message = str(caught.value)
    assert message == f"{path}: profiles.default.api_key_command: the command exited with status 3"
    assert KEY not in message


def test_api_key_command_that_prints_nothing_is_an_error() -> None:
    config = Config(profiles={"default": Profile(api_key_command=command_printing("  \n"))})
    with pytest.raises(ConfigError, match="printed nothing"):
        resolve_settings(config, env={})


def test_api_key_command_that_does_not_exist_is_an_error() -> None:
    config = Config(profiles={"default": Profile(api_key_command="/nonexistent/wpe-key-helper")})
    with pytest.raises(ConfigError, match="command not found"):
        resolve_settings(config, env={})


# --- permissions --------------------------------------------------------------------------


def test_permission_warning_for_a_world_readable_file(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "", mode=0o644)
    warning = permission_warning(path)
    assert warning is not None
    assert str(path) in warning
    assert "readable by other users" in warning
    assert "chmod 600" in warning


def test_no_permission_warning_for_a_private_file(tmp_path: Path) -> None:
    assert permission_warning(write(tmp_path / "config.toml", "", mode=0o600)) is None


def test_permission_warning_reaches_the_settings(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", '[profiles.default]\napi_key = "k"\n', mode=0o644)
    settings = resolve_settings(load_config(path), env={}, config_path=path)
    assert any("readable by other users" in w for w in settings.warnings)


# --- the key never leaks ------------------------------------------------------------------


def test_key_is_not_shown_in_repr_or_str() -> None:
    config = two_profile_config()
    settings = resolve_settings(config, env={})
    assert isinstance(settings, Settings)
    for thing in (settings, config, config.profiles["work"]):
        assert KEY not in repr(thing)
        assert KEY not in str(thing)


def test_key_is_not_in_any_error_message(tmp_path: Path) -> None:
    cases = [
        f'[profiles.default]\napi_key = "{KEY}"\nbase_url = "nope"\n',
        f'[profiles.default]\napi_key = "{KEY}\n',  # unterminated string
        f'[profiles.default]\napi_key = "{KEY}"\n[ui]\npage_size = 1000\n',
        f"[profiles.default]\napi_key = {{ value = '{KEY}' }}\n",  # a table, not a string
    ]
    for body in cases:
        path = write(tmp_path / "config.toml", body)
        with pytest.raises(ConfigError) as caught:
            load_config(path)
        assert KEY not in str(caught.value)
        assert caught.value.__cause__ is None
        assert caught.value.__suppress_context__ is True
