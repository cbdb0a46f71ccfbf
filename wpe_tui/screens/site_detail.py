"""`SiteDetailScreen`: one site, its environments and disk, and a tab per child kind
(backups, deployments, domains: whichever the API has)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from wpe_tui.api import ApiError, NotFoundError, Page, Site
from wpe_tui.core.follower import PageTarget, Target
from wpe_tui.core.kinds import ListQuery, Ref, ResourceKind
from wpe_tui.core.registry import kind
from wpe_tui.core.session import Session
from wpe_tui.core.store import Change
from wpe_tui.kinds import ui
from wpe_tui.kinds.base import KindUI
from wpe_tui.screens.list_view import ListView
from wpe_tui.screens.overview import Overview
from wpe_tui.screens.site_tabs import SiteTabs
from wpe_tui.text import clean, freshness
from wpe_tui.widgets import Footer, OfflineBanner, PagedTable, PageResult, Part, TabBar, TitleBar

CHILD_KINDS = ("backup", "deployment", "domain")  # in the order of their tabs


class SiteDetailScreen(SiteTabs):
    HELP_TITLE = "the site detail"
    BINDINGS: ClassVar[list[BindingType]] = [
        # The tabs show their numbers, so the footer keeps its room for the rest.
        Binding("1", "tab('overview')", "Overview tab", show=False),
        Binding("2", "tab('backups')", "Backups tab", show=False),
        Binding("3", "tab('deployments')", "Deployments tab", show=False),
        Binding("4", "tab('domains')", "Domains tab", show=False),
        Binding("R", "restore", "Restore"),
        Binding("n", "new", "New"),
        Binding("b", "new_backup", "Backup"),
        Binding("D", "delete", "Delete"),
        Binding("slash", "filter", "Filter"),
        Binding("s", "cycle_sort", "Sort", show=False),
        Binding("o", "toggle_order", "Order", show=False),
        Binding("f", "cycle_status", "Status", show=False),
        Binding("C", "copy_environment", "Copy env"),
        Binding("P", "purge", "Purge cache"),
        Binding("e", "edit", "Edit"),
        Binding("r", "refresh", "Refresh", show=False),
        Binding("y", "copy", "Copy", show=False),
        Binding("escape", "clear_filter", "Clear filter"),  # while a filter is open
        Binding("escape", "escape", "Back"),
        Binding("q", "back", "Back", show=False),
    ]

    def __init__(self, session: Session, site: Site) -> None:
        super().__init__(session)  # no fixed id: two of them may be on the stack at once
        self.site = site
        self.site_gone = False
        capabilities = session.capabilities
        self.child_kinds: list[tuple[ResourceKind, KindUI]] = [
            (kind(name), ui(name)) for name in CHILD_KINDS if kind(name).available(capabilities)
        ]
        self._active = self._first_tab()
        self.views: dict[str, ListView] = {}  # each tab's sort, order and filters
        self._tables: dict[str, PagedTable] = {}
        self.updated_at: datetime | None = None  # when the site or a page last came
        self.refreshing = False
        # On an API with no pace to keep, the site and the first page of each list are
        # asked for now, while the screen is built (tens of ms), so their answers arrive
        # one latency after enter. A paced API loads each tab on its first visit.
        self._early: dict[str, asyncio.Future[Any]] = {}
        self._eager = not session.paced
        self._early["site"] = self._start(lambda: session.backend.get_site(site.id))
        if self._eager:
            for child, _ in self.child_kinds:
                self._early[child.name] = self._start(self._first_page_call(child))

    def _start(self, call: Any) -> asyncio.Future[Any]:
        future = asyncio.ensure_future(self.session.read(call))
        # An answer nobody waits for any more (the user left) is dropped quietly.
        future.add_done_callback(_consume)
        return future

    def _first_page_call(self, child: ResourceKind) -> Any:
        backend, site_id = self.session.backend, self.site.id
        query = ListQuery(page=1, per_page=self.session.page_size)
        return lambda: child.list(backend, site_id, query)

    def _drop_early(self) -> None:
        for early in self._early.values():
            early.cancel()
        self._early.clear()

    def on_unmount(self) -> None:
        self._drop_early()

    # -- building ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield OfflineBanner(self.session.connection)
        yield Static(id="site-header")
        first = self._first_tab()
        tabs = [("overview", "1 Overview")]
        for _, child_ui in self.child_kinds:
            assert child_ui.tab is not None
            tabs.append((child_ui.tab.pane, f"{child_ui.tab.key} {child_ui.tab.label}"))
        self.tab_bar = TabBar(tabs, active=first, id="tabs")
        yield self.tab_bar
        # The panes are the screen's own children, one shown at a time: no container
        # between them and the screen to restyle or repaint on a switch.
        with VerticalScroll(id="overview-body", classes="pane") as body:
            body.display = first == "overview"
            yield Overview(id="overview-facts")
        self.overview_body = body
        for child, child_ui in self.child_kinds:
            tab = child_ui.tab
            assert tab is not None
            table = PagedTable(
                child_ui.columns(self.session.capabilities),
                self._fetcher(child),
                page_size=self.session.page_size,
                empty_text=tab.empty,
                catches=(ApiError,),
                id=f"{child.name}-table",
                classes="pane",
            )
            table.display = first == tab.pane
            yield table
        # After the tabs, so it is never what a new screen focuses first.
        yield Input(placeholder="filter this tab", id="filter", classes="hidden")
        yield Footer()

    def _first_tab(self) -> str:
        """The tab the profile was last on (the state file), if this API has it."""
        tab = self.session.prefs().tab
        return tab if tab is not None and self._has_tab(tab) else "overview"

    def _pane_kind(self, pane: str) -> str | None:
        """The kind a tab lists (None: the Overview, or a tab this API has not)."""
        for child, child_ui in self.child_kinds:
            if child_ui.tab is not None and child_ui.tab.pane == pane:
                return child.name
        return None

    def _has_tab(self, pane: str) -> bool:
        return self._pane_kind(pane) is not None

    def table(self, kind_name: str) -> PagedTable | None:
        # Looked up once: a tab switch asks for it, and a query walks the whole screen.
        if kind_name not in self._tables:
            found = self.query(f"#{kind_name}-table")
            if not found:
                return None
            self._tables[kind_name] = found.first(PagedTable)
        return self._tables[kind_name]

    @property
    def backups(self) -> PagedTable:
        return self.query_one("#backup-table", PagedTable)

    @property
    def deployments(self) -> PagedTable:
        return self.query_one("#deployment-table", PagedTable)

    def on_mount(self) -> None:
        caps = self.session.capabilities
        for child, child_ui in self.child_kinds:
            table = self.table(child.name)
            if table is None:
                continue
            server = caps.server_sort and "created_at" in child.sort_fields
            self.views[child.name] = ListView(
                self.session,
                child,
                child_ui,
                table,
                self._lister(child),
                key=(child.name, self.site.id),
                statuses=child.statuses,
                sort="created_at" if server else None,
                order="desc",
                status=None,
                timer=self.set_timer,
                changed=self._list_changed,
            )
        self._show_site()
        self.run_worker(self._load_site(), group="site", exclusive=True)
        front = self._active_kind()  # a paced API loads a tab on its first visit
        for child, _ in self.child_kinds:
            table = self.table(child.name)
            if table is not None and (self._eager or child.name == front):
                table.load_page(1)

    # -- loading -------------------------------------------------------------

    async def _load_site(self) -> None:
        early = self._early.pop("site", None)
        backend, site_id = self.session.backend, self.site.id
        try:
            if early is not None:
                site = await early
            else:
                site = await self.session.read(lambda: backend.get_site(site_id))
        except NotFoundError:
            self._gone()
            return
        except ApiError as error:
            self.notify(f"{error} — r to retry", severity="error", timeout=8)
            return
        self.session.store.put("site", site, fetched_at=self.session.now())
        self.site = site
        self.updated_at, self.refreshing = self.session.wall(), False
        self._show_site()
        self.refollow()
        if site.not_read:
            missed = "; ".join(f"{part} ({error})" for part, error in site.not_read.items())
            self.notify(f"Not read: {missed} — r to retry", severity="error", timeout=8)

    def _gone(self) -> None:
        self.site_gone = True
        self.notify(f"Site {clean(self.site.name)} no longer exists", severity="error")
        self.query_one(Overview).gone()

    def _lister(self, child: ResourceKind) -> Any:
        async def list_page(query: ListQuery, background: bool) -> Page[Any]:
            backend, site_id = self.session.backend, self.site.id
            return await self.session.read(
                lambda: child.list(backend, site_id, query), background=background
            )

        return list_page

    def _fetcher(self, child: ResourceKind) -> Any:
        child_ui = ui(child.name)

        async def fetch(page: int) -> PageResult:
            early = self._early.pop(child.name, None) if page == 1 else None
            if early is not None:
                answer: Page[Any] = await early
            else:
                table = self.table(child.name)
                size = table.page_size if table is not None else self.session.page_size
                view = self.views.get(child.name)
                query = (
                    view.server_query(page, size)
                    if view is not None
                    else ListQuery(page=page, per_page=size)
                )
                answer = await self._lister(child)(query, False)
            self.session.store.put_many(child.name, answer.results, fetched_at=self.session.now())
            self.updated_at, self.refreshing = self.session.wall(), False
            return PageResult(
                [child_ui.row(i, self.session.capabilities) for i in answer.results],
                answer.pagination.total,
            )

        return fetch

    def on_paged_table_load_failed(self, event: PagedTable.LoadFailed) -> None:
        self.notify(f"{event.error} — r to retry", severity="error", timeout=8)

    def on_paged_table_loaded(self, event: PagedTable.Loaded) -> None:
        self._show_title()
        self.refollow()
        self.refresh_bindings()  # R and D only where there is a backup to act on

    def on_paged_table_selected(self, event: PagedTable.Selected) -> None:
        from wpe_tui.screens.item_detail import ItemDetailScreen

        item = event.row.data
        for child, _ in self.child_kinds:
            if event.table is self.table(child.name):
                self.app.push_screen(ItemDetailScreen(self.session, self.site, child.name, item))

    # -- following what is in view -----------------------------------------------

    def follow_targets(self) -> list[Target]:
        targets: list[Target] = []
        store = self.session.store
        site_kind = kind("site")
        if not self.site_gone and site_kind.in_flight(store.get("site", self.site.id) or self.site):
            targets.append(self.session.item_target(Ref("site", self.site.id, self.site.id)))
        for child, child_ui in self.child_kinds:
            table = self.table(child.name)
            if table is None or child_ui.tab is None or child_ui.tab.pane != self._active:
                continue  # only the tab in front is in view
            in_flight: dict[int, list[str]] = {}
            for page, row in table.rows_in_view():
                if child.in_flight(store.get(child.name, row.key) or row.data):
                    in_flight.setdefault(page, []).append(row.key)
            if not self.session.capabilities.follow_pages:
                # A list page costs a request per environment here: ask for each row.
                targets += [
                    self.session.item_target(Ref(child.name, key, self.site.id))
                    for keys in in_flight.values()
                    for key in keys
                ]
                continue
            for page, keys in in_flight.items():
                targets.append(self._page_target(child, table, page, keys))
        return targets

    def _page_target(
        self, child: ResourceKind, table: PagedTable, page: int, keys: list[str]
    ) -> PageTarget:
        backend, site_id = self.session.backend, self.site.id
        query = ListQuery(page=page, per_page=table.page_size)
        child_ui = ui(child.name)

        async def fetch() -> Page[Any]:
            return await child.list(backend, site_id, query)

        def apply(answer: Page[Any]) -> list[Any]:
            self.session.store.put_many(child.name, answer.results, fetched_at=self.session.now())
            rows = [child_ui.row(i, self.session.capabilities) for i in answer.results]
            table.replace_page(page, PageResult(rows, answer.pagination.total))
            return list(answer.results)

        return PageTarget(
            (child.name, site_id, page, table.page_size),
            child,
            keys,
            fetch,
            apply,
            self.session.store,
        )

    def item_changed(self, change: Change) -> None:
        if change.kind == "site" and change.id == self.site.id:
            if change.item is None:
                self._gone()
            else:
                self.site = change.item
                self._show_site()
            self.refollow()
            return
        table = self.table(change.kind)
        if table is None:
            return
        if change.item is None:
            table.remove_row(change.id)
        elif table.update_row(ui(change.kind).row(change.item, self.session.capabilities)):
            self.refollow()

    # -- drawing -------------------------------------------------------------

    def _show_site(self) -> None:
        site = self.site
        self._show_title()
        overview = self.query_one(Overview)
        self.query_one("#site-header", Static).update(overview.header(site))
        overview.show(site)

    def _show_title(self) -> None:
        parts = [Part(self.session.label, 5, "bold"), Part(f"sites › {clean(self.site.name)}")]
        active = self._active_kind()
        view = self.views.get(active) if active else None
        if view is not None and active is not None:
            parts.append(Part(view.count(active)))
            parts.append(Part(view.order_text(), 3))
            if view.status is not None:
                parts.append(Part(f"status {view.status.replace('_', ' ')}", 8))
        parts.append(Part(freshness(self.updated_at, self.refreshing), 7))
        self.query_one(TitleBar).show(parts)

    def _list_changed(self) -> None:
        self._show_title()
        self.refollow()

    def action_refresh(self) -> None:
        self.refreshing = True  # said in the header until the answers are in
        self._show_title()
        self.run_worker(self._load_site(), group="site", exclusive=True)
        for child, _ in self.child_kinds:
            table = self.table(child.name)
            if table is not None and table.total is not None:
                table.reload()

    def _active_kind(self) -> str | None:
        return self._pane_kind(self._active)

    def _selected(self, kind_name: str) -> Any:
        table = self.table(kind_name)
        row = table.current_row if table is not None else None
        return row.data if row is not None else None

    def action_copy(self) -> None:
        active = self._active_kind()
        item = self._selected(active) if active else None
        text = kind(active).copy_value(item) if active and item is not None else None
        text = text or kind("site").copy_value(self.site)
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {text}", timeout=3)

    def action_back(self) -> None:
        # Leaving cancels this screen's requests: nothing lands on a screen that is gone.
        self.workers.cancel_node(self)
        self._drop_early()
        for child, _ in self.child_kinds:
            table = self.table(child.name)
            if table is not None:
                self.workers.cancel_node(table)
        self.app.pop_screen()


def _consume(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()  # retrieved, so asyncio does not report it at exit
