"""`SiteListScreen`: every site of the account, paged lazily, the first screen."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import Input, Static

from wpe_tui.api import ApiError, AuthError, Page, Site
from wpe_tui.core.follower import PageTarget, Target
from wpe_tui.core.kinds import ListQuery
from wpe_tui.core.registry import kind
from wpe_tui.core.session import Session
from wpe_tui.core.store import Change
from wpe_tui.core.sweep import Sweep
from wpe_tui.kinds import ui
from wpe_tui.kinds.site import SiteEntry, open_delete_site, open_edit_site, open_new_site
from wpe_tui.screens.base import WpeScreen
from wpe_tui.widgets import Footer, OfflineBanner, PagedTable, PageResult

STATUS_FILTERS: tuple[str | None, ...] = (None, "active", "inactive", "provisioning", "deleting")
MATCH_REDRAW = 0.15  # seconds between redraws of the matches while a sweep runs


class SiteListScreen(WpeScreen):
    """The account's sites; `enter` opens one."""

    HELP_TITLE = "the site list"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("o", "toggle_order", "Order", show=False),
        Binding("f", "cycle_status", "Status"),
        Binding("r", "refresh", "Refresh", show=False),
        Binding("n", "new", "New"),
        Binding("e", "edit", "Edit", show=False),
        Binding("D", "delete", "Delete"),
        Binding("y", "copy", "Copy URL", show=False),
        Binding("escape", "clear_filter", "Clear filter"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__(session, id="site-list")
        self.kind = kind("site")
        self.ui = ui("site")
        self.sort = "name"
        self.order = "asc"
        self.status: str | None = None
        self.needle: str | None = None
        self._sweep: Sweep[SiteEntry] | None = None
        self._stop_sweep: Any = None
        self._redraw: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="title-bar")
        yield OfflineBanner(self.session.connection)
        yield Input(placeholder="filter by name, URL or ID", id="filter", classes="hidden")
        yield PagedTable(
            self.ui.columns,
            self._fetch,
            page_size=self.session.page_size,
            empty_text="No sites match",
            catches=(ApiError,),
            id="sites",
        )
        yield Footer()

    @property
    def table(self) -> PagedTable:
        return self.query_one("#sites", PagedTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.table.load_page(1)
        self._update_title()

    # -- loading -------------------------------------------------------------

    def _query(self, page: int, per_page: int) -> ListQuery:
        return ListQuery(
            page=page, per_page=per_page, sort=self.sort, order=self.order, status=self.status
        )

    async def _list(self, page: int, per_page: int, *, background: bool) -> Page[Site]:
        backend, query = self.session.backend, self._query(page, per_page)
        return await self.session.read(
            lambda: self.kind.list(backend, None, query), background=background
        )

    async def _fetch(self, page: int) -> PageResult:
        answer = await self._list(page, self.table.page_size, background=False)
        return self._rows(answer)

    def _rows(self, answer: Page[Site]) -> PageResult:
        self.session.store.put_many("site", answer.results, fetched_at=self.session.now())
        return PageResult([self.ui.row(s) for s in answer.results], answer.pagination.total)

    # -- following the rows on screen -------------------------------------------

    def follow_targets(self) -> list[Target]:
        if self.needle is not None:
            return []  # matches are what a sweep saw: not followed
        in_flight: dict[int, list[str]] = {}
        for page, row in self.table.rows_in_view():
            if self.kind.in_flight(self.session.store.get("site", row.key) or row.data):
                in_flight.setdefault(page, []).append(row.key)
        query = (self.sort, self.order, self.status, self.table.page_size)
        return [
            PageTarget(
                ("sites", query, page),
                self.kind,
                keys,
                self._refetcher(page),
                self._applier(page),
                self.session.store,
            )
            for page, keys in in_flight.items()
        ]

    def _refetcher(self, page: int) -> Any:
        backend, query = self.session.backend, self._query(page, self.table.page_size)

        async def fetch() -> Page[Site]:
            return await self.kind.list(backend, None, query)  # the follower schedules it

        return fetch

    def _applier(self, page: int) -> Any:
        def apply(answer: Page[Site]) -> list[Site]:
            self.table.replace_page(page, self._rows(answer))
            self._update_title()
            return list(answer.results)

        return apply

    def item_changed(self, change: Change) -> None:
        if change.kind != "site":
            return
        if change.item is None:
            if self.table.remove_row(change.id):
                self._update_title()
            return
        if self.table.update_row(self.ui.row(change.item)):
            self.refollow()

    def on_paged_table_loaded(self, event: PagedTable.Loaded) -> None:
        self._update_title()
        self.refollow()

    def on_paged_table_highlighted(self, event: PagedTable.Highlighted) -> None:
        self.refollow()

    # -- title ---------------------------------------------------------------

    def _update_title(self) -> None:
        table = self.table
        total = table.total
        arrow = "↑" if self.order == "asc" else "↓"
        parts = [f"[b]{escape(self.session.label)}[/b]"]
        if total is None and self.needle is None:
            parts.append("loading sites…")
        elif self.needle is not None:
            parts.append(self._match_count())
        else:
            parts.append(f"{total:,} sites · {table.loaded_count:,} loaded")
        parts.append(f"sort {self.sort.replace('_', ' ')} {arrow}")
        parts.append(f"status {self.status or 'all'}")
        if self.session.read_only:
            parts.append("[reverse] read-only [/]")
        self.query_one("#title-bar", Static).update(" · ".join(parts))

    def _match_count(self) -> str:
        count = self.table.row_count
        matches = f"{count:,} match{'es' if count != 1 else ''}"
        sweep = self._sweep
        if sweep is None or sweep.total is None:
            return f"{matches} · searching"
        if sweep.running:
            return f"{matches} · searching {sweep.searched:,} of {sweep.total:,}"
        if sweep.failed:
            return f"{matches} · searched {sweep.searched:,} of {sweep.total:,} (r to retry)"
        return f"{matches} of {sweep.total:,} sites" if count else "no match"

    def on_paged_table_load_failed(self, event: PagedTable.LoadFailed) -> None:
        error = event.error
        if isinstance(error, AuthError) and not self.session.demo:
            return  # the app has opened the key screen; it reloads this view after
        self.notify(f"{error} — r to retry", severity="error", timeout=8)

    def on_paged_table_selected(self, event: PagedTable.Selected) -> None:
        from wpe_tui.screens.site_detail import SiteDetailScreen

        site = event.row.data
        if isinstance(site, Site):
            self.app.push_screen(SiteDetailScreen(self.session, site))

    # -- server-side sort and status filter -----------------------------------

    def _requery(self, near: int | None = None) -> None:
        current = self.table.current_row
        self.table.reset(keep_key=current.key if current else None, near=near)
        self._update_title()
        if self.needle is not None:
            self._search(self.needle)

    def action_cycle_sort(self) -> None:
        fields = self.kind.sort_fields
        self.sort = fields[(fields.index(self.sort) + 1) % len(fields)]
        self._requery()

    def action_toggle_order(self) -> None:
        self.order = "desc" if self.order == "asc" else "asc"
        table = self.table
        mirrored = None
        if self.needle is None and table.total is not None:
            mirrored = table.total - 1 - table.cursor  # where the same site lands reversed
        self._requery(near=mirrored)

    def action_cycle_status(self) -> None:
        index = STATUS_FILTERS.index(self.status)
        self.status = STATUS_FILTERS[(index + 1) % len(STATUS_FILTERS)]
        self._requery()

    def action_refresh(self) -> None:
        self.session.sweeps.forget("sites")
        self.table.reload()
        if self.needle is not None:
            self._search(self.needle)
        self._update_title()

    # -- changes: new, edit, delete --------------------------------------------

    def _selected_site(self) -> Site | None:
        row = self.table.current_row
        return row.data if row is not None and isinstance(row.data, Site) else None

    def action_new(self) -> None:
        open_new_site(self, self.session, created=self._site_created)

    def _site_created(self, site: Site) -> None:
        # The new site lands where the sort puts it; the rows loaded are asked for again.
        self.table.reload()
        self._update_title()

    def action_edit(self) -> None:
        site = self._selected_site()
        if site is not None:
            # A list row may lack the versions: the form starts from the whole site.
            self.run_worker(self._edit(site), group="edit", exclusive=True)

    async def _edit(self, site: Site) -> None:
        backend = self.session.backend
        try:
            full = await self.session.read(lambda: backend.get_site(site.id))
        except ApiError as error:
            self.notify(f"{error} — the site could not be opened for editing", severity="error")
            return
        open_edit_site(self, self.session, full, saved=lambda _: None)

    def action_delete(self) -> None:
        site = self._selected_site()
        if site is not None:
            open_delete_site(self, self.session, site, deleted=lambda _: None)

    def action_copy(self) -> None:
        site = self._selected_site()
        if site is not None:
            self.app.copy_to_clipboard(self.kind.copy_value(site))
            self.notify(f"Copied {self.kind.copy_value(site)}", timeout=3)

    # -- `/` filter: the loaded rows at once, the rest as a sweep reads them ---------

    def available(self, action: str) -> bool:
        if action == "clear_filter":
            # Shown in the footer only while there is a filter to clear.
            box = self.query("#filter")
            return bool(box) and not box.first().has_class("hidden")
        return True

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.remove_class("hidden")
        box.focus()
        self.refresh_bindings()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        needle = event.value.strip().lower()
        if needle:
            self._search(needle)
        else:
            self._stop_search()
            self.table.clear_matches()
            self._update_title()
            self.refollow()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_class("hidden") and self.needle is None:
            return
        self._stop_search()
        box.value = ""
        box.add_class("hidden")
        self.refresh_bindings()
        self.table.clear_matches()
        self.table.focus()
        self._update_title()
        self.refollow()

    def sweep(self) -> Sweep[SiteEntry]:
        """Every site of this sort and status filter, read in the background (shared with
        the palette)."""
        key = ("sites", self.sort, self.order, self.status)
        sweep = self.session.sweeps.get(key)
        if sweep is None:
            per_page = self.session.capabilities.max_page_size

            async def fetch(page: int, size: int) -> Page[Site]:
                return await self._list(page, size, background=True)

            sweep = self.session.sweeps.keep(
                key,
                Sweep(
                    fetch,
                    self.ui.entry,
                    self.ui.entry_text,
                    per_page=per_page,
                    # Every slot: the user's own requests still go first.
                    concurrency=self.session.scheduler.max_in_flight,
                ),
            )
        sweep.start()
        return sweep

    def _search(self, needle: str) -> None:
        self.needle = needle
        sweep = self.sweep()
        if sweep is not self._sweep:
            if self._stop_sweep is not None:
                self._stop_sweep()
            self._sweep = sweep
            self._stop_sweep = sweep.subscribe(self._sweep_progressed)
        self._show_matches()
        self.refollow()

    def _stop_search(self) -> None:
        self.needle = None
        if self._stop_sweep is not None:
            self._stop_sweep()
        self._stop_sweep = None
        self._sweep = None  # the sweep itself goes on: the palette or the next `/` uses it

    def _sweep_progressed(self) -> None:
        if self._redraw is None:
            self._redraw = self.set_timer(MATCH_REDRAW, self._redraw_matches)

    def _redraw_matches(self) -> None:
        self._redraw = None
        if self.needle is not None:
            self._show_matches()

    def _show_matches(self) -> None:
        needle = self.needle
        if needle is None:
            return
        ui_kind = self.ui
        found: list[Any] = [
            row.data
            for row in self.table.loaded_rows()
            if needle in row.search_text and isinstance(row.data, Site)
        ]
        if self._sweep is not None and self._sweep.total is not None:
            swept = self._sweep.matches(needle)
            if self._sweep.done:
                found = list(swept)  # everything, in the list's order
            else:
                seen = {site.id for site in found}
                found += [entry for entry in swept if entry.id not in seen]
        self.table.show_matches(
            found,
            lambda entry: (
                ui_kind.row(entry) if isinstance(entry, Site) else ui_kind.entry_row(entry)
            ),
            lambda entry: str(entry.id),
            no_match="no match yet" if self._sweep is None or not self._sweep.done else "no match",
        )
        self._update_title()

    def on_unmount(self) -> None:
        self._stop_search()

    def load_everything(self) -> Sweep[SiteEntry]:
        """The sweep the palette searches (names not loaded yet become searchable)."""
        return self.sweep()
