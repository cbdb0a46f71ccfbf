"""The crash guard: an unexpected exception shows a report instead of ending the session.

This is the one module of the app that uses Textual's internals (an
underscore name of `textual`): Textual has no public hook that keeps a session
alive after a handler fails. Each hook is tested in tests/app/test_crash.py.

Textual's answer to an exception that escapes a handler is to end the app: the
message loop of the widget that raised stops, `App._handle_exception` prints a
traceback (with local variables, where an API key or a password could sit) and
the app exits. `CrashGuard`, a base of `WpeApp`, changes that:

- every message loop of the app (the app's own, each screen's and each
  widget's) catches what escapes a handler (`_dispatch_message`) or a
  `call_next` / `call_after_refresh` callback (`_flush_next_callbacks`), so no
  part of the app stops listening, and reports it; widgets and screens are
  guarded as Textual registers them (`_register`);
- `_handle_exception`, where the rest of Textual sends errors (compose, timers,
  workers started with `exit_on_error=True`, rendering), reports them too;
- a report opens `CrashScreen` on top of whatever was showing, with the API key
  and passwords replaced by `***`; `escape` goes back to the app.

An `ApiError` that gets this far becomes a toast: the screens handle those, and
the app never stops on an API error. The app still exits, printing the redacted
report and nothing else, when the error screen itself fails, when the app is
starting or stopping, or when errors keep coming (more than `CRASH_LIMIT`
within `CRASH_WINDOW` seconds): a loop of error screens helps nobody.

Textual's own exit on an error (`App._fatal_error`) renders a Rich traceback
with `show_locals=True`. Every error reaches it only through
`_handle_exception`, which this guard replaces, and `_fatal_error` is replaced
too, so that nothing ever prints a local variable: only the redacted report.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr
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

from wpe_tui.api import ApiError

if TYPE_CHECKING:
    from wpe_tui.crash_report import CrashReport
    from wpe_tui.screens.crash import CrashScreen

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
        """Every value the report must not show: the key or password in use, the ones in
        the environment, and any password typed into a field."""
        from wpe_tui.crash_report import environment_secrets

        secrets = _settings_secrets(getattr(self, "settings", None))
        secrets.extend(environment_secrets())
        # The backend's credentials (after the setup screen they may differ from the
        # settings'); in demo mode they are the fake account's placeholders, not secrets.
        if not getattr(self, "demo", False):
            secrets.extend(_backend_secrets(getattr(self, "_session", None)))
        for screen in self.screen_stack:
            try:
                inputs: DOMQuery[Input] = screen.query(Input)
                secrets.extend(i.value for i in inputs if i.password and i.value)
            except Exception:  # noqa: S112 - a half-built screen must not stop the report
                continue
        return secrets

    def redact(self, text: str) -> str:
        from wpe_tui.crash_report import redact

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
        from wpe_tui.crash_report import CrashReport, redact

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
        from wpe_tui.crash_report import environment_secrets

        try:
            return self.crash_secrets()
        except Exception:
            return _settings_secrets(getattr(self, "settings", None)) + environment_secrets()

    def _crash_report(self, error: BaseException, source: MessagePump | None) -> CrashReport:
        from wpe_tui.crash_report import build_report

        stack = [type(screen).__name__ for screen in self.screen_stack[1:]]
        origin = _screen_of(source)
        where = type(origin).__name__ if origin is not None else type(self.screen).__name__
        screen = f"{where} (open: {' > '.join(stack) or 'none'})"
        terminal = f"TERM={os.environ.get('TERM', '?')}, {self.size.width}x{self.size.height}"
        return build_report(error, secrets=self.crash_secrets(), screen=screen, terminal=terminal)

    def _show_crash(self, report: CrashReport) -> None:
        try:
            drop = getattr(self, "drop_typed_ahead", None)
            if callable(drop):  # keys typed for the view that failed must not land here
                drop("an error opened the error report")
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
        from wpe_tui.crash_report import FatalError

        text = f"wpe-tui stopped: {reason}. The report, with the API key shown as ***:\n\n"
        # An exception with `__rich__` is printed as it renders itself (`App.panic`),
        # never as Textual's traceback with its local variables.
        super()._handle_exception(FatalError(text + report.text))

    def _fatal_error(self) -> None:
        """Textual's exit on an error it did not expect: a traceback with `show_locals`.
        Nothing of Textual's should reach it past `_handle_exception`; if anything does,
        it prints the redacted report instead."""
        from wpe_tui.crash_report import CrashReport, redact

        error = sys.exception()
        if not isinstance(error, Exception):
            error = self._exception if isinstance(self._exception, Exception) else None
        if error is None:
            error = RuntimeError("Textual stopped the app on an error it did not name")
        try:
            report = self._crash_report(error, None)
        except Exception:
            report = CrashReport(
                summary=type(error).__name__,
                text=redact("".join(traceback.format_exception(error)), self._safe_secrets()),
                error=error,
            )
        self.crash_reports.append(report)
        self._crash_exit(report, "an error happened that it could not recover from")

    async def _shutdown(self) -> None:
        await super()._shutdown()
        # Under Pilot, an error the test did not expect (and clear) still fails the test.
        if self.is_headless and self.crash_reports and self._exception is None:
            error = self.crash_reports[0].error
            self._exception = error if isinstance(error, Exception) else None


def _backend_secrets(session: Any) -> list[str]:
    """What the session's wire sends as credentials (both clients keep a `Wire`)."""
    backend = getattr(session, "backend", None)
    wire = getattr(backend, "wire", None) or getattr(getattr(backend, "client", None), "wire", None)
    values = getattr(wire, "secret_values", None)
    return list(values()) if callable(values) else []


def _screen_of(pump: MessagePump | None) -> Screen[Any] | None:
    node: Any = pump
    while node is not None and not isinstance(node, Screen):
        node = getattr(node, "_parent", None)
    return node


def _crash_screen_class() -> type[CrashScreen]:
    from wpe_tui.screens.crash import CrashScreen

    return CrashScreen


def _settings_secrets(settings: object) -> list[str]:
    """The API key and the Hosting Platform API password of `settings`, where it has them."""
    values = (getattr(settings, name, None) for name in ("api_key", "api_password"))
    return [value.get_secret_value() for value in values if isinstance(value, SecretStr)]
