"""`BackupDetailScreen` and `DeploymentDetailScreen`: one item, in full."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import Log, Static

from wpe_tui.api import ApiError, Backup, Deployment, NotFoundError, Site, is_final
from wpe_tui.api.models import CONTENT_FLAGS
from wpe_tui.screens.operations import ChangesGuard, open_new_backup, open_restore
from wpe_tui.screens.rows import duration, status_text
from wpe_tui.text import clean, dash, when
from wpe_tui.widgets import Footer, OfflineBanner


def _facts(rows: list[tuple[str, str | Text]]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for label, value in rows:
        table.add_row(label, value if isinstance(value, Text) else Text(value))
    return table


class _ItemScreen(ChangesGuard):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Refresh"),
        Binding("y", "copy", "Copy"),
        Binding("escape,q", "back", "Back"),
    ]

    def __init__(self, site: Site) -> None:
        super().__init__()
        self.site = site

    def title_line(self, kind: str, item_id: str) -> str:
        return (
            f"[b]{escape(self.wpe.account_label)}[/b] · sites › {escape(clean(self.site.name))}"
            f" › {kind} {escape(clean(item_id))}"
        )

    def action_back(self) -> None:
        self.workers.cancel_node(self)
        self.app.pop_screen()

    def gone(self, kind: str) -> None:
        self.notify(f"This {kind} no longer exists", severity="error")

    def tell_activity(self, item: Backup | Deployment) -> None:
        """Keep the activity panel in step, and let it announce a finish exactly once."""
        finished = self.wpe.activity.seen(item, self.site)
        if finished is not None:
            self.wpe.announce(finished)
        else:
            self.wpe.activity_changed()

    def action_new_backup(self) -> None:
        open_new_backup(self.wpe, self.site, created=self._backup_created)

    def _backup_created(self, backup: Backup) -> None:
        self.notify("It is listed in the site's Backups tab and in the activity panel (a)")


class BackupDetailScreen(_ItemScreen):
    HELP_TITLE = "Backup"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("R", "restore", "Restore"),
        Binding("b", "new_backup", "Backup"),
    ]

    def __init__(self, site: Site, backup: Backup) -> None:
        super().__init__(site)
        self.backup = backup

    def compose(self) -> ComposeResult:
        yield Static(self.title_line("backup", self.backup.id), id="title-bar")
        yield OfflineBanner()
        yield Static(id="item-facts")
        yield Footer()

    def on_mount(self) -> None:
        self._show()
        self.action_refresh()

    def action_refresh(self) -> None:
        self.run_worker(self._load(), group="item", exclusive=True, exit_on_error=False)

    async def _load(self) -> None:
        try:
            self.backup = await self.wpe.client.get_backup(self.site.id, self.backup.id)
        except NotFoundError:
            self.gone("backup")
            return
        except ApiError as error:
            self.notify(f"{error} — r to retry", severity="error", timeout=8)
            return
        self._show()
        self.tell_activity(self.backup)

    def _show(self) -> None:
        backup = self.backup
        contents: str | Text = "—"
        if backup.contents is not None:
            contents = Text()
            for flag in CONTENT_FLAGS:
                on = getattr(backup.contents, flag)
                contents.append(f"{'✓' if on else '✗'} {flag}  ", style="green" if on else "dim")
        facts = _facts(
            [
                ("ID", dash(backup.id)),
                ("Description", dash(backup.description)),
                ("Type", dash(backup.type)),
                ("Status", status_text(backup.status)),
                ("Created", when(backup.created_at)),
                ("Completed", when(backup.completed_at)),
                ("Size", dash(backup.size)),
                ("Contents", contents),
                ("Download", dash(backup.download_url)),
            ]
        )
        self.query_one("#item-facts", Static).update(facts)

    def action_copy(self) -> None:
        self.wpe.copy(self.backup.download_url or self.backup.id)

    def action_restore(self) -> None:
        open_restore(self.wpe, self.site, self.backup)


class DeploymentDetailScreen(_ItemScreen):
    """The deployment's source, changes and logs; the logs follow while it runs."""

    HELP_TITLE = "Deployment"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("b", "new_backup", "Backup")]

    def __init__(self, site: Site, deployment: Deployment) -> None:
        super().__init__(site)
        self.deployment = deployment
        self._lines_shown = 0
        self._timer: Timer | None = None
        self._gone = False

    def compose(self) -> ComposeResult:
        yield Static(self.title_line("deployment", self.deployment.id), id="title-bar")
        yield OfflineBanner()
        yield Static(id="item-facts")
        yield Static("Logs", classes="section-title")
        yield Log(id="logs", auto_scroll=True)
        yield Footer()

    def on_mount(self) -> None:
        self._show()
        self._timer = self.set_interval(self.wpe.refresh_interval, self.action_refresh, pause=True)
        self.action_refresh()
        self.query_one("#logs", Log).focus()

    def on_screen_suspend(self) -> None:
        if self._timer is not None:
            self._timer.pause()

    def on_screen_resume(self) -> None:
        self._follow()

    def action_refresh(self) -> None:
        self.run_worker(self._load(), group="item", exclusive=True, exit_on_error=False)

    async def _load(self) -> None:
        try:
            self.deployment = await self.wpe.client.get_deployment(self.site.id, self.deployment.id)
        except NotFoundError:
            if not self._gone:
                self.gone("deployment")
            self._gone = True
            self._follow()  # nothing left to follow: stop asking
            return
        except ApiError as error:
            self.notify(f"{error} — r to retry", severity="error", timeout=8)
            return
        self._show()
        self.tell_activity(self.deployment)
        self._follow()

    def _follow(self) -> None:
        """Poll while the deployment runs, stop as soon as it is done."""
        if self._timer is None:
            return
        if self._gone or is_final(self.deployment.status):
            self._timer.pause()
        else:
            self._timer.resume()

    def _show(self) -> None:
        deployment = self.deployment
        source = deployment.source
        changes = deployment.changes
        change_text: str | Text = "—"
        if changes is not None:
            change_text = Text.assemble(
                (f"+{dash(changes.added)} ", "green"),
                (f"~{dash(changes.modified)} ", "yellow"),
                (f"-{dash(changes.deleted)}", "red"),
            )
        facts = _facts(
            [
                ("ID", dash(deployment.id)),
                ("Environment", dash(deployment.environment)),
                ("Source", dash(source.describe() if source else None)),
                ("Status", status_text(deployment.status)),
                ("Created", when(deployment.created_at)),
                ("Completed", when(deployment.completed_at)),
                ("Took", duration(deployment.duration)),
                ("Changes", change_text),
            ]
        )
        self.query_one("#item-facts", Static).update(facts)
        log = self.query_one("#logs", Log)
        lines = clean(deployment.logs, keep_newlines=True).split("\n") if deployment.logs else []
        if len(lines) < self._lines_shown:
            log.clear()  # the server rewrote the log: start over
            self._lines_shown = 0
        log.write_lines(lines[self._lines_shown :])
        self._lines_shown = len(lines)

    def action_copy(self) -> None:
        self.wpe.copy(self.deployment.id)
