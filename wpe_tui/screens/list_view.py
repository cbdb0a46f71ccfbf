"""`ListView`: the same keys on every table — `/` filter, `s` sort, `o` order, `f` status.

Sort, order and status go to the server when it can do them: the table's pages are
asked for again with them. What it cannot do (the Hosting Platform API sorts and
filters nothing), and the `/` filter, make a local view: the items of every page,
read by a sweep in the background and kept light, filtered and sorted here. The header
and a toast say so. One controller per table: the site list's, and each tab's of the
site detail.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import replace
from typing import Any

from textual.timer import Timer

from wpe_tui.api import Page
from wpe_tui.core.kinds import ListQuery, ResourceKind
from wpe_tui.core.session import Session
from wpe_tui.core.sweep import ScanStatuses, Sweep
from wpe_tui.kinds.base import KindUI
from wpe_tui.text import clean, without_scheme
from wpe_tui.widgets import PagedTable

MATCH_REDRAW = 0.15  # seconds between redraws of a local view while its sweep runs
LABELS = {"name": "Name", "created_at": "Created", "status": "Status"}

ListPage = Callable[[ListQuery, bool], Awaitable[Page[Any]]]  # (query, background)


def sort_key(field: str) -> Callable[[Any], Any]:
    if field == "name":
        return lambda item: (clean(getattr(item, "name", "") or "").casefold(), str(item.id))
    if field == "created_at":
        return lambda item: (item.created_at.timestamp() if item.created_at else 0.0, str(item.id))
    return lambda item: ((item.status or "").lower(), str(item.id))


class ListView:
    def __init__(
        self,
        session: Session,
        kind: ResourceKind,
        ui_kind: KindUI,
        table: PagedTable,
        list_page: ListPage,
        *,
        key: Hashable,
        statuses: tuple[str, ...],
        sort: str | None,
        order: str,
        status: str | None,
        timer: Callable[[float, Callable[[], None]], Timer],
        changed: Callable[[], None],
        scan_statuses: ScanStatuses | None = None,
    ) -> None:
        caps = session.capabilities
        self.session = session
        self.kind = kind
        self.ui = ui_kind
        self.table = table
        self.list_page = list_page
        self.key = key  # names its sweeps: ("sites",) or ("backup", site_id)
        self.statuses = statuses
        self.server_sort = caps.server_sort
        self.server_status = caps.server_status_filter
        self.sort = sort if sort in kind.sort_fields else None
        self.order = order
        self.status = status if status in statuses else None
        self.needle: str | None = None
        self.also: Callable[[Any], bool] | None = None  # one more filter (the account)
        self._timer = timer
        self._changed = changed  # the owner redraws its title, saves its preferences
        # Where the rows do not say their status: how a status filter or sort learns it.
        self.scan_statuses = scan_statuses
        self._sweep: Sweep[Any] | None = None
        self._stop_sweep: Callable[[], None] | None = None
        self._redraw: Timer | None = None
        self.served = self.server_query(1, 1)  # what the table's pages were asked with
        self._mark()

    # -- what the server is asked ----------------------------------------------------

    def server_query(self, page: int, per_page: int) -> ListQuery:
        return ListQuery(
            page=page,
            per_page=per_page,
            sort=self.sort if self.server_sort else None,
            order=self.order if self.server_sort and self.sort else None,
            status=self.status if self.server_status else None,
        )

    @property
    def local(self) -> bool:
        """Whether what is shown is worked out here rather than paged from the server."""
        return (
            self.needle is not None
            or self.also is not None
            or (self.status is not None and not self.server_status)
            or (self.sort is not None and not self.server_sort)
        )

    # -- the keys ---------------------------------------------------------------------

    def cycle_sort(self) -> None:
        fields: tuple[str | None, ...] = self.kind.sort_fields
        if not self.server_sort:
            fields = (None, *fields)  # back to the API's own order at the end
            self._say_local("sort")
        index = fields.index(self.sort) if self.sort in fields else -1
        self.sort = fields[(index + 1) % len(fields)]
        self.apply()

    def toggle_order(self) -> None:
        self.order = "desc" if self.order == "asc" else "asc"
        table = self.table
        near = None
        if not self.local and table.total is not None:
            near = table.total - 1 - table.cursor  # where the same row lands reversed
        self.apply(near=near)

    def cycle_status(self) -> None:
        statuses: tuple[str | None, ...] = (None, *self.statuses)
        index = statuses.index(self.status) if self.status in statuses else 0
        self.status = statuses[(index + 1) % len(statuses)]
        if not self.server_status:
            self._say_local("filter by status")
        self.apply()

    def filter(self, needle: str | None) -> None:
        self.needle = _needle(needle)
        self.apply()

    def _say_local(self, what: str) -> None:
        api = self.session.capabilities.name
        self.session_notify(f"The {api} cannot {what}: every page is read and it is done here.")

    def session_notify(self, message: str) -> None:
        self.table.notify(message, timeout=5)

    # -- showing ------------------------------------------------------------------------

    def apply(self, near: int | None = None) -> None:
        """Show what the controls ask for: the server's pages, or the local view."""
        self._mark()
        if self.local:
            self.show_local()
        else:
            if self.table.showing_matches:
                self._stop_local()
                self.table.clear_matches()
            served = self.server_query(1, 1)
            if served != self.served:
                self.served = served
                current = self.table.current_row
                self.table.reset(keep_key=current.key if current else None, near=near)
        self._changed()

    def refresh(self) -> None:
        """`r`: what was swept may be stale."""
        self.session.sweeps.forget(self.key)
        self._sweep = None
        if self.local:
            self.show_local()

    def _mark(self) -> None:
        self.table.mark_sorted(LABELS.get(self.sort or ""), self.order == "asc")

    def sweep(self, *, every_status: bool = False) -> Sweep[Any]:
        """Every item of the server's query, read in the background (the palette shares
        the site list's, but asks for every status: a jump is to any site)."""
        query = self.server_query(1, 1)
        if every_status:
            query = replace(query, status=None)
        key = (self.key, query.sort, query.order, query.status)
        sweep = self.session.sweeps.get(key)
        if sweep is None:

            async def fetch(page: int, size: int) -> Page[Any]:
                wanted = replace(query, page=page, per_page=size)
                return await self.list_page(wanted, True)

            sweep = self.session.sweeps.keep(
                key,
                Sweep(
                    fetch,
                    self.ui.entry,
                    self.ui.entry_text,
                    per_page=self.session.capabilities.max_page_size,
                    # Every slot: the user's own requests still go first.
                    concurrency=self.session.scheduler.max_in_flight,
                ),
            )
        sweep.start()
        return sweep

    def _needs_statuses(self) -> bool:
        """A status filter or sort done here (over rows that may not say theirs)."""
        return (self.status is not None and not self.server_status) or (
            self.sort == "status" and not self.server_sort
        )

    def _start_local(self) -> None:
        sweep = self.sweep()
        # The sweep reads statuses while this view needs them (the palette, which
        # shares it, never does): its `complete` and `scanning` say this view's state.
        if self.scan_statuses is not None and self._needs_statuses():
            sweep.want_statuses(self.scan_statuses)
        else:
            sweep.drop_statuses()  # a filter by name needs none: no request for them
        if sweep is not self._sweep:
            if self._stop_sweep is not None:
                self._stop_sweep()
            self._sweep = sweep
            self._stop_sweep = sweep.subscribe(self._progressed)

    def _stop_local(self) -> None:
        if self._sweep is not None:
            # Back to the server's pages: nothing shows what the sweep reads, so it stops.
            # What it read is kept: the palette or the next `/` goes on from there.
            self._sweep.drop_statuses()
            self._sweep.cancel()
        if self._stop_sweep is not None:
            self._stop_sweep()
        self._stop_sweep = None
        self._sweep = None

    def stop(self) -> None:
        self._stop_local()

    def _progressed(self) -> None:
        if self._redraw is None:
            size = self._sweep.searched if self._sweep is not None else 0
            self._redraw = self._timer(MATCH_REDRAW + size / 100_000, self._redraw_local)

    def _redraw_local(self) -> None:
        self._redraw = None
        if self.local:
            self.show_local()
            self._changed()

    def show_local(self) -> None:
        self._start_local()
        sweep = self._sweep
        found: list[Any] = [row.data for row in self.table.loaded_rows()]
        if sweep is not None and sweep.total is not None:
            if sweep.done:
                found = sweep.entries()  # everything, in the server's order
            else:
                seen = {str(item.id) for item in found}
                found += [entry for entry in sweep.entries() if str(entry.id) not in seen]
        found = [entry for entry in found if self._wanted(entry)]
        if self.sort is not None and not self.server_sort:
            found.sort(key=sort_key(self.sort), reverse=self.order == "desc")
        caps, ui_kind = self.session.capabilities, self.ui
        done = sweep is not None and sweep.complete
        self.table.show_matches(
            found,
            lambda entry: ui_kind.row(entry, caps),
            lambda entry: str(entry.id),
            no_match="no match" if done else "no match yet",
        )

    def _wanted(self, entry: Any) -> bool:
        if self.needle is not None and self.needle not in self.ui.search_text(entry):
            return False
        if self.also is not None and not self.also(entry):
            return False
        if self.status is None or self.server_status:
            return True
        return (entry.status or "").lower() == self.status

    # -- what the header says ------------------------------------------------------------

    def count(self, noun: str) -> str:
        """ "3 matches · searching 3,450 of 5,000", "no match", "120 sites · 50 loaded"."""
        table = self.table
        if not self.local:
            if table.total is None:
                return f"loading {noun}s…"
            many = "" if table.total == 1 else "s"
            return f"{table.total:,} {noun}{many} · {table.loaded_count:,} loaded"
        count = table.row_count
        sweep = self._sweep
        if not self._narrowed():  # only sorted here: every row is one, nothing "matches"
            return self._sorted_count(noun, count)
        matches = f"{count:,} match{'es' if count != 1 else ''}"
        if sweep is None or sweep.total is None:
            return f"{matches} · searching"
        statuses = self._statuses_read(sweep)
        if sweep.running:
            return f"{matches} · {statuses or f'searching {sweep.searched:,} of {sweep.total:,}'}"
        if sweep.failed:
            searched = statuses or f"searched {sweep.searched:,} of {sweep.total:,}"
            return f"{matches} · {searched} (r to retry)"
        if not sweep.complete:
            return f"{matches} · searching"
        return f"{matches} of {sweep.total:,} {noun}s" if count else "no match"

    @staticmethod
    def _statuses_read(sweep: Sweep[Any]) -> str | None:
        """ "reading statuses: 3,000 of 21,152 installs" while a status scan runs."""
        if not sweep.scanning:
            return None
        scan = sweep.statuses
        if scan is None:
            return "reading statuses"
        total = f" of {scan.total:,}" if scan.total else ""
        return f"reading statuses: {scan.read:,}{total} installs"

    def _narrowed(self) -> bool:
        """Whether a filter leaves rows out (rather than a sort alone making it local)."""
        return (
            self.needle is not None
            or self.also is not None
            or (self.status is not None and not self.server_status)
        )

    def _sorted_count(self, noun: str, count: int) -> str:
        """ "50 of 5,000 sites · loading all to sort", "5,000 sites · all loaded"."""
        sweep = self._sweep
        if sweep is None or sweep.total is None:
            return f"{count:,} {noun}s · loading all to sort"
        if (statuses := self._statuses_read(sweep)) is not None:
            return f"{count:,} {noun}s · {statuses}"
        if sweep.running:
            return f"{sweep.searched:,} of {sweep.total:,} {noun}s · loading all to sort"
        if sweep.failed:
            return f"{sweep.searched:,} of {sweep.total:,} {noun}s loaded (r to retry)"
        return f"{count:,} {noun}{'' if count == 1 else 's'} · all loaded"

    def order_text(self) -> str:
        if self.sort is None:
            return "in the API's order"
        arrow = "↑" if self.order == "asc" else "↓"
        return f"sort {self.sort.replace('_', ' ')} {arrow}"


def _needle(typed: str | None) -> str | None:
    """What `/` looks for: lower case, and a pasted URL without its scheme (the search
    texts of sites keep none: 100,000 of them are 800 kB smaller)."""
    return without_scheme((typed or "").strip().lower()) or None
