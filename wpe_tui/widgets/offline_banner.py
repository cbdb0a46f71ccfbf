"""`OfflineBanner`: one line across the top while the API cannot be reached."""

from __future__ import annotations

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

from wpe_tui.core.session import Connection


class OfflineBanner(Static):
    """Follows the session's connection; takes no room while all is well. Offline, it
    says when the next try is, so the user knows the app has not given up; rate limited
    by the API (a 429), when background work resumes."""

    def __init__(self, connection: Connection) -> None:
        super().__init__("", classes="offline-banner")
        self.connection = connection
        self.display = False
        self._ticker: Timer | None = None

    def on_mount(self) -> None:
        self.connection.listeners.append(self._event)
        self._follow()

    def on_unmount(self) -> None:
        if self._event in self.connection.listeners:
            self.connection.listeners.remove(self._event)

    def _event(self, event: str) -> None:
        if event in ("offline", "online", "waiting", "rate limit"):
            self._follow()

    def _follow(self) -> None:
        shown = self.connection.offline or self.connection.paused_for() > 0
        self.display = shown
        if shown and self._ticker is None:
            self._ticker = self.set_interval(1.0, self._show)
        if shown:
            self._show()

    def _show(self) -> None:
        connection = self.connection
        paused = connection.paused_for()
        if connection.offline:
            text = "Offline: the API cannot be reached. Retrying in the background"
            seconds = connection.seconds_to_next_try()
            if seconds is not None:
                text += f" (next try in {seconds:.0f} s)" if seconds >= 1 else " (trying now)"
            text += "; what is loaded stays browsable."
        elif paused > 0:
            text = (
                f"Rate limited by the API — live refresh resumes in {paused:.0f} s; "
                "what you ask for still goes first."
            )
        else:
            self.display = False
            if self._ticker is not None:
                self._ticker.stop()
                self._ticker = None
            return
        self.update(Text(text))
