"""`OfflineBanner`: one line across the top while the API cannot be reached."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class OfflineBanner(Static):
    """Follows the app's `offline` flag; takes no room while online."""

    def __init__(self) -> None:
        super().__init__(
            Text(
                "Offline: the API cannot be reached. Retrying in the background; "
                "what is loaded stays browsable.",
            ),
            classes="offline-banner",
        )
        self.display = False

    def on_mount(self) -> None:
        if hasattr(self.app, "offline"):
            self.watch(self.app, "offline", self._follow)

    def _follow(self, offline: bool) -> None:
        self.display = offline
