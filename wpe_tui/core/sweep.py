"""`Sweep`: every page of one list, read in the background, for `/` and the palette.

No API here searches, so a filter that must find sites not loaded yet walks the
pages. It does it as background work (behind what the user asks for, held by a 429),
with the largest page size the API allows, and keeps only what matching and drawing a
match need (an id, a name, a URL...), never the full models: 100,000 sites fit in a
few tens of MB. Nothing it sees is followed or put in the store.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, Generic, TypeVar

from wpe_tui.api.errors import ApiError
from wpe_tui.api.models import Page, StatusScan
from wpe_tui.core.store import Change

E = TypeVar("E")

FetchPage = Callable[[int, int], Awaitable[Page[Any]]]  # (page, per_page) -> page
ScanStatuses = Callable[[], Awaitable[StatusScan]]  # see Backend.scan_site_statuses
MAX_CHANGES = 1000  # changed items kept over what the pages say


class Sweep(Generic[E]):
    def __init__(
        self,
        fetch: FetchPage,
        make_entry: Callable[[Any], E],
        text_of: Callable[[E], str],
        *,
        per_page: int = 100,
        concurrency: int = 3,
    ) -> None:
        self._fetch = fetch
        self._make_entry = make_entry
        self.text_of = text_of  # lower-case text a needle is looked for in
        self.per_page = per_page
        self.concurrency = concurrency
        self._pages: dict[int, list[E]] = {}
        self.total: int | None = None
        self.failed: dict[int, ApiError] = {}
        self.done = False
        self._task: asyncio.Task[None] | None = None
        self._listeners: list[Callable[[], None]] = []
        # What the app saw change since the pages were read (its own writes, the
        # follower): a deleted item is not matched, a changed one is matched as it is
        # now, a created one is matched first. Small: only real changes land here.
        self._gone: set[str] = set()
        self._newer: dict[str, E] = {}
        self._created: list[E] = []
        # Statuses the pages did not carry, learnt after them when a view needs them.
        self._scan: ScanStatuses | None = None
        self.statuses: StatusScan | None = None  # how far that got

    # -- progress -------------------------------------------------------------------

    @property
    def searched(self) -> int:
        return sum(len(entries) for entries in self._pages.values())

    @property
    def page_count(self) -> int:
        total = self.total or 0
        return max(1, -(-total // self.per_page))

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def complete(self) -> bool:
        """Every page read, and every status when they were asked for."""
        return self.done and (self._scan is None or self.scanning_done)

    @property
    def scanning_done(self) -> bool:
        return self.statuses is not None and self.statuses.done

    @property
    def scanning(self) -> bool:
        """The pages are read; the statuses asked for are being read."""
        return self.done and self._scan is not None and not self.scanning_done

    def want_statuses(self, scan: ScanStatuses) -> None:
        """A status filter or sort is done here: after the pages, learn the statuses
        they did not say, a step (a request) at a time."""
        if self._scan is None:
            self._scan = scan
            self.start()

    def drop_statuses(self) -> None:
        """No view needs them any more: the scan stops after the step it is on (what it
        read is kept; asked for again, it goes on from there)."""
        self._scan = None

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        self._listeners.append(listener)

        def stop() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return stop

    def _tell(self) -> None:
        for listener in list(self._listeners):
            listener()

    # -- results ----------------------------------------------------------------------

    def entries(self) -> list[E]:
        return self._current(
            [entry for page in sorted(self._pages) for entry in self._pages[page]], first=True
        )

    def new_entries(self, seen_pages: set[int]) -> list[E]:
        """The entries of the pages not in `seen_pages` (which they are added to)."""
        fresh = [page for page in sorted(self._pages) if page not in seen_pages]
        first = 0 not in seen_pages  # the created ones count as a page 0
        seen_pages.update(fresh)
        seen_pages.add(0)
        return self._current([entry for page in fresh for entry in self._pages[page]], first)

    def _current(self, entries: list[E], first: bool) -> list[E]:
        """`entries` as the app last saw them (see `_gone`)."""
        if not (self._gone or self._newer or self._created):
            return entries
        gone, newer = self._gone, self._newer
        now = [newer.get(self._id(e), e) for e in entries if self._id(e) not in gone]
        return [*self._created, *now] if first else now

    @staticmethod
    def _id(entry: Any) -> str:
        return str(entry.id)

    # -- what changed since ---------------------------------------------------------

    def item_gone(self, item_id: str) -> None:
        if item_id in self._gone:
            return
        self._gone.add(item_id)
        self._newer.pop(item_id, None)
        kept = [e for e in self._created if self._id(e) != item_id]
        if self.total and (len(kept) < len(self._created) or self._holds(item_id)):
            self.total -= 1
        self._created = kept
        self._tell()

    def item_changed(self, item: Any) -> None:
        entry = self._make_entry(item)
        item_id = self._id(entry)
        self._gone.discard(item_id)  # back in a status the query asks for
        for n, made in enumerate(self._created):
            if self._id(made) == item_id:
                self._created[n] = entry
                self._tell()
                return
        if len(self._newer) >= MAX_CHANGES:
            self._newer.pop(next(iter(self._newer)))  # the oldest: stale until `r`
        self._newer[item_id] = entry
        self._tell()

    def item_created(self, item: Any) -> None:
        entry = self._make_entry(item)
        self._gone.discard(self._id(entry))
        self._created.insert(0, entry)
        if self.total is not None:
            self.total += 1
        self._tell()

    def _holds(self, item_id: str) -> bool:
        return any(self._id(e) == item_id for page in self._pages.values() for e in page)

    async def progress(self, at_most: float) -> None:
        """Wait for the next page (or `at_most` seconds)."""
        event = asyncio.Event()
        stop = self.subscribe(event.set)
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), at_most)
        finally:
            stop()

    def matches(self, needle: str, limit: int | None = None) -> list[E]:
        """Entries whose text holds `needle` (lower case), in the list's order."""
        needle = needle.lower()
        found: list[E] = []
        text_of = self.text_of
        for entry in self.entries():
            if needle in text_of(entry):
                found.append(entry)
                if limit is not None and len(found) >= limit:
                    return found
        return found

    # -- running ----------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None or (self._task.done() and not self.complete):
            self.failed.clear()
            self._task = asyncio.get_running_loop().create_task(self._run())

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        if not self.done:
            if self.total is None:
                await self._read(1)
                if self.total is None:
                    self._tell()
                    return  # the first page failed: `failed` says why
            queue = [p for p in range(1, self.page_count + 1) if p not in self._pages]
            workers = [self._worker(queue) for _ in range(self.concurrency)]
            await asyncio.gather(*workers)
            self.done = not self.failed
            self._tell()
        if self.done and self._scan is not None:
            await self._scan_statuses(self._scan)

    async def _scan_statuses(self, scan: ScanStatuses) -> None:
        """One step after another (each waits for the last: the API reads its pages in
        turn), each row it tells about replacing its entry."""
        where = {
            self._id(entry): (page, n)
            for page, entries in self._pages.items()
            for n, entry in enumerate(entries)
        }
        while not self.scanning_done and self._scan is scan:
            try:
                step = await scan()
            except ApiError as error:
                self.failed[0] = error  # `r` (or the next view that asks) goes on
                self._tell()
                return
            for row in step.rows:
                entry = self._make_entry(row)
                item_id = self._id(entry)
                if item_id in where:
                    page, n = where[item_id]
                    self._pages[page][n] = entry
                if item_id in self._newer:
                    self._newer[item_id] = entry
            self.statuses = step
            self._tell()

    async def _worker(self, queue: list[int]) -> None:
        while queue:
            await self._read(queue.pop(0))

    async def _read(self, page: int) -> None:
        try:
            answer = await self._fetch(page, self.per_page)
        except ApiError as error:
            self.failed[page] = error
            self._tell()
            return
        self.total = answer.pagination.total
        make = self._make_entry
        self._pages[page] = [make(item) for item in answer.results]
        self._tell()


class Sweeps:
    """One sweep per list and query for the session, shared by `/` and the palette."""

    def __init__(self) -> None:
        self._sweeps: dict[Hashable, Sweep[Any]] = {}

    def get(self, key: Hashable) -> Sweep[Any] | None:
        return self._sweeps.get(key)

    def keep(self, key: Hashable, sweep: Sweep[Any]) -> Sweep[Any]:
        old = self._sweeps.pop(key, None)
        if old is not None and old is not sweep:
            old.cancel()
        self._sweeps[key] = sweep
        while len(self._sweeps) > 4:  # another sort or status filter: the oldest go
            oldest = next(iter(self._sweeps))
            self._sweeps.pop(oldest).cancel()
        return sweep

    def item_changed(self, change: Change) -> None:
        """A store change (a page read again, the follower, the app's own writes) reaches
        the sweeps of its kind, so `/` matches items as they are now."""
        for key, sweep in self._sweeps.items():
            if not _about(key, change.kind):
                continue
            if change.item is None or not _in_query(key, change.item):
                sweep.item_gone(change.id)
            elif change.old is not None:  # else first seen: as its page says
                sweep.item_changed(change.item)

    def item_created(self, kind: str, item: Any) -> None:
        """Created here: matched at once, at the top, until `r` reads the pages again."""
        for key, sweep in self._sweeps.items():
            if _about(key, kind) and _in_query(key, item):
                sweep.item_created(item)

    def forget(self, prefix: Hashable | None = None) -> None:
        """After `r`: what was swept may be stale."""
        for key in list(self._sweeps):
            if prefix is None or (isinstance(key, tuple) and key and key[0] == prefix):
                self._sweeps.pop(key).cancel()

    async def aclose(self) -> None:
        for sweep in self._sweeps.values():
            await sweep.aclose()


def _about(key: Hashable, kind: str) -> bool:
    """Whether the sweep `key` lists items of `kind`: its list is ("sites", sort, order,
    status) or ((kind, site_id), sort, order, status)."""
    if not isinstance(key, tuple) or not key:
        return False
    list_key = key[0]
    if list_key == "sites":
        return kind == "site"
    return isinstance(list_key, tuple) and bool(list_key) and list_key[0] == kind


def _in_query(key: Hashable, item: Any) -> bool:
    """Whether `item` is in the server's answer to the sweep's status filter."""
    status = key[3] if isinstance(key, tuple) and len(key) > 3 else None
    return status is None or (getattr(item, "status", None) or "").lower() == status
