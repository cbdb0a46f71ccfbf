"""The error report: what an unexpected error shows, copies and saves, with every secret hidden.

Pure: no Textual here (the guard that catches errors in the running app is
`wpe_tui.crash_guard`), so the report can be built, tested and printed
anywhere, even after Textual itself has failed.
"""

from __future__ import annotations

import asyncio
import os
import platform
import re
import tempfile
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from wpe_tui import __version__
from wpe_tui.text import clean

if TYPE_CHECKING:
    from rich.text import Text

REDACTED = "***"

# Environment variables that may hold a credential, whatever the profile says.
SECRET_ENVIRONMENT = ("WPE_API_KEY", "WPE_API_PASSWORD")

# The header the key travels in, in any spelling a log or a repr may give it:
# `Authorization: ApiKey k`, `'authorization': 'ApiKey k'`, `Authorization=Basic k`.
# A credential is made of these (hex, base64, base64url, JWT): anything else ends it.
_CREDENTIAL = r"[A-Za-z0-9._~+/=-]+"
_SCHEME = r"(?:apikey|bearer|basic|token)"
_AUTH_HEADER = re.compile(
    rf"(?i)(authorization['\"]?\s*[:=]\s*['\"]?(?:{_SCHEME}\s+)?)(?!{_SCHEME}\b){_CREDENTIAL}"
)
_API_KEY_SCHEME = re.compile(r"(?i)\b(apikey\s+)" + _CREDENTIAL)


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` without terminal escapes, with every secret and Authorization value as `***`."""
    text = clean(text, keep_newlines=True)
    values = {value for secret in secrets for value in (secret, secret.strip()) if value.strip()}
    for value in sorted(values, key=len, reverse=True):  # a longer secret may hold a shorter
        text = text.replace(value, REDACTED)
    text = _AUTH_HEADER.sub(rf"\g<1>{REDACTED}", text)
    return _API_KEY_SCHEME.sub(rf"\g<1>{REDACTED}", text)


def environment_secrets(env: Mapping[str, str] | None = None) -> list[str]:
    """The credentials set in the environment (`WPE_API_KEY`, `WPE_API_PASSWORD`)."""
    env = os.environ if env is None else env
    return [value for name in SECRET_ENVIRONMENT if (value := env.get(name))]


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def versions() -> str:
    return (
        f"wpe-tui {__version__}, Textual {_package_version('textual')}, "
        f"Python {platform.python_version()} ({platform.platform(terse=True)})"
    )


# Frames of the machinery between a key press and the handler that failed: noise in a report.
def _package_dirs(*names: str) -> tuple[str, ...]:
    """Where each package lives, found without importing it."""
    dirs: list[str] = []
    for name in names:
        spec = find_spec(name)
        if spec is not None:
            dirs.extend(path + os.sep for path in spec.submodule_search_locations or ())
    return tuple(dirs)


_MACHINERY = (
    *_package_dirs("textual"),
    str(Path(asyncio.__file__).parent) + os.sep,
    __file__,
    str(Path(__file__).with_name("crash_guard.py")),
)


def format_traceback(error: BaseException) -> str:
    """The traceback of `error` and its causes, without the frames of Textual and asyncio."""
    shown = traceback.TracebackException.from_exception(error)
    pending, left_out = [shown], False
    while pending:
        part = pending.pop()
        frames = [f for f in part.stack if not f.filename.startswith(_MACHINERY)]
        # An error raised inside Textual itself keeps its frames: they are the story.
        if frames and len(frames) < len(part.stack):
            part.stack = traceback.StackSummary.from_list(frames)
            left_out = True
        pending.extend(p for p in (part.__cause__, part.__context__) if p is not None)
    text = "".join(shown.format()).rstrip()
    return text + ("\n(Frames inside Textual and asyncio are left out.)" if left_out else "")


@dataclass(frozen=True)
class CrashReport:
    """One unexpected error, as the user sees and shares it: already redacted."""

    summary: str  # "RuntimeError: what it said", one line
    text: str  # the whole report: when, versions, screen, traceback
    error: BaseException  # the original: for tests and the log, never for display


def build_report(
    error: BaseException,
    *,
    secrets: Iterable[str],
    screen: str,
    terminal: str,
    when: datetime | None = None,
) -> CrashReport:
    """A report of `error` with every secret replaced by `***`."""
    secrets = list(secrets)
    when = when or datetime.now(UTC)
    message = str(error).strip().splitlines()
    summary = type(error).__name__ + (f": {message[0]}" if message else "")
    trace = format_traceback(error)
    lines = [
        "wpe-tui error report (the API key is shown as ***)",
        f"When: {when.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC",
        f"Versions: {versions()}",
        f"Terminal: {terminal}",
        f"Screen: {screen}",
        f"Error: {summary}",
        "",
        trace,
    ]
    return CrashReport(
        summary=redact(summary, secrets),
        text=redact("\n".join(lines), secrets),
        error=error,
    )


def reports_dir() -> Path:
    return platformdirs.user_state_path("wpe-tui") / "reports"


def save_report(text: str, *, when: datetime | None = None) -> Path:
    """Write `text` to a new file readable by the user only; return where it went.

    The state directory first (`~/.local/state/wpe-tui/reports`), the temporary
    directory if that cannot be written.
    """
    stamp = f"{(when or datetime.now(UTC)).astimezone(UTC):%Y%m%d-%H%M%S}"
    last_error: OSError | None = None
    for folder in (reports_dir(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            for attempt in range(100):
                suffix = f"-{attempt}" if attempt else ""
                path = folder / f"wpe-tui-error-{stamp}{suffix}.txt"
                try:
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                except FileExistsError:
                    continue
                with os.fdopen(fd, "w", encoding="utf-8") as file:
                    file.write(text if text.endswith("\n") else text + "\n")
                return path
        except OSError as error:
            last_error = error
    raise last_error or OSError("no folder to save the report in")


class FatalError(Exception):
    """Why the app stopped, with the redacted report: what is printed after it exits."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __rich__(self) -> Text:
        from rich.text import Text  # only when Textual prints it at exit

        return Text(self.text)
