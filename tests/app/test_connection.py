"""Offline at start and mid-session, and a key revoked mid-session."""

from __future__ import annotations

import stat
from pathlib import Path

import httpx
from pydantic import SecretStr
from starlette.applications import Starlette
from textual.widgets import Static

from tests.app.conftest import BASE_URL, settle
from tests.app.test_site_detail import open_site
from wpe_tui.api import WpeClient
from wpe_tui.app import WpeApp
from wpe_tui.config import Settings, UiPrefs
from wpe_tui.screens.setup import SetupScreen
from wpe_tui.screens.site_detail import SiteDetailScreen
from wpe_tui.screens.site_list import SiteListScreen
from wpe_tui.widgets import OfflineBanner, PagedTable


class Cable(httpx.AsyncBaseTransport):
    """The network between the app and the API, which a test can unplug."""

    def __init__(self, api: Starlette) -> None:
        self.inner = httpx.ASGITransport(app=api)
        self.down = False
        self.refused = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            self.refused += 1
            raise httpx.ConnectError("Network is unreachable", request=request)
        return await self.inner.handle_async_request(request)


def app_over(cable: Cable, tmp_path: Path, page_size: int = 50) -> WpeApp:
    client = WpeClient("test-key", BASE_URL, transport=cable, backoff_base=0.01, max_retries=1)
    settings = Settings(
        profile_name="test",
        api_key=SecretStr("test-key"),
        base_url=BASE_URL,
        read_only=False,
        ui=UiPrefs(refresh_interval=0.5, page_size=page_size),
        config_path=tmp_path / "config.toml",
    )
    return WpeApp(settings, client)


def banner_shown(app: WpeApp) -> bool:
    return app.screen.query_one(OfflineBanner).display


async def wait_for(pilot: object, condition: object, tries: int = 50) -> None:
    for _ in range(tries):
        if condition():  # type: ignore[operator]
            return
        await pilot.pause(0.1)  # type: ignore[attr-defined]
    raise AssertionError("it did not happen")


async def test_offline_at_start_recovers_without_restart(fake: Starlette, tmp_path: Path) -> None:
    cable = Cable(fake)
    cable.down = True
    app = app_over(cable, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SiteListScreen)
        assert app.session.connection.offline and banner_shown(app)
        table = app.screen.query_one("#sites", PagedTable)
        assert table.total is None
        await wait_for(pilot, lambda: cable.refused >= 4)  # it keeps trying in the background
        cable.down = False
        await wait_for(pilot, lambda: not app.session.connection.offline)
        await settle(pilot)
        assert not banner_shown(app)
        assert table.total == 120 and table.loaded_count == 120  # page 1, and 2-3 for End
        assert any("Back online" in n.message for n in app.notices)


async def test_offline_mid_session_keeps_what_is_loaded(fake: Starlette, tmp_path: Path) -> None:
    cable = Cable(fake)
    app = app_over(cable, tmp_path, page_size=20)  # pages 1-2 and 5-6 (End's) are in
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sites", PagedTable)
        first = [r.key for r in table.loaded_rows()]
        cable.down = True
        await pilot.press("pagedown", "pagedown")  # page 3 cannot come
        await settle(pilot)
        assert app.session.connection.offline and banner_shown(app)
        assert any("could not reach" in n.message for n in app.notices)
        await pilot.press("home", "down", "down")  # the loaded rows stay browsable
        assert table.cursor == 2 and table.current_row is not None
        assert [r.key for r in table.loaded_rows()] == first
        cable.down = False
        await wait_for(pilot, lambda: not app.session.connection.offline)
        await settle(pilot)
        assert not banner_shown(app)


async def test_revoked_key_mid_session_returns_to_the_same_place(
    fake: Starlette, make_app: object, tmp_path: Path
) -> None:
    app = make_app()  # type: ignore[operator]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_site(pilot)
        await pilot.press("2", "j")
        fake.state.faults.fail_next(1, status=401)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        await pilot.press(*"new-key", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen, "back on the same site"
        assert isinstance(screen, SiteDetailScreen)
        assert screen.query_one("#tabs").active == "backups"
        assert screen.backups.cursor == 1
        assert app.session.backend.listener is not None  # the new client is watched too
        saved = app.settings.config_path
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        assert "new-key" in saved.read_text()


async def test_the_offline_banner_says_when_the_next_try_is(
    fake: Starlette, tmp_path: Path
) -> None:
    cable = Cable(fake)
    cable.down = True
    app = app_over(cable, tmp_path)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)

        def said() -> str:
            return str(app.screen.query_one(OfflineBanner).render())

        await wait_for(pilot, lambda: "next try in" in said() or "trying now" in said())
        assert "Offline" in said() and "what is loaded stays browsable" in said()


async def test_a_refresh_while_offline_keeps_the_last_time_in_the_header(
    fake: Starlette, tmp_path: Path
) -> None:
    cable = Cable(fake)
    app = app_over(cable, tmp_path)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SiteListScreen)
        header = str(screen.query_one("#title-bar", Static).render())
        assert "updated " in header and "refreshing" not in header, header
        cable.down = True
        await pilot.press("r")
        await settle(pilot)
        header = str(screen.query_one("#title-bar", Static).render())
        assert "refreshing…" in header, "the refresh is out, waiting for the link"
        assert "updated " in header, f"the last time is lost: {header}"
        cable.down = False
