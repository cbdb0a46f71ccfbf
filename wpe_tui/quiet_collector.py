"""Python's cyclic collector waits while a key is on its way to the screen.

A full collection walks every object the app made since start-up (`make bench`,
scenario 9: 6-9 ms, about every 1.5 s while tabs are switched). Run from an allocation,
it lands on whatever is going on, often a key's handler or its frame. `QuietCollector`
(a base of the app) pauses it from a key's arrival until no key has come for
`RESUME_AFTER`, when the key's frames are drawn and the app is waiting; the collection
that was due runs then. A key held down (auto-repeat) still lets it run every
`HOLD_AT_MOST`, so garbage never piles up for long.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from textual import events
from textual.app import App
from textual.timer import Timer

RESUME_AFTER = 0.1  # seconds without a key
HOLD_AT_MOST = 1.0  # seconds the collector is held while keys keep coming


class QuietCollector(App[Any]):
    collector_resume_after = RESUME_AFTER
    collector_hold_at_most = HOLD_AT_MOST

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._collector_held_since: float | None = None
        self._collector_timer: Timer | None = None

    @property
    def collector_held(self) -> bool:
        return self._collector_held_since is not None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self._hold_collector()
        await super().on_event(event)

    def _hold_collector(self) -> None:
        held_since = self._collector_held_since
        if held_since is None:
            if not gc.isenabled():
                return  # start-up holds it until the first frame (`cli.main`)
            gc.disable()
            self._collector_held_since = time.monotonic()
            self._collector_timer = self.set_timer(
                self.collector_resume_after, self.release_collector
            )
            return
        held_for = time.monotonic() - held_since
        if self._collector_timer is not None and held_for < self.collector_hold_at_most:
            self._collector_timer.reset()

    def release_collector(self) -> None:
        """Let the collector run again (the app also calls this when it closes)."""
        if self._collector_timer is not None:
            self._collector_timer.stop()
            self._collector_timer = None
        if self._collector_held_since is not None:
            self._collector_held_since = None
            gc.enable()
