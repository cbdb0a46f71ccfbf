"""The state file as the app meets it: what it remembers, and files that went wrong."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from wpe_tui.state import (
    MAX_OPERATIONS,
    ProfilePrefs,
    State,
    load_state,
    save_state,
    state_path,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "state-home"
    monkeypatch.setenv("XDG_STATE_HOME", str(home))
    return home


def op(n: int, started: datetime | str | float | None = NOW, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"id": f"op-{n}", "kind": "backup", "status": "in_progress", **extra}
    if isinstance(started, datetime):
        body["started_at"] = started.isoformat()
    elif started is not None:
        body["started_at"] = started
    return body


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- where, and the first run -------------------------------------------------------------


def test_state_path_follows_xdg_state_home(xdg: Path) -> None:
    assert state_path() == xdg / "wpe-tui" / "state.json"


def test_missing_file_gives_defaults_without_a_warning() -> None:
    state = load_state()
    assert state.warning is None
    assert state.theme is None
    assert state.theme_for("textual-dark") == "textual-dark"
    assert state.prefs("work") == ProfilePrefs()
    assert state.operations("work") == []


# --- round trips --------------------------------------------------------------------------


def test_everything_round_trips() -> None:
    state = load_state()
    state.set_theme("nord", config_theme="textual-dark")
    state.set_prefs("work", sort="name", order="desc", status="active", tab="backups")
    state.set_prefs("client", tab="deployments")
    state.set_operations("work", [op(1), op(2, status="completed")], now=NOW)
    assert save_state(state) is None

    again = load_state(now=NOW)
    assert again.warning is None
    assert again.theme == "nord"
    assert again.prefs("work") == ProfilePrefs("name", "desc", "active", "backups")
    assert again.prefs("client") == ProfilePrefs(tab="deployments")
    assert again.operations("work") == [op(1), op(2, status="completed")]
    assert again.operations("client") == []


def test_set_prefs_keeps_what_it_is_not_given_and_none_resets() -> None:
    state = State()
    state.set_prefs("work", sort="name", order="asc")
    assert state.set_prefs("work", order="desc") == ProfilePrefs(sort="name", order="desc")
    assert state.set_prefs("work", sort=None) == ProfilePrefs(order="desc")


def test_a_theme_picked_in_the_palette_wins_until_config_toml_is_edited() -> None:
    state = State()
    state.set_theme("nord", config_theme="textual-dark")
    assert state.theme_for("textual-dark") == "nord"
    # The user edited ui.theme since: their newer word wins.
    assert state.theme_for("gruvbox") == "gruvbox"


def test_operations_are_copies() -> None:
    state = State()
    ops = [op(1)]
    state.set_operations("work", ops, now=NOW)
    ops[0]["status"] = "changed outside"
    got = state.operations("work")
    got[0]["status"] = "changed again"
    assert state.operations("work") == [op(1)]


def test_operations_must_be_plain_json() -> None:
    state = State()
    with pytest.raises(TypeError):
        state.set_operations("work", [{"started_at": NOW}])
    with pytest.raises(ValueError):
        state.set_operations("work", [{"progress": float("nan")}])


# --- caps -----------------------------------------------------------------------------------


def test_history_keeps_the_last_operations_only() -> None:
    state = State()
    kept = state.set_operations("work", [op(n) for n in range(250)], now=NOW)
    assert len(kept) == MAX_OPERATIONS == 200
    assert kept[0]["id"] == "op-50" and kept[-1]["id"] == "op-249"


def test_operations_older_than_seven_days_are_dropped() -> None:
    state = State()
    ops = [
        op(1, NOW - timedelta(days=8)),
        op(2, NOW - timedelta(days=6, hours=23)),
        op(3, (NOW - timedelta(days=9)).timestamp()),  # POSIX seconds
        op(4, NOW.timestamp()),
        op(5, "2025-05-31T12:00:00"),  # no time zone: UTC
        op(6, "2025-05-20T12:00:00Z"),
        op(7, "not a date"),  # kept: the age cannot be told
        op(8, None),
    ]
    kept = state.set_operations("work", ops, now=NOW)
    assert [item["id"] for item in kept] == ["op-2", "op-4", "op-5", "op-7", "op-8"]


def test_old_operations_are_dropped_when_the_file_is_read(xdg: Path) -> None:
    path = xdg / "wpe-tui" / "state.json"
    data = {"profiles": {"work": {"operations": [op(1, NOW - timedelta(days=30)), op(2)]}}}
    write(path, json.dumps(data))
    assert [item["id"] for item in load_state(now=NOW).operations("work")] == ["op-2"]


# --- the file on disk -----------------------------------------------------------------------


def test_file_is_0600_in_a_0700_directory(xdg: Path) -> None:
    state = State()
    state.set_prefs("work", sort="name")
    assert save_state(state) is None
    path = xdg / "wpe-tui" / "state.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]


def test_file_is_private_from_the_first_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    modes: list[int] = []
    real_replace = os.replace

    def spy(src: Any, dst: Any) -> None:
        modes.append(stat.S_IMODE(os.stat(src).st_mode))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    state = State()
    state.set_operations("work", [op(1)], now=NOW)
    assert save_state(state) is None
    assert modes == [0o600]


def test_a_failed_write_leaves_the_old_file_and_says_so(
    xdg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = State()
    state.set_prefs("work", sort="name")
    assert save_state(state) is None
    path = xdg / "wpe-tui" / "state.json"
    before = path.read_bytes()

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    state.set_prefs("work", sort="created_at")
    warning = save_state(state)
    assert warning == (
        f"{path}: cannot write the file: no space left on device; "
        "preferences and history are not saved"
    )
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]


def test_an_unwritable_place_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    blocker = write(tmp_path / "file", "")
    state = State(path=blocker / "wpe-tui" / "state.json")  # a file where a directory should be
    state.set_prefs("work", sort="name")
    warning = save_state(state)
    assert warning is not None and "cannot write the file" in warning


def test_saving_writes_through_a_symlink(tmp_path: Path) -> None:
    real = write(tmp_path / "dotfiles" / "state.json", "{}")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    state = load_state(link)
    state.set_prefs("work", tab="backups")
    assert save_state(state) is None
    assert link.is_symlink()
    assert json.loads(real.read_text())["profiles"]["work"]["tab"] == "backups"


# --- files that went wrong: defaults and one sentence, never a crash -------------------------


def test_corrupt_file_gives_defaults_and_is_kept_aside(xdg: Path) -> None:
    path = write(xdg / "wpe-tui" / "state.json", '{"theme": "nord",\n  "profiles": {')
    state = load_state()
    assert state.warning == (
        f"{path}: the file is not valid JSON (line 2, column 16); starting with defaults, "
        "the old file is kept as state.json.corrupt"
    )
    assert state.theme is None
    assert (path.parent / "state.json.corrupt").read_text().startswith('{"theme"')
    state.set_prefs("work", sort="name")
    assert save_state(state) is None
    assert load_state().warning is None


@pytest.mark.parametrize(
    ("content", "sentence"),
    [
        ("", "the file is empty; starting with defaults"),
        ("  \n", "the file is empty; starting with defaults"),
        (
            "[1, 2]",
            "the file holds an array, not an object; starting with defaults, "
            "the old file is kept as state.json.corrupt",
        ),
        (
            "null",
            "the file holds null, not an object; starting with defaults, "
            "the old file is kept as state.json.corrupt",
        ),
    ],
)
def test_empty_or_wrong_typed_files_give_defaults(xdg: Path, content: str, sentence: str) -> None:
    path = write(xdg / "wpe-tui" / "state.json", content)
    state = load_state()
    assert state.warning == f"{path}: {sentence}"
    assert state.prefs("work") == ProfilePrefs()


def test_binary_garbage_gives_defaults(xdg: Path) -> None:
    path = xdg / "wpe-tui" / "state.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xfe\x00garbage")
    state = load_state()
    assert state.warning is not None
    assert state.warning.startswith(f"{path}: the file is not valid JSON;")


def test_an_unreadable_file_gives_defaults(xdg: Path) -> None:
    path = xdg / "wpe-tui" / "state.json"
    path.mkdir(parents=True)  # a directory cannot be read as a file, even by root
    state = load_state()
    assert state.warning is not None
    assert state.warning.startswith(f"{path}: cannot read the file:")


def test_wrong_typed_values_are_dropped_and_the_rest_kept(xdg: Path) -> None:
    data = {
        "theme": 3,
        "profiles": {
            "work": {"sort": ["name"], "order": "desc", "operations": [op(1), "junk", 7]},
            "client": "not an object",
            "agency": {"operations": {"id": "x"}},
        },
    }
    path = write(xdg / "wpe-tui" / "state.json", json.dumps(data))
    state = load_state(now=NOW)
    assert state.warning == (
        f"{path}: theme is a number, not a string (and 4 more problems); "
        "the default is used instead"
    )
    assert state.theme is None
    assert state.prefs("work") == ProfilePrefs(order="desc")
    assert state.operations("work") == [op(1)]
    assert state.operations("agency") == []


def test_profiles_of_the_wrong_type_are_dropped(xdg: Path) -> None:
    path = write(xdg / "wpe-tui" / "state.json", '{"theme": "nord", "profiles": []}')
    state = load_state()
    assert state.warning == (
        f"{path}: profiles is an array, not an object; the default is used instead"
    )
    assert state.theme == "nord"


# --- forward compatibility and two runs at once ----------------------------------------------


def test_unknown_keys_are_kept_on_write(xdg: Path) -> None:
    data = {
        "version": 2,
        "layout": {"split": 0.4},
        "profiles": {"work": {"sort": "name", "columns": ["name", "php"], "operations": []}},
    }
    path = write(xdg / "wpe-tui" / "state.json", json.dumps(data))
    state = load_state()
    state.set_prefs("work", order="asc")
    state.set_operations("work", [op(1, extra_field={"a": 1})], now=NOW)
    assert save_state(state) is None
    written = json.loads(path.read_text())
    assert written["version"] == 2
    assert written["layout"] == {"split": 0.4}
    assert written["profiles"]["work"]["columns"] == ["name", "php"]
    assert written["profiles"]["work"]["operations"][0]["extra_field"] == {"a": 1}


def test_two_runs_on_different_profiles_keep_each_others_history() -> None:
    pane_a = load_state()
    pane_b = load_state()
    pane_a.set_operations("work", [op(1)], now=NOW)
    assert save_state(pane_a) is None
    pane_b.set_operations("client", [op(2)], now=NOW)
    pane_b.set_theme("nord", config_theme="textual-dark")
    assert save_state(pane_b) is None
    pane_a.set_prefs("work", sort="name")
    assert save_state(pane_a) is None

    final = load_state(now=NOW)
    assert final.operations("work") == [op(1)]
    assert final.operations("client") == [op(2)]
    assert final.theme == "nord"  # pane A never touched the theme
    assert final.prefs("work") == ProfilePrefs(sort="name")
    # What pane B wrote is pane A's view too after its save.
    assert pane_a.operations("client") == [op(2)]


def test_state_does_not_touch_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))
    state = load_state()
    state.set_theme("nord", config_theme="textual-dark")
    assert save_state(state) is None
    assert not (tmp_path / "config-home").exists()
