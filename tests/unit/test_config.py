"""The config file as a user meets it: saving, loading, overrides, and error messages."""

from __future__ import annotations

import shlex
import stat
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

import wpe_tui.config
from wpe_tui.config import (
    CUSTOMER_BASE_URL,
    DEFAULT_BASE_URL,
    PLATFORM_BASE_URL,
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
    schema_keys,
)

KEY = "sk-live-very-secret-0123456789"


@pytest.fixture(autouse=True)
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the config directory at a temporary one and clear the WPE_* variables."""
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    for name in (
        "WPE_API",
        "WPE_API_KEY",
        "WPE_API_PASSWORD",
        "WPE_API_URL",
        "WPE_API_USER",
        "WPE_PROFILE",
    ):
        monkeypatch.delenv(name, raising=False)
    return home


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def refused(tmp_path: Path, body: str) -> tuple[Path, str]:
    """A config file of `body`, and the one sentence loading it refuses it with."""
    path = write(tmp_path / "config.toml", body)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return path, str(caught.value)


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


def test_unknown_keys_are_an_error_that_says_what_was_meant(tmp_path: Path) -> None:
    path, message = refused(
        tmp_path, '[profiles.default]\napi_key = "k"\nread-only = true\n[ui]\ncolour = "red"\n'
    )
    assert message == (
        f"{path}: unknown keys profiles.default.read-only (did you mean read_only?), "
        "ui.colour (valid keys there: theme, refresh_interval, page_size, bell)"
    )


# --- error messages -----------------------------------------------------------------------


def test_broken_toml_names_the_file_and_the_line(tmp_path: Path) -> None:
    path, message = refused(tmp_path, '[ui]\ntheme = "nord"\npage_size 20\n')
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
    path, message = refused(tmp_path, body)
    assert message == f"{path}: {field}: {problem}"


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


# --- one schema, and the strict check that walks it ---------------------------------------

KEYS = schema_keys()


def test_the_schema_has_every_key_the_app_accepts() -> None:
    assert [key.dotted for key in KEYS] == [
        "default_profile",
        "ui.theme",
        "ui.refresh_interval",
        "ui.page_size",
        "ui.bell",
        "profiles.NAME.api",
        "profiles.NAME.api_key",
        "profiles.NAME.api_key_command",
        "profiles.NAME.api_user",
        "profiles.NAME.api_password",
        "profiles.NAME.api_password_command",
        "profiles.NAME.base_url",
        "profiles.NAME.read_only",
        "profiles.NAME.notification_emails",
        "profiles.NAME.requests_per_second",
        "profiles.NAME.max_in_flight",
    ]


@pytest.mark.parametrize("key", KEYS, ids=lambda key: key.dotted)
def test_every_key_is_described_and_documented(key: Any) -> None:
    assert key.info.description, f"{key.dotted} needs a description"
    assert key.info.examples, f"{key.dotted} needs an example (the round-trip test uses it)"
    doc = wpe_tui.config.__doc__ or ""
    assert f"\n    {key.name} = " in doc, f"{key.dotted} is missing from the module docstring"


def _file_with(dotted: str, value: Any) -> dict[str, Any]:
    """A valid file's data with `dotted` (a schema key, NAME = work) set to `value`."""
    data: dict[str, Any] = {"profiles": {"work": {}}}
    parts = dotted.replace("NAME", "work").split(".")
    table = data
    for part in parts[:-1]:
        table = table.setdefault(part, {})
    table[parts[-1]] = value.get_secret_value() if isinstance(value, SecretStr) else value
    if dotted == "default_profile":
        data["profiles"][value] = {}
    return data


def _value_at(config: Config, dotted: str) -> Any:
    thing: Any = config
    for part in dotted.replace("NAME", "work").split("."):
        thing = thing[part] if isinstance(thing, dict) else getattr(thing, part)
    return thing


@pytest.mark.parametrize("key", KEYS, ids=lambda key: key.dotted)
def test_every_key_round_trips_through_the_file(key: Any, tmp_path: Path) -> None:
    import tomli_w

    example = key.info.examples[0]
    path = write(tmp_path / "config.toml", tomli_w.dumps(_file_with(key.dotted, example)))
    loaded = load_config(path)
    assert _value_at(loaded, key.dotted) == example

    save_config(loaded, path)  # what the app would write back keeps the key
    again = load_config(path)
    assert again == loaded
    assert _value_at(again, key.dotted) == example


def _misspelt(name: str) -> str:
    return name[1] + name[0] + name[2:]  # "read_only" -> "eradonly"-like transposition


@pytest.mark.parametrize("key", KEYS, ids=lambda key: key.dotted)
def test_every_key_misspelt_is_an_error_that_names_it(key: Any, tmp_path: Path) -> None:
    import tomli_w

    data = _file_with(key.dotted, key.info.examples[0])
    parts = key.dotted.replace("NAME", "work").split(".")
    table = data
    for part in parts[:-1]:
        table = table[part]
    table[_misspelt(key.name)] = table.pop(key.name)
    path, message = refused(tmp_path, tomli_w.dumps(data))
    where = ".".join([*parts[:-1], _misspelt(key.name)])
    assert message == f"{path}: unknown key {where} (did you mean {key.name}?)"


@pytest.mark.parametrize(
    ("body", "sentence"),
    [
        (
            '[profiles.work]\napi_key = "k"\nreadonly = true\n',
            "unknown key profiles.work.readonly (did you mean read_only?)",
        ),
        ('[ui]\nthem = "nord"\n', "unknown key ui.them (did you mean theme?)"),
        ('[profiles.x]\napi_kye = "k"\n', "unknown key profiles.x.api_kye (did you mean api_key?)"),
        (
            "read_only = true\n",
            "unknown key read_only (read_only belongs in a [profiles.NAME] table)",
        ),
        (
            '[profiles.x]\ntheme = "nord"\n',
            "unknown key profiles.x.theme (theme belongs in the [ui] table)",
        ),
        (
            '[work]\napi_key = "k"\n',
            "unknown key work (a profile is a [profiles.work] table)",
        ),
        ('[profile.work]\napi_key = "k"\n', "unknown key profile (did you mean profiles?)"),
        ('[UI]\ntheme = "nord"\n', "unknown key UI (did you mean ui?)"),
        (
            '[profiles."my site"]\nreadonly = true\n',
            'unknown key profiles."my site".readonly (did you mean read_only?)',
        ),
        (
            "[ui]\nzzz = 1\n",
            "unknown key ui.zzz (valid keys there: theme, refresh_interval, page_size, bell)",
        ),
        (
            "a = 1\nb = 2\nc = 3\nd = 4\n",
            "unknown keys a (valid keys there: default_profile, ui, profiles), "
            "b (valid keys there: default_profile, ui, profiles), "
            "c (valid keys there: default_profile, ui, profiles), and 1 more",
        ),
    ],
)
def test_unknown_key_sentences(tmp_path: Path, body: str, sentence: str) -> None:
    path, message = refused(tmp_path, body)
    assert message == f"{path}: {sentence}"


def test_a_misspelt_read_only_never_gives_a_writable_run(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", '[profiles.default]\napi_key = "k"\nreadonly = true\n')
    with pytest.raises(ConfigError):
        load_config(path)
    with pytest.raises(ConfigError):  # nor does saving into it, which would have to drop it
        save_profile("default", Profile(api_key=SecretStr("new")), path)
    assert "readonly = true" in path.read_text()


def test_an_unknown_key_with_control_characters_is_quoted(tmp_path: Path) -> None:
    _, message = refused(tmp_path, '"\\u001b[2J" = 1\n')
    assert "\x1b" not in message
    assert '"\\u001b[2J"' in message


def test_models_built_in_code_are_strict_too() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Profile(readonly=True)  # type: ignore[call-arg]


# --- default_profile ----------------------------------------------------------------------


def test_default_profile_that_names_no_profile_is_an_error(tmp_path: Path) -> None:
    path, message = refused(
        tmp_path, 'default_profile = "wrok"\n[profiles.work]\napi_key = "k"\n[profiles.client]\n'
    )
    assert message == (
        f"{path}: default_profile: no profile named 'wrok' "
        "(did you mean work? available: client, work)"
    )


def test_default_profile_without_any_profile_is_the_first_run(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'default_profile = "work"\n')
    settings = resolve_settings(load_config(path), env={}, config_path=path)
    assert settings.profile_name == "work"
    assert settings.has_credentials is False


def test_default_profile_built_in_code_is_checked_when_resolving(tmp_path: Path) -> None:
    config = Config(default_profile="nope", profiles={"work": Profile()})
    path = tmp_path / "config.toml"
    with pytest.raises(ConfigError) as caught:
        resolve_settings(config, env={}, config_path=path)
    assert (
        str(caught.value) == f"{path}: default_profile: no profile named 'nope' (available: work)"
    )
    # --profile still works: the broken default is not in the way.
    assert resolve_settings(config, profile="work", env={}).profile_name == "work"


def test_a_single_profile_is_the_default_without_default_profile(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", '[profiles.work]\napi_key = "k"\nread_only = true\n')
    settings = resolve_settings(load_config(path), env={}, config_path=path)
    assert settings.profile_name == "work"
    assert settings.read_only is True


def test_several_profiles_without_a_default_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "[profiles.work]\n[profiles.client]\n")
    with pytest.raises(ConfigError) as caught:
        resolve_settings(load_config(path), env={}, config_path=path)
    assert str(caught.value) == (
        f"{path}: no profile named 'default' and no default_profile to choose among "
        "client, work; set default_profile or use --profile"
    )


def test_a_misspelt_profile_name_is_suggested(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    with pytest.raises(ConfigError) as caught:
        resolve_settings(two_profile_config(), profile="clinet", env={}, config_path=path)
    assert str(caught.value) == (
        f"{path}: no profile named 'clinet' (did you mean client? available: client, work)"
    )


# --- themes -------------------------------------------------------------------------------

THEMES = ("textual-dark", "textual-light", "nord", "gruvbox", "tokyo-night")


def test_a_theme_that_does_not_exist_is_named_with_the_closest(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config = Config(ui=UiPrefs(theme="nrod"))
    settings = resolve_settings(config, env={}, config_path=path, themes=THEMES)
    assert settings.warnings == (
        f"{path}: ui.theme: no theme named 'nrod' (did you mean nord?); using the default theme",
    )


def test_a_theme_far_from_any_lists_them_all(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config = Config(ui=UiPrefs(theme="zzz"))
    settings = resolve_settings(config, env={}, config_path=path, themes=THEMES)
    assert settings.warnings == (
        f"{path}: ui.theme: no theme named 'zzz' (available: gruvbox, nord, textual-dark, "
        "textual-light, tokyo-night); using the default theme",
    )


def test_themes_are_checked_only_when_given() -> None:
    config = Config(ui=UiPrefs(theme="nrod"))
    assert resolve_settings(config, env={}).warnings == ()
    assert resolve_settings(Config(ui=UiPrefs(theme="nord")), env={}, themes=THEMES).warnings == ()


def test_config_does_not_import_textual() -> None:
    import subprocess

    code = "import sys, wpe_tui.config, wpe_tui.state; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- which API ----------------------------------------------------------------------------


def test_the_customer_api_is_the_default() -> None:
    settings = resolve_settings(two_profile_config(), env={})
    assert settings.api == "customer"
    assert settings.api_source == "default"
    assert resolve_settings(Config(), env={}).base_url == CUSTOMER_BASE_URL


def test_a_platform_profile_gets_the_platform_base_url() -> None:
    config = Config(profiles={"default": Profile(api="platform")})
    settings = resolve_settings(config, env={})
    assert settings.api == "platform"
    assert settings.api_source == "file"
    assert settings.base_url == PLATFORM_BASE_URL
    assert settings.base_url_source == "default"
    assert settings.default_base_url == PLATFORM_BASE_URL


def test_api_precedence_is_cli_then_environment_then_file() -> None:
    config = Config(profiles={"default": Profile(api="customer")})
    from_env = resolve_settings(config, env={"WPE_API": "platform"})
    assert (from_env.api, from_env.api_source, from_env.base_url) == (
        "platform",
        "environment",
        PLATFORM_BASE_URL,
    )
    from_cli = resolve_settings(config, api="customer", env={"WPE_API": "platform"})
    assert (from_cli.api, from_cli.api_source) == ("customer", "cli")
    assert resolve_settings(config, api="", env={"WPE_API": " "}).api_source == "file"


def test_a_profiles_explicit_base_url_wins_over_the_apis_default() -> None:
    config = Config(profiles={"default": Profile(api="platform", base_url="https://p.example/v1")})
    settings = resolve_settings(config, env={})
    assert (settings.base_url, settings.base_url_source) == ("https://p.example/v1", "file")
    settings = resolve_settings(config, env={"WPE_API_URL": "https://e.example/v1"})
    assert (settings.base_url, settings.base_url_source) == ("https://e.example/v1", "environment")
    settings = resolve_settings(
        config, api_url="https://c.example/v1", env={"WPE_API_URL": "https://e.example/v1"}
    )
    assert (settings.base_url, settings.base_url_source) == ("https://c.example/v1", "cli")


@pytest.mark.parametrize(
    ("where", "kwargs"),
    [("WPE_API", {"env": {"WPE_API": "plaform"}}), ("--api", {"api": "plaform", "env": {}})],
)
def test_an_unknown_api_is_an_error(where: str, kwargs: Any) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_settings(Config(), **kwargs)
    assert (
        str(caught.value) == f'{where}: must be "customer" or "platform" (did you mean platform?)'
    )


def test_an_unknown_api_in_the_file_is_an_error(tmp_path: Path) -> None:
    path, message = refused(tmp_path, '[profiles.work]\napi = "plaform"\n')
    assert message == (
        f'{path}: profiles.work.api: must be "customer" or "platform" (did you mean platform?)'
    )


# --- Hosting Platform credentials ---------------------------------------------------------

USER = "0d8d2a7e-api-user"
PASSWORD = "platform-password-0123456789"


def platform_config(**fields: Any) -> Config:
    return Config(profiles={"default": Profile(api="platform", **fields)})


def test_platform_credentials_come_from_the_profile() -> None:
    settings = resolve_settings(
        platform_config(api_user=USER, api_password=SecretStr(PASSWORD)), env={}
    )
    assert settings.api_user == USER
    assert settings.api_password is not None
    assert settings.api_password.get_secret_value() == PASSWORD
    assert (settings.api_user_source, settings.api_password_source) == ("file", "file")
    assert settings.has_credentials is True
    assert settings.credentials_from_environment == ()


def test_platform_credentials_from_the_environment_override_the_file() -> None:
    config = platform_config(api_user="file-user", api_password=SecretStr("file-pw"))
    env = {"WPE_API_USER": USER, "WPE_API_PASSWORD": PASSWORD}
    settings = resolve_settings(config, env=env)
    assert settings.api_user == USER
    assert settings.api_password is not None
    assert settings.api_password.get_secret_value() == PASSWORD
    assert settings.credentials_from_environment == ("WPE_API_USER", "WPE_API_PASSWORD")


def test_a_credential_for_the_other_api_is_named_as_unused_and_not_shown() -> None:
    key = "sk-live-0123456789"
    settings = resolve_settings(
        platform_config(api_user=USER, api_password=SecretStr(PASSWORD)),
        env={"WPE_API_KEY": key},
    )
    assert settings.api_key is None  # never sent to the platform API
    (warning,) = [w for w in settings.warnings if "WPE_API_KEY" in w]
    assert "Hosting Platform API" in warning and "not used" in warning
    assert key not in warning
    customer = resolve_settings(
        Config(profiles={"default": Profile(api_key=SecretStr("k" * 12))}),
        env={"WPE_API_USER": USER, "WPE_API_PASSWORD": PASSWORD},
    )
    assert customer.api_password is None
    assert any("WPE_API_USER and WPE_API_PASSWORD are set" in w for w in customer.warnings)
    assert not any(PASSWORD in w for w in customer.warnings)


def test_a_user_without_a_password_is_not_credentials() -> None:
    settings = resolve_settings(platform_config(api_user=USER), env={})
    assert settings.has_credentials is False
    assert settings.api_password_source == "none"


def test_api_password_command_output_becomes_the_password() -> None:
    config = platform_config(api_user=USER, api_password_command=command_printing(PASSWORD))
    settings = resolve_settings(config, env={})
    assert settings.api_password is not None
    assert settings.api_password.get_secret_value() == PASSWORD
    assert settings.api_password_source == "command"


def test_failing_api_password_command_never_shows_its_output(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config = platform_config(api_password_command=command_printing(PASSWORD, 1))
    with pytest.raises(ConfigError) as caught:
        resolve_settings(config, env={}, config_path=path)
    message = str(caught.value)
    assert message == (
        f"{path}: profiles.default.api_password_command: the command exited with status 1"
    )
    assert PASSWORD not in message


def test_only_the_chosen_apis_credential_command_runs() -> None:
    failing = command_printing("x", 7)
    both = Config(
        profiles={"default": Profile(api_key_command=failing, api_password_command=failing)}
    )
    # A customer run never runs the password command, nor a platform run the key command.
    with pytest.raises(ConfigError, match="api_key_command"):
        resolve_settings(both, env={})
    with pytest.raises(ConfigError, match="api_password_command"):
        resolve_settings(both, api="platform", env={})
    platform = resolve_settings(
        Config(profiles={"default": Profile(api_key_command=failing)}), api="platform", env={}
    )
    assert platform.api_key is None and platform.api_key_source == "none"


def test_password_and_password_command_warn_and_use_the_password() -> None:
    config = platform_config(
        api_password=SecretStr(PASSWORD), api_password_command=command_printing("x", 3)
    )
    settings = resolve_settings(config, env={})
    assert settings.api_password_source == "file"
    assert any("both api_password and api_password_command" in w for w in settings.warnings)


def test_blank_platform_credentials_count_as_unset(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml",
        '[profiles.default]\napi = "platform"\napi_user = " "\napi_password = ""\n',
    )
    settings = resolve_settings(
        load_config(path), env={"WPE_API_USER": "", "WPE_API_PASSWORD": ""}, config_path=path
    )
    assert settings.api_user is None and settings.api_password is None


def test_key_sources_say_where_the_key_came_from() -> None:
    file_key = resolve_settings(two_profile_config(), env={})
    assert file_key.api_key_source == "file"
    env_key = resolve_settings(two_profile_config(), env={"WPE_API_KEY": "e"})
    assert env_key.api_key_source == "environment"
    assert env_key.credentials_from_environment == ("WPE_API_KEY",)
    command = Config(profiles={"default": Profile(api_key_command=command_printing(KEY))})
    assert resolve_settings(command, env={}).api_key_source == "command"
    assert resolve_settings(Config(), env={}).api_key_source == "none"


def test_platform_secrets_are_not_in_any_repr_or_error(tmp_path: Path) -> None:
    config = platform_config(api_user=USER, api_password=SecretStr(PASSWORD))
    settings = resolve_settings(config, env={})
    for thing in (settings, config, config.profiles["default"]):
        assert PASSWORD not in repr(thing) and PASSWORD not in str(thing)
        assert USER not in repr(thing) and USER not in str(thing)
    assert set(settings.secrets) == {USER, PASSWORD}
    for body in (
        f'[profiles.default]\napi_password = "{PASSWORD}"\nmax_in_flight = 99\n',
        f'[profiles.default]\napi_password = "{PASSWORD}"\napi_pasword = "{PASSWORD}"\n',
        f"[profiles.default]\napi_password = ['{PASSWORD}']\n",
        f'[profiles.default]\napi_user = "{USER}"\nnotification_emails = ["{USER}"]\n',
    ):
        path = write(tmp_path / "config.toml", body)
        with pytest.raises(ConfigError) as caught:
            load_config(path)
        assert PASSWORD not in str(caught.value) and USER not in str(caught.value)


# --- notification emails and pacing -------------------------------------------------------


def test_notification_emails_reach_the_settings_as_a_tuple(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml",
        '[profiles.default]\nnotification_emails = [" ops@example.com ", "dev@example.com"]\n',
    )
    settings = resolve_settings(load_config(path), env={}, config_path=path)
    assert settings.notification_emails == ("ops@example.com", "dev@example.com")
    assert resolve_settings(Config(), env={}).notification_emails == ()


def test_pacing_defaults_and_values(tmp_path: Path) -> None:
    defaults = resolve_settings(Config(), env={})
    assert (defaults.requests_per_second, defaults.max_in_flight) == (None, 4)
    path = write(
        tmp_path / "config.toml", "[profiles.default]\nrequests_per_second = 5\nmax_in_flight = 2\n"
    )
    settings = resolve_settings(load_config(path), env={}, config_path=path)
    assert (settings.requests_per_second, settings.max_in_flight) == (5.0, 2)


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        (
            '[profiles.w]\nnotification_emails = ["ops@example.com", "ops"]\n',
            "profiles.w.notification_emails item 2",
            "must be an email address such as ops@example.com",
        ),
        (
            '[profiles.w]\nnotification_emails = "ops@example.com"\n',
            "profiles.w.notification_emails",
            "must be an array, not a string",
        ),
        (
            "[profiles.w]\nrequests_per_second = 0\n",
            "profiles.w.requests_per_second",
            "must be more than 0",
        ),
        (
            "[profiles.w]\nrequests_per_second = inf\n",
            "profiles.w.requests_per_second",
            "must be a finite number",
        ),
        (
            '[profiles.w]\nrequests_per_second = "5"\n',
            "profiles.w.requests_per_second",
            "must be a number, not a string",
        ),
        (
            "[profiles.w]\nmax_in_flight = 17\n",
            "profiles.w.max_in_flight",
            "must be between 1 and 16",
        ),
        (
            "[profiles.w]\nmax_in_flight = 0\n",
            "profiles.w.max_in_flight",
            "must be between 1 and 16",
        ),
        (
            "[profiles.w]\nmax_in_flight = 2.5\n",
            "profiles.w.max_in_flight",
            "must be a whole number, not a decimal number",
        ),
        (
            "[profiles.w]\napi_user = 42\n",
            "profiles.w.api_user",
            "must be a string, not a whole number",
        ),
    ],
)
def test_bad_platform_values_name_the_field(
    tmp_path: Path, body: str, field: str, problem: str
) -> None:
    path, message = refused(tmp_path, body)
    assert message == f"{path}: {field}: {problem}"


def test_settings_built_the_old_way_still_work(tmp_path: Path) -> None:
    settings = Settings(
        profile_name="default",
        api_key=SecretStr(KEY),
        base_url=DEFAULT_BASE_URL,
        read_only=False,
        ui=UiPrefs(),
        config_path=tmp_path / "config.toml",
    )
    assert settings.api == "customer"
    assert settings.has_credentials is True
    assert settings.notification_emails == ()
    assert (settings.max_in_flight, settings.requests_per_second) == (4, None)


# --- saving keeps what the file had -------------------------------------------------------

FULL_FILE = """\
default_profile = "work"

[ui]
theme = "nord"
bell = true

[profiles.work]
api_key = "work-key"
read_only = true
max_in_flight = 2

[profiles.platform]
api = "platform"
api_user = "user-id"
api_password_command = "pass show wpe"
base_url = "https://api.wpengineapi.com/v1"
read_only = true
notification_emails = ["ops@example.com"]
requests_per_second = 2.5
"""


def test_saving_a_profile_keeps_every_other_key_of_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", FULL_FILE)
    before = tomllib.loads(FULL_FILE)

    save_profile("work", Profile(api_key=SecretStr("new-key")), path)

    after = tomllib.loads(path.read_text())
    assert after["profiles"]["work"] == {**before["profiles"]["work"], "api_key": "new-key"}
    assert after["profiles"]["platform"] == before["profiles"]["platform"]
    assert after["ui"] == before["ui"]
    assert after["default_profile"] == "work"


def test_saving_a_new_key_after_a_refusal_keeps_read_only(tmp_path: Path) -> None:
    # The setup screen saves only the key (and base URL): the profile stays read-only.
    path = write(tmp_path / "config.toml", FULL_FILE)
    save_profile("work", Profile(api_key=SecretStr("k2"), base_url="https://x.example/v1"), path)
    settings = resolve_settings(load_config(path), env={}, config_path=path)
    assert settings.read_only is True
    assert settings.base_url == "https://x.example/v1"


def test_a_field_given_as_none_removes_its_key(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", FULL_FILE)
    save_profile("platform", Profile(api_password=SecretStr("pw"), api_password_command=None), path)
    body = tomllib.loads(path.read_text())["profiles"]["platform"]
    assert body["api_password"] == "pw"
    assert "api_password_command" not in body
    assert body["notification_emails"] == ["ops@example.com"]


def test_replace_writes_the_profile_as_given(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", FULL_FILE)
    save_profile("work", Profile(api_key=SecretStr("k")), path, replace=True)
    assert tomllib.loads(path.read_text())["profiles"]["work"] == {"api_key": "k"}


def test_saving_into_a_broken_file_leaves_it_alone(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "[ui]\npage_size = 500\n")
    with pytest.raises(ConfigError, match="page_size"):
        save_profile("default", Profile(api_key=SecretStr(KEY)), path)
    assert path.read_text() == "[ui]\npage_size = 500\n"


def test_load_then_save_config_loses_no_key(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", FULL_FILE)
    save_config(load_config(path), path)
    assert tomllib.loads(path.read_text()) == tomllib.loads(FULL_FILE)


def test_save_config_never_writes_a_default_profile_that_names_nothing(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    save_config(Config(profiles={"work": Profile(api_key=SecretStr(KEY))}), path)
    assert "default_profile" not in path.read_text()
    assert resolve_settings(load_config(path), env={}, config_path=path).profile_name == "work"
