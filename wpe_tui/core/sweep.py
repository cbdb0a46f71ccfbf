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
from wpe_tui.api.models import Page

E = TypeVar("E")

FetchPage = Callable[[int, int], Awaitable[Page[Any]]]  # (page, per_page) -> page


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
        return [entry for page in sorted(self._pages) for entry in self._pages[page]]

    def new_entries(self, seen_pages: set[int]) -> list[E]:
        """The entries of the pages not in `seen_pages` (which they are added to)."""
        fresh = [page for page in sorted(self._pages) if page not in seen_pages]
        seen_pages.update(fresh)
        return [entry for page in fresh for entry in self._pages[page]]

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
        for page in sorted(self._pages):
            for entry in self._pages[page]:
                if needle in text_of(entry):
                    found.append(entry)
                    if limit is not None and len(found) >= limit:
                        return found
        return found

    # -- running ----------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None or (self._task.done() and not self.done):
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

    def forget(self, prefix: Hashable | None = None) -> None:
        """After `r`: what was swept may be stale."""
        for key in list(self._sweeps):
            if prefix is None or (isinstance(key, tuple) and key and key[0] == prefix):
                self._sweeps.pop(key).cancel()

    async def aclose(self) -> None:
        for sweep in self._sweeps.values():
            await sweep.aclose()
