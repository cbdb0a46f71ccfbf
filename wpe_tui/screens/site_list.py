"""`SiteListScreen`: every site of the account, paged lazily, the first screen.

Sort, order and status filter go to the server when it can do them. Where it cannot
(the Hosting Platform API), and for `/` and the account filter, the list shown is a
local view: the sites read by a sweep of every page (the rows loaded meanwhile), kept
light, filtered and sorted here — and the header says so.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input

from wpe_tui.api import Account, ApiError, AuthError, Page, Site, StatusScan
from wpe_tui.core.follower import PageTarget, Target
from wpe_tui.core.kinds import ListQuery, Ref
from wpe_tui.core.registry import kind
from wpe_tui.core.session import Session
from wpe_tui.core.store import Change
from wpe_tui.core.sweep import Sweep
from wpe_tui.kinds import ui
from wpe_tui.kinds.site import SiteEntry
from wpe_tui.screens.list_view import ListView
from wpe_tui.screens.site_list_changes import SiteListChanges
from wpe_tui.text import clean, freshness
from wpe_tui.widgets import Footer, OfflineBanner, PagedTable, PageResult, Part, TitleBar
from wpe_tui.widgets.title_bar import KEEP


class SiteListScreen(SiteListChanges):
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
        self.account: Account | None = None
        self.accounts: list[Account] = []
        self.view: ListView | None = None  # made with the table, in on_mount
        self.updated_at: datetime | None = None  # when a page last came: what is shown
        self.refreshing = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield OfflineBanner(self.session.connection)
        yield Input(placeholder="filter by name, URL, domain or ID", id="filter", classes="hidden")
        yield PagedTable(
            self.ui.columns(self.session.capabilities),
            self._fetch,
            page_size=self.session.page_size,
            empty_text="No sites match",
            catches=(ApiError,),
            prefetch_end=not self.session.paced,  # End: the far end of a large account
            id="sites",
        )
        yield Footer()

    @property
    def table(self) -> PagedTable:
        return self.query_one("#sites", PagedTable)

    def on_mount(self) -> None:
        caps = self.session.capabilities
        # Where the server cannot sort, the list starts in the API's own order; the
        # profile's last choices (the state file) come back.
        prefs = self.session.prefs()
        self.view = ListView(
            self.session,
            self.kind,
            self.ui,
            self.table,
            self._list_query,
            key="sites",
            statuses=caps.site_statuses,
            sort=prefs.sort or ("name" if caps.server_sort else None),
            order=prefs.order if prefs.order in ("asc", "desc") else "asc",
            status=prefs.status,
            timer=self.set_timer,
            changed=self._changed,
            scan_statuses=None if caps.site_list_statuses else self._scan_statuses,
        )
        self.table.focus()
        self.table.load_page(1)
        if self.view.local:  # a sort or filter kept from the last run, done here
            self.view.apply()
        self._update_title()
        if caps.accounts:
            self.run_worker(self._load_accounts(), group="accounts")

    @property
    def list_view(self) -> ListView:
        assert self.view is not None, "made on mount"
        return self.view

    @property
    def sort(self) -> str | None:
        return self.list_view.sort

    @property
    def order(self) -> str:
        return self.list_view.order

    @property
    def status(self) -> str | None:
        return self.list_view.status

    @property
    def needle(self) -> str | None:
        return self.view.needle if self.view is not None else None

    @property
    def local(self) -> bool:
        return self.view is not None and self.view.local

    def _changed(self) -> None:
        view = self.list_view
        self.session.set_prefs(sort=view.sort, order=view.order, status=view.status)
        self._update_title()
        self.refollow()

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

    async def _list_query(self, query: ListQuery, background: bool) -> Page[Site]:
        backend = self.session.backend
        return await self.session.read(
            lambda: self.kind.list(backend, None, query), background=background
        )

    async def _scan_statuses(self) -> StatusScan:
        """A step of the status scan; the sites it told about that the app holds (rows
        loaded, a site open) take their status now."""
        step = await self.session.read(self.session.backend.scan_site_statuses, background=True)
        self._take_statuses(step.rows)
        return step

    def _statuses_learnt(self) -> None:
        """Rows loaded without a status (their installs not read then) that a later page
        of installs told about take it now."""
        unknown = [
            row.key
            for row in self.table.loaded_rows()
            if isinstance(row.data, Site) and row.data.status is None and not row.data.unreadable
        ]
        if unknown:
            self._take_statuses(self.session.backend.listed_rows(unknown))

    def _take_statuses(self, rows: list[Site]) -> None:
        store, caps = self.session.store, self.session.capabilities
        for row in rows:
            held = store.get("site", row.id) if ("site", row.id) in store else None
            if held is not None and held.status != row.status:
                store.put("site", held.model_copy(update={"status": row.status}))
            elif held is None:
                self.table.update_row(self.ui.row(self._named(row), caps))

    async def _fetch(self, page: int) -> PageResult:
        query = self.list_view.server_query(page, self.table.page_size)
        return self._rows(await self._list_query(query, False))

    def _rows(self, answer: Page[Site]) -> PageResult:
        self.updated_at, self.refreshing = self.session.wall(), False
        sites = [self._named(site) for site in answer.results]
        self.session.store.put_many("site", sites, fetched_at=self.session.now())
        caps = self.session.capabilities
        return PageResult([self.ui.row(s, caps) for s in sites], answer.pagination.total)

    def _named(self, site: Site) -> Site:
        """The site with its account's name, when the page came before the names did."""
        if site.account_name is not None or site.account_id is None:
            return site
        name = next((a.shown_name for a in self.accounts if a.id == site.account_id), None)
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
                self.session.item_target(Ref("site", key, key), row=True)
                for keys in in_flight.values()
                for key in keys
            ]
        served = self.list_view.server_query(1, self.table.page_size)
        query = (served.sort, served.order, served.status, self.table.page_size)
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
        backend = self.session.backend
        query = self.list_view.server_query(page, self.table.page_size)

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
        if not self.session.capabilities.site_list_statuses:
            self._statuses_learnt()
        self._update_title()
        self.refollow()

    def on_paged_table_highlighted(self, event: PagedTable.Highlighted) -> None:
        self.refollow()

    # -- title ---------------------------------------------------------------

    def _update_title(self) -> None:
        if self.view is None:
            return
        view = self.view
        # Ranked: at 80 columns the lowest go first (see TitleBar).
        parts = [Part(self.session.label, 6, "bold")]
        if self.session.capabilities.accounts:
            if self.account is not None:
                parts.append(Part(f"account {clean(self.account.shown_name)}", 8))
            elif self.accounts:
                parts.append(Part(f"all {len(self.accounts)} accounts", 4))
        parts.append(Part(view.count("site")))
        parts.append(Part(view.order_text(), 3))
        if view.status is not None:
            parts.append(Part(f"status {view.status.replace('_', ' ')}", 8))
        if self.session.read_only:
            parts.append(Part(" read-only ", KEEP, "reverse"))
        parts.append(Part(freshness(self.updated_at, self.refreshing), 7))
        self.query_one(TitleBar).show(parts)

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

    def action_cycle_sort(self) -> None:
        self.list_view.cycle_sort()

    def action_toggle_order(self) -> None:
        self.list_view.toggle_order()

    def action_cycle_status(self) -> None:
        self.list_view.cycle_status()

    def set_account(self, account: Account | None) -> None:
        """The palette's account filter (None: every account)."""
        self.account = account
        chosen = account.id if account is not None else None
        self.list_view.also = (lambda site: site.account_id == chosen) if account else None
        self.list_view.apply()

    def action_refresh(self) -> None:
        self.refreshing = True  # said in the header until the first page comes back
        self.session.backend.forget_statuses()
        self.table.reload()
        self.list_view.refresh()
        self._update_title()

    # -- `/` filter -------------------------------------------------------------------

    def action_filter(self) -> None:
        self.open_filter_box()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.list_view.filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def action_clear_filter(self) -> None:
        if not self.close_filter_box() and self.needle is None:
            return
        self.table.focus()
        self.list_view.filter(None)

    def on_unmount(self) -> None:
        if self.view is not None:
            self.view.stop()

    def load_everything(self) -> Sweep[SiteEntry]:
        """The sweep the palette searches (names not loaded yet become searchable)."""
        return self.list_view.sweep(every_status=True)

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        """The account filter, for the palette: (title, help, what it does)."""
        if not self.accounts:
            return []
        commands: list[tuple[str, str, Any]] = [
            ("Show every account", "account filter", lambda: self.set_account(None))
        ]
        for account in self.accounts:
            name = clean(account.shown_name)
            if account.nickname and account.name and account.name != account.nickname:
                name += f" ({clean(account.name)})"  # found by either in the palette
            commands.append(
                (
                    f"Show the sites of account {name}",
                    "account filter",
                    lambda chosen=account: self.set_account(chosen),
                )
            )
        return commands
