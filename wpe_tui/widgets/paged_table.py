"""`PagedTable`: a table of virtual rows, fetched a page at a time.

The total is known from the first page, so the table is as tall as the whole
result from the start, and only the pages that come into view are fetched.
Reaching the last of 100,000 sites with End costs one request, not 1,000.
Rows are drawn with the line API (like toolong's log view), so the cost of a
frame depends on the height of the screen, not on the number of rows.

The widget knows nothing of the API: it is given a `fetch_page(n)` callable.
It holds at most `max_pages` pages: the least recently used one that is out of view
goes first, and comes back with one request if it is scrolled to again.

Filtering is the screen's: it hands the table the entries that match (`show_matches`)
and how to draw one (`make_row`); only the rows drawn are built.

A list can change on the server between two page requests (a site created or
deleted, an unstable sort): a page whose total differs from the one before,
or that repeats a row already shown, means the pages on screen are stale, so
they are fetched again (a few times at most per query). What still does not
fit is reconciled without gaps: a row is shown once, where it was first seen,
and a page that comes back short or empty leaves no placeholder rows behind.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from wpe_tui.text import clean


@dataclass(frozen=True)
class Column:
    """One column. Narrow, the least valuable columns go first (the highest `drop`);
    wide, columns with a `from_width` appear, and flexible ones share the room by
    `weight` up to their `max_width`, the rest shared by all as even gaps."""

    label: str
    width: int | None = None  # None: shares what the fixed columns leave
    min_width: int = 8
    justify: Literal["left", "right"] = "left"
    optional: bool = False  # may be dropped when the terminal is too narrow
    drop: int = 0  # the order in which optional columns go: the highest first
    weight: int = 1  # a flexible column's share of the spare room
    max_width: int | None = None  # a flexible column wider than this helps nobody
    from_width: int = 0  # shown only when the table is at least this wide
    # A flexible column narrower than this makes optional columns give way first
    # (a site's name cut to 20 characters tells three sites apart no more).
    want: int | None = None
    # An ID or a URL is cut at the end of a token (after a "-", "/" or "."), never
    # in the middle of one.
    tokens: bool = False


@dataclass
class Row:
    """One row: its key (the item's ID), its cells, and the item itself."""

    key: str
    cells: Sequence[str | Text]
    data: Any = None
    search_text: str = ""  # what `/` matches, lower case


@dataclass
class PageResult:
    rows: list[Row]
    total: int


FetchPage = Callable[[int], Awaitable[PageResult]]

# The most a column widens past what it needs: the eye still follows a row across.
MAX_GAP = 6
STRIPS_KEPT = 400  # drawn rows kept: a few screens of them

# How many times one query may fetch its pages on screen again because the list
# changed under it; past that, what came back is reconciled as it is.
MAX_RESYNCS = 3


@dataclass
class _State:
    total: int | None = None  # the server's total, as the latest page said
    pages: OrderedDict[int, list[Row]] = field(default_factory=OrderedDict)  # by recency
    loading: set[int] = field(default_factory=set)
    failed: set[int] = field(default_factory=set)
    stale: set[int] = field(default_factory=set)  # shown, but to be fetched again
    short: dict[int, int] = field(default_factory=dict)  # page: rows fewer than its place
    resyncs: int = 0
    generation: int = 0  # bumped by reset, so answers to old requests are dropped


class PagedTable(ScrollView, can_focus=True):
    """A table whose rows come from `fetch_page`, one page per request."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paged-table--header",
        "paged-table--cursor",
        "paged-table--placeholder",
    }

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Highlighted(Message):
        def __init__(self, table: PagedTable, row: Row | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

    class Selected(Message):
        def __init__(self, table: PagedTable, row: Row) -> None:
            super().__init__()
            self.table = table
            self.row = row

    class Loaded(Message):
        """A page arrived: the counts in a header may change."""

        def __init__(self, table: PagedTable, page: int) -> None:
            super().__init__()
            self.table = table
            self.page = page

    class LoadFailed(Message):
        def __init__(self, table: PagedTable, page: int, error: Exception) -> None:
            super().__init__()
            self.table = table
            self.page = page
            self.error = error

    def __init__(
        self,
        columns: Sequence[Column],
        fetch_page: FetchPage,
        *,
        page_size: int = 100,
        empty_text: str = "Nothing here",
        max_pages: int = 40,
        catches: tuple[type[Exception], ...] = (),
        prefetch_end: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.page_size = page_size
        self.empty_text = empty_text
        self.max_pages = max(2, max_pages)
        # What a failed fetch may raise that the caller shows ("could not load: r to
        # retry"); anything else is a bug, and goes to the app's crash screen.
        self.catches = catches
        # Ask for the pages at the end as soon as page 1 says where the end is, so that
        # End shows them at once instead of after a round trip (one or two requests).
        self.prefetch_end = prefetch_end
        self._fetch_page = fetch_page
        self._state = _State()
        self._matches: Sequence[Any] | None = None
        self._make_row: Callable[[Any], Row] | None = None
        self._key_of: Callable[[Any], str] = lambda entry: str(entry)
        self._match_rows: dict[int, Row] = {}
        self._no_match = ""
        self._keep_key: str | None = None
        self._width_cache: tuple[int, list[int]] | None = None
        # Drawn rows, by row object, width and style: a cursor move or a scroll by one
        # line redraws the rows whose look changed, not every row on screen.
        self._strips: dict[tuple[int, int, Style], tuple[Row, Strip]] = {}
        self._sorted: tuple[str, bool] | None = None

    # -- what the table holds ------------------------------------------------

    @property
    def total(self) -> int | None:
        """How many rows the query has: the server's total, less any that pages which
        came back short showed to be missing; None until page 1 is in."""
        total = self._state.total
        return None if total is None else total - sum(self._state.short.values())

    @property
    def loaded_count(self) -> int:
        return sum(len(rows) for rows in self._state.pages.values())

    @property
    def page_count(self) -> int:
        total = self._state.total or 0
        return max(1, -(-total // self.page_size))

    @property
    def row_count(self) -> int:
        """Rows the user can move through: matches when filtering, else the total."""
        if self._matches is not None:
            return len(self._matches)
        return self.total or 0

    @property
    def is_loading(self) -> bool:
        return bool(self._state.loading)

    @property
    def waiting_for_first_page(self) -> bool:
        """Loading, with nothing to select yet (a key on the selection would be lost)."""
        state = self._state
        return self._matches is None and state.total is None and not state.failed

    @property
    def showing_matches(self) -> bool:
        return self._matches is not None

    def row_at(self, index: int) -> Row | None:
        if self._matches is not None:
            if not 0 <= index < len(self._matches):
                return None
            row = self._match_rows.get(index)
            if row is None and self._make_row is not None:
                row = self._make_row(self._matches[index])
                if len(self._match_rows) > 500:  # only the rows drawn lately are kept
                    self._match_rows.clear()
                self._match_rows[index] = row
            return row
        page, offset = self._locate(index)
        rows = self._state.pages.get(page)
        return rows[offset] if rows is not None and 0 <= offset < len(rows) else None

    def _locate(self, index: int) -> tuple[int, int]:
        """The page and the place in it of row `index`, past the pages that came back
        short (none, nearly always)."""
        short = self._state.short
        shift = 0
        for page in sorted(short):
            if index + shift < page * self.page_size - short[page]:
                break
            shift += short[page]
        page, offset = divmod(index + shift, self.page_size)
        return page + 1, offset

    def _index_of(self, page: int, offset: int) -> int:
        short = self._state.short
        before = sum(missing for p, missing in short.items() if p < page)
        return (page - 1) * self.page_size + offset - before

    @property
    def current_row(self) -> Row | None:
        return self.row_at(self.cursor)

    def loaded_rows(self) -> Iterator[Row]:
        for page in sorted(self._state.pages):
            yield from self._state.pages[page]

    def page_of(self, index: int) -> int:
        return self._locate(index)[0]

    def visible_range(self) -> range:
        """The indices of the rows on screen now."""
        first = int(self.scroll_y)
        return range(first, min(self.row_count, first + self._body_height()))

    def rows_in_view(self) -> list[tuple[int, Row]]:
        """(page, row) for each loaded row on screen; page is 0 for a match."""
        shown: list[tuple[int, Row]] = []
        for index in self.visible_range():
            row = self.row_at(index)
            if row is not None:
                shown.append((0 if self._matches is not None else self.page_of(index), row))
        return shown

    def page_rows(self, page: int) -> list[Row] | None:
        return self._state.pages.get(page)

    # -- changing what the table holds ----------------------------------------

    def reset(
        self,
        fetch_page: FetchPage | None = None,
        *,
        keep_key: str | None = None,
        near: int | None = None,
    ) -> None:
        """Start again from page 1 (a new sort or filter), keeping `keep_key` under
        the cursor if it turns up among the pages that load; `near` is where it is
        expected (a reversed order mirrors it), so that page is fetched too."""
        if fetch_page is not None:
            self._fetch_page = fetch_page
        generation = self._state.generation + 1
        self._state = _State(generation=generation)
        self._keep_key = keep_key
        self.cursor = 0
        self.scroll_to(y=0, animate=False)
        self._update_virtual_size()
        self.load_page(1)
        if near is not None and near >= 0:
            self.load_page(near // self.page_size + 1)

    def reload(self) -> None:
        """Fetch again the pages in view, keeping the cursor where it is.

        The rows already loaded stay on screen (marked stale) until their new answer
        comes: offline, or with a slow link, what was loaded stays browsable.
        """
        self._keep_key = self.current_row.key if self.current_row else None
        kept = self.visible_pages() or [1]
        old = self._state
        self._state = _State(
            total=old.total,
            pages=OrderedDict(old.pages),
            stale=set(old.pages),
            generation=old.generation + 1,
        )
        self._recount()
        for page in kept:
            self.load_page(page)
        self.refresh()

    def update_row(self, row: Row) -> bool:
        """Replace the row with the same key in place; False if it is not loaded."""
        for rows in self._state.pages.values():
            for index, existing in enumerate(rows):
                if existing.key == row.key:
                    rows[index] = row
                    self.refresh()
                    return True
        return False

    def replace_page(self, page: int, result: PageResult) -> None:
        """A page asked for again (the follower): its rows replace the ones shown."""
        if page not in self._state.pages:
            return  # scrolled out and dropped meanwhile: nothing on screen to update
        self._store(page, result.rows, result.total)
        self._after_store()

    def remove_row(self, key: str) -> bool:
        """Drop a row (an item that is gone) without moving the rows below it twice.
        The cursor stays on the row it was on: a deletion above it finishing does not
        move the user to the next row (on the deleted row itself, it takes the next)."""
        for page, rows in self._state.pages.items():
            for index, existing in enumerate(rows):
                if existing.key == key:
                    at = self._index_of(page, index)
                    above_cursor, above_view = at < self.cursor, at < int(self.scroll_y)
                    del rows[index]
                    if self._state.total:
                        self._state.total -= 1
                    # Later pages shifted by one on the server: fetch them again, and
                    # this one, whose last place the next page's first row now takes.
                    for later in [p for p in self._state.pages if p > page]:
                        del self._state.pages[later]
                    self._state.stale.add(page)
                    self._recount()
                    self._update_virtual_size()
                    if above_view:  # the rows in view stay where they are
                        self.scroll_to(y=self.scroll_y - 1, animate=False)
                    if above_cursor:
                        self.cursor -= 1
                    self._clamp_cursor()
                    self._request_visible()
                    self.refresh()
                    return True
        return False

    def show_matches(
        self,
        matches: Sequence[Any],
        make_row: Callable[[Any], Row],
        key_of: Callable[[Any], str],
        *,
        no_match: str = "no match",
    ) -> None:
        """Show these entries instead of the pages (a filter), keeping the cursor's row
        under the cursor when it still matches, else at the top."""
        current = self.current_row
        first = self._matches is None
        self._matches = matches
        self._make_row = make_row
        self._key_of = key_of
        self._match_rows = {}
        self._no_match = no_match
        self._update_virtual_size()
        if current is not None:
            index = next((i for i, m in enumerate(matches) if key_of(m) == current.key), None)
            if index is not None:
                self.cursor = index
            elif first:
                self.cursor = 0
        self._clamp_cursor()
        self.refresh()

    def clear_matches(self) -> None:
        """Back to the pages, with the cursor on the row it was on if that is loaded."""
        if self._matches is None:
            return
        current = self.current_row
        self._matches = None
        self._match_rows = {}
        self._update_virtual_size()
        self.cursor = 0
        if current is not None and not self._move_to_key(current.key):
            self._keep_key = current.key
        self.scroll_to(y=max(0, self.cursor - self._body_height() // 2), animate=False)
        self.refresh()
        self._request_visible()

    # -- loading -----------------------------------------------------------

    def load_page(self, page: int) -> None:
        state = self._state
        if (page in state.pages and page not in state.stale) or page in state.loading:
            return
        state.loading.add(page)
        state.failed.discard(page)
        # Not exclusive: several pages may be in flight at once.
        self.run_worker(
            self._load(page, state.generation), group=f"paged-table-{self.id or 'anon'}"
        )

    async def _load(self, page: int, generation: int) -> None:
        try:
            result = await self._fetch_page(page)
        except self.catches as error:
            if generation == self._state.generation:
                self._state.loading.discard(page)
                self._state.failed.add(page)
                self.post_message(self.LoadFailed(self, page, error))
                self.refresh()
            return
        if generation != self._state.generation:
            return  # an answer to a query that was replaced meanwhile
        self._state.loading.discard(page)
        self._store(page, result.rows, result.total)
        self._after_store()
        if page == 1 and self.prefetch_end:
            # After the next layout: page 1 can come before the table has a size.
            self.call_after_refresh(self._prefetch_end, generation)
        self.post_message(self.Loaded(self, page))
        if page == 1 or self.cursor // self.page_size + 1 == page:
            self.post_message(self.Highlighted(self, self.current_row))

    def _after_store(self) -> None:
        self._update_virtual_size()
        if self._matches is None:
            moved = self._keep_key is not None and self._move_to_key(self._keep_key)
            if moved and not self._state.stale:  # else follow the row until pages settle
                self._keep_key = None
            self._clamp_cursor()
        self.refresh()
        self._request_visible()

    def _store(self, page: int, rows: list[Row], total: int) -> None:
        """Keep a page that arrived, checking it against the pages already shown."""
        state = self._state
        rows = _unique(rows[: self.page_size])  # more than asked for belong to later pages
        # The rows that came are there, whatever the total says (or if it is missing).
        total = max(total, (page - 1) * self.page_size + len(rows), 0)
        others = [p for p in state.pages if p != page and p not in state.stale]
        shown = {row.key for p in others for row in state.pages[p]}
        moved = bool(others) and state.total is not None and total != state.total
        repeated = any(row.key in shown for row in rows)
        if (moved or repeated) and state.resyncs < MAX_RESYNCS:
            # The list changed between two requests: the other pages are stale. Those
            # on screen stay until their new rows arrive; the rest are dropped.
            state.resyncs += 1
            current = self.current_row
            self._keep_key = current.key if current is not None else self._keep_key
            on_screen = set(self.visible_pages())
            for other in others:
                if other in on_screen:
                    state.stale.add(other)
                else:
                    del state.pages[other]
        elif repeated:
            rows = [row for row in rows if row.key not in shown]  # shown once, where it was
        state.pages[page] = rows
        state.pages.move_to_end(page)
        state.stale.discard(page)
        state.total = total
        for gone in [p for p in state.pages if p > self.page_count]:
            del state.pages[gone]  # past the end of a list that shrank
        self._evict()
        self._recount()

    def _evict(self) -> None:
        """Keep at most `max_pages` pages: the least recently used out of view go."""
        state = self._state
        if len(state.pages) <= self.max_pages:
            return
        keep = set(self.visible_pages()) | {self._locate(self.cursor)[0], 1}
        for page in list(state.pages):
            if len(state.pages) <= self.max_pages:
                break
            if page not in keep:
                del state.pages[page]
                state.stale.discard(page)

    def _recount(self) -> None:
        """Note the pages holding fewer rows than their place in the total."""
        state = self._state
        total = state.total or 0
        short: dict[int, int] = {}
        for page, rows in state.pages.items():
            if page in state.stale:
                continue  # kept on screen until its new rows come; not short
            room = min(self.page_size, total - (page - 1) * self.page_size)
            if len(rows) < room:
                short[page] = room - len(rows)
        state.short = short

    def visible_pages(self) -> list[int]:
        if self._matches is not None or self._state.total is None:
            return []
        first = int(self.scroll_y)
        last = min(self.row_count - 1, first + self._body_height())
        if last < first:
            return []
        pages = set(range(self._locate(first)[0], self._locate(last)[0] + 1))
        pages.add(self._locate(self.cursor)[0])
        return sorted(p for p in pages if p <= self.page_count)

    def _prefetch_end(self, generation: int) -> None:
        if generation == self._state.generation:
            for page in self._end_pages():
                self.load_page(page)

    def _end_pages(self) -> list[int]:
        """The pages End shows (the last, and the one before when the last is short)."""
        if self._matches is not None or self._state.total is None:
            return []
        last = self.row_count - 1
        first = max(0, last - self._body_height())  # as `visible_pages` counts them
        pages = {self._locate(first)[0], self._locate(last)[0]}
        return sorted(p for p in pages if p > 1 and p not in self._state.pages)

    def _request_visible(self) -> None:
        state = self._state
        for page in self.visible_pages():
            if page in state.pages:
                state.pages.move_to_end(page)  # in view: the last to be dropped
            if page not in state.failed:
                self.load_page(page)  # not loaded, or stale: asked for (again)

    # -- cursor --------------------------------------------------------------

    def _move_to_key(self, key: str) -> bool:
        if self._matches is not None:
            key_of = self._key_of
            places = (i for i, entry in enumerate(self._matches) if key_of(entry) == key)
        else:
            places = (
                self._index_of(page, i)
                for page in sorted(self._state.pages)
                for i, row in enumerate(self._state.pages[page])
                if row.key == key
            )
        index = next(places, None)
        if index is None:
            return False
        self.cursor = index
        return True

    def _clamp_cursor(self) -> None:
        count = self.row_count
        if self.cursor >= count:
            self.cursor = max(0, count - 1)

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, max(0, self.row_count - 1)))

    def watch_cursor(self, old: int, new: int) -> None:
        top = int(self.scroll_y)
        self._scroll_cursor_into_view()
        if int(self.scroll_y) == top:  # only the two rows whose look changed
            width = self.size.width
            self.refresh(Region(0, 1 + old - top, width, 1), Region(0, 1 + new - top, width, 1))
        else:
            self.refresh()
        self._request_visible()
        if old != new:
            self.post_message(self.Highlighted(self, self.current_row))

    def _body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_cursor_into_view(self) -> None:
        height = self._body_height()
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= self._body_height()

    def action_page_down(self) -> None:
        self.cursor += self._body_height()

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self.row_count - 1

    def action_select(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Selected(self, row))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            index = int(self.scroll_y) + event.y - 1
            if index < self.row_count:
                if index == self.cursor and event.chain >= 2:
                    self.action_select()
                self.cursor = index

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._request_visible()

    def on_resize(self) -> None:
        self._update_virtual_size()
        self._request_visible()

    # -- drawing -------------------------------------------------------------

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.row_count + 1)

    def _widths(self, width: int) -> list[int]:
        """Each column's width; 0 for an optional column the width cannot hold.

        Every drawn line needs these, so they are worked out once per width.
        """
        cached = self._width_cache
        if cached is not None and cached[0] == width:
            return cached[1]
        widths = self._compute_widths(width)
        self._width_cache = (width, widths)
        return widths

    def _compute_widths(self, width: int) -> list[int]:
        shown = [c for c in self.columns if c.from_width <= width]

        def needed(wanted: bool = False) -> int:
            sizes = (c.width or (c.want if wanted and c.want else c.min_width) for c in shown)
            return sum(sizes) + len(shown) - 1

        # Too narrow: the optional columns go, least valuable first (ties: the last),
        # until the others fit at the widths they want.
        droppable = sorted(
            (c for c in shown if c.optional),
            key=lambda c: (c.drop, self.columns.index(c)),
            reverse=True,
        )
        for column in droppable:
            if needed(wanted=True) <= width:
                break
            shown.remove(column)
        sizes = {id(c): c.width or c.min_width for c in shown}
        spare = max(0, width - needed())
        flexible = [c for c in shown if c.width is None]
        # The spare room by weight, each flexible column up to its max_width.
        while spare > 0 and flexible:
            growing = [c for c in flexible if c.max_width is None or sizes[id(c)] < c.max_width]
            if not growing:
                break
            total_weight = sum(c.weight for c in growing)
            given = 0
            for column in growing:
                share = max(1, spare * column.weight // total_weight)
                if column.max_width is not None:
                    share = min(share, column.max_width - sizes[id(column)])
                share = min(share, spare - given)
                sizes[id(column)] += share
                given += share
            spare -= given
            if given == 0:
                break
        if spare > 0 and shown:
            # Every flexible column capped: the rest is shared by all, as even gaps, not
            # one wide column with its neighbour far away; past MAX_GAP, blank at the end.
            each, rest = divmod(spare, len(shown))
            if each >= MAX_GAP:
                each, rest = MAX_GAP, 0
            for index, column in enumerate(shown):
                sizes[id(column)] += each + (1 if index < rest else 0)
        return [sizes.get(id(c), 0) for c in self.columns]

    def _line(self, cells: Sequence[str | Text], width: int, style: Style) -> Strip:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        first = True
        for cell, column, cell_width in zip(cells, self.columns, self._widths(width), strict=False):
            if cell_width == 0:
                continue
            if not first:
                text.append(" ")
            first = False
            part = cell.copy() if isinstance(cell, Text) else Text(clean(str(cell)))
            if column.tokens and part.cell_len > cell_width:
                part = Text(cut_at_token(part.plain, cell_width), style=part.style)
            elif part.cell_len > cell_width:
                part = keep_number(part, cell_width)
            part.truncate(cell_width, overflow="ellipsis", pad=True)
            if column.justify == "right":
                part.rstrip()
                part.pad_left(cell_width - part.cell_len)
            text.append_text(part)
        segments = list(text.render(self.app.console))
        return Strip(segments).adjust_cell_length(width, style).apply_style(style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            header = self.get_component_rich_style("paged-table--header")
            return self._line(self._labels(), width, base + header)
        index = int(self.scroll_y) + y - 1
        if index >= self.row_count:
            if y == 1 and self.row_count == 0:
                return self._message_line(width, base)
            return Strip.blank(width, base)
        row = self.row_at(index)
        cursor = index == self.cursor
        style = base
        if cursor:
            style = base + self.get_component_rich_style(
                "paged-table--cursor", partial=not self.has_focus
            )
        if row is None:
            placeholder = self.get_component_rich_style("paged-table--placeholder", partial=True)
            page = self._locate(index)[0]
            note = "could not load: r to retry" if page in self._state.failed else "loading…"
            return self._line(["", note], width, style + placeholder)
        key = (id(row), width, style)
        drawn = self._strips.get(key)
        if drawn is not None and drawn[0] is row:
            return drawn[1]
        if len(self._strips) > STRIPS_KEPT:
            self._strips.clear()
        strip = self._line(row.cells, width, style)
        self._strips[key] = (row, strip)
        return strip

    def mark_sorted(self, label: str | None, ascending: bool = True) -> None:
        """Show an arrow after the label of the column the rows are sorted by."""
        self._sorted = (label, ascending) if label else None
        self.refresh()

    def _labels(self) -> list[str]:
        sorted_by = self._sorted
        if sorted_by is None:
            return [c.label for c in self.columns]
        arrow = " ↑" if sorted_by[1] else " ↓"
        return [c.label + (arrow if c.label == sorted_by[0] else "") for c in self.columns]

    def _message_line(self, width: int, style: Style) -> Strip:
        if self._matches is None and self._state.total is None:
            text = "could not load: r to retry" if self._state.failed else "loading…"
        elif self._matches is not None:
            text = self._no_match
        else:
            text = self.empty_text
        placeholder = self.get_component_rich_style("paged-table--placeholder")
        return Strip([Segment(" " + text, style + placeholder)]).adjust_cell_length(width, style)


SEPARATORS = "-/._:?&=@"  # what a token of an ID or a URL ends with


def cut_at_token(text: str, width: int) -> str:
    """`text` in `width` cells, cut after the last whole token that fits, with "…"."""
    if len(text) <= width:
        return text
    room = max(1, width - 1)
    cut = max((text.rfind(end, 0, room) for end in SEPARATORS), default=-1)
    # Cut after the separator, so what is shown ends with a whole token.
    kept = text[: cut + 1] if cut >= room // 2 else text[:room]
    return kept + "…"


_NUMBERED = re.compile(r" \d{1,6}$")


def keep_number(text: Text, width: int) -> Text:
    """A name too long for `width`, cut in its middle when it ends with a number: the
    "2" of "Timberline Chamber of Commerce 2" is what tells it from the first one."""
    found = _NUMBERED.search(text.plain)
    if found is None or width < len(found.group()) + 6:
        return text
    room = width - len(found.group()) - 1
    head = text[:room]
    head.rstrip()
    return Text.assemble(head, "…", text[found.start() :])


def _unique(rows: list[Row]) -> list[Row]:
    """`rows` with each key once, where it first appears."""
    seen: set[str] = set()
    unique: list[Row] = []
    for row in rows:
        if row.key not in seen:
            seen.add(row.key)
            unique.append(row)
    return unique
