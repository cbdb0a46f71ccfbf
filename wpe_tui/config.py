"""The TOML config file: profiles, UI preferences, environment overrides, permissions.

Layout (``config_path()``, normally ``~/.config/wpe-tui/config.toml``)::

    default_profile = "default"

    [ui]
    theme = "textual-dark"
    refresh_interval = 3.0
    page_size = 50
    bell = false

    [profiles.default]
    api_key = "..."                       # or:
    api_key_command = "pass show wpe"     # a command whose stdout is the key
    base_url = "https://wpengineapi.com/v1"
    read_only = false

Precedence when resolving the settings for a run: command-line arguments >
environment (``WPE_PROFILE``, ``WPE_API_KEY``, ``WPE_API_URL``) > the profile in
the file > defaults. Every problem surfaces as a :class:`ConfigError` whose text
is one sentence naming the file (or variable) and the problem, never the key.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    field_validator,
)

__all__ = [
    "API_KEY_COMMAND_TIMEOUT",
    "DEFAULT_BASE_URL",
    "DEFAULT_PROFILE",
    "Config",
    "ConfigError",
    "Profile",
    "Settings",
    "UiPrefs",
    "config_path",
    "load_config",
    "permission_warning",
    "resolve_settings",
    "save_config",
    "save_profile",
]

DEFAULT_BASE_URL = "https://wpengineapi.com/v1"
DEFAULT_PROFILE = "default"
API_KEY_COMMAND_TIMEOUT = 10.0

REFRESH_INTERVAL_RANGE = (0.5, 3600.0)
PAGE_SIZE_RANGE = (1, 100)


class ConfigError(Exception):
    """A config problem the user must fix; ``str()`` is one sentence, never the key."""

    def __init__(self, message: str, *, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


def config_path() -> Path:
    """Where the config file lives; computed per call so $XDG_CONFIG_HOME set later counts."""
    return platformdirs.user_config_path("wpe-tui") / "config.toml"


def _check_url(value: str) -> str:
    """Return the URL without trailing slashes, or raise ValueError if it is not http(s)."""
    stripped = value.strip()
    scheme, sep, rest = stripped.partition("://")
    if not sep or scheme.lower() not in ("http", "https") or not rest.strip("/"):
        # The URL itself is not echoed: it may carry user:password@.
        raise ValueError("must be an http:// or https:// URL")
    return stripped.rstrip("/")


class Profile(BaseModel):
    """One account: how to get its key, where its API lives, whether writes are allowed."""

    model_config = ConfigDict(extra="ignore")

    api_key: SecretStr | None = None
    api_key_command: str | None = None
    base_url: str = DEFAULT_BASE_URL
    read_only: bool = False

    @field_validator("api_key", "api_key_command", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `api_key = ""` in a hand-edited file means "not set", not "send an empty key".
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("base_url")
    @classmethod
    def _base_url_is_http(cls, value: str) -> str:
        return _check_url(value)


class UiPrefs(BaseModel):
    """Preferences of the terminal UI."""

    model_config = ConfigDict(extra="ignore")

    theme: str = "textual-dark"
    # Seconds between polls of in-flight items; a floor keeps an idle app from burning CPU.
    refresh_interval: float = Field(
        default=3.0, ge=REFRESH_INTERVAL_RANGE[0], le=REFRESH_INTERVAL_RANGE[1]
    )
    page_size: int = Field(default=50, ge=PAGE_SIZE_RANGE[0], le=PAGE_SIZE_RANGE[1])
    bell: bool = False


class Config(BaseModel):
    """The whole config file."""

    model_config = ConfigDict(extra="ignore")

    default_profile: str = DEFAULT_PROFILE
    profiles: dict[str, Profile] = Field(default_factory=dict)
    ui: UiPrefs = Field(default_factory=UiPrefs)

    # Keys the file had that we do not know (typos such as `read-only`); ignored, but
    # reported as warnings so a misspelt safety switch does not go unnoticed.
    _unknown_keys: tuple[str, ...] = PrivateAttr(default=())

    @property
    def unknown_keys(self) -> tuple[str, ...]:
        """Dotted names of the keys in the file that were ignored."""
        return self._unknown_keys


@dataclass(frozen=True)
class Settings:
    """Everything a run needs, after applying CLI > environment > file > defaults."""

    profile_name: str
    api_key: SecretStr | None
    base_url: str
    read_only: bool
    ui: UiPrefs
    config_path: Path
    warnings: tuple[str, ...] = ()


# --- loading ---------------------------------------------------------------------------

_TOML_POSITION = re.compile(
    r"^(?P<msg>.*?) \(at (?P<where>line \d+, column \d+|end of document)\)$"
)

_RANGES: dict[str, tuple[float, float]] = {
    "refresh_interval": REFRESH_INTERVAL_RANGE,
    "page_size": PAGE_SIZE_RANGE,
}

_EXPECTED: dict[str, str] = {
    "string_type": "must be a string",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
    "dict_type": "must be a table",
    "model_type": "must be a table",
}


def _toml_type(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return "a date or time"


def _describe_validation_error(error: ValidationError) -> str:
    """One phrase for the first problem; built from types and bounds, never from the input."""
    errors = error.errors(include_url=False)
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"]) or "(top level)"
    kind = first["type"]
    field = str(first["loc"][-1]) if first["loc"] else ""
    if kind in _EXPECTED:
        problem = f"{_EXPECTED[kind]}, not {_toml_type(first['input'])}"
    elif field in _RANGES and kind in (
        "greater_than_equal",
        "less_than_equal",
        "greater_than",
        "less_than",
    ):
        low, high = _RANGES[field]
        problem = f"must be between {low:g} and {high:g}"
    elif kind == "value_error":
        problem = str(first.get("ctx", {}).get("error", first["msg"]))
    else:
        problem = first["msg"][:1].lower() + first["msg"][1:]
    more = len(errors) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{where}: {problem}{suffix}"


def _unknown_keys(data: Mapping[str, Any]) -> tuple[str, ...]:
    found = [key for key in data if key not in Config.model_fields]
    ui = data.get("ui")
    if isinstance(ui, dict):
        found += [f"ui.{key}" for key in ui if key not in UiPrefs.model_fields]
    profiles = data.get("profiles")
    if isinstance(profiles, dict):
        for name, body in profiles.items():
            if isinstance(body, dict):
                found += [
                    f"profiles.{name}.{key}" for key in body if key not in Profile.model_fields
                ]
    return tuple(found)


def load_config(path: Path | None = None) -> Config:
    """Read the config file; a missing file gives the defaults (first run)."""
    path = config_path() if path is None else path
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise ConfigError(f"{path}: cannot read the file: {reason}", path=path) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the file is not valid UTF-8 text", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        text = str(exc)
        match = _TOML_POSITION.match(text)
        if match:
            msg, where = match["msg"], match["where"]
            problem = f"{where}: {msg[:1].lower()}{msg[1:]}"
        else:
            problem = f"invalid TOML: {text[:1].lower()}{text[1:]}"
        raise ConfigError(f"{path}: {problem}", path=path) from None
    try:
        # strict: TOML is typed, so "50" for page_size is a mistake worth reporting.
        config = Config.model_validate(data, strict=True)
    except ValidationError as exc:
        # `from None`: the ValidationError's text carries the input values (maybe a key).
        raise ConfigError(f"{path}: {_describe_validation_error(exc)}", path=path) from None
    config._unknown_keys = _unknown_keys(data)
    return config


# --- saving ----------------------------------------------------------------------------


def _to_toml_data(config: Config) -> dict[str, Any]:
    profiles: dict[str, dict[str, Any]] = {}
    for name, profile in config.profiles.items():
        body: dict[str, Any] = {}
        if profile.api_key is not None:
            body["api_key"] = profile.api_key.get_secret_value()
        if profile.api_key_command is not None:
            body["api_key_command"] = profile.api_key_command
        body["base_url"] = profile.base_url
        body["read_only"] = profile.read_only
        profiles[name] = body
    return {
        "default_profile": config.default_profile,
        "ui": config.ui.model_dump(),
        "profiles": profiles,
    }


def save_config(config: Config, path: Path | None = None) -> Path:
    """Write the config atomically, mode 0600 from the first byte; return the path.

    Comments and unknown keys in an existing file are not preserved.
    """
    path = config_path() if path is None else path
    # Write through a symlink (dotfile managers) instead of replacing the link itself.
    target = Path(os.path.realpath(path))
    payload = tomli_w.dumps(_to_toml_data(config)).encode("utf-8")
    tmp_name: str | None = None
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkstemp creates the file 0600, so the key is never readable by others, even briefly.
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".config-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise ConfigError(f"{path}: cannot write the file: {reason}", path=path) from None
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)
    return path


def save_profile(name: str, profile: Profile, path: Path | None = None) -> Path:
    """Add or replace one profile; the first profile saved becomes the default."""
    path = config_path() if path is None else path
    config = load_config(path)
    if not config.profiles:
        config.default_profile = name
    config.profiles[name] = profile
    return save_config(config, path)


def permission_warning(path: Path) -> str | None:
    """A sentence if other users can read or write the file, else None."""
    if os.name == "nt":  # POSIX mode bits mean nothing there.
        return None
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if mode & 0o044:
        problem = "is readable by other users"
    elif mode & 0o022:
        problem = "is writable by other users"
    else:
        return None
    return f"{path} {problem}; run chmod 600 {shlex.quote(str(path))}"


# --- resolving -------------------------------------------------------------------------


def _run_key_command(command: str, where: str) -> SecretStr:
    """Run an api_key_command; errors name the exit status but never its output."""
    try:
        argv = shlex.split(command)
    except ValueError:
        raise ConfigError(f"{where}: cannot parse the command (unbalanced quotes?)") from None
    if not argv:
        raise ConfigError(f"{where}: the command is empty")
    try:
        result = subprocess.run(  # noqa: S603 - the user's own command, no shell
            argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=API_KEY_COMMAND_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise ConfigError(f"{where}: command not found: {argv[0]}") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(
            f"{where}: the command did not finish within {API_KEY_COMMAND_TIMEOUT:g} seconds"
        ) from None
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise ConfigError(f"{where}: cannot run the command: {reason}") from None
    if result.returncode != 0:
        raise ConfigError(f"{where}: the command exited with status {result.returncode}")
    key = result.stdout.decode("utf-8", errors="replace").strip()
    if not key:
        raise ConfigError(f"{where}: the command printed nothing")
    return SecretStr(key)


def _nonblank(value: str | None) -> str | None:
    # An exported-but-empty variable (`WPE_PROFILE=`) counts as unset.
    return value.strip() if value and value.strip() else None


def resolve_settings(
    config: Config,
    *,
    profile: str | None = None,
    api_url: str | None = None,
    read_only: bool = False,
    env: Mapping[str, str] | None = None,
    config_path: Path | None = None,
) -> Settings:
    """Combine CLI arguments > environment > profile in the file > defaults.

    May run the profile's ``api_key_command`` (blocking, up to 10 s).
    """
    env = os.environ if env is None else env
    file_path = _default_config_path() if config_path is None else config_path

    name = _nonblank(profile) or _nonblank(env.get("WPE_PROFILE")) or config.default_profile
    chosen = config.profiles.get(name)
    if chosen is None:
        if name != config.default_profile:
            available = ", ".join(sorted(config.profiles)) or "none"
            raise ConfigError(
                f"{file_path}: no profile named {name!r} (available: {available})",
                path=file_path,
            )
        chosen = Profile()  # First run: the default profile does not exist yet.

    warnings = [f"{file_path}: unknown key {key!r} ignored" for key in config.unknown_keys]

    base_url = chosen.base_url
    for source, value in (("WPE_API_URL", env.get("WPE_API_URL")), ("--api-url", api_url)):
        if _nonblank(value) is None:
            continue
        assert value is not None
        try:
            base_url = _check_url(value)
        except ValueError as exc:
            raise ConfigError(f"{source}: {exc}") from None

    env_key = _nonblank(env.get("WPE_API_KEY"))
    api_key: SecretStr | None
    if env_key is not None:
        api_key = SecretStr(env_key)
    elif chosen.api_key is not None:
        api_key = chosen.api_key
        if chosen.api_key_command is not None:
            warnings.append(
                f"{file_path}: profiles.{name} has both api_key and api_key_command; using api_key"
            )
    elif chosen.api_key_command is not None:
        where = f"{file_path}: profiles.{name}.api_key_command"
        api_key = _run_key_command(chosen.api_key_command, where)
    else:
        api_key = None

    perm = permission_warning(file_path)
    if perm is not None:
        warnings.append(perm)

    return Settings(
        profile_name=name,
        api_key=api_key,
        base_url=base_url,
        read_only=read_only or chosen.read_only,
        ui=config.ui,
        config_path=file_path,
        warnings=tuple(warnings),
    )


# resolve_settings' `config_path` parameter shadows the function of the same name.
_default_config_path = config_path
