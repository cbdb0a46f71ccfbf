"""Fixtures for the API tests: the fake WP Engine API on real loopback HTTP, and a client.

One uvicorn server runs for the whole session; every test gets a fresh, deterministic
`FakeAccount` on a `ManualClock` swapped into it, an empty request log and no faults,
so tests never see each other's sites, backups or injected failures.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from wpe_tui.api import WpeClient
from wpe_tui.fake import FakeAccount, FakeServer, FaultSettings, ManualClock, RecordedRequest

API_KEY = "wpe-test-key-5f1c9a7e2b84d0"
START = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
SITES = 30
SEED = 7


def new_account(sites: int = SITES) -> FakeAccount:
    return FakeAccount(sites=sites, seed=SEED, clock=ManualClock(START))


@dataclass
class Fake:
    """The running fake API as one test sees it."""

    server: FakeServer
    account: FakeAccount
    clock: ManualClock

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def requests(self) -> list[RecordedRequest]:
        requests: list[RecordedRequest] = self.server.app.state.requests
        return requests

    @property
    def faults(self) -> FaultSettings:
        faults: FaultSettings = self.server.app.state.faults
        return faults


@dataclass
class RecordingSleep:
    """Stands in for asyncio.sleep in the client: remembers each wait, waits for nothing."""

    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeServer]:
    with FakeServer(account=new_account()) as server:
        yield server


@pytest.fixture(scope="session")
def auth_server() -> Iterator[FakeServer]:
    """A fake that accepts only API_KEY."""
    with FakeServer(account=new_account(sites=3), api_key=API_KEY) as server:
        yield server


@pytest.fixture
def fake(fake_server: FakeServer) -> Fake:
    account = new_account()
    clock = account.clock
    assert isinstance(clock, ManualClock)
    state = fake_server.app.state
    state.account = account
    state.faults.clear()
    state.requests.clear()
    return Fake(server=fake_server, account=account, clock=clock)


@pytest.fixture
def sleeps() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
async def client(fake: Fake, sleeps: RecordingSleep) -> AsyncIterator[WpeClient]:
    async with WpeClient(API_KEY, fake.base_url, sleep=sleeps, backoff_base=0.01) as wpe:
        yield wpe
