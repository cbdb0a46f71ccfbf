"""The error report and `--help` never show the API key."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import pytest

from wpe_tui.crash_report import REDACTED, build_report, environment_secrets, redact, save_report
from wpe_tui.launch import run_app

KEY = "wpe-secret-4f2a9c7e1b"
TEXTUAL = metadata.version("textual")  # whichever release is installed


@pytest.mark.parametrize(
    "leak",
    [
        f"failed with key {KEY}",
        f"Authorization: ApiKey {KEY}",
        f"{{'authorization': 'ApiKey {KEY}', 'accept': 'application/json'}}",
        f"headers=Headers({{'authorization': '{KEY}'}})",
        f"key='{KEY}  '",
    ],
)
def test_redact_hides_the_key_in_any_spelling(leak: str) -> None:
    shown = redact(leak, [f"  {KEY}  "])
    assert KEY not in shown and REDACTED in shown


def test_redact_hides_an_authorization_value_it_was_not_told_about() -> None:
    shown = redact("Authorization: Bearer abc.def.ghi\nApiKey zzz123 was refused", [])
    assert "abc.def.ghi" not in shown and "zzz123" not in shown
    assert "Authorization: Bearer ***" in shown and "ApiKey *** was refused" in shown


def test_redact_keeps_the_rest_and_drops_terminal_escapes() -> None:
    shown = redact(f"site \x1b]52;c;Zm9v\x07{KEY}\x1b[2J gone\n  next line", [KEY, "", "  "])
    assert shown == "site *** gone\n  next line"


def raise_with_key() -> None:
    try:
        raise ValueError(f"inner {KEY}")
    except ValueError as inner:
        raise RuntimeError(f"outer Authorization: ApiKey {KEY}") from inner


def test_report_names_error_versions_screen_and_frames_never_the_key() -> None:
    try:
        raise_with_key()
    except RuntimeError as error:
        report = build_report(
            error,
            secrets=[KEY],
            screen="SiteListScreen (open: SiteListScreen)",
            terminal="TERM=xterm, 80x24",
            when=datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
        )
    assert report.summary == "RuntimeError: outer Authorization: ApiKey ***"
    text = report.text
    assert "When: 2026-11-01 12:00:00 UTC" in text
    assert "wpe-tui " in text and f"Textual {TEXTUAL}" in text and "Python 3." in text
    assert "Screen: SiteListScreen" in text and "TERM=xterm, 80x24" in text
    assert "in raise_with_key" in text  # the frame where it happened
    assert "ValueError: inner ***" in text  # and the cause
    assert KEY not in text


def test_saved_report_is_readable_by_the_user_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    when = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    first = save_report("report one", when=when)
    second = save_report("report two", when=when)  # same second: a new file, not overwritten
    assert first != second and first.parent == second.parent
    assert first.is_relative_to(tmp_path / "state")
    assert first.read_text() == "report one\n" and second.read_text() == "report two\n"
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert stat.S_IMODE(first.parent.stat().st_mode) == 0o700


def test_report_goes_to_the_temporary_folder_when_state_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "state"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    path = save_report("report")
    assert path.parent == tmp_path / "tmp" and path.read_text() == "report\n"


def test_help_never_shows_the_key(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
        "WPE_API_KEY": KEY,
    }
    for args in (["--help"], ["demo-server", "--help"]):
        result = subprocess.run(
            [sys.executable, "-m", "wpe_tui", *args],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert result.returncode == 0 and "usage: wpe-tui" in result.stdout
        assert KEY not in result.stdout + result.stderr


class ExplodingApp:
    """Stands in for an app whose run fails outside Textual's own error handling."""

    async def run_async(self) -> None:
        raise RuntimeError(f"driver failed, Authorization: ApiKey {KEY}")

    def exit(self, return_code: int = 0) -> None:
        pass

    return_code = None


def test_error_escaping_the_app_is_printed_without_the_key(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = run_app(ExplodingApp(), secrets=[KEY])  # type: ignore[arg-type]
    printed = capsys.readouterr().err
    assert status == 1
    assert "RuntimeError: driver failed" in printed and KEY not in printed


def test_report_module_loads_without_textual_or_rich() -> None:
    # The report is pure: it can be built and printed even when Textual itself failed,
    # and loading it costs nothing at start-up.
    code = (
        "import sys, wpe_tui.crash_report\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


def test_credentials_in_the_environment_are_secrets() -> None:
    env = {"WPE_API_KEY": KEY, "WPE_API_PASSWORD": "hunter2-pass", "HOME": "/home/user"}
    assert environment_secrets(env) == [KEY, "hunter2-pass"]
    assert environment_secrets({"WPE_API_PASSWORD": ""}) == []
