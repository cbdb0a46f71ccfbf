"""`SiteDetailScreen`: one site, its environments and disk, its backups and deployments."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, TypeVar, cast

from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from wpe_tui.api import ApiError, Backup, Deletion, Deployment, NotFoundError, Site
from wpe_tui.screens.live import LiveScreen
from wpe_tui.screens.operations import (
    ChangesGuard,
    deleting,
    open_delete_backup,
    open_edit_site,
    open_new_backup,
    open_new_deployment,
    open_restore,
)
from wpe_tui.screens.rows import (
    BACKUP_COLUMNS,
    DEPLOYMENT_COLUMNS,
    backup_row,
    deployment_row,
    status_text,
)
from wpe_tui.text import clean, dash, when
from wpe_tui.widgets import DiskUsageBar, Footer, OfflineBanner, PagedTable, PageResult, Row

TABS = ("overview", "backups", "deployments")

T = TypeVar("T")
HEADER_NAME_WIDTH = 40


class SiteDetailScreen(LiveScreen, ChangesGuard):
    HELP_TITLE = "the site detail"
    BINDINGS: ClassVar[list[BindingType]] = [
        # The tabs show their numbers, so the footer keeps its room for the rest.
        Binding("1", "tab('overview')", "Overview tab", show=False),
        Binding("2", "tab('backups')", "Backups tab", show=False),
        Binding("3", "tab('deployments')", "Deployments tab", show=False),
        Binding("R", "restore", "Restore"),
        Binding("n", "new", "New"),
        Binding("b", "new_backup", "Backup"),
        Binding("D", "delete", "Delete"),
        Binding("e", "edit", "Edit site", show=False),
        Binding("r", "refresh", "Refresh", show=False),
        Binding("y", "copy", "Copy", show=False),
        Binding("escape,q", "back", "Back"),
    ]

    def __init__(self, site: Site) -> None:
        super().__init__()  # no fixed id: two of them may be on the stack at once
        self.site = site
        self._tabs: TabbedContent | None = None
        # The site and the first page of each list are asked for now, while the screen
        # is built (tens of ms), so their answers arrive one latency after enter.
        client, size = self.wpe.client, self.wpe.page_size
        self._early: dict[str, asyncio.Future[Any]] = {
            "site": asyncio.ensure_future(client.get_site(site.id)),
            "backups": asyncio.ensure_future(client.list_backups(site.id, page=1, per_page=size)),
            "deployments": asyncio.ensure_future(
                client.list_deployments(site.id, page=1, per_page=size)
            ),
        }
        for early in self._early.values():
            # An answer nobody waits for any more (the user left) is dropped quietly.
            early.add_done_callback(_consume)

    async def _early_or(self, name: str, call: Callable[[], Awaitable[T]]) -> T:
        """The answer asked for at construction, once; then a new request."""
        early = self._early.pop(name, None)
        if early is not None:
            result: T = await early
            return result
        return await call()

    def _drop_early(self) -> None:
        for early in self._early.values():
            early.cancel()
        self._early.clear()

    def on_unmount(self) -> None:
        super().on_unmount()
        self._drop_early()

    def compose(self) -> ComposeResult:
        yield Static(id="title-bar")
        yield OfflineBanner()
        yield Static(id="site-header")
        with TabbedContent(id="tabs", initial="overview"):
            with TabPane("1 Overview", id="overview"), VerticalScroll(id="overview-body"):
                yield Static(id="environments")
                yield Static("Disk usage", classes="section-title")
                yield DiskUsageBar(id="disk")
                yield Static(id="bandwidth")
            with TabPane("2 Backups", id="backups"):
                yield PagedTable(
                    BACKUP_COLUMNS,
                    self._fetch_backups,
                    page_size=self.wpe.page_size,
                    empty_text="No backups yet",
                    id="backup-table",
                )
            with TabPane("3 Deployments", id="deployments"):
                yield PagedTable(
                    DEPLOYMENT_COLUMNS,
                    self._fetch_deployments,
                    page_size=self.wpe.page_size,
                    empty_text="No deployments yet",
                    id="deployment-table",
                )
        yield Footer()

    @property
    def backups(self) -> PagedTable:
        return self.query_one("#backup-table", PagedTable)

    @property
    def deployments(self) -> PagedTable:
        return self.query_one("#deployment-table", PagedTable)

    def on_mount(self) -> None:
        super().on_mount()
        self.watch_live(self.backups, self._refetch_backup)
        self.watch_live(self.deployments, self._refetch_deployment)
        self._show_site()
        # The site and the first page of each table are asked for at the same time.
        self.run_worker(self._load_site(), group="site", exclusive=True, exit_on_error=False)
        self.backups.load_page(1)
        self.deployments.load_page(1)

    # -- loading -------------------------------------------------------------

    async def _load_site(self) -> None:
        try:
            site_id = self.site.id
            self.site = await self._early_or("site", lambda: self.wpe.client.get_site(site_id))
        except NotFoundError:
            self.notify(f"Site {clean(self.site.name)} no longer exists", severity="error")
            self.query_one("#site-header", Static).update(
                Text("This site no longer exists (404). esc to go back.", style="bold red")
            )
            return
        except ApiError as error:
            self.notify(f"{error} — r to retry", severity="error", timeout=8)
            return
        self._show_site()

    async def _fetch_backups(self, page: int) -> PageResult:
        def call() -> Awaitable[Any]:
            return self.wpe.client.list_backups(
                self.site.id, page=page, per_page=self.backups.page_size
            )

        result = await (self._early_or("backups", call) if page == 1 else call())
        return PageResult([backup_row(b) for b in result.results], result.pagination.total)

    async def _fetch_deployments(self, page: int) -> PageResult:
        def call() -> Awaitable[Any]:
            return self.wpe.client.list_deployments(
                self.site.id, page=page, per_page=self.deployments.page_size
            )

        result = await (self._early_or("deployments", call) if page == 1 else call())
        return PageResult([deployment_row(d) for d in result.results], result.pagination.total)

    async def _refetch_backup(self, row: Row) -> Row:
        return backup_row(await self.wpe.client.get_backup(self.site.id, row.key))

    async def _refetch_deployment(self, row: Row) -> Row:
        deployment = await self.wpe.client.get_deployment(self.site.id, row.key)
        return deployment_row(deployment)

    def activity_site(self) -> Site:
        return self.site

    def describe(self, row: Row) -> str:
        kind = "Backup" if isinstance(row.data, Backup) else "Deployment"
        return f"{kind} {clean(row.key)}"

    def on_paged_table_load_failed(self, event: PagedTable.LoadFailed) -> None:
        self.notify(f"{event.error} — r to retry", severity="error", timeout=8)

    def on_paged_table_selected(self, event: PagedTable.Selected) -> None:
        from wpe_tui.screens.item_detail import BackupDetailScreen, DeploymentDetailScreen

        if isinstance(event.row.data, Backup):
            self.app.push_screen(BackupDetailScreen(self.site, event.row.data))
        elif isinstance(event.row.data, Deployment):
            self.app.push_screen(DeploymentDetailScreen(self.site, event.row.data))

    # -- drawing -------------------------------------------------------------

    def _show_site(self) -> None:
        site = self.site
        self.query_one("#title-bar", Static).update(
            f"[b]{escape(self.wpe.account_label)}[/b] · sites › {escape(clean(site.name))}"
        )
        # The header's rows do not wrap (CSS): a long name leaves room for status and URL.
        header = Text()
        name = Text(clean(site.name) or site.id, style="bold")
        name.truncate(HEADER_NAME_WIDTH, overflow="ellipsis")
        header.append_text(name)
        header.append("  ")
        header.append_text(status_text(site.status))
        header.append(f"  {dash(site.url)}\n")
        header.append(
            f"PHP {dash(site.php_version)} · WordPress {dash(site.wordpress_version)} · "
            f"created {when(site.created_at)} · updated {when(site.updated_at)}",
            style="dim",
        )
        self.query_one("#site-header", Static).update(header)

        environments = Table(title=None, box=None, padding=(0, 2, 0, 0), show_edge=False)
        environments.add_column("Environment", style="bold", no_wrap=True)
        environments.add_column("URL", overflow="ellipsis", no_wrap=True)
        for environment in site.environments:
            environments.add_row(Text(dash(environment.name)), Text(dash(environment.url)))
        if not site.environments:
            environments.add_row("—", "—")
        self.query_one("#environments", Static).update(environments)

        disk = site.disk_usage
        self.query_one("#disk", DiskUsageBar).set_usage(
            disk.used if disk else None, disk.total if disk else None, disk.unit if disk else None
        )
        bandwidth = site.bandwidth
        amount = "—"
        if bandwidth is not None and bandwidth.current_month is not None:
            amount = f"{bandwidth.current_month:,.1f} {clean(bandwidth.unit or '')}".strip()
        self.query_one("#bandwidth", Static).update(
            Text.assemble(("Bandwidth this month ", "bold"), amount)
        )

    # -- actions -------------------------------------------------------------

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab
        if tab == "backups":
            self.backups.focus()
        elif tab == "deployments":
            self.deployments.focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane.id
        if pane == "backups":
            self.backups.focus()
        elif pane == "deployments":
            self.deployments.focus()

    def action_refresh(self) -> None:
        self.run_worker(self._load_site(), group="site", exclusive=True, exit_on_error=False)
        self.backups.reload()
        self.deployments.reload()

    def _active_table(self) -> PagedTable | None:
        active = self.query_one("#tabs", TabbedContent).active
        if active == "backups":
            return self.backups
        if active == "deployments":
            return self.deployments
        return None

    def action_copy(self) -> None:
        table = self._active_table()
        row = table.current_row if table else None
        if row is None:
            self.wpe.copy(self.site.url or self.site.id)
        elif isinstance(row.data, Backup):
            self.wpe.copy(row.data.download_url or row.data.id)
        else:
            self.wpe.copy(row.key)

    def action_back(self) -> None:
        # Leaving cancels this screen's requests: nothing lands on a screen that is gone.
        self.workers.cancel_node(self)
        self._drop_early()
        for table in (self.backups, self.deployments):
            self.workers.cancel_node(table)
        self.app.pop_screen()

    # -- changes -------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # R, n and D stay in the footer on every tab (a footer that changes with the tab
        # is rebuilt on each switch); on a tab where they do not apply they say why.
        return super().check_action(action, parameters)

    def _active_tab(self) -> str:
        # check_action asks for every binding each time the footer is drawn: no DOM walk.
        if self._tabs is None:
            found = self.query("#tabs")
            if not found:
                return "overview"
            self._tabs = found.first(TabbedContent)
        return self._tabs.active

    def unavailable(self, action: str) -> None:
        if action == "delete" and self._active_tab() == "deployments":
            self.notify("Deployments cannot be deleted through the API", timeout=4)
        elif action in ("restore", "delete"):
            self.notify("That works on a backup: 2 opens the Backups tab", timeout=4)
        elif action == "new":
            self.notify("n works in the Backups (2) or Deployments (3) tab", timeout=4)

    def _selected_backup(self) -> Backup | None:
        row = self.backups.current_row
        return row.data if row is not None and isinstance(row.data, Backup) else None

    def action_restore(self) -> None:
        if self._active_tab() != "backups":
            self.unavailable("restore")
            return
        backup = self._selected_backup()
        if backup is None:
            self.notify("No backup selected", severity="warning", timeout=3)
            return
        open_restore(self.wpe, self.site, backup)

    def action_new(self) -> None:
        if self._active_tab() == "overview":
            self.unavailable("new")
            return
        if self._active_tab() == "deployments":
            open_new_deployment(self.wpe, self.site, created=self._deployment_created)
        else:
            self.action_new_backup()

    def action_new_backup(self) -> None:
        open_new_backup(self.wpe, self.site, created=self._backup_created)

    def _backup_created(self, backup: Backup) -> None:
        # The newest backup is first: show it there at once, in progress, and follow it.
        self.action_tab("backups")
        self.backups.reset(keep_key=backup.id)

    def _deployment_created(self, deployment: Deployment) -> None:
        self.action_tab("deployments")
        self.deployments.reset(keep_key=deployment.id)

    def action_delete(self) -> None:
        if self._active_tab() != "backups":
            self.unavailable("delete")  # deployments cannot be deleted through the API
            return
        backup = self._selected_backup()
        if backup is None:
            self.notify("No backup selected", severity="warning", timeout=3)
            return

        def deleted(deletion: Deletion) -> None:
            self.backups.update_row(backup_row(cast(Backup, deleting(backup, deletion))))
            self.check_live()

        open_delete_backup(self.wpe, self.site, backup, deleted)

    def action_edit(self) -> None:
        open_edit_site(self.wpe, self.site, saved=self._site_saved)

    def _site_saved(self, site: Site) -> None:
        self.site = site
        self._show_site()

    def command_label(self, action: str, description: str) -> str:
        """The palette names the selection: "Restore backup_1 (Pre-update)"."""
        backup = self._selected_backup()
        if action in ("restore", "delete") and backup is not None:
            verb = "Quick restore" if action == "restore" else "Delete"
            return f"{verb} backup {clean(backup.id)} ({dash(backup.description)})"
        if action in ("edit", "new_backup"):
            return f"{description} {clean(self.site.name) or self.site.id}"
        return description


def _consume(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()  # retrieved, so asyncio does not report it at exit
