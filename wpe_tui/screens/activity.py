"""`ActivityScreen` (`a`): the operations of this run, the items in view in flight, and
what was seen in flight elsewhere (not followed). Newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from wpe_tui.api import ApiError, Site, is_final
from wpe_tui.core.activity import Operation, Sighting
from wpe_tui.core.kinds import Ref
from wpe_tui.core.registry import kind
from wpe_tui.core.session import Session
from wpe_tui.kinds.cells import duration, status_text
from wpe_tui.text import clean, clock_time
from wpe_tui.widgets import Footer

# Status, Elapsed and Done by are fixed; What and Site share the rest, What two thirds
# (at 120 columns a whole ID fits; at 80, every column fits whole, What and Site cut at
# their end). What and Site's widths here are their least. The selected row's details
# (what was restored where, the deployment's source) show in full under the table.
COLUMNS = {"What": 16, "Site": 8, "Status": 14, "Elapsed": 7, "Done by": 10}
FIXED = ("Status", "Elapsed", "Done by")
# Items seen in flight elsewhere that the open panel follows itself, newest first: the
# view they were seen in is hidden under it, and a row must not say "in progress" for
# good. Each is a request per poll (every 30 s at most, once settled): on an account with
# hundreds stuck, five is 10 requests a minute while the panel is open, none once closed.
FOLLOWED_SIGHTINGS = 5


@dataclass
class Line:
    """One row of the panel, whatever it comes from."""

    key: str
    title: str
    site_id: str
    site_name: str
    status: str
    started_at: datetime | None
    eta: datetime | None
    finished_at: datetime | None
    note: str  # under the table when selected
    mine: bool
    ref: Ref | None
    op: Operation | None = None
    running: bool = False  # counted as in progress in the title


def _over(status: str) -> bool:
    return is_final(status) or status == "gone"


def _elapsed(line: Line, now: datetime) -> str:
    if line.started_at is None:
        return "—"
    end = line.finished_at or now
    return duration(max(end - line.started_at, timedelta(0)))


def _eta(line: Line, now: datetime) -> str:
    if line.finished_at is not None:
        return "done " + clock_time(line.finished_at)
    # Seen finished elsewhere, its finish time is not known: not "any moment" for good.
    if line.eta is None or is_final(line.status):
        return "—"
    if (line.eta - now).total_seconds() <= 0:
        return "any moment"
    return f"in {duration(line.eta - now)}"


class ActivityScreen(ModalScreen[None]):
    """Redraws when the activity changes and every second for the clocks."""

    HELP_TITLE = "the activity panel"
    HOLDS_TOASTS = True  # a toast would sit on its newest rows or its detail lines
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open"),
        Binding("r", "refresh", "Refresh"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
        Binding("escape,q,a", "close", "Close"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.lines: dict[str, Line] = {}
        self._order: list[str] = []
        self._followed: list[Ref] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="activity-box"):
            yield Static(id="activity-title")
            yield DataTable(id="activity-table", cursor_type="row", zebra_stripes=False)
            yield Static(id="activity-detail")
            yield Static(
                Text("enter opens · r refreshes · esc closes", style="dim"), id="activity-keys"
            )
        # Its own keys: the footer of the screen under it names keys that do nothing here.
        yield Footer(show_command_palette=False)

    @property
    def table(self) -> DataTable[str | Text]:
        return self.query_one("#activity-table", DataTable)

    def on_mount(self) -> None:
        for label, width in self._widths().items():
            self.table.add_column(label, key=label, width=width)
        self.session.activity.on_change = self.show
        self.show()
        self.table.focus()
        self.set_interval(1.0, self.show)
        self.call_after_refresh(self._fit_columns)  # the table has its width only then

    def _widths(self) -> dict[str, int]:
        """Each column's width for the table's width now: the flexible ones share it."""
        room = self.table.size.width or 72
        fixed = sum(COLUMNS[name] for name in FIXED)
        spare = max(0, room - fixed - 2 * len(COLUMNS) - 1)  # cell padding
        what = max(COLUMNS["What"], spare * 2 // 3)
        site = max(COLUMNS["Site"], spare - what - 1)  # and 1 for the scroll bar
        return {**COLUMNS, "What": what, "Site": site}

    def on_resize(self) -> None:
        # The table's new width is known once the screen is laid out again.
        self.call_after_refresh(self._fit_columns)

    def _fit_columns(self) -> None:
        widths = self._widths()
        for column in self.table.columns.values():
            label = str(column.label)
            if label in widths and column.width != widths[label]:
                column.width = widths[label]
        self.table.refresh()

    def on_unmount(self) -> None:
        self.session.unfollow(self)
        if self.session.activity.on_change == self.show:
            self.session.activity.on_change = None

    def _follow_sightings(self) -> None:
        """Follow the newest items seen in flight that no operation follows already."""
        activity, store = self.session.activity, self.session.store
        mine = {(op.kind, op.item_id) for op in activity.entries()}
        refs: list[Ref] = []
        for sighting in activity.sightings():
            key = (sighting.kind, sighting.item_id)
            item = store.get(*key)
            if key in mine or (item is not None and not kind(sighting.kind).in_flight(item)):
                continue
            refs.append(Ref(sighting.kind, sighting.item_id, sighting.site_id))
            if len(refs) == FOLLOWED_SIGHTINGS:
                break
        if refs != self._followed:
            self._followed = refs
            self.session.follow(self, [self.session.item_target(ref) for ref in refs])

    # -- what it lists ------------------------------------------------------------

    def _lines(self) -> list[Line]:
        activity, store = self.session.activity, self.session.store
        in_flight = activity.in_flight()
        lines = [self._op_line(op, in_flight) for op in activity.entries()]
        mine = {(op.kind, op.item_id) for op in activity.entries()}
        in_view = self.session.follower.covered() - mine
        for sighting in activity.sightings():
            key = (sighting.kind, sighting.item_id)
            followed = key in in_view
            item = store.get(*key)
            lines.append(self._seen_line(sighting, item, followed))
        lines.sort(key=lambda line: line.started_at or datetime.min.astimezone(), reverse=True)
        return lines

    def _site_name(self, site_id: str) -> str:
        site = self.session.store.get("site", site_id)
        return clean(site.name) if isinstance(site, Site) else ""

    def _op_line(self, op: Operation, in_flight: list[Operation]) -> Line:
        note = op.detail
        if op.estimated_only:
            note += " · the API gives no status for this: estimate only"
        if not op.followable and not op.done:
            note += " · the API cannot report on it: WP Engine emails when it is done"
        return Line(
            key=f"op:{op.key}",
            title=op.title(),
            site_id=op.site_id,
            site_name=op.site_name,
            status=op.status + (" (estimated)" if op.estimated_only and not op.done else ""),
            started_at=op.started_at,
            eta=op.eta,
            finished_at=op.finished_at,
            note=note,
            mine=True,
            ref=op.ref,
            op=op,
            running=op in in_flight,
        )

    def _seen_line(self, sighting: Sighting, item: Any, followed: bool) -> Line:
        core = kind(sighting.kind)
        status = core.status(item) if item is not None else sighting.status
        if followed:
            note = "in view, followed live"
        elif item is not None and not core.in_flight(item):
            note = f"seen {status.replace('_', ' ')} at {clock_time(sighting.seen_at)}"
        else:
            note = f"last seen in progress {clock_time(sighting.seen_at)}, not followed"
        # A site's own line: its name is in Site, so What names it by its ID.
        named = sighting.item_id if core.name == "site" else sighting.title
        return Line(
            key=f"seen:{sighting.kind}:{sighting.item_id}",
            title=f"{core.title} {clean(named)}",
            site_id=sighting.site_id,
            site_name=self._site_name(sighting.site_id),
            status=status,
            started_at=sighting.started_at,
            eta=sighting.eta,
            finished_at=None,
            note=note,
            mine=False,
            ref=Ref(sighting.kind, sighting.item_id, sighting.site_id),
            # What is drawn as in progress is counted so.
            running=core.in_flight(item) if item is not None else not _over(status),
        )

    # -- drawing ----------------------------------------------------------------

    def show(self) -> None:
        """Add the new lines, update the others in place, newest first."""
        if not self.is_attached:
            return
        now = self.session.activity.now()
        table = self.table
        self._follow_sightings()
        lines = self._lines()
        order = [line.key for line in lines]
        self.lines = {line.key: line for line in lines}
        if order != self._order:
            current = self._current()
            table.clear()
            for line in lines:
                table.add_row(*self._cells(line, now), key=line.key)
            if current is not None and current.key in self.lines:
                table.move_cursor(row=order.index(current.key))
            self._order = order
        else:
            for line in lines:
                for column, value in zip(COLUMNS, self._cells(line, now), strict=True):
                    table.update_cell(line.key, column, value)
        self._show_detail()
        running = sum(line.running for line in lines)  # the user's, and others seen
        title = Text("Activity", style="bold")
        title.append(f"  {running} in progress · {len(lines)} listed", style="dim")
        paused = self.session.scheduler.paused_for
        if paused:
            title.append(f" · rate limited — resuming in {paused:.0f} s", style="bold")
        self.query_one("#activity-title", Static).update(title)
        if not lines:
            self.query_one("#activity-keys", Static).update(
                Text(
                    "Nothing yet: restores, backups, deployments and site changes "
                    "started here, and anything seen in progress, show up here. esc closes.",
                    style="dim",
                )
            )

    def _cells(self, line: Line, now: datetime) -> list[str | Text]:
        what = Text(line.title, style="bold" if line.mine else "", overflow="ellipsis")
        status = status_text(line.status.split(" (")[0])
        if "(" in line.status:
            status.append(" (" + line.status.split(" (", 1)[1], style="dim")
        site = Text(clean(line.site_name) or clean(line.site_id))
        return [what, site, status, _elapsed(line, now), _eta(line, now)]

    def on_data_table_row_highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        line = self._current()
        detail = Text()
        if line is not None:
            detail.append(line.title, style="bold")
            if line.ref is None or line.ref.kind != "site":
                detail.append(f" of {clean(line.site_name) or clean(line.site_id)}")
            if line.note:
                detail.append(f": {clean(line.note)}")
            if line.started_at is not None:
                detail.append(f"\nstarted {clock_time(line.started_at)}", style="dim")
            if line.eta is not None:
                detail.append(f" · estimated done {clock_time(line.eta)}", style="dim")
            if not line.mine:
                detail.append(" · not started here", style="dim")
        self.query_one("#activity-detail", Static).update(detail)

    def _current(self) -> Line | None:
        table = self.table
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.lines.get(key) if key is not None else None

    # -- keys ---------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    def action_cursor_down(self) -> None:
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.table.action_cursor_up()

    def action_first(self) -> None:
        self.table.move_cursor(row=0)

    def action_last(self) -> None:
        self.table.move_cursor(row=max(0, self.table.row_count - 1))

    def action_refresh(self) -> None:
        self.session.follower.poll_now()
        self.notify("Asking for everything in flight now", timeout=2)

    def on_data_table_row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        line = self._current()
        if line is not None and line.site_id:
            self.run_worker(self._open(line), group="open", exclusive=True)

    async def _open(self, line: Line) -> None:
        from wpe_tui.screens.item_detail import ItemDetailScreen
        from wpe_tui.screens.site_detail import SiteDetailScreen

        backend, session = self.session.backend, self.session
        ref = line.ref
        try:
            site = session.store.get("site", line.site_id)
            if not isinstance(site, Site):
                site = await session.read(lambda: backend.get_site(line.site_id))
            item = None
            if ref is not None and ref.kind in ("backup", "deployment"):
                core = kind(ref.kind)
                item = session.store.get(*ref.key) or await session.read(
                    lambda: core.get(backend, ref)
                )
        except ApiError as error:
            self.notify(f"Could not open it: {error}", severity="error", timeout=6)
            return
        if self.app.screen is not self:
            return  # closed while the item loaded: popping now would close another view
        # Already open underneath: go back to it, rather than open a second copy.
        for screen in self.app.screen_stack:
            same_item = (
                isinstance(screen, ItemDetailScreen)
                and ref is not None
                and screen.ref.key == ref.key
            )
            same_site = (
                isinstance(screen, SiteDetailScreen) and screen.site.id == site.id and item is None
            )
            if same_item or same_site:
                while self.app.screen is not screen and len(self.app.screen_stack) > 2:
                    self.app.pop_screen()
                return
        self.dismiss(None)
        if ref is not None and item is not None:
            self.app.push_screen(ItemDetailScreen(session, site, ref.kind, item))
        else:
            self.app.push_screen(SiteDetailScreen(session, site))
