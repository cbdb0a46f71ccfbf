"""What the app asks for by itself, on an account where items stay in flight for good:
only the pages in view, never what a sweep saw, nothing while a 429 runs out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette
from textual.widgets import Static

from tests.app.conftest import BASE_URL, START, AppFactory, settle, until
from tests.app.test_hostile import shown
from tests.app.test_site_detail import open_site
from wpe_tui.api import WpeClient
from wpe_tui.app import WpeApp
from wpe_tui.config import Settings, UiPrefs
from wpe_tui.fake import FakeAccount, ManualClock, create_app
from wpe_tui.screens.activity import ActivityScreen
from wpe_tui.screens.item_detail import ItemDetailScreen
from wpe_tui.screens.site_detail import SiteDetailScreen
from wpe_tui.widgets import OfflineBanner, PagedTable

INTERVAL = 0.5


@pytest.fixture
def stuck() -> Iterator[tuple[Starlette, FakeAccount, ManualClock]]:
    clock = ManualClock(START)
    account = FakeAccount(sites=1000, seed=3, clock=clock, stuck_rate=0.17)
    yield create_app(account), account, clock


def app_on(api: Starlette, tmp_path: Path, page_size: int = 50) -> WpeApp:
    transport = httpx.ASGITransport(app=api)
    client = WpeClient("k", BASE_URL, transport=transport, backoff_base=0.01)
    settings = Settings(
        profile_name="test",
        api_key=SecretStr("k"),
        base_url=BASE_URL,
        read_only=False,
        ui=UiPrefs(refresh_interval=INTERVAL, page_size=page_size),
        config_path=tmp_path / "config.toml",
    )
    return WpeApp(settings, client)


def since(api: Starlette, start: int) -> list[Any]:
    return list(api.state.requests[start:])


async def test_a_stuck_account_asks_only_for_the_pages_in_view(
    stuck: tuple[Starlette, FakeAccount, ManualClock], tmp_path: Path
) -> None:
    api, _, _ = stuck
    app = app_on(api, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sites", PagedTable)
        stuck_in_view = [r for _, r in table.rows_in_view() if r.data.status == "provisioning"]
        assert len(stuck_in_view) >= 2, "the test needs rows in flight on screen"
        start = len(api.state.requests)
        await pilot.pause(INTERVAL * 8)
        made = since(api, start)
        assert made, "rows in flight on screen are followed"
        # One request for the page that holds them, never one per row.
        assert {(r.path, r.query.get("page")) for r in made} == {("/v1/sites", "1")}
        # Page down six times, past pages of stuck rows, then idle.
        for _ in range(6):
            await pilot.press("pagedown")
        await settle(pilot)
        in_view = {table.page_of(i) for i in table.visible_range()}
        start = len(api.state.requests)
        await pilot.pause(INTERVAL * 8)
        pages = {r.query.get("page") for r in since(api, start) if r.path == "/v1/sites"}
        assert pages <= {str(p) for p in in_view}, "pages scrolled past are not asked for"
        assert all(r.path == "/v1/sites" for r in since(api, start)), "no request per row"


async def test_unchanged_pages_are_asked_less_and_less(
    stuck: tuple[Starlette, FakeAccount, ManualClock], tmp_path: Path
) -> None:
    api, _, _ = stuck
    app = app_on(api, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        start = len(api.state.requests)
        await pilot.pause(INTERVAL * 16)
        # At a constant pace that would be 16 requests; backing off it is about 4.
        assert 1 <= len(since(api, start)) <= 5


async def test_what_a_sweep_saw_is_never_followed(
    stuck: tuple[Starlette, FakeAccount, ManualClock], tmp_path: Path
) -> None:
    api, _, _ = stuck
    app = app_on(api, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "a")  # matches most sites: the whole account is swept
        await until(pilot, lambda: "matches of 1,000 sites" in title(app))
        await pilot.press("escape", "escape")
        # A quiet site (its overview: nothing in flight on it), then idle.
        await pilot.press("home")
        table = app.screen.query_one("#sites", PagedTable)
        for _ in range(20):
            row = table.current_row
            if row is not None and row.data.status == "active":
                break
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SiteDetailScreen)
        start = len(api.state.requests)
        await pilot.pause(INTERVAL * 10)
        assert since(api, start) == [], "nothing in flight in view: no requests at all"


def title(app: WpeApp) -> str:
    return str(app.screen.query_one("#title-bar", Static).render())


async def test_a_429_pauses_background_work_until_retry_after(
    stuck: tuple[Starlette, FakeAccount, ManualClock], tmp_path: Path
) -> None:
    api, _, _ = stuck
    app = app_on(api, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        api.state.faults.rate_limit_next(1, retry_after=2.0)
        await until(pilot, lambda: app.session.scheduler.paused_for > 0)
        banner = app.screen.query_one(OfflineBanner)
        assert banner.display and "Rate limited" in str(banner.render())
        start = len(api.state.requests)
        await pilot.pause(1.5)
        assert since(api, start) == [], "no background request while Retry-After runs"
        # What the user asks for still goes: a site opens at once.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SiteDetailScreen)
        assert since(api, start), "the user's own requests went"
        await until(pilot, lambda: app.session.scheduler.paused_for == 0)


async def test_a_backup_detail_says_completed_when_the_activity_does(
    make_app: Any, fake: Starlette, clock: ManualClock
) -> None:
    from tests.app.test_site_detail import open_site

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot)
        await pilot.press("b")  # a new backup of this site, from anywhere inside it
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("enter")  # its row is first, with the cursor on it
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, ItemDetailScreen) and detail.item.status == "in_progress"
        await pilot.press("a")  # the panel covers the detail screen, which stops asking
        clock.advance(60)
        op = next(o for o in app.session.activity.entries() if o.item_id == detail.item.id)
        await until(pilot, lambda: op.done)
        assert op.status == "completed"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is detail
        assert detail.item.status == "completed"
        assert re.search(r"Status\s+✓ completed", shown(pilot)), "drawn as the panel said"


async def test_an_exception_in_a_worker_opens_the_crash_screen(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(self: SiteDetailScreen) -> None:
        raise RuntimeError("a bug in loading the site")

    monkeypatch.setattr(SiteDetailScreen, "_load_site", broken)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "CrashScreen"
        assert "a bug in loading the site" in app.screen.report_text  # type: ignore[attr-defined]
        app.crash_reports.clear()  # seen: the test expected it


async def test_the_panel_follows_what_it_shows_in_progress_seen_elsewhere(
    make_app: AppFactory, clock: ManualClock, fake: Starlette
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await open_site(pilot)
        await pilot.press("3")  # the newest deployment of site_10001 is running
        await settle(pilot)
        await pilot.press("escape")  # back to the list: that deployment is out of view
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        panel = app.screen
        assert isinstance(panel, ActivityScreen)

        def seen() -> list[Any]:
            return [line for key, line in panel.lines.items() if key.startswith("seen:deploy")]

        assert seen() and seen()[0].running, [line.status for line in panel.lines.values()]
        clock.advance(120)  # the fake's deployment finishes within 90 s
        await until(pilot, lambda: not seen()[0].running)
        assert seen()[0].status == "completed"
        assert "followed live" in seen()[0].note or "seen completed" in seen()[0].note
        # Its finish time is not known here: Done by must not say "any moment" for good.
        row = panel.table.get_row(seen()[0].key)
        assert str(row[-1]) == "—"
