"""First run: the setup screen checks the key with one request and saves it."""

from __future__ import annotations

import stat
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette
from textual.widgets import Input, Static

from tests.app.conftest import BASE_URL, settle
from wpe_tui.api import WpeClient
from wpe_tui.app import WpeApp
from wpe_tui.config import Settings, UiPrefs, load_config
from wpe_tui.fake import FakeAccount, create_app
from wpe_tui.screens.setup import SetupScreen
from wpe_tui.screens.site_list import SiteListScreen


@pytest.fixture
def guarded(account: FakeAccount) -> Starlette:
    return create_app(account, api_key="right-key")


def first_run_app(api: Starlette, tmp_path: Path) -> WpeApp:
    def make_client(key: str, url: str, user: str | None = None) -> WpeClient:
        return WpeClient(key, url, transport=httpx.ASGITransport(app=api))

    settings = Settings(
        profile_name="default",
        api_key=None,
        base_url=BASE_URL,
        read_only=False,
        ui=UiPrefs(),
        config_path=tmp_path / "wpe-tui" / "config.toml",
    )
    return WpeApp(settings, None, make_backend=make_client)


async def test_wrong_key_is_refused_in_a_sentence(guarded: Starlette, tmp_path: Path) -> None:
    app = first_run_app(guarded, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.focused is app.screen.query_one("#api-key", Input)
        await pilot.press(*"wrong-key", "ctrl+s")
        await settle(pilot)
        message = str(app.screen.query_one("#setup-error", Static).render())
        assert "refused" in message
        assert "wrong-key" not in message
        assert isinstance(app.screen, SetupScreen)
        assert not (tmp_path / "wpe-tui" / "config.toml").exists()


async def test_good_key_is_saved_privately_and_opens_sites(
    guarded: Starlette, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    app = first_run_app(guarded, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"right-key", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SiteListScreen)
    path = tmp_path / "wpe-tui" / "config.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    config = load_config(path)
    key = config.profiles["default"].api_key
    assert isinstance(key, SecretStr) and key.get_secret_value() == "right-key"
    # One request checked the key.
    checks = [r for r in guarded.state.requests if r.path == "/v1/sites"]
    assert checks[0].query["per_page"] == "1"


async def test_plain_http_to_another_host_is_refused(guarded: Starlette, tmp_path: Path) -> None:
    app = first_run_app(guarded, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        url = app.screen.query_one("#base-url", Input)
        url.value = "http://example.com/v1"
        await pilot.press(*"right-key", "ctrl+s")
        await settle(pilot)
        message = str(app.screen.query_one("#setup-error", Static).render())
        assert "plain http" in message
        assert guarded.state.requests == []


async def test_refused_key_opens_the_key_screen_then_the_list_again(
    guarded: Starlette, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))

    def make_client(key: str, url: str, user: str | None = None) -> WpeClient:
        return WpeClient(key, url, transport=httpx.ASGITransport(app=guarded))

    settings = Settings(
        profile_name="default",
        api_key=SecretStr("expired-key"),
        base_url=BASE_URL,
        read_only=False,
        ui=UiPrefs(),
        config_path=tmp_path / "wpe-tui" / "config.toml",
    )
    app = WpeApp(settings, make_client("expired-key", BASE_URL), make_backend=make_client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        intro = str(app.screen.query_one("#setup-intro", Static).render())
        assert "was refused" in intro and "expired-key" not in intro
        await pilot.press(*"right-key", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SiteListScreen)
        from wpe_tui.widgets import PagedTable

        assert app.screen.query_one("#sites", PagedTable).total == 120


async def test_a_refused_key_from_wpe_api_key_says_so_and_is_not_saved(
    guarded: Starlette, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))

    def make_client(key: str, url: str, user: str | None = None) -> WpeClient:
        return WpeClient(key, url, transport=httpx.ASGITransport(app=guarded))

    settings = Settings(
        profile_name="default",
        api_key=SecretStr("expired-key"),
        api_key_source="environment",
        base_url=BASE_URL,
        read_only=False,
        ui=UiPrefs(),
        config_path=tmp_path / "wpe-tui" / "config.toml",
    )
    app = WpeApp(settings, make_client("expired-key", BASE_URL), make_backend=make_client)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        intro = str(app.screen.query_one("#setup-intro", Static).render())
        assert "WPE_API_KEY" in intro and "Unset or correct" in intro
        await pilot.press(*"right-key", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SiteListScreen), "the run goes on with the new key"
        saved = settings.config_path
        assert not saved.exists() or "right-key" not in saved.read_text(), "not saved"
