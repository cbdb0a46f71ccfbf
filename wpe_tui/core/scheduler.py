"""`Scheduler`: every request of the app goes through it.

- At most `max_in_flight` requests at once; for an API that publishes no limits, a
  `Pacer` the backend waits for before each HTTP request (one call of the Hosting
  Platform API can be several requests).
- What the user just asked for goes first; background work (the follower, filter
  sweeps, the palette's names) waits behind it.
- A request whose caller was cancelled while it waited is never sent.
- A 429 on a read pauses background reads until its Retry-After has passed, or,
  without that header, for a backoff from 1 s up to 30 s. The read itself is asked
  again once the pause is over. Retry-After is honoured here and nowhere else.
- A 429 on a write is that action's answer: it goes back to its modal and pauses
  nothing else. Writes are never sent twice.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TypeVar

from wpe_tui.api.errors import RateLimitError
from wpe_tui.core.clock import Clock, SystemClock

T = TypeVar("T")

BACKOFF_START = 1.0
BACKOFF_CAP = 30.0
# A user read waits out a pause this long at most; past it the user is told instead.
MAX_USER_WAIT = 30.0
READ_ATTEMPTS = 4  # the first try and three after a 429


class Priority(IntEnum):
    USER = 0
    BACKGROUND = 1


@dataclass(order=True)
class _Ticket:
    priority: int
    seq: int
    future: asyncio.Future[None] = field(compare=False)


class Scheduler:
    def __init__(self, *, max_in_flight: int = 4, clock: Clock | None = None) -> None:
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be 1 or more")
        self.max_in_flight = max_in_flight
        self.clock: Clock = clock or SystemClock()
        self._waiting: list[_Ticket] = []
        self._seq = itertools.count()
        self._in_flight = 0
        self._paused_until = 0.0
        self._backoff = BACKOFF_START
        self._timer: asyncio.Task[None] | None = None
        self._timer_at = 0.0
        # Told when background work pauses or resumes (the UI says "rate limited").
        self.listener: Callable[[], None] | None = None
        self.sent = 0  # requests that reached the backend, for tests and the bench

    # -- what the UI shows ----------------------------------------------------

    @property
    def paused_for(self) -> float:
        """Seconds until background reads resume; 0 when they are not paused."""
        return max(0.0, self._paused_until - self.clock.now())

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @property
    def waiting(self) -> int:
        return sum(1 for t in self._waiting if not t.future.done())

    # -- requests ---------------------------------------------------------------

    async def read(
        self, call: Callable[[], Awaitable[T]], *, priority: Priority = Priority.USER
    ) -> T:
        """A read, asked again after a 429 once its pause is over (a few times at most)."""
        attempt = 1
        while True:
            try:
                return await self._run(call, priority)
            except RateLimitError as error:
                wait = self._pause(error)
                too_long = priority is Priority.USER and wait > MAX_USER_WAIT
                if attempt >= READ_ATTEMPTS or too_long:
                    raise
                attempt += 1
                if priority is Priority.USER:
                    # The user's own read waits out the pause (background work is held
                    # behind it anyway), so it does not hit the limit again at once.
                    await self.clock.sleep(wait)

    async def write(self, call: Callable[[], Awaitable[T]]) -> T:
        """A write, sent once: whatever it answers (a 429 included) is the caller's."""
        return await self._run(call, Priority.USER)

    async def _run(self, call: Callable[[], Awaitable[T]], priority: Priority) -> T:
        await self._acquire(priority)
        try:
            self.sent += 1
            result = await call()
        finally:
            self._in_flight -= 1
            self._pump()
        self._backoff = BACKOFF_START  # an answer that is not a 429: the limit is over
        return result

    def _pause(self, error: RateLimitError) -> float:
        if error.retry_after is not None:
            wait = error.retry_after
        else:
            wait = self._backoff
            self._backoff = min(self._backoff * 2, BACKOFF_CAP)
        until = self.clock.now() + wait
        if until > self._paused_until:
            self._paused_until = until
            self._tell()
            self._pump()
        return wait

    def _tell(self) -> None:
        if self.listener is not None:
            self.listener()

    # -- slots ------------------------------------------------------------------

    async def _acquire(self, priority: Priority) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, _Ticket(int(priority), next(self._seq), future))
        self._pump()
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                # Granted a slot in the same moment the caller gave up: hand it back.
                self._in_flight -= 1
                self._pump()
            raise

    def _pump(self) -> None:
        """Start every waiting request that may start now; wake up later for the rest."""
        now = self.clock.now()
        self._start_ready(now)
        if self._paused_until:
            if self._paused_until <= now:
                self._paused_until = 0.0
                self._tell()
            else:
                self._wake_at(self._paused_until)

    def _start_ready(self, now: float) -> None:
        while self._waiting:
            head = self._waiting[0]
            if head.future.done():  # cancelled while waiting: never sent
                heapq.heappop(self._waiting)
                continue
            if self._in_flight >= self.max_in_flight:
                return  # a finishing request pumps again
            if head.priority == Priority.BACKGROUND and self._paused_until > now:
                self._wake_at(self._paused_until)
                return
            heapq.heappop(self._waiting)
            self._in_flight += 1
            head.future.set_result(None)

    def _wake_at(self, when: float) -> None:
        if self._timer is not None and not self._timer.done():
            if self._timer_at <= when:
                return
            self._timer.cancel()
        self._timer_at = when
        self._timer = asyncio.ensure_future(self._wake(when - self.clock.now()))

    async def _wake(self, delay: float) -> None:
        await self.clock.sleep(delay)
        self._timer = None
        self._pump()

    async def aclose(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        for ticket in self._waiting:
            if not ticket.future.done():
                ticket.future.cancel()
        self._waiting.clear()


class Pacer:
    """At most `per_second` starts a second, evenly spaced: each waits for its turn."""

    def __init__(self, per_second: float, clock: Clock | None = None) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be more than 0")
        self.spacing = 1.0 / per_second
        self.clock: Clock = clock or SystemClock()
        self._next = 0.0

    async def wait(self) -> None:
        now = self.clock.now()
        turn = max(now, self._next)
        self._next = turn + self.spacing  # taken before waiting: the next one queues behind
        if turn > now:
            await self.clock.sleep(turn - now)
