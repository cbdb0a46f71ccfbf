"""`LiveScreen`: a screen whose in-flight rows refresh themselves.

One timer per screen. It polls only the rows whose status is not final, is
paused while there are none and while the screen is hidden, so an idle app
makes no requests at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen
from textual.timer import Timer

from wpe_tui.activity import kind_of
from wpe_tui.api import ApiError, Backup, Deployment, NotFoundError, Site, is_final
from wpe_tui.widgets import PagedTable, Row

if TYPE_CHECKING:
    from wpe_tui.app import WpeApp

Refetch = Callable[[Row], Awaitable[Row]]


def in_flight(row: Row) -> bool:
    return not is_final(getattr(row.data, "status", None))


class LiveScreen(Screen[Any]):
    """Subclasses say which tables are live with `watch_live(table, refetch)`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._live: list[tuple[PagedTable, Refetch]] = []
        self._poll_timer: Timer | None = None
        self._hidden = False

    @property
    def refresh_interval(self) -> float:
        interval = getattr(self.app, "refresh_interval", 3.0)
        return float(interval)

    def watch_live(self, table: PagedTable, refetch: Refetch) -> None:
        self._live.append((table, refetch))

    def on_mount(self) -> None:
        # Textual calls this for each class that defines on_mount, and the subclasses
        # call it too: one timer, however often it is called.
        if self._poll_timer is None:
            self._poll_timer = self.set_interval(self.refresh_interval, self._poll, pause=True)

    def on_paged_table_loaded(self, event: PagedTable.Loaded) -> None:
        self.check_live()

    def on_unmount(self) -> None:
        # A paused timer left behind at exit makes asyncio complain on the user's terminal.
        if self._poll_timer is not None:
            self._poll_timer.stop()

    def on_screen_suspend(self) -> None:
        self._hidden = True
        if self._poll_timer is not None:
            self._poll_timer.pause()

    def on_screen_resume(self) -> None:
        self._hidden = False
        self.check_live()

    def rows_in_flight(self) -> list[tuple[PagedTable, Refetch, Row]]:
        return [
            (table, refetch, row)
            for table, refetch in self._live
            for row in table.loaded_rows()
            if in_flight(row)
        ]

    def activity_site(self) -> Site | None:
        """The site whose items these tables show, for the activity panel."""
        return None

    def _tell_activity(self, item: object) -> None:
        app = cast("WpeApp", self.app)
        activity = getattr(app, "activity", None)
        if activity is None or not isinstance(item, Site | Backup | Deployment):
            return
        finished = activity.seen(item, self.activity_site())
        if finished is not None:
            app.announce(finished)

    def check_live(self) -> None:
        """Start the timer if anything is in flight, stop it if nothing is."""
        if self._poll_timer is None:
            return
        in_flight_now = self.rows_in_flight()
        for _, _, row in in_flight_now:
            self._tell_activity(row.data)  # listed in the activity panel while in flight
        activity_changed = getattr(self.app, "activity_changed", None)
        if in_flight_now and activity_changed is not None:
            activity_changed()
        if in_flight_now and not self._hidden:
            self._poll_timer.resume()
        else:
            self._poll_timer.pause()

    def _poll(self) -> None:
        self.run_worker(self._poll_once(), group="live", exclusive=True, exit_on_error=False)

    async def _poll_once(self) -> None:
        targets = self.rows_in_flight()
        results = await asyncio.gather(
            *(refetch(row) for _, refetch, row in targets), return_exceptions=True
        )
        for (table, _, old), result in zip(targets, results, strict=True):
            if isinstance(result, NotFoundError):
                table.remove_row(old.key)
                self._gone(old)
            elif isinstance(result, ApiError):
                continue  # shown by the next successful poll or by r; no toast storm
            elif isinstance(result, Row):
                table.update_row(result)
                self._tell_activity(result.data)
        self.check_live()
        self.rows_changed()

    def rows_changed(self) -> None:
        """After a poll updated or removed rows (a title that counts them redraws)."""

    def _gone(self, row: Row) -> None:
        app = cast("WpeApp", self.app)
        item = row.data
        if isinstance(item, Site | Backup | Deployment):
            finished = app.activity.gone(kind_of(item), row.key)
            if finished is not None:
                app.announce(finished)
                return
        self.notify(f"{self.describe(row)} is gone", timeout=4)

    def describe(self, row: Row) -> str:
        return row.key
