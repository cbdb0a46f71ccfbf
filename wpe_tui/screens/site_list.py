"""`SiteListScreen`: every site of the account, paged lazily, the first screen."""

from __future__ import annotations

from typing import ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Static

from wpe_tui.api import ApiError, AuthError, Site
from wpe_tui.screens.live import LiveScreen
from wpe_tui.screens.operations import (
    ChangesGuard,
    deleting,
    open_delete_site,
    open_edit_site,
    open_new_site,
)
from wpe_tui.screens.rows import SITE_COLUMNS, site_row
from wpe_tui.text import clean
from wpe_tui.widgets import Footer, OfflineBanner, PagedTable, PageResult, Row

SORT_FIELDS = ("name", "created_at", "status")
STATUS_FILTERS: tuple[str | None, ...] = (None, "active", "inactive", "provisioning", "deleting")


class SiteListScreen(LiveScreen, ChangesGuard):
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

    def __init__(self) -> None:
        super().__init__(id="site-list")
        self.sort = "name"
        self.order = "asc"
        self.status: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="title-bar")
        yield OfflineBanner()
        yield Input(placeholder="filter by name, URL or ID", id="filter", classes="hidden")
        yield PagedTable(
            SITE_COLUMNS,
            self._fetch,
            page_size=self.wpe.page_size,
            empty_text="No sites match",
            id="sites",
        )
        yield Footer()

    @property
    def table(self) -> PagedTable:
        return self.query_one("#sites", PagedTable)

    def on_mount(self) -> None:
        super().on_mount()
        self.watch_live(self.table, self._refetch)
        self.table.focus()
        self.table.load_page(1)
        self._update_title()

    async def _fetch(self, page: int) -> PageResult:
        result = await self.wpe.client.list_sites(
            page=page,
            per_page=self.table.page_size,
            sort=self.sort,
            order=self.order,
            status=self.status,
        )
        return PageResult([site_row(s) for s in result.results], result.pagination.total)

    async def _refetch(self, row: Row) -> Row:
        return site_row(await self.wpe.client.get_site(row.key))

    def describe(self, row: Row) -> str:
        site = cast(Site, row.data)
        return f"Site {clean(site.name) or site.id}"

    # -- title ---------------------------------------------------------------

    def _update_title(self) -> None:
        table = self.table
        total = table.total
        arrow = "↑" if self.order == "asc" else "↓"
        parts = [f"[b]{self.wpe.account_label}[/b]"]
        if total is None:
            parts.append("loading sites…")
        elif table.filter_text is not None:
            searched = "" if table.fully_loaded else f", searched {table.loaded_count:,}"
            parts.append(f"{table.row_count:,} match{'es' if table.row_count != 1 else ''}")
            parts[-1] += f" of {total:,} sites{searched}"
        else:
            parts.append(f"{table.loaded_count:,} of {total:,} sites")
        parts.append(f"sort {self.sort.replace('_', ' ')} {arrow}")
        parts.append(f"status {self.status or 'all'}")
        if self.wpe.read_only:
            parts.append("[reverse] read-only [/]")
        self.query_one("#title-bar", Static).update(" · ".join(parts))

    def rows_changed(self) -> None:
        self._update_title()

    def on_paged_table_loaded(self, event: PagedTable.Loaded) -> None:
        super().on_paged_table_loaded(event)
        self._update_title()

    def on_paged_table_load_failed(self, event: PagedTable.LoadFailed) -> None:
        if isinstance(event.error, AuthError) and not self.wpe.demo:
            return  # the app has opened the key screen; it reloads this view after
        self.notify(f"{event.error} — r to retry", severity="error", timeout=8)

    def on_paged_table_selected(self, event: PagedTable.Selected) -> None:
        from wpe_tui.screens.site_detail import SiteDetailScreen

        self.app.push_screen(SiteDetailScreen(cast(Site, event.row.data)))

    # -- server-side sort and status filter -----------------------------------

    def _requery(self, near: int | None = None) -> None:
        current = self.table.current_row
        self.table.reset(keep_key=current.key if current else None, near=near)
        self._update_title()
        if self.table.filter_text is not None:
            self._fill()

    def action_cycle_sort(self) -> None:
        self.sort = SORT_FIELDS[(SORT_FIELDS.index(self.sort) + 1) % len(SORT_FIELDS)]
        self._requery()

    def action_toggle_order(self) -> None:
        self.order = "desc" if self.order == "asc" else "asc"
        table = self.table
        mirrored = None
        if table.filter_text is None and table.total is not None:
            mirrored = table.total - 1 - table.cursor  # where the same site lands reversed
        self._requery(near=mirrored)

    def action_cycle_status(self) -> None:
        index = STATUS_FILTERS.index(self.status)
        self.status = STATUS_FILTERS[(index + 1) % len(STATUS_FILTERS)]
        self._requery()

    def action_refresh(self) -> None:
        self.table.reload()
        self._update_title()

    # -- changes: new, edit, delete --------------------------------------------

    def _selected_site(self) -> Site | None:
        row = self.table.current_row
        return cast(Site, row.data) if row is not None else None

    def action_new(self) -> None:
        open_new_site(self.wpe, created=self._site_created)

    def _site_created(self, site: Site) -> None:
        # The new site lands where the sort puts it; the rows loaded are asked for again.
        self.table.reload()
        self._update_title()

    def action_edit(self) -> None:
        site = self._selected_site()
        if site is not None:
            # A list row may lack the versions: the form starts from the whole site.
            self.run_worker(self._edit(site), group="edit", exclusive=True, exit_on_error=False)

    async def _edit(self, site: Site) -> None:
        try:
            site = await self.wpe.client.get_site(site.id)
        except ApiError as error:
            self.notify(f"{error} — the site could not be opened for editing", severity="error")
            return
        open_edit_site(self.wpe, site, saved=self._site_changed)

    def _site_changed(self, site: Site) -> None:
        self.table.update_row(site_row(site))
        self.check_live()

    def action_delete(self) -> None:
        site = self._selected_site()
        if site is not None:
            open_delete_site(
                self.wpe,
                site,
                deleted=lambda deletion: self._site_changed(cast(Site, deleting(site, deletion))),
            )

    def action_copy(self) -> None:
        row = self.table.current_row
        if row is not None:
            site = cast(Site, row.data)
            self.wpe.copy(site.url or site.id)

    # -- `/` filter: narrows loaded rows and fetches the rest in the background

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            # Shown in the footer only while there is a filter to clear.
            box = self.query("#filter")
            return bool(box) and not box.first().has_class("hidden")
        return super().check_action(action, parameters)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.remove_class("hidden")
        box.focus()
        self.refresh_bindings()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.set_filter(event.value)
        self._update_title()
        if event.value.strip():
            self._fill()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_class("hidden") and self.table.filter_text is None:
            return
        self.workers.cancel_group(self, "fill")
        box.value = ""
        box.add_class("hidden")
        self.refresh_bindings()
        self.table.set_filter(None)
        self.table.focus()
        self._update_title()

    def load_everything(self) -> None:
        """Fetch the pages not loaded yet, in the background (for the palette)."""
        self._fill()

    def _fill(self) -> None:
        if self.table.fully_loaded:
            return
        self.run_worker(self._fill_pages(), group="fill", exclusive=True, exit_on_error=False)

    async def _fill_pages(self) -> None:
        await self.table.fill()
        self._update_title()
