"""The TOML config file: profiles, UI preferences, environment overrides, permissions.

The file (``config_path()``, normally ``~/.config/wpe-tui/config.toml``) is the
user's. Every key it may hold is below; any other key is an error, so a typo such
as ``readonly = true`` stops the app instead of letting it run writable::

    default_profile = "default"           # the profile used without --profile/WPE_PROFILE

    [ui]
    theme = "textual-dark"                # any Textual theme
    refresh_interval = 3.0                # seconds between live refreshes, 0.5-3600
    page_size = 50                        # rows per request, 1-100
    bell = false                          # ring the bell when an operation finishes

    [profiles.default]
    api = "customer"                      # "customer" (the default) or "platform"
    api_key = "..."                       # customer API: the key, or
    api_key_command = "pass show wpe"     #   a command whose stdout is the key
    api_user = "..."                      # platform API: the API user id, and
    api_password = "..."                  #   its password, or
    api_password_command = "pass show wpe-platform"  # a command whose stdout is it
    base_url = "https://wpengineapi.com/v1"  # default: per API (see DEFAULT_BASE_URLS)
    read_only = false                     # hide and refuse every change
    notification_emails = ["ops@example.com"]  # who WP Engine emails about restores/backups
    requests_per_second = 5.0             # pacing of requests; default: the app's, per API
    max_in_flight = 4                     # requests at the same time, 1-16

``requests_per_second`` and ``max_in_flight`` live in the profile because the
limits they respect are the API's, per set of credentials.

Precedence when resolving the settings for a run: command-line arguments >
environment (``WPE_PROFILE``, ``WPE_API``, ``WPE_API_URL``, ``WPE_API_KEY``,
``WPE_API_USER``, ``WPE_API_PASSWORD``) > the profile in the file > defaults.
Every problem surfaces as a :class:`ConfigError` whose text is one sentence
naming the file (or variable) and the problem, never a credential.

The schema is the pydantic models below and nothing else: the unknown-key check,
the error messages and :func:`schema_keys` all walk them, so a new key is one
field (with a description and an example, which the tests require).

Preferences the app writes by itself (the theme picked in the palette, sort
orders, operation history) do not belong here: see ``wpe_tui.state``.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import tomllib
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import platformdirs
import tomli_w
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic.fields import FieldInfo

from wpe_tui.files import why, write_private

__all__ = [
    "APIS",
    "API_KEY_COMMAND_TIMEOUT",
    "CUSTOMER_BASE_URL",
    "DEFAULT_BASE_URL",
    "DEFAULT_BASE_URLS",
    "DEFAULT_PROFILE",
    "PLATFORM_BASE_URL",
    "ApiName",
    "Config",
    "ConfigError",
    "CredentialSource",
    "Profile",
    "SchemaKey",
    "Settings",
    "UiPrefs",
    "ValueSource",
    "config_path",
    "load_config",
    "permission_warning",
    "resolve_settings",
    "save_config",
    "save_profile",
    "schema_keys",
]

ApiName = Literal["customer", "platform"]
APIS: tuple[ApiName, ...] = ("customer", "platform")
# Where a credential came from: a WPE_* variable, the file, the profile's *_command, nowhere.
CredentialSource = Literal["environment", "file", "command", "none"]
# Where a setting came from: a command-line option, a WPE_* variable, the file, the default.
ValueSource = Literal["cli", "environment", "file", "default"]

CUSTOMER_BASE_URL = "https://wpengineapi.com/v1"
PLATFORM_BASE_URL = "https://api.wpengineapi.com/v1"
DEFAULT_BASE_URLS: Mapping[ApiName, str] = {
    "customer": CUSTOMER_BASE_URL,
    "platform": PLATFORM_BASE_URL,
}
DEFAULT_BASE_URL = CUSTOMER_BASE_URL  # the default API's
DEFAULT_PROFILE = "default"
DEFAULT_THEME = "textual-dark"
API_KEY_COMMAND_TIMEOUT = 10.0  # also for api_password_command

# The placeholder for a profile's name in dotted keys (`profiles.NAME.api_key`).
NAME = "NAME"


class ConfigError(Exception):
    """A config problem the user must fix; ``str()`` is one sentence, never a credential."""

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


_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+")


def _check_email(value: str) -> str:
    stripped = value.strip()
    if not _EMAIL.fullmatch(stripped):
        raise ValueError("must be an email address such as ops@example.com")
    return stripped


Email = Annotated[str, AfterValidator(_check_email)]


# --- the schema ------------------------------------------------------------------------


class Profile(BaseModel):
    """One account: which API, its credentials, where it lives, whether writes are allowed."""

    model_config = ConfigDict(extra="forbid")

    api: ApiName = Field(
        default="customer",
        description='which WP Engine API: "customer" or "platform" (the Hosting Platform API)',
        examples=["platform"],
    )
    api_key: SecretStr | None = Field(
        default=None,
        description="customer API: the API key (secret)",
        examples=[SecretStr("sk-example-key")],
    )
    api_key_command: str | None = Field(
        default=None,
        description="customer API: a command whose output is the key (a password manager)",
        examples=["pass show wpengine/agency"],
    )
    api_user: str | None = Field(
        default=None,
        repr=False,
        description="platform API: the API user id",
        examples=["0d8d2a7e-8f1c-4c2e-9d47-3f4b2a9c1e55"],
    )
    api_password: SecretStr | None = Field(
        default=None,
        description="platform API: the API password (secret)",
        examples=[SecretStr("example-password")],
    )
    api_password_command: str | None = Field(
        default=None,
        description="platform API: a command whose output is the password",
        examples=["pass show wpengine/platform"],
    )
    base_url: str | None = Field(
        default=None,
        description="the API's base URL; default: the chosen API's (DEFAULT_BASE_URLS)",
        examples=["https://api.wpengineapi.com/v1"],
    )
    read_only: bool = Field(
        default=False, description="hide and refuse every change", examples=[True]
    )
    notification_emails: list[Email] = Field(
        default_factory=list,
        description="addresses WP Engine emails about restores and backups (platform forms)",
        examples=[["ops@example.com", "dev@example.com"]],
    )
    requests_per_second: float | None = Field(
        default=None,
        gt=0,
        allow_inf_nan=False,
        description="pacing of requests to this API; default: the app's, per API",
        examples=[2.5],
    )
    max_in_flight: int = Field(
        default=4, ge=1, le=16, description="requests in flight at the same time", examples=[8]
    )

    @field_validator(
        "api_key",
        "api_key_command",
        "api_user",
        "api_password",
        "api_password_command",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `api_key = ""` in a hand-edited file means "not set", not "send an empty key".
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("api_user")
    @classmethod
    def _strip_user(cls, value: str | None) -> str | None:
        return None if value is None else value.strip()

    @field_validator("base_url")
    @classmethod
    def _base_url_is_http(cls, value: str | None) -> str | None:
        return None if value is None else _check_url(value)


class UiPrefs(BaseModel):
    """Preferences of the terminal UI."""

    model_config = ConfigDict(extra="forbid")

    theme: str = Field(default=DEFAULT_THEME, description="any Textual theme", examples=["nord"])
    # A floor keeps an idle app from burning CPU.
    refresh_interval: float = Field(
        default=3.0,
        ge=0.5,
        le=3600.0,
        description="seconds between live refreshes of in-flight items",
        examples=[1.5],
    )
    page_size: int = Field(default=50, ge=1, le=100, description="rows per request", examples=[25])
    bell: bool = Field(
        default=False,
        description="ring the terminal bell when an operation finishes",
        examples=[True],
    )


class Config(BaseModel):
    """The whole config file."""

    model_config = ConfigDict(extra="forbid")

    default_profile: str = Field(
        default=DEFAULT_PROFILE,
        description="the profile used without --profile or WPE_PROFILE",
        examples=["work"],
    )
    ui: UiPrefs = Field(default_factory=UiPrefs, description="preferences of the terminal UI")
    profiles: dict[str, Profile] = Field(
        default_factory=dict, description="one table per account: [profiles.NAME]"
    )


@dataclass(frozen=True)
class SchemaKey:
    """One key of the file: ``dotted`` is e.g. ``profiles.NAME.api_key``."""

    dotted: str
    model: type[BaseModel]
    name: str
    info: FieldInfo


def _nested(annotation: object) -> tuple[type[BaseModel], bool] | None:
    """(model, is_a_table_of_named_tables) if the field holds a table of the schema."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    if get_origin(annotation) is dict:
        value = get_args(annotation)[1]
        if isinstance(value, type) and issubclass(value, BaseModel):
            return value, True
    return None


def _walk(model: type[BaseModel], prefix: tuple[str, ...]) -> Iterator[SchemaKey]:
    for name, info in model.model_fields.items():
        nested = _nested(info.annotation)
        if nested is None:
            yield SchemaKey(".".join((*prefix, name)), model, name, info)
        else:
            inner, named = nested
            yield from _walk(inner, (*prefix, name, NAME) if named else (*prefix, name))


def schema_keys() -> tuple[SchemaKey, ...]:
    """Every key (leaf) the file accepts, in the order of the models."""
    return tuple(_walk(Config, ()))


def _tables() -> dict[type[BaseModel], str]:
    """How to name each table of the schema in a hint."""
    return {
        Config: "at the top of the file",
        UiPrefs: "in the [ui] table",
        Profile: f"in a [profiles.{NAME}] table",
    }


@dataclass(frozen=True)
class Settings:
    """Everything a run needs, after applying CLI > environment > file > defaults.

    Every field after ``config_path`` has a default, so callers that build one by
    hand (tests, the demo) keep working. Sources say where a value came from, so a
    screen can tell the user which variable to unset, and the setup screen never
    saves a value that came only from the command line or the environment.
    ``api_key_source`` is "none" when there is no key (or when the key was given
    to this constructor directly).
    """

    profile_name: str
    api_key: SecretStr | None
    base_url: str
    read_only: bool
    ui: UiPrefs
    config_path: Path
    warnings: tuple[str, ...] = ()
    api: ApiName = "customer"
    api_source: ValueSource = "default"
    base_url_source: ValueSource = "default"
    api_key_source: CredentialSource = "none"
    api_user: str | None = field(default=None, repr=False)
    api_user_source: CredentialSource = "none"
    api_password: SecretStr | None = field(default=None, repr=False)
    api_password_source: CredentialSource = "none"  # noqa: S105 - a source, not a password
    notification_emails: tuple[str, ...] = ()
    # None: the app's default for this API (the platform API is paced, the customer not).
    requests_per_second: float | None = None
    max_in_flight: int = 4

    @property
    def has_credentials(self) -> bool:
        """A key for the customer API; a user and a password for the platform API."""
        if self.api == "platform":
            return self.api_user is not None and self.api_password is not None
        return self.api_key is not None

    @property
    def credentials_from_environment(self) -> tuple[str, ...]:
        """The variables that supplied this API's credentials, e.g. ("WPE_API_KEY",).

        A refused credential from one of them cannot be fixed by saving a new one:
        the variable would override the file again at the next start.
        """
        pairs: tuple[tuple[str, CredentialSource], ...]
        if self.api == "platform":
            pairs = (
                ("WPE_API_USER", self.api_user_source),
                ("WPE_API_PASSWORD", self.api_password_source),
            )
        else:
            pairs = (("WPE_API_KEY", self.api_key_source),)
        return tuple(name for name, source in pairs if source == "environment")

    @property
    def default_base_url(self) -> str:
        """The base URL of this run's API when nothing sets one."""
        return DEFAULT_BASE_URLS[self.api]

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every credential of this run in clear, to redact from crash reports."""
        found = [self.api_key, self.api_password]
        values = [secret.get_secret_value() for secret in found if secret is not None]
        if self.api_user is not None:
            values.append(self.api_user)
        return tuple(values)


# --- error messages --------------------------------------------------------------------

_TOML_POSITION = re.compile(
    r"^(?P<msg>.*?) \(at (?P<where>line \d+, column \d+|end of document)\)$"
)

_EXPECTED: dict[str, str] = {
    "string_type": "must be a string",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "list_type": "must be an array",
}

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


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


def _dotted(parts: Sequence[str | int]) -> str:
    """`profiles."my site".api_key`; an array index reads `notification_emails item 2`."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f" item {part + 1}"
            continue
        text = part if _BARE_KEY.fullmatch(part) else _quote(part)
        out = f"{out}.{text}" if out else text
    return out or "(top level)"


def _quote(text: str) -> str:
    escaped = "".join(
        ch if ch.isprintable() and ch not in '"\\' else f"\\u{ord(ch):04x}" for ch in text
    )
    return f'"{escaped}"'


def _fold(word: str) -> str:
    return word.lower().replace("-", "_")


def _closest(word: str, choices: Collection[str]) -> str | None:
    """The choice that `word` most likely meant (case and -/_ aside), or None."""
    folded = {_fold(choice): choice for choice in choices}
    if _fold(word) in folded:
        return folded[_fold(word)]
    import difflib  # only for a typo: not on the way to the first rows

    matches = difflib.get_close_matches(_fold(word), list(folded), n=1, cutoff=0.6)
    return folded[matches[0]] if matches else None


def _field_at(loc: Sequence[str | int]) -> FieldInfo | None:
    """The schema field an error location points at (for its bounds)."""
    model: type[BaseModel] | None = Config
    info: FieldInfo | None = None
    skip_name = False
    for part in loc:
        if skip_name:  # the profile's name
            skip_name = False
            continue
        if isinstance(part, int):
            continue
        if model is None or part not in model.model_fields:
            return None
        info = model.model_fields[part]
        nested = _nested(info.annotation)
        model, skip_name = nested if nested is not None else (None, False)
    return info


def _bounds(info: FieldInfo | None) -> str | None:
    """The field's range in words, from its annotated_types Ge/Gt/Le/Lt metadata."""
    if info is None:
        return None
    low: float | None = None
    high: float | None = None
    low_strict = high_strict = False
    for item in info.metadata:
        for attr, is_low, strict in (
            ("ge", True, False),
            ("gt", True, True),
            ("le", False, False),
            ("lt", False, True),
        ):
            value = getattr(item, attr, None)
            if not isinstance(value, int | float):
                continue
            if is_low:
                low, low_strict = float(value), strict
            else:
                high, high_strict = float(value), strict
    if low is not None and high is not None:
        if not (low_strict or high_strict):
            return f"must be between {low:g} and {high:g}"
        return f"must be more than {low:g} and less than {high:g}"
    if low is not None:
        return f"must be more than {low:g}" if low_strict else f"must be at least {low:g}"
    if high is not None:
        return f"must be less than {high:g}" if high_strict else f"must be at most {high:g}"
    return None


def _describe_validation_error(error: ValidationError) -> str:
    """One phrase for the first problem; built from types and bounds, never from the input."""
    errors = error.errors(include_url=False)
    first = errors[0]
    loc: tuple[str | int, ...] = tuple(first["loc"])
    where = _dotted(loc)
    kind = first["type"]
    if kind in _EXPECTED:
        problem = f"{_EXPECTED[kind]}, not {_toml_type(first['input'])}"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        problem = _bounds(_field_at(loc)) or first["msg"][:1].lower() + first["msg"][1:]
    elif kind == "finite_number":
        problem = "must be a finite number"
    elif kind == "literal_error":
        # The only literal is `api`, whose value is not a secret.
        expected = first.get("ctx", {}).get("expected", "")
        problem = f"must be {expected.replace(chr(39), chr(34))}"
        if isinstance(first["input"], str):
            hint = _closest(first["input"], APIS)
            if hint is not None:
                problem += f" (did you mean {hint}?)"
    elif kind == "value_error":
        problem = str(first.get("ctx", {}).get("error", first["msg"]))
    else:
        problem = first["msg"][:1].lower() + first["msg"][1:]
    more = len(errors) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{where}: {problem}{suffix}"


def _unknown_in(
    data: Mapping[str, Any], model: type[BaseModel], where: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], type[BaseModel]]]:
    """(dotted parts, table) of every key of `data` the schema does not have."""
    for key, value in data.items():
        info = model.model_fields.get(key)
        if info is None:
            yield (*where, key), model
            continue
        nested = _nested(info.annotation)
        if nested is None or not isinstance(value, dict):
            continue  # a wrong type is the validation's to report
        inner, named = nested
        if not named:
            yield from _unknown_in(value, inner, (*where, key))
            continue
        for name, body in value.items():
            if isinstance(body, dict):
                yield from _unknown_in(body, inner, (*where, key, name))


def _unknown_hint(parts: tuple[str, ...], model: type[BaseModel], data: Mapping[str, Any]) -> str:
    key = parts[-1]
    value = data.get(key) if len(parts) == 1 else None
    if model is Config and isinstance(value, dict) and set(value) & set(Profile.model_fields):
        # `[work]` instead of `[profiles.work]`.
        return f"a profile is a [profiles.{_dotted((key,))}] table"
    here = _closest(key, model.model_fields)
    if here is not None:
        return f"did you mean {here}?"
    # A valid key in the wrong table: `read_only` at the top instead of in a profile.
    tables = _tables()
    for other in schema_keys():
        if other.model is not model and _closest(key, (other.name,)) is not None:
            return f"{other.name} belongs {tables[other.model]}"
    return "valid keys there: " + ", ".join(model.model_fields)


def _check_known_keys(data: Mapping[str, Any], path: Path) -> None:
    found = list(_unknown_in(data, Config, ()))
    if not found:
        return
    shown = [f"{_dotted(parts)} ({_unknown_hint(parts, model, data)})" for parts, model in found]
    more = f", and {len(shown) - 3} more" if len(shown) > 3 else ""
    label = "unknown key" if len(shown) == 1 else "unknown keys"
    raise ConfigError(f"{path}: {label} {', '.join(shown[:3])}{more}", path=path)


def _no_profile(where: str, name: str, profiles: Collection[str], path: Path) -> ConfigError:
    available = ", ".join(sorted(profiles)) or "none"
    hint = _closest(name, profiles)
    mean = f"did you mean {hint}? " if hint is not None and hint != name else ""
    return ConfigError(
        f"{where}: no profile named {name!r} ({mean}available: {available})", path=path
    )


# --- loading ---------------------------------------------------------------------------


def _read_toml(path: Path) -> dict[str, Any] | None:
    """The file's data; None if it does not exist."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise ConfigError(f"{path}: cannot read the file: {reason}", path=path) from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
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


def _validate(data: Mapping[str, Any], path: Path) -> Config:
    _check_known_keys(data, path)
    try:
        # strict: TOML is typed, so "50" for page_size is a mistake worth reporting.
        config = Config.model_validate(data, strict=True)
    except ValidationError as exc:
        # `from None`: the ValidationError's text carries the input values (maybe a key).
        raise ConfigError(f"{path}: {_describe_validation_error(exc)}", path=path) from None
    if (
        "default_profile" in data
        and config.profiles
        and config.default_profile not in config.profiles
    ):
        raise _no_profile(f"{path}: default_profile", config.default_profile, config.profiles, path)
    return config


def load_config(path: Path | None = None) -> Config:
    """Read the config file; a missing file gives the defaults (first run).

    Raises ConfigError for a file that cannot be read, is not TOML, has a key the
    schema does not know, a value of the wrong type or range, or a default_profile
    that names none of its profiles.
    """
    path = config_path() if path is None else path
    data = _read_toml(path)
    return Config() if data is None else _validate(data, path)


# --- saving ----------------------------------------------------------------------------


def _toml_value(value: object) -> Any:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, tuple):
        return list(value)
    return value


def _model_to_toml(model: BaseModel) -> dict[str, Any]:
    """The fields that were given or differ from the default; None means unset."""
    body: dict[str, Any] = {}
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if value is None:
            continue
        if name not in model.model_fields_set and value == info.get_default(
            call_default_factory=True
        ):
            continue
        body[name] = _toml_value(value)
    return body


def _config_to_toml(config: Config) -> dict[str, Any]:
    data: dict[str, Any] = {}
    # Never write an implicit "default" that names no profile: the next load would refuse it.
    if "default_profile" in config.model_fields_set or config.default_profile in config.profiles:
        data["default_profile"] = config.default_profile
    ui = _model_to_toml(config.ui)
    if ui:
        data["ui"] = ui
    if config.profiles:
        data["profiles"] = {name: _model_to_toml(p) for name, p in config.profiles.items()}
    return data


def _write_toml(data: Mapping[str, Any], path: Path) -> Path:
    try:
        write_private(path, tomli_w.dumps(dict(data)).encode("utf-8"), prefix=".config-")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the file: {why(exc)}", path=path) from None
    return path


def save_config(config: Config, path: Path | None = None) -> Path:
    """Write the config atomically, mode 0600 from the first byte; return the path.

    Every key the config holds is written: a key read from the file, or given to a
    model, is kept even at its default value; other defaults are left out. The
    schema has every key a valid file can hold, so loading then saving loses no key.
    Comments are not preserved (TOML is rewritten from data).
    """
    path = config_path() if path is None else path
    return _write_toml(_config_to_toml(config), path)


def save_profile(
    name: str, profile: Profile, path: Path | None = None, *, replace: bool = False
) -> Path:
    """Write one profile into the file, keeping every other key of the file as it is.

    Only the fields given to ``profile`` (its ``model_fields_set``) are written:
    they replace the same keys of an existing profile of that name, a field given
    as None removes its key, and the profile's other keys (read_only,
    notification_emails...) stay. ``replace=True`` writes the profile as given
    instead. The caller decides what to give: never a value that came only from
    the command line or the environment (see ``Settings.*_source``).

    The first profile saved becomes the default. A file that does not load is not
    touched: its ConfigError is raised.
    """
    path = config_path() if path is None else path
    data = _read_toml(path) or {}
    config = _validate(data, path)
    if not config.profiles:
        data["default_profile"] = name
    profiles = data.setdefault("profiles", {})
    if replace:
        body = _model_to_toml(profile)
    else:
        body = dict(profiles.get(name, {}))
        for key in profile.model_fields_set:
            value = getattr(profile, key)
            if value is None:
                body.pop(key, None)
            else:
                body[key] = _toml_value(value)
    profiles[name] = body
    _validate(data, path)
    return _write_toml(data, path)


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


def _run_secret_command(command: str, where: str) -> SecretStr:
    """Run an api_key_command or api_password_command; errors never show its output."""
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
    secret = result.stdout.decode("utf-8", errors="replace").strip()
    if not secret:
        raise ConfigError(f"{where}: the command printed nothing")
    return SecretStr(secret)


def _nonblank(value: str | None) -> str | None:
    # An exported-but-empty variable (`WPE_PROFILE=`) counts as unset.
    return value.strip() if value and value.strip() else None


def _check_api(value: str, where: str) -> ApiName:
    folded = value.strip().lower()
    for api in APIS:
        if folded == api:
            return api
    hint = _closest(folded, APIS)
    mean = f" (did you mean {hint}?)" if hint is not None else ""
    raise ConfigError(f'{where}: must be "customer" or "platform"{mean}')


def _choose_profile(
    config: Config, profile: str | None, env: Mapping[str, str], file_path: Path
) -> tuple[str, Profile]:
    asked = _nonblank(profile) or _nonblank(env.get("WPE_PROFILE"))
    if asked is not None:
        chosen = config.profiles.get(asked)
        if chosen is not None:
            return asked, chosen
        if config.profiles or asked != config.default_profile:
            raise _no_profile(str(file_path), asked, config.profiles, file_path)
        return asked, Profile()  # First run: the default profile does not exist yet.
    name = config.default_profile
    if name in config.profiles:
        return name, config.profiles[name]
    if not config.profiles:
        return name, Profile()  # First run.
    if "default_profile" in config.model_fields_set:
        raise _no_profile(f"{file_path}: default_profile", name, config.profiles, file_path)
    if len(config.profiles) == 1:
        return next(iter(config.profiles.items()))
    available = ", ".join(sorted(config.profiles))
    raise ConfigError(
        f"{file_path}: no profile named {name!r} and no default_profile to choose among "
        f"{available}; set default_profile or use --profile",
        path=file_path,
    )


def _theme_warning(theme: str, themes: Collection[str], file_path: Path) -> str | None:
    if theme in themes:
        return None
    hint = _closest(theme, themes)
    if hint is not None:
        choice = f"did you mean {hint}?"
    else:
        choice = "available: " + ", ".join(sorted(themes))
    return f"{file_path}: ui.theme: no theme named {theme!r} ({choice}); using the default theme"


def resolve_settings(
    config: Config,
    *,
    profile: str | None = None,
    api: str | None = None,
    api_url: str | None = None,
    read_only: bool = False,
    env: Mapping[str, str] | None = None,
    config_path: Path | None = None,
    themes: Collection[str] | None = None,
) -> Settings:
    """Combine CLI arguments > environment > profile in the file > defaults.

    ``themes`` are the names of the themes the app has (Textual's); a ``ui.theme``
    that is not among them gives a warning (the app then uses its default theme).
    None skips the check. Only the chosen API's credentials are resolved, so a
    platform run never runs the profile's api_key_command, and a customer run never
    its api_password_command. May run one of them (blocking, up to 10 s each).
    """
    env = os.environ if env is None else env
    file_path = _default_config_path() if config_path is None else config_path
    name, chosen = _choose_profile(config, profile, env, file_path)
    warnings: list[str] = []

    api_name: ApiName = chosen.api
    api_source: ValueSource = "file" if "api" in chosen.model_fields_set else "default"
    api_overrides: tuple[tuple[ValueSource, str, str | None], ...] = (
        ("environment", "WPE_API", env.get("WPE_API")),
        ("cli", "--api", api),
    )
    for source, where, value in api_overrides:
        given = _nonblank(value)
        if given is not None:
            api_name, api_source = _check_api(given, where), source

    base_url = DEFAULT_BASE_URLS[api_name]
    base_url_source: ValueSource = "default"
    if chosen.base_url is not None:
        base_url, base_url_source = chosen.base_url, "file"
    url_overrides: tuple[tuple[ValueSource, str, str | None], ...] = (
        ("environment", "WPE_API_URL", env.get("WPE_API_URL")),
        ("cli", "--api-url", api_url),
    )
    for source, where, value in url_overrides:
        given = _nonblank(value)
        if given is None:
            continue
        try:
            base_url, base_url_source = _check_url(given), source
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc}") from None

    def secret(
        variable: str, field_name: str, stored: SecretStr | None, command: str | None
    ) -> tuple[SecretStr | None, CredentialSource]:
        from_env = _nonblank(env.get(variable))
        if from_env is not None:
            return SecretStr(from_env), "environment"
        if stored is not None:
            if command is not None:
                warnings.append(
                    f"{file_path}: profiles.{name} has both {field_name} and "
                    f"{field_name}_command; using {field_name}"
                )
            return stored, "file"
        if command is not None:
            where = f"{file_path}: profiles.{name}.{field_name}_command"
            return _run_secret_command(command, where), "command"
        return None, "none"

    api_key: SecretStr | None = None
    api_key_source: CredentialSource = "none"
    api_user: str | None = None
    api_user_source: CredentialSource = "none"
    api_password: SecretStr | None = None
    api_password_source: CredentialSource = "none"  # noqa: S105 - a source, not a password
    if api_name == "platform":
        env_user = _nonblank(env.get("WPE_API_USER"))
        if env_user is not None:
            api_user, api_user_source = env_user, "environment"
        elif chosen.api_user is not None:
            api_user, api_user_source = chosen.api_user, "file"
        api_password, api_password_source = secret(
            "WPE_API_PASSWORD", "api_password", chosen.api_password, chosen.api_password_command
        )
    else:
        api_key, api_key_source = secret(
            "WPE_API_KEY", "api_key", chosen.api_key, chosen.api_key_command
        )

    # A credential for the other API is not sent anywhere; say so rather than ignore it.
    other = ("WPE_API_KEY",) if api_name == "platform" else ("WPE_API_USER", "WPE_API_PASSWORD")
    unused = [variable for variable in other if _nonblank(env.get(variable)) is not None]
    if unused:
        which = "Hosting Platform API" if api_name == "platform" else "Customer API"
        names = " and ".join(unused)
        verb = "is" if len(unused) == 1 else "are"
        warnings.append(f"{names} {verb} set but profile {name} uses the {which}: not used")

    if themes is not None:
        theme_warning = _theme_warning(config.ui.theme, themes, file_path)
        if theme_warning is not None:
            warnings.append(theme_warning)
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
        api=api_name,
        api_source=api_source,
        base_url_source=base_url_source,
        api_key_source=api_key_source,
        api_user=api_user,
        api_user_source=api_user_source,
        api_password=api_password,
        api_password_source=api_password_source,
        notification_emails=tuple(chosen.notification_emails),
        requests_per_second=chosen.requests_per_second,
        max_in_flight=chosen.max_in_flight,
    )


# resolve_settings' `config_path` parameter shadows the function of the same name.
_default_config_path = config_path
