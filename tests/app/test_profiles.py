"""Switching profile from the palette, like k9s contexts: no restart, nothing of the
old profile left talking to the API."""

from __future__ import annotations

from pathlib import Path

import httpx
from pydantic import SecretStr
from textual.widgets import Static

from tests.app.conftest import BASE_URL, settle, until
from wpe_tui.api import WpeClient
from wpe_tui.app import WpeApp
from wpe_tui.config import ConfigError, Settings, UiPrefs
from wpe_tui.core.backend import Backend
from wpe_tui.fake import FakeAccount, ManualClock, create_app
from wpe_tui.profiles import Profiles
from wpe_tui.screens.site_list import SiteListScreen
from wpe_tui.widgets import PagedTable


def settings(name: str, tmp_path: Path, *, read_only: bool = False) -> Settings:
    return Settings(
        profile_name=name,
        api_key=SecretStr(f"{name}-key"),
        base_url=BASE_URL,
        read_only=read_only,
        ui=UiPrefs(refresh_interval=0.5),
        config_path=tmp_path / "config.toml",
    )


def title(app: WpeApp) -> str:
    return str(app.screen.query_one("#title-bar", Static).render())


async def run_palette(pilot: object, text: str) -> None:
    await pilot.press("ctrl+p")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press(*text, "enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


async def test_the_palette_switches_to_another_profile_without_restarting(
    tmp_path: Path, clock: ManualClock
) -> None:
    work = create_app(FakeAccount(sites=120, seed=1, clock=clock))
    home = create_app(FakeAccount(sites=7, seed=2, clock=clock))

    def client(fake: object, key: str) -> WpeClient:
        return WpeClient(key, BASE_URL, transport=httpx.ASGITransport(app=fake))  # type: ignore[arg-type]

    def open_profile(name: str) -> tuple[Settings, Backend | None]:
        return settings(name, tmp_path), client(home if name == "home" else work, f"{name}-key")

    profiles = Profiles(("work", "home"), open_profile)
    app = WpeApp(settings("work", tmp_path), client(work, "work-key"), profiles=profiles)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "profile work" in title(app) and "120 sites" in title(app)
        await pilot.press("enter")  # a site of work open: the switch goes back to a list
        await settle(pilot)
        await run_palette(pilot, "profile home")
        await until(pilot, lambda: isinstance(app.screen, SiteListScreen) and "home" in title(app))
        await until(pilot, lambda: "7 sites" in title(app))
        assert "profile home" in title(app)
        assert len(app.screen_stack) == 2, "nothing of the old profile left on the stack"
        before = len(work.state.requests)
        await pilot.pause(1.5)
        assert len(work.state.requests) == before, "the old profile stopped asking its API"
        await run_palette(pilot, "profile work")  # and back
        await until(pilot, lambda: "120 sites" in title(app))
        assert "profile work" in title(app)


async def test_a_profile_that_cannot_be_opened_says_why_and_keeps_the_current_one(
    tmp_path: Path, clock: ManualClock
) -> None:
    work = create_app(FakeAccount(sites=120, seed=1, clock=clock))

    def open_profile(name: str) -> tuple[Settings, Backend | None]:
        raise ConfigError(f"{tmp_path}/config.toml: profiles.{name}: unknown key 'readonly'")

    profiles = Profiles(("work", "broken"), open_profile)
    client = WpeClient("work-key", BASE_URL, transport=httpx.ASGITransport(app=work))
    app = WpeApp(settings("work", tmp_path), client, profiles=profiles)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)
        await run_palette(pilot, "profile broken")
        await until(pilot, lambda: any("was not opened" in n.message for n in app.notices))
        said = next(n.message for n in app.notices if "was not opened" in n.message)
        assert "unknown key 'readonly'" in said
        assert isinstance(app.screen, SiteListScreen)
        assert "profile work" in title(app)
        assert app.screen.query_one("#sites", PagedTable).cursor == 2, "the cursor stayed"
