"""The config's other profiles, to switch to from the palette without restarting
(like k9s contexts). Kept free of Textual: launch.py builds it, the app uses it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from wpe_tui.config import Settings
from wpe_tui.core.backend import Backend

# A profile's name to its settings and backend (None: it has no credentials yet).
# May block (a key command, up to 10 s): the app calls it in a thread. Raises
# ConfigError or ApiError with a sentence for the user.
OpenProfile = Callable[[str], tuple[Settings, Backend | None]]


@dataclass(frozen=True)
class Profiles:
    names: tuple[str, ...]
    open: OpenProfile

    def others(self, current: str) -> list[str]:
        return [name for name in self.names if name != current]
