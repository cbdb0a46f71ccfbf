"""`ItemDetailScreen`: one item of any kind, in full; a deployment's log follows live.

What it shows comes from the store, like every other view: when the follower (for
this screen, or for the activity) brings a newer copy, the facts redraw.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Log, Static

from wpe_tui.api import ApiError, Backup, Deployment, NotFoundError, Site
from wpe_tui.core.follower import Target
from wpe_tui.core.registry import kind
from wpe_tui.core.session import Session
from wpe_tui.core.store import Change
from wpe_tui.kinds import ui
from wpe_tui.kinds.backup import open_new_backup, open_restore
from wpe_tui.kinds.base import Fact
from wpe_tui.screens.base import WpeScreen
from wpe_tui.text import clean, freshness, zone
from wpe_tui.widgets import Footer, OfflineBanner, Part, TitleBar
from wpe_tui.widgets.token_wrap import TokenWrap


def _value(value: str | Text) -> Text | TokenWrap:
    """A fact's value; one word (a URL, an ID) wraps after a separator, not mid-token."""
    if isinstance(value, Text):
        return value
    return Text(value) if " " in value else TokenWrap(value)


def facts_table(rows: list[Fact]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for label, value in rows:
        table.add_row(label, _value(value))
    return table


class ItemDetailScreen(WpeScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("R", "restore", "Restore"),
        Binding("b", "new_backup", "Backup"),
        Binding("r", "refresh", "Refresh"),
        Binding("y", "copy", "Copy"),
        Binding("escape,q", "back", "Back"),
    ]

    def __init__(self, session: Session, site: Site, kind_name: str, item: Any) -> None:
        super().__init__(session)
        self.site = site
        self.kind = kind(kind_name)
        self.ui = ui(kind_name)
        self.item = session.store.get(kind_name, str(item.id)) or item
        self.ref = self.kind.ref(item, site.id)
        self.gone = False
        self.updated_at: datetime | None = None
        self.refreshing = False
        self._lines_shown = 0
        self.HELP_TITLE = self.kind.title  # type: ignore[misc]

    @property
    def logs(self) -> bool:
        return isinstance(self.item, Deployment)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield OfflineBanner(self.session.connection)
        yield Static(id="item-facts")
        if self.logs:
            # The server writes its lines in UTC; the facts above are in local time.
            local = zone(self.session.wall())
            note = "" if local == "UTC" else f" (their times are UTC; the facts above are {local})"
            yield Static(f"Logs{note}", classes="section-title")
            yield Log(id="logs", auto_scroll=True)
        yield Footer()

    def _title(self) -> list[Part]:
        fresh = freshness(self.updated_at, self.refreshing)
        return [
            Part(self.session.label, 5, "bold"),
            Part(f"sites › {clean(self.site.name)} › {self.kind.name} {clean(str(self.item.id))}"),
            Part(fresh, 7),
        ]

    def on_mount(self) -> None:
        self.session.store.hold(self, [self.ref.key])
        self._show()
        if self.logs:
            self.query_one("#logs", Log).focus()
        self.action_refresh()

    def on_unmount(self) -> None:
        self.session.store.release(self)

    # -- loading and following ---------------------------------------------------

    def action_refresh(self) -> None:
        self.refreshing = True  # "refreshing…" beside the last time, until the answer comes
        if self.is_mounted:
            self.query_one(TitleBar).show(self._title())
        self.run_worker(self._load(), group="item", exclusive=True)

    async def _load(self) -> None:
        backend, ref = self.session.backend, self.ref
        try:
            item = await self.session.read(lambda: self.kind.get(backend, ref))
        except NotFoundError:
            self._gone(again=True)  # asked for (r): said again, even if said before
            return
        except ApiError as error:
            self.refreshing = False  # what shows is as old as its time says
            self.query_one(TitleBar).show(self._title())
            self.notify(f"{error} — r to retry", severity="error", timeout=8)
            return
        self.session.store.put(self.kind.name, item, fetched_at=self.session.now())
        self.item = item
        self._show()
        self.refollow()

    def follow_targets(self) -> list[Target]:
        if self.gone or not self.kind.in_flight(self.item):
            return []
        # While its log is open, a new line counts as a change: the log keeps following.
        return [self.session.item_target(self.ref, detailed=self.logs)]

    def item_changed(self, change: Change) -> None:
        if (change.kind, change.id) != self.ref.key:
            return
        if change.item is None:
            self._gone()
            return
        self.item = change.item
        self._show()
        self.refollow()

    def _gone(self, *, again: bool = False) -> None:
        if again or not self.gone:
            self.notify(f"This {self.kind.name} no longer exists", severity="error")
        self.gone = True
        self.refollow()

    def _show(self) -> None:
        self.updated_at, self.refreshing = self.session.wall(), False
        self.query_one(TitleBar).show(self._title())
        facts = self.ui.facts(self.item)
        reason = getattr(self.item, "unreadable", None)
        if reason:
            # What the API sent for it did not read: say why, above what could be read.
            facts = [("Unreadable", Text(clean(reason), style="bold red")), *facts]
        self.query_one("#item-facts", Static).update(facts_table(facts))
        if not isinstance(self.item, Deployment):
            return
        log = self.query_one("#logs", Log)
        logs = self.item.logs
        lines = clean(logs, keep_newlines=True).split("\n") if logs else []
        if len(lines) < self._lines_shown:
            log.clear()  # the server rewrote the log: start over
            self._lines_shown = 0
        log.write_lines(lines[self._lines_shown :])
        self._lines_shown = len(lines)

    # -- keys ------------------------------------------------------------------

    def available(self, action: str) -> bool:
        if action == "restore":
            return isinstance(self.item, Backup)
        if action == "new_backup":
            return isinstance(self.item, Backup | Deployment)
        return True

    def action_copy(self) -> None:
        text = self.kind.copy_value(self.item)
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {text}", timeout=3)

    def action_back(self) -> None:
        self.workers.cancel_node(self)
        self.app.pop_screen()

    def action_restore(self) -> None:
        if isinstance(self.item, Backup):
            open_restore(self, self.session, self.site, self.item)

    def action_new_backup(self) -> None:
        open_new_backup(self, self.session, self.site, created=self._backup_created)

    def _backup_created(self, backup: Backup) -> None:
        self.notify("It is listed in the site's Backups tab and in the activity panel (a)")
