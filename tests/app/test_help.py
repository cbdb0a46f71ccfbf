"""Help (`?`): grouped by what the keys do, the view's keys only, and at 80x24 its title
and its way out always in view. The palette: Textual's internals left out."""

from __future__ import annotations

from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Button, Static

from tests.app.conftest import AppFactory, settle
from tests.app.test_site_detail import open_site
from wpe_tui.app import WpeApp
from wpe_tui.commands import palette_binding, textual_commands_kept
from wpe_tui.screens.help import HelpScreen
from wpe_tui.screens.site_list import SiteListScreen


def shown(widget: Static) -> bool:
    """Drawn on the terminal, inside the screen and not scrolled out of its box."""
    screen = widget.screen
    region = widget.region
    return bool(region) and screen.region.contains_region(region)


async def open_help(pilot: object) -> HelpScreen:
    p = pilot
    await settle(p)  # type: ignore[arg-type]
    await p.press("question_mark")  # type: ignore[attr-defined]
    await settle(p)  # type: ignore[arg-type]
    screen = p.app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, HelpScreen)
    return screen


async def test_help_at_80x24_keeps_its_title_and_way_out_in_view(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        helper = await open_help(pilot)
        title = helper.query_one("#help-title", Static)
        close = helper.query_one("#help-close", Static)
        box = helper.query_one("#help-box")
        assert str(title.render()) == "Keys of the site list"
        assert str(close.render()).startswith("esc closes")
        assert shown(title) and shown(close)
        assert box.max_scroll_y > 0, "at 80x24 the groups scroll"
        assert "scroll" in str(close.render()), "and it says so"
        titles = [g.title for g in helper.groups]
        assert titles[:3] == ["Move", "Open and back", "Find"]
        assert {"Change", "App", "In a form"} <= set(titles)
        # Scrolled to the end: the title and the way out have not moved.
        where = (title.region, close.region)
        await pilot.press("G")
        await settle(pilot)
        assert box.scroll_y == box.max_scroll_y > 0
        assert (title.region, close.region) == where
        await pilot.press("k")
        await settle(pilot)
        assert box.scroll_y == box.max_scroll_y - 1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SiteListScreen)


async def test_help_groups_keys_by_what_they_do(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        helper = await open_help(pilot)
        groups = {g.title: dict((e.key, e.description) for e in g.entries) for g in helper.groups}
        assert "j" in " ".join(groups["Move"]).split() and "k" in " ".join(groups["Move"]).split()
        assert groups["Open and back"]["enter"] == "Open"
        assert groups["Open and back"]["q"] == "Quit"
        assert groups["Find"] == {"/": "Filter", "s": "Sort", "o": "Order", "f": "Status"}
        assert {"n", "e", "D"} <= set(groups["Change"])
        assert list(groups["App"]) == ["?", "a", "ctrl+p", "r", "y", "ctrl+q"]
        assert groups["App"]["ctrl+p"] == "Command palette"
        assert {"tab", "space", "ctrl+s", "esc"} <= set(groups["In a form"])
        # Textual's own keys are not ours to explain.
        described = " ".join(d for _, d in helper.entries)
        for internal in ("Scroll Left", "Focus Next", "Copy selected text", "Page Left"):
            assert internal not in described
        entries = dict(helper.entries)
        assert entries["/"] == "Filter" and entries["?"] == "Help"


async def test_help_on_a_site_tab_lists_its_keys_once_each(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_site(pilot)
        await pilot.press("2")
        await settle(pilot)
        helper = await open_help(pilot)
        groups = {g.title: dict((e.key, e.description) for e in g.entries) for g in helper.groups}
        assert groups["Open and back"]["esc q"] == "Back"
        assert "R" in groups["Change"] and "b" in groups["Change"]
        keys = [key for group in helper.groups[1:-1] for key in (e.key for e in group.entries)]
        assert len(keys) == len(set(keys)), keys


@pytest.mark.parametrize(("width", "columns"), [(80, 1), (99, 1), (100, 2), (200, 2)])
async def test_help_takes_two_columns_from_100(
    make_app: AppFactory, width: int, columns: int
) -> None:
    app = make_app()
    async with app.run_test(size=(width, 50)) as pilot:
        helper = await open_help(pilot)
        lefts = {group.region.x for group in helper.query(".help-group")}
        assert len(lefts) == columns
        if width >= 200:
            close = helper.query_one("#help-close", Static)
            assert str(close.render()) == "esc closes", "nothing to scroll: not said"


class KeysScreen(Screen[None]):
    HELP_TITLE = "a test view"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Refresh"),
        Binding("x", "hidden", "Hidden"),  # check_action: False
        Binding("z", "later", "Not yet"),  # check_action: None (dimmed)
        Binding("question_mark", "help", "Help"),
    ]

    def compose(self) -> ComposeResult:
        yield Button("one")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return {"hidden": False, "later": None}.get(action, True)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self))


class KeysApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(KeysScreen())


async def test_hidden_keys_are_not_listed_and_disabled_ones_are_dimmed() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        helper = app.screen
        assert isinstance(helper, HelpScreen)
        assert helper.help_title == "Keys of a test view"
        entries = {e.key: e for g in helper.groups for e in g.entries}
        assert "x" not in entries
        assert entries["r"].enabled and not entries["z"].enabled
        # As drawn: "Not yet" is dim, "Refresh" is not.
        segments = [
            segment
            for keys in helper.query(".help-keys")
            for y in range(keys.size.height)
            for segment in keys.render_line(y)
        ]
        dim = {s.text.strip() for s in segments if s.style and s.style.dim and s.text.strip()}
        assert "Not yet" in dim and "z" in dim and "Refresh" not in dim


# -- the palette --------------------------------------------------------------------


async def test_textual_commands_kept_are_theme_and_quit_only(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        textual = [c.title for c in App.get_system_commands(app, screen)]
        assert {"Keys", "Screenshot"} <= set(textual), "Textual 8's own, as checked"
        kept = [c.title for c in textual_commands_kept(App.get_system_commands(app, screen))]
        assert kept == ["Theme", "Quit"]
        # The view's keys: the app's stay, Textual's own go.
        titles = [
            active.binding.description
            for active in screen.active_bindings.values()
            if palette_binding(active)
        ]
        assert "Filter" in titles and "Activity" in titles
        for internal in ("Scroll Left", "Scroll Right", "Focus Next", "Copy selected text"):
            assert internal not in titles


async def test_the_palette_lists_no_textual_internals(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app, WpeApp)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Theme" in titles and "Quit" in titles and "Filter" in titles
        for internal in ("Scroll Left", "Keys", "Screenshot", "Maximize", "Focus Next"):
            assert internal not in titles, internal
        # Nor the moves of the cursor: the palette listed Down, Up, First and Last.
        for move in ("Down", "Up", "First", "Last", "Page down"):
            assert move not in titles, move
        assert "Open" in titles or "Copy URL" in titles
