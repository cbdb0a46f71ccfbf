"""What the app keeps by itself between runs, in the state file (never config.toml):
the theme picked, the profile's sort, filter and tab, and the operations started."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from starlette.applications import Starlette
from textual.widgets import Static

from tests.app.conftest import BASE_URL, settle, until
from tests.app.test_typeahead import burst
from wpe_tui.api import WpeClient
from wpe_tui.app import WpeApp
from wpe_tui.config import Config, Settings, UiPrefs, resolve_settings
from wpe_tui.launch import demo_backend
from wpe_tui.modals.confirm import ConfirmModal
from wpe_tui.screens.activity import ActivityScreen
from wpe_tui.screens.item_detail import ItemDetailScreen
from wpe_tui.screens.site_detail import SiteDetailScreen
from wpe_tui.screens.site_list import SiteListScreen
from wpe_tui.state import load_state


def app_with_state(fake: Starlette, tmp_path: Path) -> WpeApp:
    client = WpeClient("k", BASE_URL, transport=httpx.ASGITransport(app=fake))
    settings = Settings(
        profile_name="work",
        api_key=SecretStr("k"),
        base_url=BASE_URL,
        read_only=False,
        ui=UiPrefs(refresh_interval=0.5),
        config_path=tmp_path / "config.toml",
    )
    return WpeApp(settings, client, state=load_state(tmp_path / "state" / "state.json"))


def state_of(tmp_path: Path) -> Any:
    return json.loads((tmp_path / "state" / "state.json").read_text())


async def test_the_theme_sort_filter_and_tab_come_back(fake: Starlette, tmp_path: Path) -> None:
    app = app_with_state(fake, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.theme = "nord"  # as the palette's theme picker does
        await pilot.press("s", "o", "f")  # created at, descending, active only
        await settle(pilot)
        await pilot.press("enter", "2")
        await settle(pilot)
    path = tmp_path / "state" / "state.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not (tmp_path / "config.toml").exists(), "config.toml is the user's"
    again = app_with_state(fake, tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.theme == "nord"
        screen = again.screen
        assert (screen.sort, screen.order, screen.status) == ("created_at", "desc", "active")  # type: ignore[attr-defined]
        query = fake.state.requests[-1].query
        assert (query["sort"], query["order"], query["status"]) == ("created_at", "desc", "active")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(again.screen, SiteDetailScreen)
        assert again.screen.query_one("#tabs").active == "backups"  # type: ignore[attr-defined]


def title_of(screen: Any) -> str:
    return str(screen.query_one("#title-bar", Static).render())


def demo_app(api: str, tmp_path: Path) -> WpeApp:
    settings = resolve_settings(Config(), api=api, env={})
    state = load_state(tmp_path / "state" / "state.json")
    return WpeApp(settings, demo_backend(api), demo=True, state=state)


async def test_each_demo_account_keeps_its_own_preferences(tmp_path: Path) -> None:
    platform = demo_app("platform", tmp_path)
    async with platform.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")  # active only
        await settle(pilot)
        assert platform.screen.status == "active"  # type: ignore[attr-defined]
    customer = demo_app("customer", tmp_path)
    async with customer.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert customer.screen.status is None  # type: ignore[attr-defined]
    again = demo_app("platform", tmp_path)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = again.screen
        assert isinstance(screen, SiteListScreen) and screen.status == "active"
        # Filtered here (the API cannot): the whole list is read, and only active shown.
        # Sites first, then their statuses (the installs'), then the count.
        await until(pilot, lambda: "matches of" in title_of(screen), seconds=30)
        assert "matches of 123 sites" in title_of(screen)
        rows = [screen.table.row_at(i) for i in range(screen.table.row_count)]
        assert rows and all(row is not None and row.data.status == "active" for row in rows)


async def test_an_operation_started_is_shown_at_the_next_start(
    fake: Starlette, tmp_path: Path
) -> None:
    app = app_with_state(fake, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "b", *"before the SSH link dropped", "ctrl+s")
        await settle(pilot)
        [op] = app.session.activity.mine()
    kept = state_of(tmp_path)["profiles"]["work"]["operations"]
    assert [entry["item_id"] for entry in kept] == [op.item_id]
    again = app_with_state(fake, tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        [earlier] = again.session.activity.mine()
        assert earlier.item_id == op.item_id and earlier.earlier
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(again.screen, ActivityScreen)
        assert f"op:{earlier.key}" in again.screen.table.rows


async def test_quitting_with_an_operation_in_flight_asks_first(
    fake: Starlette, tmp_path: Path
) -> None:
    app = app_with_state(fake, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "b", "ctrl+s")
        await settle(pilot)
        assert app.session.activity.in_flight()
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal) and app.is_running
        await pilot.press("enter")  # focus is on Cancel
        await settle(pilot)
        assert app.is_running and not isinstance(app.screen, ConfirmModal)
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("tab", "enter")  # Quit
        await until(pilot, lambda: not app.is_running)


async def test_the_quit_question_counts_what_is_in_flight(fake: Starlette, tmp_path: Path) -> None:
    app = app_with_state(fake, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "b", "ctrl+s")
        await settle(pilot)
        await pilot.press("b", "ctrl+s")
        await settle(pilot)
        assert len(app.session.activity.in_flight()) == 2
        await pilot.press("ctrl+q")
        await settle(pilot)
        question = str(app.screen.query_one(".form-question", Static).render())
        assert "2 operations are still in flight" in question
        assert "They go on at WP Engine and are shown again" in question
        assert "only stops watching them. Quit?" in question


async def test_the_demo_starts_with_no_operation_of_an_earlier_run(tmp_path: Path) -> None:
    # Its account is made anew each run: what it started last time does not exist.
    app = demo_app("customer", tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "b", *"a demo backup", "ctrl+s")
        await settle(pilot)
        assert app.session.activity.mine(), "the backup was started"
    again = demo_app("customer", tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.session.activity.mine() == []
        assert not [n for n in again.notices if "gone" in n.message]


async def test_a_burst_that_picks_another_tab_than_the_kept_one_goes_to_that_tab(
    fake: Starlette, tmp_path: Path
) -> None:
    """The Backups tab comes back; `enter 3 j enter` in one read opens a deployment.
    The kept tab's own focus, asked for as the screen opened, must not win afterwards."""
    first = app_with_state(fake, tmp_path)
    async with first.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "2")
        await settle(pilot)
    again = app_with_state(fake, tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(again, "enter", "3", "j", "enter")
        await settle(pilot)
        await until(pilot, lambda: isinstance(again.screen, ItemDetailScreen))
        assert again.screen.kind.name == "deployment"  # type: ignore[attr-defined]
