"""Fixtures for the API tests: the fake WP Engine API on real loopback HTTP, and a client.

One uvicorn server runs for the whole session; every test gets a fresh, deterministic
`FakeAccount` on a `ManualClock` swapped into it, an empty request log and no faults,
so tests never see each other's sites, backups or injected failures.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest

from tests.fixtures.served import RecordingSleep, Served, swap
from wpe_tui.api import WpeClient
from wpe_tui.fake import FakeAccount, FakeServer, ManualClock

__all__ = ["API_KEY", "SEED", "START", "Fake", "RecordingSleep", "new_account"]

API_KEY = "wpe-test-key-5f1c9a7e2b84d0"
START = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
SITES = 30
SEED = 7


def new_account(sites: int = SITES) -> FakeAccount:
    return FakeAccount(sites=sites, seed=SEED, clock=ManualClock(START))


class Fake(Served[FakeAccount]):
    """The running Customer fake as one test sees it."""


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
    return Fake(server=fake_server, account=account, clock=swap(fake_server, account))


@pytest.fixture
def sleeps() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
async def client(fake: Fake, sleeps: RecordingSleep) -> AsyncIterator[WpeClient]:
    async with WpeClient(API_KEY, fake.base_url, sleep=sleeps, backoff_base=0.01) as wpe:
        yield wpe
