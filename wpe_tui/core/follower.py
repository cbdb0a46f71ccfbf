"""`Follower`: the only poller of the app.

It follows what the views hand it (the rows on screen that are in flight, the item a
detail screen shows) and the operations the user started in this run; nothing else.
Items seen in bulk (a filter sweep, the palette's names, pages scrolled past) are
never given to it.

- Each target is one request: an item, or a whole list page when several rows in view
  share it.
- A target whose content did not change is asked less and less often: its interval
  doubles up to `cap` (30 s at least) and starts again from `interval` on a change.
- Where the item has an estimated completion time, it is not asked before that time
  minus a tenth of the wait.
- Requests go through the scheduler as background work: behind what the user asked
  for, held while a 429 runs out.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wpe_tui.api.errors import ApiError, NotFoundError
from wpe_tui.core.backend import Backend
from wpe_tui.core.clock import Clock, SystemClock
from wpe_tui.core.kinds import Ref, ResourceKind
from wpe_tui.core.scheduler import Priority, Scheduler
from wpe_tui.core.store import Key, Store

MIN_CAP = 30.0
ETA_MARGIN = 0.1  # ask again from 90 % of the estimated wait


class Target:
    """One request the follower repeats. `poll` returns what counts as its content."""

    key: Hashable
    covers: tuple[Key, ...] = ()  # the items whose status this request brings

    async def poll(self) -> Hashable:
        raise NotImplementedError

    def current(self) -> Hashable:
        """The content the view already has, so the first answer can count as unchanged."""
        return None

    def wanted(self) -> bool:
        """False once nothing it brings is in flight: the follower forgets it."""
        return True

    def not_before(self) -> float | None:
        """The earliest monotonic time worth asking (an estimate not reached yet)."""
        return None


def eta_wait(
    eta: datetime | None, since: datetime | None, wall_now: datetime, now: float
) -> float | None:
    """The monotonic time from which an item due at `eta` is worth asking for."""
    if eta is None:
        return None
    start = since or wall_now
    wait = (eta - start).total_seconds()
    ask_from = eta.timestamp() - max(0.0, wait) * ETA_MARGIN
    remaining = ask_from - wall_now.timestamp()
    return now + remaining if remaining > 0 else None


class ItemTarget(Target):
    """Ask for one item by its reference; the store gets the answer."""

    def __init__(
        self,
        kind: ResourceKind,
        ref: Ref,
        backend: Callable[[], Backend],
        store: Store,
        clock: Clock,
        wall: Callable[[], datetime],
        *,
        detailed: bool = False,
        fresh_for: float = 0.0,
        row: bool = False,
    ) -> None:
        self.kind = kind
        self.ref = ref
        self.key = ("item", ref.kind, ref.id, detailed, row)
        self._row = row  # as a list row shows it: `kind.follow`, which may cost less
        self.covers = (ref.key,)
        self._backend = backend  # asked each time: new credentials bring a new one
        self._store = store
        self._clock = clock
        self._wall = wall
        self._detailed = detailed
        self._fresh_for = fresh_for  # another request brought it this recently: skip
        self._gone = False
        self._seen_at = wall()

    async def poll(self) -> Hashable:
        item = self._store.get(*self.ref.key)
        fetched = self._store.fetched_at(*self.ref.key)
        fresh = fetched is not None and self._clock.now() - fetched < self._fresh_for
        if item is not None and fresh:
            # A page in view brought it a moment ago: no second request.
            return self.kind.signature(item, detailed=self._detailed)
        try:
            ask = self.kind.follow if self._row else self.kind.get
            item = await ask(self._backend(), self.ref)
        except NotFoundError:
            self._gone = True
            self._store.remove(*self.ref.key)
            return None
        self._store.put(self.ref.kind, item, fetched_at=self._clock.now())
        return self.kind.signature(item, detailed=self._detailed)

    def current(self) -> Hashable:
        item = self._store.get(*self.ref.key)
        return None if item is None else self.kind.signature(item, detailed=self._detailed)

    def wanted(self) -> bool:
        if self._gone:
            return False
        item = self._store.get(*self.ref.key)
        return item is None or self.kind.in_flight(item)

    def not_before(self) -> float | None:
        item = self._store.get(*self.ref.key)
        if item is None:
            return None
        since = self.kind.created(item) or self._seen_at
        return eta_wait(self.kind.eta(item), since, self._wall(), self._clock.now())


class PageTarget(Target):
    """Ask for one list page that holds several rows in view; `apply` shows the answer."""

    def __init__(
        self,
        key: Hashable,
        kind: ResourceKind,
        covers: Iterable[str],
        fetch: Callable[[], Awaitable[Any]],
        apply: Callable[[Any], Iterable[Any]],
        store: Store,
    ) -> None:
        self.key = key
        self.kind = kind
        self.covers = tuple((kind.name, item_id) for item_id in covers)
        self._fetch = fetch
        self._apply = apply
        self._store = store

    async def poll(self) -> Hashable:
        answer = await self._fetch()
        items = {str(item.id): item for item in self._apply(answer)}  # the view shows it
        return tuple(
            (item_id, self.kind.signature(items[item_id]) if item_id in items else None)
            for _, item_id in self.covers
        )

    def current(self) -> Hashable:
        return tuple(
            (
                item_id,
                None if (item := self._store.get(*key)) is None else self.kind.signature(item),
            )
            for key in self.covers
            for item_id in (key[1],)
        )

    def wanted(self) -> bool:
        return any(self.kind.in_flight(self._store.get(*key)) for key in self.covers)


@dataclass
class _State:
    target: Target
    owners: set[Hashable] = field(default_factory=set)
    interval: float = 0.0
    next_due: float = 0.0
    signature: Hashable = None
    polling: bool = False
    polls: int = 0


class Follower:
    def __init__(
        self,
        scheduler: Scheduler,
        *,
        interval: float = 3.0,
        cap: float = MIN_CAP,
        clock: Clock | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.scheduler = scheduler
        self.interval = interval
        self.cap = max(cap, MIN_CAP, interval)
        self.clock: Clock = clock or SystemClock()
        self.on_error = on_error
        self._states: dict[Hashable, _State] = {}
        self._owned: dict[Hashable, set[Hashable]] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._polls: set[asyncio.Task[None]] = set()
        # Told after each answer (the activity panel redraws, a view updates its title).
        self.listener: Callable[[], None] | None = None

    # -- what to follow ---------------------------------------------------------

    def watch(self, owner: Hashable, targets: Iterable[Target]) -> None:
        """What `owner` (a view, the activity) wants followed now; replaces its last list.
        A target already followed keeps its pace."""
        wanted = {target.key: target for target in targets}
        for key in self._owned.get(owner, set()) - set(wanted):
            self._drop(owner, key)
        now = self.clock.now()
        for key, target in wanted.items():
            state = self._states.get(key)
            if state is None:
                state = _State(target, interval=self.interval, next_due=now + self.interval)
                state.signature = target.current()
                not_before = target.not_before()
                if not_before is not None:
                    state.next_due = max(state.next_due, not_before)
                self._states[key] = state
            else:
                if target.covers != state.target.covers:
                    state.signature = target.current()  # other rows: compare with those
                state.target = target
            state.owners.add(owner)
        if wanted:
            self._owned[owner] = set(wanted)
        else:
            self._owned.pop(owner, None)
        self._wake.set()

    def unwatch(self, owner: Hashable) -> None:
        self.watch(owner, ())

    def _drop(self, owner: Hashable, key: Hashable) -> None:
        state = self._states.get(key)
        if state is None:
            return
        state.owners.discard(owner)
        if not state.owners:
            del self._states[key]

    @property
    def targets(self) -> list[Target]:
        return [state.target for state in self._states.values()]

    def covered(self) -> set[Key]:
        """Every item some target is following now."""
        return {key for state in self._states.values() for key in state.target.covers}

    def poll_now(self) -> None:
        """`r` in the activity panel: everything followed is due now."""
        now = self.clock.now()
        for state in self._states.values():
            state.next_due = min(state.next_due, now)
            state.interval = self.interval
        self._wake.set()

    # -- the loop -------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.ensure_future(self._run())

    async def aclose(self) -> None:
        tasks = [task for task in (self._task, *self._polls) if task is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._task = None

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            now = self.clock.now()
            idle = [state for state in self._states.values() if not state.polling]
            for state in idle:
                if state.next_due <= now:
                    self._start_poll(state)
            pending = [s.next_due for s in self._states.values() if not s.polling]
            delay = (min(pending) - now) if pending else None
            await self._wait(delay)

    async def _wait(self, delay: float | None) -> None:
        waiter = asyncio.ensure_future(self._wake.wait())
        sleeper = asyncio.ensure_future(self.clock.sleep(delay)) if delay is not None else None
        try:
            await asyncio.wait(
                [task for task in (waiter, sleeper) if task is not None],
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            waiter.cancel()
            if sleeper is not None:
                sleeper.cancel()

    def _start_poll(self, state: _State) -> None:
        state.polling = True
        task = asyncio.ensure_future(self._poll(state))
        self._polls.add(task)
        task.add_done_callback(self._polls.discard)

    async def _poll(self, state: _State) -> None:
        target = state.target
        changed = False
        try:
            signature = await self.scheduler.read(target.poll, priority=Priority.BACKGROUND)
        except asyncio.CancelledError:
            raise
        except ApiError:
            changed = False  # asked again, later and later, while it fails
        except Exception as error:  # a bug: it must reach the crash screen, not vanish
            state.polling = False
            self._forget(state)
            if self.on_error is not None:
                self.on_error(error)
            return
        else:
            changed = signature != state.signature
            state.signature = signature
        state.polls += 1
        state.polling = False
        now = self.clock.now()
        state.interval = self.interval if changed else min(state.interval * 2, self.cap)
        state.next_due = now + state.interval
        not_before = target.not_before()
        if not_before is not None:
            state.next_due = max(state.next_due, not_before)
        if not target.wanted():
            self._forget(state)
        if self.listener is not None:
            self.listener()
        self._wake.set()

    def _forget(self, state: _State) -> None:
        key = state.target.key
        if self._states.get(key) is state:
            del self._states[key]
        for owner in state.owners:
            owned = self._owned.get(owner)
            if owned is not None:
                owned.discard(key)
