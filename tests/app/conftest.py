"""Fixtures for Pilot tests: the real app and client against the fake API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette
from textual.pilot import Pilot

from wpe_tui.api import WpeClient
from wpe_tui.app import WpeApp
from wpe_tui.config import Settings, UiPrefs
from wpe_tui.fake import FakeAccount, ManualClock, create_app

START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
BASE_URL = "http://127.0.0.1/v1"

AppFactory = Callable[..., WpeApp]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def account(clock: ManualClock) -> FakeAccount:
    return FakeAccount(sites=120, seed=1, clock=clock)


@pytest.fixture
def fake(account: FakeAccount) -> Starlette:
    return create_app(account)


@pytest.fixture
def make_app(fake: Starlette, tmp_path: Path) -> AppFactory:
    def factory(
        *, read_only: bool = False, page_size: int = 50, api: Starlette | None = None
    ) -> WpeApp:
        transport = httpx.ASGITransport(app=api or fake)
        client = WpeClient("test-key", BASE_URL, transport=transport, backoff_base=0.01)
        settings = Settings(
            profile_name="test",
            api_key=SecretStr("test-key"),
            base_url=BASE_URL,
            read_only=read_only,
            ui=UiPrefs(refresh_interval=0.5, page_size=page_size),
            config_path=tmp_path / "config.toml",
        )

        def make_backend(key: str, url: str, user: str | None) -> WpeClient:
            return WpeClient(key, url, transport=httpx.ASGITransport(app=api or fake))

        return WpeApp(settings, client, make_backend=make_backend)

    return factory


async def settle(pilot: Pilot[None], rounds: int = 4) -> None:
    """Let every request in flight land and the screen redraw."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def until_settled(pilot: Pilot[None], tries: int = 40) -> None:
    """Wait until the activity follower has nothing left in flight (the fake's clock
    must have been advanced past the items' finish)."""
    app = cast(WpeApp, pilot.app)
    activity = app.session.activity
    for _ in range(tries):
        if not activity.in_flight():
            break
        await pilot.pause(0.1)
    assert not activity.in_flight(), [op.key for op in activity.in_flight()]
    await settle(pilot)


async def until(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 8.0) -> None:
    """Wait (in the app's time) until `condition` holds; fail if it never does."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition(), "it did not happen in time"


# -- the Hosting Platform API -------------------------------------------------------


@pytest.fixture
def platform_account(clock: ManualClock, request: pytest.FixtureRequest) -> Any:
    """30 sites; a test asks for another account with
    ``@pytest.mark.parametrize("platform_account", [{"stuck_rate": 0.3}], indirect=True)``."""
    from wpe_tui.fake.platform import PlatformAccount

    options: dict[str, Any] = {"sites": 30, "seed": 1, **getattr(request, "param", {})}
    return PlatformAccount(clock=clock, **options)


@pytest.fixture
def platform_fake(platform_account: Any) -> Starlette:
    from wpe_tui.fake.platform import create_platform_app

    return create_platform_app(platform_account, users={"api-user": "api-password"})


@pytest.fixture
def make_platform_app(platform_fake: Starlette, tmp_path: Path) -> AppFactory:
    from wpe_tui.api.platform import PlatformBackend

    def factory(
        *, read_only: bool = False, emails: tuple[str, ...] = (), page_size: int = 50
    ) -> WpeApp:
        def make_backend(secret: str, url: str, user: str | None) -> Any:
            transport = httpx.ASGITransport(app=platform_fake)
            return PlatformBackend(user or "", secret, url, transport=transport)

        settings = Settings(
            profile_name="test",
            api_key=None,
            base_url=BASE_URL,
            read_only=read_only,
            ui=UiPrefs(refresh_interval=0.5, page_size=page_size),
            config_path=tmp_path / "config.toml",
            api="platform",
            api_user="api-user",
            api_password=SecretStr("api-password"),
            notification_emails=emails,
            # Paced at 5 requests a second as in real use would slow every test down.
            requests_per_second=1000.0,
        )
        backend = make_backend("api-password", BASE_URL, "api-user")
        return WpeApp(settings, backend, make_backend=make_backend)

    return factory
