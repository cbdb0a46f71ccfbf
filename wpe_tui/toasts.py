"""Toasts: the same text within 5 s is one toast (counted, xN); held while a form, the
activity panel or the help is open (a screen with `HOLDS_TOASTS`), so a toast never covers
a modal's buttons, the field being typed in, the panel's rows or the help's way out;
shown as typed, never as markup. `notices` keeps every message, for the tests and the
soak."""

from __future__ import annotations

import sys
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.notifications import SeverityLevel
from textual.screen import Screen

from wpe_tui.text import clean

TOAST_GROUPING = 5.0  # seconds: the same message again within this is one toast, ×N


@dataclass(frozen=True)
class Notice:
    """A message the app showed, for the tests and the soak (Textual keeps its own)."""

    message: str
    severity: SeverityLevel


@dataclass
class _Toast:
    message: str
    title: str
    severity: SeverityLevel
    timeout: float
    shown_at: float
    count: int = 1


class Toasts(App[Any]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._toasts: list[_Toast] = []
        self._held_toasts: list[tuple[str, str, SeverityLevel, float | None]] = []
        self.notices: deque[Notice] = deque(maxlen=200)  # every message shown, newest last

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Messages carry text from the API (names, errors): shown as typed, never as
        markup, with no escape sequences. The same message again within 5 s is one
        toast with a count, not a stack of copies."""
        message, title = clean(message), clean(title)
        self.notices.append(Notice(message, severity))
        if self._form_open():
            self._held_toasts.append((message, title, severity, timeout))
            return
        self._toast(message, title, severity, timeout)

    def _toast(
        self, message: str, title: str, severity: SeverityLevel, timeout: float | None
    ) -> None:
        shown_for = timeout if timeout is not None else self.NOTIFICATION_TIMEOUT
        now = time.monotonic()
        self._toasts = [t for t in self._toasts if now - t.shown_at < t.timeout]
        for toast in self._toasts:
            same = (toast.message, toast.title, toast.severity) == (message, title, severity)
            if same and now - toast.shown_at <= TOAST_GROUPING:
                toast.count += 1
                toast.shown_at, toast.timeout = now, shown_for
                self._redraw_toasts(now)
                return
        self._toasts.append(_Toast(message, title, severity, shown_for, now))
        super().notify(message, title=title, severity=severity, timeout=shown_for, markup=False)

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """A form opening puts the toasts shown before it away, while the screen under
        it is still the one drawing them: they would sit on the form's border or
        buttons. They stay in `notices` (and errors in the activity panel)."""
        if _holds_toasts(screen) and self.screen_stack:
            self.clear_notifications()
        return super().push_screen(screen, *args, **kwargs)

    def _form_open(self) -> bool:
        return bool(self.screen_stack) and _holds_toasts(self.screen)

    def _screen_changed(self, screen: Screen[Any]) -> None:
        if self._held_toasts and not self._form_open():
            held, self._held_toasts = self._held_toasts, []
            for message, title, severity, timeout in held:
                self._toast(message, title, severity, timeout)

    def toasts_on_screen(self) -> list[str]:
        """The toasts shown now, as drawn (a repeated one with its count)."""
        now = time.monotonic()
        return [
            toast.message + (f" ×{toast.count}" if toast.count > 1 else "")
            for toast in self._toasts
            if now - toast.shown_at < toast.timeout
        ]

    def _redraw_toasts(self, now: float) -> None:
        # Textual has no public way to change one toast: draw them all again.
        super().clear_notifications()
        for toast in self._toasts:
            text = toast.message + (f" ×{toast.count}" if toast.count > 1 else "")
            left = max(1.0, toast.timeout - (now - toast.shown_at))
            super().notify(
                text, title=toast.title, severity=toast.severity, timeout=left, markup=False
            )

    def clear_notifications(self) -> None:
        self._toasts.clear()
        super().clear_notifications()


def _holds_toasts(screen: object) -> bool:
    """Whether toasts wait while `screen` is in front: a form (found without importing
    the forms: until one has opened, none can be on screen, and the first screen comes
    up without them), or a screen that says so."""
    if getattr(screen, "HOLDS_TOASTS", False):
        return True
    forms = sys.modules.get("wpe_tui.modals.form")
    return forms is not None and isinstance(screen, forms.FormModal)
