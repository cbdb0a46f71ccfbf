"""`ActivityScreen` (`a`): everything started in this run and everything seen in flight."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from wpe_tui.activity import BACKUP, DEPLOYMENT, Operation
from wpe_tui.api import ApiError
from wpe_tui.screens.rows import duration, status_text
from wpe_tui.text import clean, clock_time

if TYPE_CHECKING:
    from wpe_tui.app import WpeApp

# Fixed widths keep the panel readable at 80 columns; the selected row's details
# (what was restored where, the deployment's source) show in full under the table.
COLUMNS = {"What": 22, "Site": 11, "Status": 12, "Elapsed": 7, "Done by": 10}


def _elapsed(op: Operation, now: datetime) -> str:
    end = op.finished_at or now
    return duration(max(end - op.started_at, timedelta(0)))


def _eta(op: Operation, now: datetime) -> str:
    if op.done:
        return "done " + clock_time(op.finished_at)
    if op.eta is None:
        return "—"
    left = op.eta - now
    if left.total_seconds() <= 0:
        return "any moment"
    return f"in {duration(left)}"


class ActivityScreen(ModalScreen[None]):
    """Refreshes itself every second while open; `enter` opens the item."""

    HELP_TITLE = "the activity panel"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open"),
        Binding("r", "refresh", "Refresh"),
        Binding("escape,q,a", "close", "Close"),
    ]

    @property
    def wpe(self) -> WpeApp:
        return cast("WpeApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="activity-box"):
            yield Static(id="activity-title")
            yield DataTable(id="activity-table", cursor_type="row", zebra_stripes=False)
            yield Static(id="activity-detail")
            yield Static(
                Text("enter opens · r refreshes · esc closes", style="dim"), id="activity-keys"
            )

    @property
    def table(self) -> DataTable[str | Text]:
        return self.query_one("#activity-table", DataTable)

    def on_mount(self) -> None:
        for label, width in COLUMNS.items():
            self.table.add_column(label, key=label, width=width)
        self.show()
        self.table.focus()
        self.set_interval(1.0, self.show)

    def show(self) -> None:
        """Add the new operations, update the others in place."""
        activity = self.wpe.activity
        now = activity.now()
        table = self.table
        entries = sorted(activity.entries(), key=lambda op: op.started_at)
        for op in entries:
            cells = self._cells(op, now)
            if op.key in table.rows:
                for column, value in zip(COLUMNS, cells, strict=True):
                    table.update_cell(op.key, column, value)
            else:
                table.add_row(*cells, key=op.key)
        self._show_detail()
        running = len(activity.in_flight())
        title = Text("Activity", style="bold")
        title.append(f"  {running} in progress · {len(entries)} in this session", style="dim")
        self.query_one("#activity-title", Static).update(title)
        if not entries:
            self.query_one("#activity-keys", Static).update(
                Text(
                    "Nothing yet: restores, backups, deployments and site changes "
                    "started here, and anything seen in progress, show up here. esc closes.",
                    style="dim",
                )
            )

    def _cells(self, op: Operation, now: datetime) -> list[str | Text]:
        what = Text(op.title(), style="bold" if op.mine else "", overflow="ellipsis")
        status = status_text(op.status)
        if op.estimated_only and not op.done:
            status.append(" (estimated)", style="dim")
        site = Text(clean(op.site_name) or op.site_id)
        return [what, site, status, _elapsed(op, now), _eta(op, now)]

    def on_data_table_row_highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        op = self._current()
        detail = Text()
        if op is not None:
            detail.append(op.title(), style="bold")
            detail.append(f" of {clean(op.site_name) or op.site_id}")
            if op.detail:
                detail.append(f": {clean(op.detail)}")
            detail.append(f"\nstarted {clock_time(op.started_at)}", style="dim")
            if op.eta is not None:
                detail.append(f" · estimated done {clock_time(op.eta)}", style="dim")
            if op.estimated_only:
                detail.append(" · the API gives no status for this: estimate only", style="dim")
            if not op.mine:
                detail.append(" · seen in progress, not started here", style="dim")
        self.query_one("#activity-detail", Static).update(detail)

    def _current(self) -> Operation | None:
        table = self.table
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is None:
            return None
        kind, _, item_id = key.partition(":")
        return self.wpe.activity.get(kind, item_id)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_refresh(self) -> None:
        ops = self.wpe.activity.in_flight()
        if ops:
            self.run_worker(
                self._refresh(ops), group="activity", exclusive=True, exit_on_error=False
            )

    async def _refresh(self, ops: list[Operation]) -> None:
        for op in await self.wpe.activity.poll(self.wpe.client, ops):
            self.wpe.announce(op)
        self.show()

    def on_data_table_row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        op = self._current()
        if op is not None and op.site_id:
            self.run_worker(self._open(op), group="open", exclusive=True, exit_on_error=False)

    async def _open(self, op: Operation) -> None:
        from wpe_tui.screens.item_detail import BackupDetailScreen, DeploymentDetailScreen
        from wpe_tui.screens.site_detail import SiteDetailScreen

        client = self.wpe.client
        try:
            site = await client.get_site(op.site_id)
            if op.kind == DEPLOYMENT:
                deployment = await client.get_deployment(op.site_id, op.item_id)
                screen: Screen[Any] = DeploymentDetailScreen(site, deployment)
            elif op.kind == BACKUP:
                backup = await client.get_backup(op.site_id, op.item_id)
                screen = BackupDetailScreen(site, backup)
            else:
                screen = SiteDetailScreen(site)
        except ApiError as error:
            self.notify(f"Could not open it: {error}", severity="error", timeout=6)
            return
        if self.app.screen is not self:
            return  # closed while the item loaded: popping now would close another view
        self.dismiss(None)
        self.app.push_screen(screen)
