"""The request scheduler on a manual clock: slots, priority, cancellation, 429 pauses."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from wpe_tui.api.errors import RateLimitError
from wpe_tui.core.clock import ManualClock, settle
from wpe_tui.core.scheduler import Priority, Scheduler

BG = Priority.BACKGROUND


class Calls:
    """Calls that finish only when told to, noting when each started."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.started: list[tuple[str, float]] = []
        self.gates: dict[str, asyncio.Event] = {}
        self.failures: dict[str, list[Exception]] = {}

    def make(self, name: str, *, hold: bool = True) -> Callable[[], Awaitable[str]]:
        async def call() -> str:
            self.started.append((name, self.clock.now()))
            errors = self.failures.get(name)
            if errors:
                raise errors.pop(0)
            if hold:
                gate = self.gates.setdefault(name, asyncio.Event())
                await gate.wait()
            return name

        return call

    def finish(self, name: str) -> None:
        self.gates.setdefault(name, asyncio.Event()).set()

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.started]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def calls(clock: ManualClock) -> Calls:
    return Calls(clock)


async def test_at_most_max_in_flight_and_the_next_starts_when_one_ends(
    clock: ManualClock, calls: Calls
) -> None:
    scheduler = Scheduler(max_in_flight=4, clock=clock)
    tasks = [
        asyncio.ensure_future(scheduler.read(calls.make(f"r{i}"), priority=BG)) for i in range(6)
    ]
    await settle()
    assert calls.names == ["r0", "r1", "r2", "r3"]
    calls.finish("r1")
    await settle()
    assert calls.names == ["r0", "r1", "r2", "r3", "r4"]
    for i in range(6):
        calls.finish(f"r{i}")
    assert await asyncio.gather(*tasks) == [f"r{i}" for i in range(6)]


async def test_the_users_request_goes_before_background_work(
    clock: ManualClock, calls: Calls
) -> None:
    scheduler = Scheduler(max_in_flight=1, clock=clock)
    busy = asyncio.ensure_future(scheduler.read(calls.make("busy"), priority=BG))
    await settle()
    sweep = [
        asyncio.ensure_future(scheduler.read(calls.make(f"sweep{i}"), priority=BG))
        for i in range(3)
    ]
    await settle()
    user = asyncio.ensure_future(scheduler.read(calls.make("user")))
    await settle()
    calls.finish("busy")
    await settle()
    assert calls.names == ["busy", "user"], "the user's page jumps the queue of the sweep"
    for name in ["user", "sweep0", "sweep1", "sweep2"]:
        calls.finish(name)
    await asyncio.gather(busy, user, *sweep)
    assert calls.names == ["busy", "user", "sweep0", "sweep1", "sweep2"]


async def test_cancelled_work_never_reaches_the_wire(clock: ManualClock, calls: Calls) -> None:
    scheduler = Scheduler(max_in_flight=1, clock=clock)
    busy = asyncio.ensure_future(scheduler.read(calls.make("busy")))
    await settle()
    left = asyncio.ensure_future(scheduler.read(calls.make("left behind"), priority=BG))
    await settle()
    left.cancel()
    await settle()
    calls.finish("busy")
    await busy
    await settle()
    assert calls.names == ["busy"]
    assert scheduler.sent == 1
    # The slot is free again.
    assert await scheduler.read(calls.make("next", hold=False)) == "next"


async def test_a_429_pauses_background_reads_until_retry_after(
    clock: ManualClock, calls: Calls
) -> None:
    scheduler = Scheduler(max_in_flight=4, clock=clock)
    told: list[float] = []
    scheduler.listener = lambda: told.append(scheduler.paused_for)
    calls.failures["poll"] = [RateLimitError("429", retry_after=20.0)]
    poll = asyncio.ensure_future(scheduler.read(calls.make("poll", hold=False), priority=BG))
    await settle()
    assert scheduler.paused_for == pytest.approx(20.0)
    assert told and told[0] == pytest.approx(20.0)
    others = [
        asyncio.ensure_future(scheduler.read(calls.make(f"bg{i}", hold=False), priority=BG))
        for i in range(3)
    ]
    await clock.advance(19.9)
    assert calls.names == ["poll"], "nothing in the background is sent while Retry-After runs"
    await clock.advance(0.2)
    await asyncio.gather(poll, *others)
    assert sorted(calls.names) == sorted(["poll", "poll", "bg0", "bg1", "bg2"])
    assert all(when >= 1020.0 for name, when in calls.started[1:])
    assert scheduler.paused_for == 0
    assert told[-1] == 0, "the UI is told when work resumes"


async def test_the_user_is_not_held_by_a_background_pause(clock: ManualClock, calls: Calls) -> None:
    scheduler = Scheduler(clock=clock)
    calls.failures["poll"] = [RateLimitError("429", retry_after=20.0)]
    poll = asyncio.ensure_future(scheduler.read(calls.make("poll", hold=False), priority=BG))
    await settle()
    assert await scheduler.read(calls.make("open a site", hold=False)) == "open a site"
    assert not poll.done(), "the background read still waits out the pause"
    poll.cancel()


async def test_a_user_read_that_meets_a_429_is_asked_again_after_it(
    clock: ManualClock, calls: Calls
) -> None:
    scheduler = Scheduler(clock=clock)
    calls.failures["page"] = [RateLimitError("429", retry_after=5.0)]
    page = asyncio.ensure_future(scheduler.read(calls.make("page", hold=False)))
    await settle()
    assert not page.done()
    await clock.advance(5.0)
    assert await page == "page"
    assert [when for _, when in calls.started] == [1000.0, 1005.0]


async def test_without_retry_after_the_pause_backs_off_from_1_to_30_s(
    clock: ManualClock, calls: Calls
) -> None:
    scheduler = Scheduler(clock=clock)
    pauses = []
    for _ in range(7):
        calls.failures["poll"] = [RateLimitError("429")] * 4
        task = asyncio.ensure_future(scheduler.read(calls.make("poll", hold=False), priority=BG))
        await settle()
        pauses.append(round(scheduler.paused_for))
        task.cancel()
        await clock.advance(scheduler.paused_for + 0.1)
    assert pauses == [1, 2, 4, 8, 16, 30, 30]


async def test_a_success_resets_the_backoff(clock: ManualClock, calls: Calls) -> None:
    scheduler = Scheduler(clock=clock)
    calls.failures["poll"] = [RateLimitError("429"), RateLimitError("429")]
    task = asyncio.ensure_future(scheduler.read(calls.make("poll", hold=False), priority=BG))
    await settle()
    await clock.advance(10)
    assert await task == "poll"
    assert [when for _, when in calls.started] == [1000.0, 1001.0, 1003.0]
    calls.failures["poll"] = [RateLimitError("429")]
    task = asyncio.ensure_future(scheduler.read(calls.make("poll", hold=False), priority=BG))
    await settle()
    assert scheduler.paused_for == pytest.approx(1.0)
    await clock.advance(2)
    await task


async def test_a_429_on_a_write_is_its_answer_and_pauses_nothing(
    clock: ManualClock, calls: Calls
) -> None:
    scheduler = Scheduler(clock=clock)
    calls.failures["restore"] = [RateLimitError("429", retry_after=60.0)]
    with pytest.raises(RateLimitError):
        await scheduler.write(calls.make("restore", hold=False))
    assert calls.names == ["restore"], "a write is sent once"
    assert scheduler.paused_for == 0
    assert await scheduler.read(calls.make("poll", hold=False), priority=BG) == "poll"


async def test_a_long_retry_after_is_told_to_the_user_at_once(
    clock: ManualClock, calls: Calls
) -> None:
    scheduler = Scheduler(clock=clock)
    calls.failures["page"] = [RateLimitError("429", retry_after=600.0)]
    with pytest.raises(RateLimitError):
        await scheduler.read(calls.make("page", hold=False))
    assert scheduler.paused_for == pytest.approx(600.0), "the background still waits it out"


async def test_pacing_spaces_the_requests(clock: ManualClock) -> None:
    from wpe_tui.core.scheduler import Pacer

    pacer = Pacer(5.0, clock)
    started: list[float] = []

    async def request() -> None:
        await pacer.wait()
        started.append(round(clock.now() - 1000.0, 3))

    tasks = [asyncio.ensure_future(request()) for _ in range(3)]
    await clock.advance(1.0)
    await asyncio.gather(*tasks)
    assert started == [0.0, 0.2, 0.4]
    await clock.advance(5.0)
    await request()
    assert started[-1] == 6.0, "after a quiet spell, no wait"
