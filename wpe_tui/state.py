"""What the app writes by itself: ``$XDG_STATE_HOME/wpe-tui/state.json``.

``config.toml`` is the user's and the app never rewrites it on its own. What the
app remembers between runs lives here instead: the theme picked in the palette,
and per profile the site list's sort field, order and status filter, the last
site-detail tab, and the operations started (so an SSH drop or a quit loses
nothing). The file, JSON::

    {
      "version": 1,
      "theme": "nord",                     # picked in the palette
      "theme_config": "textual-dark",      # ui.theme of config.toml when it was picked
      "profiles": {
        "work": {
          "sort": "name", "order": "asc", "status": "active", "tab": "backups",
          "operations": [{"started_at": "2025-01-01T12:00:00+00:00", ...}, ...]
        }
      }
    }

Reading is tolerant: a missing file is the first run; an empty, corrupt or
wrong-typed one (or value) gives the defaults for what is wrong and one warning
sentence naming the file (a corrupt file is kept beside it as
``state.json.corrupt``). It never stops the app. Writing is atomic, mode 0600 in
a 0700 directory from the first byte, and keeps keys this version does not know
(a newer wpe-tui may have written them). The caller debounces writes.

Operations are plain JSON dicts whose content the app defines. Two rules come
from here: a list is kept oldest first and only its last ``MAX_OPERATIONS`` stay,
and one whose ``started_at`` (ISO 8601, or POSIX seconds) is older than
``OPERATION_MAX_AGE`` is dropped.

Two runs at once (two tmux panes) share the file: a save re-reads it and
replaces only the parts this run changed (the theme; each profile it touched),
so one pane does not erase the other's history.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any, Final

import platformdirs

from wpe_tui.files import why, write_private

__all__ = [
    "KEEP",
    "MAX_OPERATIONS",
    "OPERATION_MAX_AGE",
    "STATE_VERSION",
    "ProfilePrefs",
    "State",
    "load_state",
    "save_state",
    "state_path",
]

STATE_VERSION = 1
MAX_OPERATIONS = 200  # per profile
OPERATION_MAX_AGE = timedelta(days=7)

_PREF_KEYS = ("sort", "order", "status", "tab")


def state_path() -> Path:
    """Where the state file lives; computed per call so $XDG_STATE_HOME set later counts."""
    return platformdirs.user_state_path("wpe-tui") / "state.json"


class _Keep(Enum):
    KEEP = "keep"


KEEP: Final = _Keep.KEEP
"""For ``State.set_prefs``: leave this preference as it is."""


@dataclass(frozen=True)
class ProfilePrefs:
    """What the app remembers of one profile's views; None: the app's default."""

    sort: str | None = None  # the site list's sort field
    order: str | None = None  # "asc" or "desc", as the app sends it
    status: str | None = None  # the site list's status filter
    tab: str | None = None  # the last site-detail tab


def _started_at(operation: Mapping[str, Any]) -> datetime | None:
    value = operation.get("started_at")
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    return None


def _prune(operations: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """Drop the ones started more than OPERATION_MAX_AGE ago; keep the last MAX_OPERATIONS."""
    oldest = now - OPERATION_MAX_AGE
    kept = []
    for operation in operations:
        started = _started_at(operation)
        if started is None or started >= oldest:
            kept.append(operation)
    return kept[-MAX_OPERATIONS:]


class State:
    """The state file's content: typed accessors over its JSON data."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        path: Path | None = None,
        warning: str | None = None,
    ) -> None:
        self._data: dict[str, Any] = copy.deepcopy(dict(data)) if data else {}
        self._data.setdefault("version", STATE_VERSION)
        self.path = state_path() if path is None else path
        # One sentence about what was wrong with the file when it was read, or None.
        self.warning = warning
        # What this run changed, so a save keeps what another run wrote to the rest.
        self._touched_theme = False
        self._touched_profiles: set[str] = set()

    # -- the theme --------------------------------------------------------------------

    @property
    def theme(self) -> str | None:
        """The theme last picked in the palette, if any."""
        value = self._data.get("theme")
        return value if isinstance(value, str) else None

    def theme_for(self, config_theme: str) -> str:
        """The theme to use: the one picked in the palette, unless config.toml's
        ``ui.theme`` was edited since (the user's newer word wins)."""
        picked = self.theme
        if picked is None:
            return config_theme
        over = self._data.get("theme_config")
        if isinstance(over, str) and over != config_theme:
            return config_theme
        return picked

    def set_theme(self, name: str, *, config_theme: str) -> None:
        """Remember a theme picked in the palette, over ``config_theme`` (ui.theme)."""
        self._data["theme"] = name
        self._data["theme_config"] = config_theme
        self._touched_theme = True

    # -- per profile ------------------------------------------------------------------

    def _profile(self, profile: str, *, create: bool = False) -> dict[str, Any]:
        profiles = self._data.get("profiles")
        if not isinstance(profiles, dict):
            profiles = {}
            if create:
                self._data["profiles"] = profiles
        body = profiles.get(profile)
        if not isinstance(body, dict):
            body = {}
            if create:
                profiles[profile] = body
        if create:
            self._touched_profiles.add(profile)
        return body

    def prefs(self, profile: str) -> ProfilePrefs:
        body = self._profile(profile)
        values = {key: body.get(key) for key in _PREF_KEYS}
        return ProfilePrefs(**{k: v for k, v in values.items() if isinstance(v, str)})

    def set_prefs(
        self,
        profile: str,
        *,
        sort: str | _Keep | None = KEEP,
        order: str | _Keep | None = KEEP,
        status: str | _Keep | None = KEEP,
        tab: str | _Keep | None = KEEP,
    ) -> ProfilePrefs:
        """Change some preferences of a profile (None: back to the app's default)."""
        body = self._profile(profile, create=True)
        for key, value in (("sort", sort), ("order", order), ("status", status), ("tab", tab)):
            if value is KEEP:
                continue
            if value is None:
                body.pop(key, None)
            elif isinstance(value, str):
                body[key] = value
            else:
                raise TypeError(f"{key} must be a string or None")
        return self.prefs(profile)

    def operations(self, profile: str) -> list[dict[str, Any]]:
        """The profile's operation history, oldest first (copies: change them freely)."""
        found = self._profile(profile).get("operations")
        if not isinstance(found, list):
            return []
        return [copy.deepcopy(item) for item in found if isinstance(item, dict)]

    def set_operations(
        self,
        profile: str,
        operations: Iterable[Mapping[str, Any]],
        *,
        now: datetime | None = None,
    ) -> list[dict[str, Any]]:
        """Replace the profile's history (oldest first); returns what is kept after the
        age and count limits. Raises TypeError or ValueError for what JSON cannot hold."""
        # A JSON round trip: plain data only (no datetimes, no NaN), and no shared lists.
        plain = json.loads(json.dumps([dict(item) for item in operations], allow_nan=False))
        kept = _prune(plain, datetime.now(UTC) if now is None else now)
        self._profile(profile, create=True)["operations"] = kept
        return copy.deepcopy(kept)

    def to_json(self) -> dict[str, Any]:
        """A copy of the file's data, unknown keys included."""
        return copy.deepcopy(self._data)

    def _merged_over(self, disk: Mapping[str, Any]) -> dict[str, Any]:
        """Another run's file with what this run changed put over it."""
        merged = copy.deepcopy(dict(disk))
        for key, value in self._data.items():
            if key not in ("theme", "theme_config", "profiles"):
                merged.setdefault(key, copy.deepcopy(value))
        if self._touched_theme:
            for key in ("theme", "theme_config"):
                if key in self._data:
                    merged[key] = self._data[key]
        if self._touched_profiles:
            profiles = merged.get("profiles")
            if not isinstance(profiles, dict):
                profiles = merged["profiles"] = {}
            ours = self._data.get("profiles", {})
            for name in self._touched_profiles:
                profiles[name] = copy.deepcopy(ours[name])
        return merged


# --- reading ---------------------------------------------------------------------------


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _sanitised(data: dict[str, Any], now: datetime) -> tuple[dict[str, Any], list[str]]:
    """The data with every wrong-typed known value dropped; the problems, in words."""
    problems: list[str] = []
    for key in ("theme", "theme_config"):
        if key in data and not isinstance(data[key], str):
            problems.append(f"{key} is {_type_name(data.pop(key))}, not a string")
    profiles = data.get("profiles")
    if profiles is None:
        return data, problems
    if not isinstance(profiles, dict):
        problems.append(f"profiles is {_type_name(data.pop('profiles'))}, not an object")
        return data, problems
    for name in list(profiles):
        body = profiles[name]
        if not isinstance(body, dict):
            problems.append(f"profiles.{name} is {_type_name(profiles.pop(name))}, not an object")
            continue
        for key in _PREF_KEYS:
            if key in body and not isinstance(body[key], str):
                problems.append(
                    f"profiles.{name}.{key} is {_type_name(body.pop(key))}, not a string"
                )
        operations = body.get("operations")
        if operations is None:
            continue
        if not isinstance(operations, list):
            problems.append(
                f"profiles.{name}.operations is {_type_name(body.pop('operations'))}, not an array"
            )
            continue
        plain = [item for item in operations if isinstance(item, dict)]
        if len(plain) != len(operations):
            problems.append(f"profiles.{name}.operations has items that are not objects")
        body["operations"] = _prune(plain, now)
    return data, problems


def _set_aside(path: Path) -> str:
    """Keep an unreadable file beside the new one, for whoever wants to look."""
    aside = path.with_name(path.name + ".corrupt")
    try:
        os.replace(path, aside)
    except OSError:
        return "it will be replaced"
    return f"the old file is kept as {aside.name}"


def load_state(path: Path | None = None, *, now: datetime | None = None) -> State:
    """Read the state file; never raises for its content (see ``State.warning``)."""
    path = state_path() if path is None else path
    now = datetime.now(UTC) if now is None else now
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return State(path=path)
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        return State(
            path=path, warning=f"{path}: cannot read the file: {reason}; starting with defaults"
        )
    if not raw.strip():
        return State(path=path, warning=f"{path}: the file is empty; starting with defaults")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = (
            f" (line {exc.lineno}, column {exc.colno})"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        return State(
            path=path,
            warning=f"{path}: the file is not valid JSON{where}; starting with defaults, "
            f"{_set_aside(path)}",
        )
    if not isinstance(data, dict):
        return State(
            path=path,
            warning=f"{path}: the file holds {_type_name(data)}, not an object; starting "
            f"with defaults, {_set_aside(path)}",
        )
    data, problems = _sanitised(data, now)
    warning = None
    if problems:
        more = len(problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        warning = f"{path}: {problems[0]}{suffix}; the default is used instead"
    return State(data, path=path, warning=warning)


# --- writing ---------------------------------------------------------------------------


def _read_for_merge(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def save_state(state: State, path: Path | None = None) -> str | None:
    """Write the state atomically (0600 file, 0700 directory); return None, or one
    sentence saying why it could not be written. Never raises for the file system."""
    path = state.path if path is None else path
    target = Path(os.path.realpath(path))  # write through a symlink, not over it
    disk = _read_for_merge(target)
    data = state.to_json() if disk is None else state._merged_over(disk)
    payload = (json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False) + "\n").encode()
    try:
        write_private(target, payload, prefix=".state-")
    except OSError as exc:
        return f"{path}: cannot write the file: {why(exc)}; preferences and history are not saved"
    # What another run wrote is now this run's view too.
    state._data = data
    return None
