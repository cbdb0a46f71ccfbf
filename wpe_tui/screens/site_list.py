"""`SiteListScreen`: every site of the account, paged lazily, the first screen.

Sort, order and status filter go to the server when it can do them. Where it cannot
(the Hosting Platform API), and for `/` and the account filter, the list shown is a
local view: the sites read by a sweep of every page (the rows loaded meanwhile), kept
light, filtered and sorted here — and the header says so.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import Input, Static

from wpe_tui.api import Account, ApiError, AuthError, Page, Site
from wpe_tui.core.follower import PageTarget, Target
from wpe_tui.core.kinds import ListQuery, Ref
from wpe_tui.core.registry import kind
from wpe_tui.core.session import Session
from wpe_tui.core.store import Change
from wpe_tui.core.sweep import Sweep
from wpe_tui.kinds import ui
from wpe_tui.kinds.site import SiteEntry, open_delete_site, open_edit_site, open_new_site
from wpe_tui.screens.base import WpeScreen
from wpe_tui.text import clean
from wpe_tui.widgets import Footer, OfflineBanner, PagedTable, PageResult

MATCH_REDRAW = 0.15  # seconds between redraws of a local view while its sweep runs


def _sort_key(field: str) -> Any:
    if field == "name":
        return lambda s: (clean(s.name).casefold(), s.id)
    if field == "created_at":
        return lambda s: (s.created_at.timestamp() if s.created_at else 0.0, s.id)
    return lambda s: ((s.status or "").lower(), clean(s.name).casefold())


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
        caps = session.capabilities
        self.server_sort = caps.server_sort
        self.server_status = caps.server_status_filter
        # Where the server cannot sort, the list starts in the API's own order; the
        # profile's last choices (the state file) come back.
        prefs = session.prefs()
        self.sort: str | None = "name" if self.server_sort else None
        if prefs.sort in self.kind.sort_fields:
            self.sort = prefs.sort
        self.order = prefs.order if prefs.order in ("asc", "desc") else "asc"
        self.status: str | None = prefs.status if prefs.status in caps.site_statuses else None
        self.account: Account | None = None
        self.accounts: list[Account] = []
        self.needle: str | None = None
        self._sweep: Sweep[SiteEntry] | None = None
        self._stop_sweep: Any = None
        self._redraw: Timer | None = None
        self._served = self._query(1, 1)  # what the table's pages were asked for with

    def compose(self) -> ComposeResult:
        yield Static(id="title-bar")
        yield OfflineBanner(self.session.connection)
        yield Input(placeholder="filter by name, URL, domain or ID", id="filter", classes="hidden")
        yield PagedTable(
            self.ui.columns(self.session.capabilities),
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
        if self.session.capabilities.accounts:
            self.run_worker(self._load_accounts(), group="accounts")

    async def _load_accounts(self) -> None:
        backend = self.session.backend
        try:
            self.accounts = await self.session.read(backend.list_accounts)
        except ApiError:
            return  # the header then says less; the list works without
        # Rows that came before the accounts' names did: named now, with no request.
        caps = self.session.capabilities
        for row in list(self.table.loaded_rows()):
            site = row.data
            if isinstance(site, Site) and (named := self._named(site)) is not site:
                self.table.update_row(self.ui.row(named, caps))
        self._update_title()

    # -- loading -------------------------------------------------------------

    def _query(self, page: int, per_page: int) -> ListQuery:
        """What the server is asked: only what it can do."""
        return ListQuery(
            page=page,
            per_page=per_page,
            sort=self.sort if self.server_sort else None,
            order=self.order if self.server_sort else None,
            status=self.status if self.server_status else None,
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
        sites = [self._named(site) for site in answer.results]
        self.session.store.put_many("site", sites, fetched_at=self.session.now())
        caps = self.session.capabilities
        return PageResult([self.ui.row(s, caps) for s in sites], answer.pagination.total)

    def _named(self, site: Site) -> Site:
        """The site with its account's name, when the page came before the names did."""
        if site.account_name is not None or site.account_id is None:
            return site
        name = next((a.name for a in self.accounts if a.id == site.account_id), None)
        return site.model_copy(update={"account_name": name}) if name else site

    # -- following the rows on screen -------------------------------------------

    def follow_targets(self) -> list[Target]:
        if self.local:
            return []  # what a sweep saw: not followed
        in_flight: dict[int, list[str]] = {}
        for page, row in self.table.rows_in_view():
            if self.kind.in_flight(self.session.store.get("site", row.key) or row.data):
                in_flight.setdefault(page, []).append(row.key)
        if not self.session.capabilities.follow_pages:
            return [
                self.session.item_target(Ref("site", key, key))
                for keys in in_flight.values()
                for key in keys
            ]
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
        if self.table.update_row(self.ui.row(change.item, self.session.capabilities)):
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
        parts = [f"[b]{escape(self.session.label)}[/b]"]
        if self.session.capabilities.accounts:
            if self.account is not None:
                parts.append(f"account {escape(clean(self.account.name))}")
            elif self.accounts:
                parts.append(f"all {len(self.accounts)} accounts")
        if self.local:
            parts.append(self._local_count())
        elif total is None:
            parts.append("loading sites…")
        else:
            parts.append(f"{total:,} sites · {table.loaded_count:,} loaded")
        if self.sort is None:
            parts.append("in the API's order")
        else:
            arrow = "↑" if self.order == "asc" else "↓"
            parts.append(f"sort {self.sort.replace('_', ' ')} {arrow}")
        if self.status is not None:
            parts.append(f"status {self.status}")
        if self.session.read_only:
            parts.append("[reverse] read-only [/]")
        self.query_one("#title-bar", Static).update(" · ".join(parts))

    def _local_count(self) -> str:
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
        if isinstance(event.error, AuthError) and not self.session.demo:
            return  # the app has opened the key screen; it reloads this view after
        self.notify(f"{event.error} — r to retry", severity="error", timeout=8)

    def on_paged_table_selected(self, event: PagedTable.Selected) -> None:
        from wpe_tui.screens.site_detail import SiteDetailScreen

        site = event.row.data
        if isinstance(site, Site):
            self.app.push_screen(SiteDetailScreen(self.session, site))

    # -- sort, order and status: the server's, or done here ------------------------

    def _requery(self, near: int | None = None) -> None:
        self.session.set_prefs(sort=self.sort, order=self.order, status=self.status)
        if self.local:
            self._show_local()
            self._update_title()
            return
        if self.table.showing_matches:
            self._stop_local()
            self.table.clear_matches()
        served = self._query(1, 1)
        if served != self._served:
            self._served = served
            current = self.table.current_row
            self.table.reset(keep_key=current.key if current else None, near=near)
        self._update_title()

    def action_cycle_sort(self) -> None:
        fields: tuple[str | None, ...] = self.kind.sort_fields
        if not self.server_sort:
            fields = (None, *fields)  # back to the API's own order at the end
            self._say_local("sort")
        self.sort = fields[(fields.index(self.sort) + 1) % len(fields)]
        self._requery()

    def action_toggle_order(self) -> None:
        self.order = "desc" if self.order == "asc" else "asc"
        table = self.table
        mirrored = None
        if not self.local and table.total is not None:
            mirrored = table.total - 1 - table.cursor  # where the same site lands reversed
        self._requery(near=mirrored)

    def action_cycle_status(self) -> None:
        statuses: tuple[str | None, ...] = (None, *self.session.capabilities.site_statuses)
        index = statuses.index(self.status) if self.status in statuses else 0
        self.status = statuses[(index + 1) % len(statuses)]
        if not self.server_status:
            self._say_local("filter by status")
        self._requery()

    def _say_local(self, what: str) -> None:
        api = self.session.capabilities.name
        self.notify(f"The {api} cannot {what}: every page is read and it is done here.", timeout=5)

    def set_account(self, account: Account | None) -> None:
        """The palette's account filter (None: every account)."""
        self.account = account
        self._requery()
        self.refollow()

    def action_refresh(self) -> None:
        self.session.sweeps.forget("sites")
        self.table.reload()
        if self.local:
            self._start_local()
        self._update_title()

    # -- changes: new, edit, delete --------------------------------------------

    def available(self, action: str) -> bool:
        caps = self.session.capabilities
        if action == "clear_filter":
            # Shown in the footer only while there is a filter to clear.
            box = self.query("#filter")
            return bool(box) and not box.first().has_class("hidden")
        if action == "new":
            return caps.create_site
        if action == "edit":
            return caps.edit_site
        if action == "delete":
            return caps.delete_site
        return True

    def unavailable(self, action: str) -> None:
        what = {"new": "create", "edit": "edit", "delete": "delete"}.get(action)
        if what is not None:
            api = self.session.capabilities.name
            self.notify(f"The {api} cannot {what} a site from here", timeout=4)

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

    # -- `/` filter -------------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.remove_class("hidden")
        box.focus()
        self.refresh_bindings()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.needle = event.value.strip().lower() or None
        self._requery()
        self.refollow()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_class("hidden") and self.needle is None:
            return
        box.value = ""
        box.add_class("hidden")
        self.needle = None
        self.refresh_bindings()
        self.table.focus()
        self._requery()
        self.refollow()

    # -- the local view: a sweep's sites, filtered and sorted here -------------------

    @property
    def local(self) -> bool:
        """Whether what is shown is worked out here rather than paged from the server."""
        return (
            self.needle is not None
            or self.account is not None
            or (self.status is not None and not self.server_status)
            or (self.sort is not None and not self.server_sort)
        )

    def sweep(self) -> Sweep[SiteEntry]:
        """Every site of the server's query, read in the background (shared with the
        palette)."""
        query = self._query(1, 1)
        key = ("sites", query.sort, query.order, query.status)
        sweep = self.session.sweeps.get(key)
        if sweep is None:

            async def fetch(page: int, size: int) -> Page[Site]:
                return await self._list(page, size, background=True)

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

    def _start_local(self) -> None:
        sweep = self.sweep()
        if sweep is not self._sweep:
            if self._stop_sweep is not None:
                self._stop_sweep()
            self._sweep = sweep
            self._stop_sweep = sweep.subscribe(self._sweep_progressed)

    def _stop_local(self) -> None:
        if self._stop_sweep is not None:
            self._stop_sweep()
        self._stop_sweep = None
        self._sweep = None  # the sweep itself goes on: the palette or the next `/` uses it

    def _sweep_progressed(self) -> None:
        if self._redraw is None:
            size = self._sweep.searched if self._sweep is not None else 0
            self._redraw = self.set_timer(MATCH_REDRAW + size / 100_000, self._redraw_local)

    def _redraw_local(self) -> None:
        self._redraw = None
        if self.local:
            self._show_local()
            self._update_title()

    def _show_local(self) -> None:
        if not self.local:
            self._stop_local()
            self.table.clear_matches()
            return
        self._start_local()
        sweep = self._sweep
        found: list[Any] = [row.data for row in self.table.loaded_rows()]
        if sweep is not None and sweep.total is not None:
            if sweep.done:
                found = sweep.entries()  # everything, in the server's order
            else:
                seen = {site.id for site in found}
                found += [entry for entry in sweep.entries() if entry.id not in seen]
        found = [entry for entry in found if self._wanted(entry)]
        if self.sort is not None and not self.server_sort:
            found.sort(key=_sort_key(self.sort), reverse=self.order == "desc")
        caps, ui_kind = self.session.capabilities, self.ui
        done = sweep is not None and sweep.done
        self.table.show_matches(
            found,
            lambda entry: ui_kind.row(entry, caps),
            lambda entry: str(entry.id),
            no_match="no match" if done else "no match yet",
        )

    def _wanted(self, entry: Any) -> bool:
        if self.needle is not None and self.needle not in self.ui.search_text(entry):
            return False
        if self.account is not None and getattr(entry, "account_id", None) != self.account.id:
            return False
        return (
            self.status is None or self.server_status or (entry.status or "").lower() == self.status
        )

    def on_unmount(self) -> None:
        self._stop_local()

    def load_everything(self) -> Sweep[SiteEntry]:
        """The sweep the palette searches (names not loaded yet become searchable)."""
        return self.sweep()

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        """The account filter, for the palette: (title, help, what it does)."""
        if not self.accounts:
            return []
        commands: list[tuple[str, str, Any]] = [
            ("Show every account", "account filter", lambda: self.set_account(None))
        ]
        for account in self.accounts:
            name = clean(account.name) or account.id
            commands.append(
                (
                    f"Show the sites of account {name}",
                    "account filter",
                    lambda chosen=account: self.set_account(chosen),
                )
            )
        return commands
