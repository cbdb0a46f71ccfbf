"""`Session`: one run's services — settings, backend, scheduler, store, follower,
activity and the state of the connection. Screens get it in their constructor and
reach nothing else: no concrete client, no app attributes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Hashable, Iterable
from datetime import datetime
from typing import TypeVar

from wpe_tui.api.capabilities import Capabilities
from wpe_tui.api.errors import ApiError
from wpe_tui.config import Settings
from wpe_tui.core.activity import Activity, Operation
from wpe_tui.core.backend import Backend
from wpe_tui.core.clock import Clock, SystemClock
from wpe_tui.core.follower import Follower, ItemTarget, Target
from wpe_tui.core.kinds import Ref
from wpe_tui.core.registry import kind as kind_of
from wpe_tui.core.scheduler import Pacer, Priority, Scheduler
from wpe_tui.core.store import Store
from wpe_tui.core.sweep import Sweeps
from wpe_tui.state import ProfilePrefs, State, save_state

T = TypeVar("T")

RECONNECT_CAP = 30.0
SAVE_DELAY = 0.5  # seconds: a burst of changes is one write of the state file


def wall_clock() -> datetime:
    from wpe_tui import text  # its `now` is what the tests pin

    return text.now().astimezone()


class Connection:
    """Whether the API answers, and since when it does not: the offline banner."""

    def __init__(self, clock: Clock, paused_for: Callable[[], float] = lambda: 0.0) -> None:
        self.clock = clock
        self.paused_for = paused_for  # seconds until background work resumes after a 429
        self.offline = False
        self.next_try: float | None = None  # monotonic time of the next reconnect try
        self.listeners: list[Callable[[str], None]] = []

    def seconds_to_next_try(self) -> float | None:
        if self.next_try is None:
            return None
        return max(0.0, self.next_try - self.clock.now())

    def tell(self, event: str) -> None:
        for listener in list(self.listeners):
            listener(event)


class Session:
    def __init__(
        self,
        settings: Settings,
        backend: Backend,
        *,
        demo: bool = False,
        clock: Clock | None = None,
        wall: Callable[[], datetime] = wall_clock,
        state: State | None = None,
    ) -> None:
        self.settings = settings
        self.demo = demo
        # What the app writes by itself (preferences, the operation history); None: a
        # run that keeps nothing (tests, the demo).
        self.state = state
        self.state_warning: str | None = None
        self._save: asyncio.Task[None] | None = None
        self.clock: Clock = clock or SystemClock()
        self.wall = wall
        self.backend = backend
        self.scheduler = Scheduler(max_in_flight=settings.max_in_flight, clock=self.clock)
        self.pacer: Pacer | None = None
        self.store = Store()
        self.follower = Follower(
            self.scheduler,
            interval=settings.ui.refresh_interval,
            clock=self.clock,
            on_error=self._report,
        )
        self.activity = Activity(
            self.store, wall=wall, follow=self._follow_operations, sleep=self.clock.sleep
        )
        self.activity.listeners.append(self._remember_operations)
        self.connection = Connection(self.clock, lambda: self.scheduler.paused_for)
        self.scheduler.listener = lambda: self.connection.tell("rate limit")
        self.sweeps = Sweeps()
        self.store.subscribe(self.sweeps.item_changed)
        # Set by the app: where an unexpected error goes (the crash screen).
        self.on_error: Callable[[BaseException], None] | None = None
        self._reconnect: asyncio.Task[None] | None = None
        self._attach(backend)

    # -- what screens read ------------------------------------------------------

    @property
    def capabilities(self) -> Capabilities:
        return self.backend.capabilities

    @property
    def read_only(self) -> bool:
        return self.settings.read_only

    @property
    def page_size(self) -> int:
        return min(self.settings.ui.page_size, self.capabilities.max_page_size)

    @property
    def paced(self) -> bool:
        """Whether requests keep a pace (the API's, or the profile's): then nothing is
        asked for ahead of the user, which would hold up what they asked for."""
        return self.pacer is not None

    @property
    def refresh_interval(self) -> float:
        return self.settings.ui.refresh_interval

    @property
    def label(self) -> str:
        """Who the user is working as: "demo account" or "profile agency"."""
        return "demo account" if self.demo else f"profile {self.settings.profile_name}"

    @property
    def read_only_reason(self) -> str:
        return f"read_only in profile {self.settings.profile_name} or --read-only"

    # -- requests ---------------------------------------------------------------

    async def read(self, call: Callable[[], Awaitable[T]], *, background: bool = False) -> T:
        priority = Priority.BACKGROUND if background else Priority.USER
        return await self.scheduler.read(call, priority=priority)

    async def write(self, call: Callable[[], Awaitable[T]]) -> T:
        return await self.scheduler.write(call)

    def now(self) -> float:
        return self.clock.now()

    # -- following ----------------------------------------------------------------

    def follow(self, owner: Hashable, targets: Iterable[Target]) -> None:
        """What a view wants followed while it is in front; replaces its last list."""
        self.follower.watch(owner, targets)

    def unfollow(self, owner: Hashable) -> None:
        self.follower.unwatch(owner)

    def item_target(
        self, ref: Ref, *, detailed: bool = False, fresh_for: float = 0.0, row: bool = False
    ) -> ItemTarget:
        return ItemTarget(
            kind_of(ref.kind),
            ref,
            lambda: self.backend,
            self.store,
            self.clock,
            self.wall,
            detailed=detailed,
            fresh_for=fresh_for,
            row=row,
        )

    def _follow_operations(self, ops: list[Operation]) -> None:
        # A page in view that brought the item within the interval makes a request needless.
        targets = [
            self.item_target(op.ref, fresh_for=self.refresh_interval)
            for op in ops
            if kind_of(op.kind).followable(self.capabilities)
        ]
        self.follower.watch("activity", targets)

    # -- the connection -------------------------------------------------------------

    def _attach(self, backend: Backend) -> None:
        backend.listener = self._backend_event
        rps = self.settings.requests_per_second
        if rps is None:
            rps = backend.capabilities.requests_per_second  # the API's own pace, if any
        if rps is not None:
            if self.pacer is None:
                self.pacer = Pacer(rps, self.clock)
            backend.pace = self.pacer.wait

    def use_backend(self, backend: Backend) -> None:
        """New credentials: the old backend is closed by the caller."""
        self.backend = backend
        self._attach(backend)

    def _backend_event(self, event: str) -> None:
        if event == "offline" and not self.connection.offline:
            self.connection.offline = True
            self._start_reconnecting()
        elif event == "online" and self.connection.offline:
            self.connection.offline = False
            self.connection.next_try = None
        elif event in ("online", "offline"):
            return
        self.connection.tell(event)

    def _start_reconnecting(self) -> None:
        if self._reconnect is None or self._reconnect.done():
            self._reconnect = asyncio.get_running_loop().create_task(self._reconnect_loop())

    async def _reconnect_loop(self) -> None:
        """Ask again with growing pauses (from the refresh interval up to 30 s)."""
        delay = self.refresh_interval
        while self.connection.offline:
            self.connection.next_try = self.clock.now() + delay
            self.connection.tell("waiting")
            await self.clock.sleep(delay)
            with contextlib.suppress(ApiError):
                await self.read(lambda: self.backend.list_sites(per_page=1), background=True)
            delay = min(delay * 2, RECONNECT_CAP)

    # -- what is kept between runs ---------------------------------------------------

    @property
    def profile(self) -> str:
        """Whose prefs and operations the state file keeps: each demo account its own."""
        if not self.demo:
            return self.settings.profile_name
        return "demo" if self.settings.api == "customer" else f"demo-{self.settings.api}"

    def prefs(self) -> ProfilePrefs:
        return self.state.prefs(self.profile) if self.state is not None else ProfilePrefs()

    def set_prefs(self, **changes: str | None) -> None:
        if self.state is not None:
            self.state.set_prefs(self.profile, **changes)
            self.save_soon()

    def _earlier_operations(self) -> None:
        # The demo's account is made anew each run: its earlier operations are of items
        # that no longer exist ("Backup … gone" at start).
        if self.state is None or self.demo:
            return
        ops = [Operation.from_json(data) for data in self.state.operations(self.profile)]
        self.activity.restore([op for op in ops if op is not None])

    def _remember_operations(self) -> None:
        if self.state is None or self.demo:
            return
        try:
            self.state.set_operations(self.profile, [op.to_json() for op in self.activity.mine()])
        except (TypeError, ValueError):
            return  # something JSON cannot hold: the history stays as it was
        self.save_soon()

    def save_soon(self) -> None:
        """Write the state file a moment from now (many changes, one write)."""
        if self.state is None or (self._save is not None and not self._save.done()):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._save = loop.create_task(self._save_later())

    async def _save_later(self) -> None:
        await self.clock.sleep(SAVE_DELAY)
        self.save_now()

    def save_now(self) -> None:
        if self.state is not None:
            self.state_warning = save_state(self.state) or self.state_warning

    # -- running ------------------------------------------------------------------

    def start(self) -> None:
        self._earlier_operations()
        self.follower.start()

    async def aclose(self) -> None:
        if self._save is not None:
            self._save.cancel()
        self.save_now()  # what changed since the last write: nothing lost at quit
        if self._reconnect is not None:
            self._reconnect.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reconnect
        await self.follower.aclose()
        await self.sweeps.aclose()
        await self.activity.aclose()
        await self.scheduler.aclose()
        await self.backend.aclose()

    def _report(self, error: BaseException) -> None:
        if self.on_error is not None:
            self.on_error(error)
        else:
            raise error


__all__ = ["Connection", "Session"]
