"""The follower on a manual clock: backoff and its reset, estimates, page-level refresh,
what stops being followed, and errors that must not vanish."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from wpe_tui.api import WpeClient
from wpe_tui.api.errors import RateLimitError, ServerError
from wpe_tui.core.clock import ManualClock, settle
from wpe_tui.core.follower import Follower, ItemTarget, PageTarget, Target
from wpe_tui.core.kinds import ListQuery, Ref
from wpe_tui.core.registry import kind
from wpe_tui.core.scheduler import Scheduler
from wpe_tui.core.store import Store
from wpe_tui.fake import FakeAccount, create_app
from wpe_tui.fake import ManualClock as FakeApiClock

START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


class Counting(Target):
    """A target whose content the test sets; counts its polls and when they happened."""

    def __init__(self, clock: ManualClock, key: Hashable = "t") -> None:
        self.key = key
        self.clock = clock
        self.content: Hashable = "in_progress"
        self.times: list[float] = []
        self.error: Exception | None = None
        self.done = False
        self.ask_from: float | None = None

    async def poll(self) -> Hashable:
        self.times.append(self.clock.now() - 1000.0)
        if self.error is not None:
            raise self.error
        return self.content

    def current(self) -> Hashable:
        return "in_progress"

    def wanted(self) -> bool:
        return not self.done

    def not_before(self) -> float | None:
        return self.ask_from


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def follower(clock: ManualClock) -> AsyncIterator[Follower]:
    follower = Follower(Scheduler(clock=clock), interval=3.0, clock=clock)
    follower.start()
    yield follower
    await follower.aclose()


async def test_unchanged_content_is_asked_less_and_less_up_to_30_s(
    clock: ManualClock, follower: Follower
) -> None:
    target = Counting(clock)
    follower.watch("view", [target])
    await clock.advance(200)
    gaps = [b - a for a, b in zip(target.times, target.times[1:], strict=False)]
    assert target.times[0] == 3.0
    assert gaps[:5] == [6.0, 12.0, 24.0, 30.0, 30.0]
    assert max(gaps) == 30.0


async def test_a_change_resets_the_interval(clock: ManualClock, follower: Follower) -> None:
    target = Counting(clock)
    follower.watch("view", [target])
    await clock.advance(3 + 6 + 12)  # polls at 3, 9, 21: backed off to 24
    assert target.times == [3.0, 9.0, 21.0]
    target.content = "completing"
    await clock.advance(24)  # the poll at 45 sees the change
    await clock.advance(3.5)
    assert target.times[-2:] == [45.0, 48.0], "back to the refresh interval after a change"


async def test_nothing_is_asked_before_most_of_the_estimate(
    clock: ManualClock, follower: Follower
) -> None:
    target = Counting(clock)
    target.ask_from = 1000.0 + 90.0
    follower.watch("view", [target])
    await clock.advance(89)
    assert target.times == []
    await clock.advance(2)
    assert target.times == [90.0]


async def test_a_target_nobody_wants_is_forgotten(clock: ManualClock, follower: Follower) -> None:
    target = Counting(clock)
    follower.watch("view", [target])
    await clock.advance(3)
    target.done = True  # its item reached a final status
    await clock.advance(6)
    assert follower.targets == []
    await clock.advance(100)
    assert len(target.times) == 2


async def test_a_view_that_leaves_stops_its_requests(
    clock: ManualClock, follower: Follower
) -> None:
    target = Counting(clock)
    follower.watch("view", [target])
    await clock.advance(3)
    follower.unwatch("view")
    await clock.advance(100)
    assert target.times == [3.0]


async def test_a_target_shared_by_two_owners_is_asked_once(
    clock: ManualClock, follower: Follower
) -> None:
    first, second = Counting(clock, key="same"), Counting(clock, key="same")
    follower.watch("list", [first])
    follower.watch("activity", [second])
    await clock.advance(3)
    assert len(first.times) + len(second.times) == 1
    follower.unwatch("list")
    await clock.advance(6)
    assert len(first.times) + len(second.times) == 2, "still followed for the other owner"


async def test_api_errors_back_off_and_a_bug_reaches_on_error(clock: ManualClock) -> None:
    errors: list[BaseException] = []
    follower = Follower(Scheduler(clock=clock), interval=3.0, clock=clock, on_error=errors.append)
    follower.start()
    failing = Counting(clock, key="api")
    failing.error = ServerError("502")
    buggy = Counting(clock, key="bug")
    buggy.error = KeyError("a bug")
    follower.watch("view", [failing, buggy])
    await clock.advance(3 + 6 + 12)
    assert failing.times == [3.0, 9.0, 21.0]
    assert [type(e) for e in errors] == [KeyError]
    assert [t.key for t in follower.targets] == ["api"], "the buggy target is dropped"
    await follower.aclose()


async def test_a_429_holds_the_follower_until_retry_after(clock: ManualClock) -> None:
    scheduler = Scheduler(clock=clock)
    follower = Follower(scheduler, interval=3.0, clock=clock)
    follower.start()
    target = Counting(clock)
    target.error = RateLimitError("429", retry_after=20.0)
    follower.watch("view", [target])
    await clock.advance(3)
    target.error = None
    other = Counting(clock, key="other")
    follower.watch("more", [other])
    await clock.advance(19)
    assert other.times == [] and target.times == [3.0]
    await clock.advance(2)
    assert target.times[-1] == 23.0 and other.times == [23.0]
    await follower.aclose()


# -- the real fake API: items and pages ------------------------------------------------


@pytest.fixture
def account() -> FakeAccount:
    return FakeAccount(sites=30, seed=1, clock=FakeApiClock(START))


@pytest.fixture
async def client(account: FakeAccount) -> AsyncIterator[WpeClient]:
    transport = httpx.ASGITransport(app=create_app(account))
    async with WpeClient("k", "http://127.0.0.1/v1", transport=transport) as wpe:
        yield wpe


def requests_of(client: WpeClient) -> int:
    return client.requests_sent


async def test_a_page_in_view_is_one_request_for_all_its_rows(
    clock: ManualClock, follower: Follower, client: WpeClient, account: FakeAccount
) -> None:
    store = Store()
    site = account.site_id(2)  # always has a backup running
    backups = kind("backup")
    page = await backups.list(client, site, ListQuery(per_page=50))
    running = [b.id for b in page.results if backups.in_flight(b)]
    store.put_many("backup", page.results)
    # Every backup of the page counts as in view; two of them say they are in flight.
    covers = [*running, page.results[-1].id]
    shown: list[int] = []

    async def fetch() -> object:
        return await backups.list(client, site, ListQuery(per_page=50))

    def apply(answer: object) -> list[object]:
        results = list(answer.results)  # type: ignore[attr-defined]
        store.put_many("backup", results)
        shown.append(len(results))
        return results

    before = requests_of(client)
    target = PageTarget(("page", site, 1), backups, covers, fetch, apply, store)
    follower.watch("backups", [target])
    await clock.advance(3)
    assert requests_of(client) - before == 1
    assert shown == [len(page.results)]


async def test_an_item_that_settles_is_followed_no_more(
    clock: ManualClock, follower: Follower, client: WpeClient, account: FakeAccount
) -> None:
    store = Store()
    site = account.site_id(2)
    backups = kind("backup")
    page = await backups.list(client, site, ListQuery(per_page=5))
    backup = next(b for b in page.results if backups.in_flight(b))
    store.put("backup", backup)
    target = ItemTarget(
        backups,
        Ref("backup", backup.id, site),
        lambda: client,
        store,
        clock,
        account.clock.now,
    )
    follower.watch("detail", [target])
    assert isinstance(account.clock, FakeApiClock)
    account.clock.advance(3600)
    await clock.advance(60)  # past its estimate; asked, completed, forgotten
    assert store.get("backup", backup.id).status == "completed"
    assert follower.targets == []
    sent = requests_of(client)
    await clock.advance(300)
    assert requests_of(client) == sent


async def test_an_item_brought_by_a_page_a_moment_ago_is_not_asked_again(
    clock: ManualClock, client: WpeClient, account: FakeAccount
) -> None:
    store = Store()
    site = account.site_id(2)
    backups = kind("backup")
    page = await backups.list(client, site, ListQuery(per_page=5))
    backup = next(b for b in page.results if backups.in_flight(b))
    store.put("backup", backup, fetched_at=clock.now())
    target = ItemTarget(
        backups,
        Ref("backup", backup.id, site),
        lambda: client,
        store,
        clock,
        account.clock.now,
        fresh_for=3.0,
    )
    sent = requests_of(client)
    await target.poll()
    assert requests_of(client) == sent
    await clock.advance(3.5)
    await target.poll()
    assert requests_of(client) == sent + 1


async def test_a_gone_item_leaves_the_store(
    clock: ManualClock, client: WpeClient, account: FakeAccount
) -> None:
    store = Store()
    site = account.site_id(3)
    ref = Ref("backup", "backup_999999", site)
    store.put("backup", (await kind("backup").list(client, site, ListQuery())).results[0])
    target = ItemTarget(kind("backup"), ref, lambda: client, store, clock, account.clock.now)
    assert await target.poll() is None
    assert not target.wanted()


def test_eta_margin() -> None:
    from wpe_tui.core.follower import eta_wait

    created = START
    eta = START + timedelta(seconds=100)
    # Seen at the start: nothing worth asking before 90 s (100 s minus a tenth).
    assert eta_wait(eta, created, START, 0.0) == pytest.approx(90.0)
    assert eta_wait(eta, created, START + timedelta(seconds=95), 0.0) is None
    assert eta_wait(None, created, START, 0.0) is None


async def test_poll_now_asks_everything_at_once(clock: ManualClock, follower: Follower) -> None:
    target = Counting(clock)
    follower.watch("view", [target])
    await clock.advance(3 + 6)
    follower.poll_now()
    await settle()
    assert target.times == [3.0, 9.0, 9.0]
    await asyncio.sleep(0)
