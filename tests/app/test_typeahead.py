"""Keys typed ahead, as a laggy SSH link delivers them: all in one read.

`Pilot.press` waits for the app to be idle after each key, so it cannot make a burst;
these tests post every key in one synchronous loop, before the first is handled.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from textual import events
from textual.widgets import Input

from tests.app.conftest import AppFactory, settle, until
from wpe_tui.modals.form import FormModal
from wpe_tui.screens.activity import ActivityScreen
from wpe_tui.screens.site_detail import SiteDetailScreen
from wpe_tui.screens.site_list import SiteListScreen
from wpe_tui.widgets import PagedTable

CHARACTERS = {"slash": "/", "space": " "}


def burst(app: Any, *keys: str) -> None:
    """Every key at once, the way a terminal read hands them over."""
    for key in keys:
        character = CHARACTERS.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, character))


def writes(fake: Starlette) -> list[Any]:
    return [r for r in fake.state.requests if r.method != "GET"]


async def test_slash_then_a_name_filters_instead_of_opening_new_site(
    make_app: AppFactory, fake: Starlette
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "slash", *"north")
        await until(pilot, lambda: app.keys_held == 0)
        await settle(pilot)
        assert isinstance(app.screen, SiteListScreen), "no New site modal"
        assert app.screen.query_one("#filter", Input).value == "north"
        assert writes(fake) == []


async def test_slash_acme_does_not_open_the_activity_panel(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "slash", *"acme")
        await until(pilot, lambda: app.keys_held == 0)
        await settle(pilot)
        assert not isinstance(app.screen, ActivityScreen)
        assert app.screen.query_one("#filter", Input).value == "acme"


async def test_enter_then_j_moves_nothing_under_the_site_that_opened(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        site_list = app.screen
        table = site_list.query_one("#sites", PagedTable)
        burst(app, "enter", "j", "j", "j")
        await until(pilot, lambda: app.keys_held == 0)
        await settle(pilot)
        assert isinstance(app.screen, SiteDetailScreen)
        assert app.screen.site.name == "Acme Corp Blog"
        assert table.cursor == 0, "the keys after enter went to the site, not the list"


async def test_the_readme_quick_restore_in_one_burst(make_app: AppFactory, fake: Starlette) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "enter", "2", "j", "R", "right", "space", "3", "4", "ctrl+s")
        await until(pilot, lambda: bool(writes(fake)))
        await settle(pilot)
        [sent] = writes(fake)
        assert sent.path.startswith("/v1/sites/site_10001/backups/")
        assert sent.path.endswith("/restore")
        assert sent.json == {
            "environment": "staging",
            "contents": {"database": True, "files": True, "plugins": False, "themes": False},
        }
        screen = app.screen
        assert isinstance(screen, SiteDetailScreen)
        # The second-newest backup: j moved the cursor on the backups, once.
        assert screen.backups.cursor == 1


async def test_tab_right_space_in_the_new_backup_form_picks_database(
    make_app: AppFactory, fake: Starlette
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        burst(app, "b", "tab", "right", "space", "ctrl+s")
        await until(pilot, lambda: bool(writes(fake)))
        await settle(pilot)
        [sent] = writes(fake)
        assert sent.json == {"type": "database"}


async def test_keys_for_a_screen_that_never_gets_ready_are_dropped_with_a_toast(
    make_app: AppFactory, fake: Starlette
) -> None:
    fake.state.faults.latency_ms = 4000  # the site's first pages take longer than 3 s
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        fake.state.faults.latency_ms = 0
        await settle(pilot)
        fake.state.faults.latency_ms = 4000
        burst(app, "enter", "2", "j", "R")
        await until(pilot, lambda: app.keys_dropped > 0, seconds=8)
        assert any("typed ahead dropped" in n.message for n in app.notices)
        assert not any(isinstance(s, FormModal) for s in app.screen_stack)
        fake.state.faults.latency_ms = 0


# What Textual's parser makes of escape and a key read together (Textual 8): Alt with
# the key, or for a digit the character macOS's Option gives it.
ESCAPE_THEN = {
    "2": events.Key("trade_mark_sign", "™"),
    "R": events.Key("alt+shift+r", "R"),
}


async def test_escape_then_a_tab_number_in_one_read_closes_the_panel_and_switches(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "enter", "a")
        await until(pilot, lambda: isinstance(app.screen, ActivityScreen))
        app.post_message(ESCAPE_THEN["2"])
        await until(pilot, lambda: app.keys_held == 0)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SiteDetailScreen)
        assert screen.focused is screen.backups  # the 2 came after the escape


async def test_escape_then_a_capital_in_one_read_is_both_keys(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "enter", "2", "a")
        await until(pilot, lambda: isinstance(app.screen, ActivityScreen))
        app.post_message(ESCAPE_THEN["R"])
        await until(pilot, lambda: isinstance(app.screen, FormModal))
        assert type(app.screen).__name__ == "RestoreModal"


async def test_an_option_character_typed_in_a_text_field_stays_a_character(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "slash", "a")
        await until(pilot, lambda: app.keys_held == 0)
        await settle(pilot)
        app.post_message(ESCAPE_THEN["2"])
        await until(pilot, lambda: app.keys_held == 0)
        await settle(pilot)
        box = app.screen.query_one("#filter", Input)
        assert box.value == "a™" and app.screen.focused is box


async def test_escape_then_a_key_in_one_read_closes_a_form_first(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "enter", "2", "R")
        await until(pilot, lambda: isinstance(app.screen, FormModal))
        app.post_message(events.Key("alt+n", "n"))  # escape, then n (New backup)
        await until(pilot, lambda: app.keys_held == 0)
        await settle(pilot)
        assert type(app.screen).__name__ == "NewBackupModal"
