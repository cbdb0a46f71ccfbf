"""`OfflineBanner`: one line across the top while the API cannot be reached."""

from __future__ import annotations

from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

from wpe_tui.core.session import Connection


class OfflineBanner(Static):
    """Follows the session's connection; takes no room while online. Says when the next
    try is, so the user knows the app has not given up."""

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
        if event in ("offline", "online", "waiting"):
            self._follow()

    def _follow(self) -> None:
        offline = self.connection.offline
        self.display = offline
        if offline and self._ticker is None:
            self._ticker = self.set_interval(1.0, self._show)
        elif not offline and self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        if offline:
            self._show()

    def _show(self) -> None:
        text = "Offline: the API cannot be reached. Retrying in the background"
        seconds = self.connection.seconds_to_next_try()
        if seconds is not None:
            text += f" (next try in {seconds:.0f} s)" if seconds >= 1 else " (trying now)"
        self.update(Text(text + "; what is loaded stays browsable."))
