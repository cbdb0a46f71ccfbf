"""Crash safety: an unexpected exception shows a report instead of ending the session.

Textual's answer to an exception that escapes a handler is to end the app: the
message loop of the widget that raised stops, `App._handle_exception` prints a
traceback (with local variables, where an API key could sit) and the app
exits. `CrashGuard`, a base of `WpeApp`, changes that:

- every message loop of the app (the app's own, each screen's and each
  widget's) catches what escapes a handler, so no part of the app stops
  listening, and reports it;
- `_handle_exception`, where the rest of Textual sends errors (compose, timers,
  workers started with `exit_on_error=True`, rendering), reports them too;
- a report opens `CrashScreen` on top of whatever was showing, with the API key
  replaced by `***`; `escape` goes back to the app.

An `ApiError` that gets this far becomes a toast: the screens handle those, and
the app never stops on an API error. The app still exits, printing the redacted
report and nothing else, when the error screen itself fails, when the app is
starting or stopping, or when errors keep coming (more than `CRASH_LIMIT`
within `CRASH_WINDOW` seconds): a loop of error screens helps nobody.
"""

from __future__ import annotations

import asyncio
import os
import platform
import re
import tempfile
import time
import traceback
from collections import deque
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
import textual
from pydantic import SecretStr
from rich.text import Text
from textual import events
from textual._context import active_message_pump
from textual.app import App
from textual.css.query import DOMQuery
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import WorkerFailed

from wpe_tui import __version__
from wpe_tui.api import ApiError
from wpe_tui.text import clean

if TYPE_CHECKING:
    from wpe_tui.screens.crash import CrashScreen

REDACTED = "***"

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
_MACHINERY = (
    *(
        str(Path(module.__file__).parent) + os.sep
        for module in (textual, asyncio)
        if module.__file__
    ),
    __file__,
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
        return Text(self.text)


Dispatch = Callable[[Message], Coroutine[Any, Any, None]]
Flush = Callable[[], Coroutine[Any, Any, None]]


class CrashGuard(App[Any]):
    """A Textual app that shows an error screen instead of dying on an unexpected exception."""

    CRASH_LIMIT = 3  # errors allowed within CRASH_WINDOW before the app gives up
    CRASH_WINDOW = 5.0  # seconds

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.crash_reports: list[CrashReport] = []
        self._crash_times: deque[float] = deque(maxlen=self.CRASH_LIMIT + 1)
        self._crash_ready = False  # set once the app itself is mounted
        self._crash_half_built: list[Screen[Any]] = []
        self._crash_screen: CrashScreen | None = None

    # -- what to hide --------------------------------------------------------

    def crash_secrets(self) -> list[str]:
        """Every value the report must not show: the key in use, and any password typed."""
        secrets: list[str] = []
        settings = getattr(self, "settings", None)
        key = getattr(settings, "api_key", None)
        if isinstance(key, SecretStr):
            secrets.append(key.get_secret_value())
        env_key = os.environ.get("WPE_API_KEY")
        if env_key:
            secrets.append(env_key)
        # The client's key (after the setup screen it may differ from the settings');
        # in demo mode it is the fake account's placeholder, not a secret.
        client = getattr(self, "_client", None)
        secret = getattr(client, "_secret", None)
        if isinstance(secret, SecretStr) and not getattr(self, "demo", False):
            secrets.append(secret.get_secret_value())
        for screen in self.screen_stack:
            try:
                inputs: DOMQuery[Input] = screen.query(Input)
                secrets.extend(i.value for i in inputs if i.password and i.value)
            except Exception:  # noqa: S112 - a half-built screen must not stop the report
                continue
        return secrets

    def redact(self, text: str) -> str:
        return redact(text, self.crash_secrets())

    # -- catching ------------------------------------------------------------

    def _crash_can_recover(self) -> bool:
        return self._crash_ready and self.is_running and not self._exit and not self._closing

    async def _dispatch_message(self, message: Message) -> None:
        if not self._crash_ready:
            await super()._dispatch_message(message)
            if isinstance(message, events.Mount):
                self._crash_ready = True
            return
        try:
            await super()._dispatch_message(message)
        except Exception as error:
            if not self._crash_can_recover():
                raise
            self._crash(error, self)

    async def _flush_next_callbacks(self) -> None:
        try:
            await super()._flush_next_callbacks()
        except Exception as error:
            if not self._crash_can_recover():
                raise
            self._crash(error, self)

    def _register(
        self,
        parent: Any,
        *widgets: Widget,
        before: int | None = None,
        after: int | None = None,
        cache: dict[tuple[Any, ...], Any] | None = None,
    ) -> list[Widget]:
        for widget in widgets:
            self._guard(widget)
        return super()._register(parent, *widgets, before=before, after=after, cache=cache)

    def _guard(self, pump: MessagePump) -> None:
        """Keep `pump` listening after one of its handlers raises (Textual stops it)."""
        if "_dispatch_message" in vars(pump):
            return
        dispatch: Dispatch = pump._dispatch_message
        flush: Flush = pump._flush_next_callbacks

        async def guarded_dispatch(message: Message) -> None:
            try:
                await dispatch(message)
            except Exception as error:
                if not self._crash_can_recover():
                    raise
                self._crash(error, pump)

        async def guarded_flush() -> None:
            try:
                await flush()
            except Exception as error:
                if not self._crash_can_recover():
                    raise
                self._crash(error, pump)

        pump._dispatch_message = guarded_dispatch  # type: ignore[method-assign]
        pump._flush_next_callbacks = guarded_flush  # type: ignore[method-assign]

    def _handle_exception(self, error: Exception) -> None:
        """Where Textual sends every error it does not expect (its default: exit)."""
        try:
            source = active_message_pump.get()
        except LookupError:
            source = None
        self._crash(error, source)

    # -- reporting -----------------------------------------------------------

    def _crash(self, error: Exception, source: MessagePump | None) -> None:
        if isinstance(error, WorkerFailed) and isinstance(error.error, Exception):
            error = error.error
        try:
            if isinstance(error, ApiError) and self._crash_can_recover():
                self.notify(self.redact(str(error)), severity="error", timeout=8, markup=False)
                return
            report = self._crash_report(error, source)
        except Exception:
            report = CrashReport(
                summary=type(error).__name__,
                text=redact("".join(traceback.format_exception(error)), self._safe_secrets()),
                error=error,
            )
            self._crash_exit(report, "its error report could not be made")
            return
        self.crash_reports.append(report)
        now = time.monotonic()
        self._crash_times.append(now)
        origin = _screen_of(source)
        if not self._crash_can_recover():
            self._crash_exit(report, "an error happened while it was starting or stopping")
        elif origin is not None and origin is self._crash_screen:
            self._crash_exit(report, "its error screen failed")
        elif (
            len(self._crash_times) > self.CRASH_LIMIT
            and now - self._crash_times[0] <= self.CRASH_WINDOW
        ):
            self._crash_exit(report, "errors kept happening")
        else:
            if origin is not None and not origin.is_mounted:
                self._crash_half_built.append(origin)  # it failed while opening
            self.call_later(self._show_crash, report)

    def _safe_secrets(self) -> list[str]:
        try:
            return self.crash_secrets()
        except Exception:
            settings = getattr(self, "settings", None)
            key = getattr(settings, "api_key", None)
            return [key.get_secret_value()] if isinstance(key, SecretStr) else []

    def _crash_report(self, error: BaseException, source: MessagePump | None) -> CrashReport:
        stack = [type(screen).__name__ for screen in self.screen_stack[1:]]
        origin = _screen_of(source)
        where = type(origin).__name__ if origin is not None else type(self.screen).__name__
        screen = f"{where} (open: {' > '.join(stack) or 'none'})"
        terminal = f"TERM={os.environ.get('TERM', '?')}, {self.size.width}x{self.size.height}"
        return build_report(error, secrets=self.crash_secrets(), screen=screen, terminal=terminal)

    def _show_crash(self, report: CrashReport) -> None:
        try:
            screen_class = _crash_screen_class()
            if self._crash_screen is not None and self._crash_screen in self.screen_stack:
                self._crash_screen.add(report)
                return
            self._crash_screen = screen_class(report)
            self.push_screen(self._crash_screen, self._crash_dismissed)
        except Exception as error:
            self._crash_exit(report, f"its error screen failed ({type(error).__name__})")

    def _crash_dismissed(self, _result: object = None) -> None:
        self._crash_screen = None
        # A view that failed while opening is half drawn: go back to the one below it.
        while self._crash_half_built:
            screen = self._crash_half_built.pop()
            stack = self.screen_stack
            if stack and stack[-1] is screen and len(stack) > 2:
                self.pop_screen()
                view = getattr(screen, "HELP_TITLE", "that view")
                self.notify(f"Could not open {view}: back where you were.", markup=False)

    def _crash_exit(self, report: CrashReport, reason: str) -> None:
        """Textual's own way out (restore the terminal, exit 1), printing only the report."""
        text = f"wpe-tui stopped: {reason}. The report, with the API key shown as ***:\n\n"
        super()._handle_exception(FatalError(text + report.text))

    async def _shutdown(self) -> None:
        await super()._shutdown()
        # Under Pilot, an error the test did not expect (and clear) still fails the test.
        if self.is_headless and self.crash_reports and self._exception is None:
            error = self.crash_reports[0].error
            self._exception = error if isinstance(error, Exception) else None


def _screen_of(pump: MessagePump | None) -> Screen[Any] | None:
    node: Any = pump
    while node is not None and not isinstance(node, Screen):
        node = getattr(node, "_parent", None)
    return node


def _crash_screen_class() -> type[CrashScreen]:
    from wpe_tui.screens.crash import CrashScreen

    return CrashScreen
