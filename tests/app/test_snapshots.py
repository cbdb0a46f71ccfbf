"""Snapshot tests: what each screen looks like at 80x24 and 120x40, with its data loaded.

The fake account runs on a ManualClock and "this year" is pinned to its start, so
every picture is the same on every run. Each `run_before` waits for every
request to land (`settle`) after each key, so nothing shows "loading…".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from textual.pilot import Pilot
from textual.widgets import Input, Log

import wpe_tui.text
from tests.app.conftest import BASE_URL, START, AppFactory, settle, until_settled
from wpe_tui.api import WpeClient
from wpe_tui.app import WpeApp
from wpe_tui.config import Settings, UiPrefs
from wpe_tui.fake import ManualClock
from wpe_tui.screens.item_detail import ItemDetailScreen
from wpe_tui.screens.site_detail import SiteDetailScreen
from wpe_tui.screens.site_list import SiteListScreen
from wpe_tui.widgets import PagedTable

SnapCompare = Callable[..., bool]
RunBefore = Callable[[Pilot[None]], Awaitable[None]]

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

# Shown on the setup screen; a fixed path so the picture does not depend on tmp_path.
SETUP_CONFIG_PATH = Path("/home/user/.config/wpe-tui/config.toml")


@pytest.fixture(autouse=True)
def this_year(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Short dates say "this year" relative to the fake's start, not today."""

    def fixed_now() -> datetime:
        return START

    monkeypatch.setattr(wpe_tui.text, "now", fixed_now)
    yield


def steady(pilot: Pilot[None]) -> None:
    """Stop text cursors from blinking, so the picture does not depend on timing."""
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False


def keys(*presses: str) -> RunBefore:
    """A `run_before` that presses each key and lets every request land after it."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)
        steady(pilot)

    return run_before


def sites_loaded(pilot: Pilot[None]) -> PagedTable:
    screen = pilot.app.screen
    assert isinstance(screen, SiteListScreen)
    table = screen.query_one("#sites", PagedTable)
    assert table.row_count > 0
    return table


@pytest.mark.parametrize("size", SIZES)
def test_site_list(snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await keys()(pilot)
        sites_loaded(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_site_list_filter(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await keys("slash", "a", "c", "m", "e")(pilot)
        table = sites_loaded(pilot)
        assert table.showing_matches

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("tab", "presses"),
    [("overview", ()), ("backups", ("2",)), ("deployments", ("3",))],
)
def test_site_detail(
    snap_compare: SnapCompare,
    make_app: AppFactory,
    size: tuple[int, int],
    tab: str,
    presses: tuple[str, ...],
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await keys("enter", *presses)(pilot)
        assert isinstance(pilot.app.screen, SiteDetailScreen)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_deployment_detail(
    snap_compare: SnapCompare, make_app: AppFactory, clock: ManualClock, size: tuple[int, int]
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await keys("enter", "3", "enter")(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ItemDetailScreen)
        assert screen.item.status == "in_progress"
        # Let it finish, so the log is complete and the picture does not depend on timing.
        clock.advance(120)
        await keys("r")(pilot)
        assert screen.item.status in ("completed", "failed")
        await until_settled(pilot)  # a site seen provisioning finishes too, with a toast
        pilot.app.clear_notifications()
        # The log follows its end; settle the scroll so the picture does not race it.
        screen.query_one(Log).scroll_end(animate=False, immediate=True)
        await pilot.pause(0.6)  # the toasts' fade-out is over

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_setup(snap_compare: SnapCompare, fake: Starlette, size: tuple[int, int]) -> None:
    def make_client(api_key: str, base_url: str, user: str | None = None) -> WpeClient:
        return WpeClient(api_key, base_url, transport=httpx.ASGITransport(app=fake))

    settings = Settings(
        profile_name="default",
        api_key=None,
        base_url=BASE_URL,
        read_only=False,
        ui=UiPrefs(refresh_interval=0.5),
        config_path=SETUP_CONFIG_PATH,
    )
    app = WpeApp(settings, None, make_backend=make_client)
    assert snap_compare(app, terminal_size=size, run_before=keys())


# -- modals, at 80x24: the size they must fit -------------------------------------

MODALS = [
    pytest.param(("enter", "2", "j", "R", "right", "space", "3", "4"), id="restore"),
    pytest.param(("enter", "2", "j", "R", "space", "ctrl+s"), id="restore-production"),
    pytest.param(("enter", "b"), id="new-backup"),
    pytest.param(("enter", "2", "j", "D"), id="delete-backup"),
    pytest.param(("enter", "3", "n", "right", "space", "ctrl+s"), id="new-deployment"),
    pytest.param(("n",), id="new-site"),
    pytest.param(("e",), id="edit-site"),
    pytest.param(("D",), id="delete-site"),
    pytest.param(
        ("enter", "2", "j", "R", "right", "space", "3", "4", "ctrl+s", "a"), id="activity"
    ),
]


@pytest.mark.parametrize("presses", MODALS)
def test_modal(snap_compare: SnapCompare, make_app: AppFactory, presses: tuple[str, ...]) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await keys(*presses)(pilot)
        pilot.app.clear_notifications()
        await pilot.pause(0.6)  # the toasts' fade-out is over

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


# -- help and a modal's own footer, at 80x24 and 200x50 -------------------------------

WIDE_SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((200, 50), id="200x50")]


@pytest.mark.parametrize("size", WIDE_SIZES)
def test_help_groups(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    """Grouped; at 80x24 it scrolls with its title and "esc closes" in view; two
    columns at 200."""
    assert snap_compare(make_app(), terminal_size=size, run_before=keys("question_mark"))


@pytest.mark.parametrize("size", WIDE_SIZES)
def test_modal_footer(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    """Quick restore with its own footer: tab, space, 1-4, ctrl+s Restore, esc, F1."""

    async def run_before(pilot: Pilot[None]) -> None:
        await keys("enter", "2", "j", "R")(pilot)
        pilot.app.clear_notifications()
        await pilot.pause(0.6)  # the toasts' fade-out is over

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


def test_modal_help(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    """F1 in the quick restore: what it does, and its keys."""
    presses = ("enter", "2", "j", "R", "f1")
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=keys(*presses))


# -- the Hosting Platform API: the same screens, its own data --------------------------

PLATFORM_SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
PLATFORM_VIEWS = [
    pytest.param((), id="site-list"),
    pytest.param(("enter",), id="overview"),
    pytest.param(("enter", "2"), id="backups"),
    pytest.param(("enter", "2", "R"), id="restore"),
    pytest.param(("enter", "C"), id="copy-environment"),
]


@pytest.mark.parametrize("size", PLATFORM_SIZES)
@pytest.mark.parametrize("presses", PLATFORM_VIEWS)
def test_platform(
    snap_compare: SnapCompare,
    make_platform_app: AppFactory,
    size: tuple[int, int],
    presses: tuple[str, ...],
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await keys(*presses)(pilot)
        pilot.app.clear_notifications()
        await pilot.pause(0.6)  # the toasts' fade-out is over

    assert snap_compare(make_platform_app(), terminal_size=size, run_before=run_before)


# -- a large terminal: the columns that only show when there is room ------------------

LARGE_VIEWS = [
    pytest.param((), id="site-list"),
    pytest.param(("enter", "2"), id="backups"),
    pytest.param(("enter", "3"), id="deployments"),
]


@pytest.mark.parametrize("presses", LARGE_VIEWS)
def test_large_terminal(
    snap_compare: SnapCompare, make_app: AppFactory, presses: tuple[str, ...]
) -> None:
    assert snap_compare(make_app(), terminal_size=(200, 50), run_before=keys(*presses))
