"""The footer: the view's keys, whole words at any width, `?` always, redrawn only on change."""

from __future__ import annotations

from typing import ClassVar

import pytest
from rich.style import Style
from starlette.applications import Starlette
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button

from tests.app.conftest import AppFactory, settle
from wpe_tui.app import styles_dir
from wpe_tui.fake import FakeAccount
from wpe_tui.screens.site_detail import SiteDetailScreen
from wpe_tui.screens.site_list import SiteListScreen
from wpe_tui.widgets import Footer


class KeysScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Refresh"),
        Binding("n", "new", "New site"),
        Binding("x", "hidden", "Hidden"),  # check_action: False
        Binding("z", "later", "Not yet"),  # check_action: None (shown, dimmed)
        Binding("o", "order", "Order", show=False),
        Binding("escape,q", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.ran: list[str] = []

    def compose(self) -> ComposeResult:
        yield Button("one", id="one")
        yield Button("two", id="two")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hidden":
            return False
        if action == "later":
            return None
        return True

    def action_refresh(self) -> None:
        self.ran.append("refresh")

    def action_later(self) -> None:
        self.ran.append("later")


class KeysApp(App[None]):
    CSS_PATH = styles_dir() / "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help"),
        Binding("a", "activity", "Activity"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.keys_screen = KeysScreen()
        self.helped = 0

    def on_mount(self) -> None:
        self.push_screen(self.keys_screen)

    def action_help(self) -> None:
        self.helped += 1


def footer_of(app: App[None]) -> Footer:
    return app.screen.query_one(Footer)


def footer_line(app: App[None]) -> str:
    """The footer as drawn on the terminal."""
    footer = footer_of(app)
    return "".join(segment.text for segment in footer.render_line(0))


def words_are_whole(footer: Footer, line: str) -> None:
    """Each key is shown with its whole description, or not at all; `?` is always there."""
    shown = footer.fit(footer.content_size.width)
    assert any(item.key == "question_mark" for item in shown), line
    for item in footer.keys:
        whole = f"{item.display} {item.description}".strip()
        if item in shown:
            assert whole in line, (whole, line)
        elif item.description:
            assert item.description.split()[0] not in line.split(), (item, line)
    assert len(line) <= footer.content_size.width


async def test_keys_are_shown_in_order_hidden_ones_not_disabled_ones_dimmed() -> None:
    app = KeysApp()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        line = footer_line(app)
        assert line.startswith(" r Refresh  n New site  z Not yet  esc Back  ? Help  a Activity ")
        assert [item.display for item in footer_of(app).keys] == [
            "r",
            "n",
            "z",
            "esc",  # escape,q: one key per action
            "?",
            "a",
            "^p",  # the palette, at the right end
        ]
        assert "Hidden" not in line and "Order" not in line
        assert line.rstrip().endswith("^p palette")
        # The disabled key is dim; the others are not.
        text = footer_of(app).render()
        dim = {
            text.plain[span.start : span.end]
            for span in text.spans
            if isinstance(span.style, Style) and span.style.dim
        }
        assert dim == {" z ", "Not yet "}


@pytest.mark.parametrize("width", [40, 80, 24, 12])
async def test_narrow_footer_drops_whole_keys_last_first_and_keeps_help(width: int) -> None:
    app = KeysApp()
    async with app.run_test(size=(width, 10)) as pilot:
        await pilot.pause()
        footer = footer_of(app)
        line = footer_line(app)
        words_are_whole(footer, line)
        shown = [item.display for item in footer.fit(width)]
        if width == 40:  # palette, then the app's `a`, then the screen's last keys
            assert shown == ["r", "n", "?"]
        if width == 12:
            assert shown == ["?"] and line.strip() == "? Help"


async def test_only_the_help_key_when_its_word_does_not_fit() -> None:
    app = KeysApp()
    async with app.run_test(size=(5, 10)) as pilot:
        await pilot.pause()
        assert footer_line(app).strip() == "?"


async def test_footer_is_not_redrawn_when_its_keys_do_not_change() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        footer = footer_of(app)
        rebuilds, renders = footer.rebuilds, footer.renders
        assert rebuilds == 1 and renders >= 1
        # Focus moves between two widgets with no keys of their own, and the screen
        # asks again and again: the same keys, so nothing is rebuilt or redrawn.
        for target in ("#two", "#one", "#two"):
            app.screen.query_one(target).focus()
            app.screen.refresh_bindings()
            app.screen.refresh_bindings()
            await pilot.pause()
        await pilot.pause()
        assert (footer.rebuilds, footer.renders) == (rebuilds, renders)
        # A key that becomes hidden is a change: one rebuild.
        app.keys_screen.check_action = lambda action, _p: action not in ("hidden", "new")  # type: ignore[method-assign]
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert footer.rebuilds == rebuilds + 1
        assert "New site" not in footer_line(app)


async def test_clicking_a_key_presses_it_and_a_disabled_one_does_nothing() -> None:
    app = KeysApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        line = footer_line(app)
        await pilot.click(Footer, offset=(line.index("Refresh"), 0))
        await pilot.pause()
        assert app.keys_screen.ran == ["refresh"]
        await pilot.click(Footer, offset=(line.index("? Help"), 0))
        await pilot.pause()
        assert app.helped == 1
        await pilot.click(Footer, offset=(line.index("Not yet"), 0))
        await pilot.pause()
        assert app.keys_screen.ran == ["refresh"]  # dimmed: a bell, not the action


# -- the real app ------------------------------------------------------------------


async def show_site_list(pilot: Pilot[None]) -> Footer:
    await settle(pilot)
    assert isinstance(pilot.app.screen, SiteListScreen)
    return footer_of(pilot.app)


@pytest.mark.parametrize("width", [40, 80])
async def test_site_list_and_site_footers_keep_help_and_whole_words(
    make_app: AppFactory, width: int
) -> None:
    app = make_app()
    async with app.run_test(size=(width, 24)) as pilot:
        footer = await show_site_list(pilot)
        words_are_whole(footer, footer_line(app))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SiteDetailScreen)
        words_are_whole(footer_of(app), footer_line(app))


async def test_site_list_shows_its_keys(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 24)) as pilot:
        await show_site_list(pilot)
        line = footer_line(app)
        for shown in (
            "/ Filter",
            "s Sort",
            "f Status",
            "n New",
            "D Delete",
            "? Help",
            "a Activity",
        ):
            assert shown in line
        assert "Clear filter" not in line
        await pilot.press("slash")  # the filter opens: its keys change
        await settle(pilot)
        assert "esc Clear filter" in footer_line(app)


async def test_a_site_tabs_esc_says_it_clears_the_filter_while_one_is_open(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 24)) as pilot:
        await show_site_list(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("2", "slash", "x")
        await settle(pilot)
        assert "esc Clear filter" in footer_line(app)
        assert "esc Back" not in footer_line(app)
        await pilot.press("escape")  # the filter goes, the site stays
        await settle(pilot)
        assert isinstance(app.screen, SiteDetailScreen)
        assert "esc Back" in footer_line(app)
        assert "Clear filter" not in footer_line(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SiteListScreen)


async def test_tab_switch_costs_no_footer_rebuild(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await show_site_list(pilot)
        await pilot.press("enter")
        await settle(pilot)
        footer = footer_of(app)
        await pilot.press("2")
        await settle(pilot)
        # Keys that change nothing the footer shows cost nothing: moving on the table,
        # and coming back to the same tab.
        rebuilds, renders = footer.rebuilds, footer.renders
        for key in ("j", "k", "2", "j"):
            await pilot.press(key)
            await settle(pilot)
        assert (footer.rebuilds, footer.renders) == (rebuilds, renders)
        # A tab whose keys differ (no restore on Deployments) rebuilds it once.
        await pilot.press("3")
        await settle(pilot)
        assert footer.rebuilds == rebuilds + 1


async def test_restore_and_delete_leave_the_footer_of_an_empty_backups_tab(
    make_app: AppFactory, account: FakeAccount
) -> None:
    account.create_site("Quokka Empty Blog")  # a new site: no backup yet
    app = make_app()
    async with app.run_test(size=(120, 24)) as pilot:
        await show_site_list(pilot)
        await pilot.press("slash", *"Quokka", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SiteDetailScreen)
        assert app.screen.site.name == "Quokka Empty Blog"
        await pilot.press("2")
        await settle(pilot)
        line = footer_line(app)
        assert "b Backup" in line and "Restore" not in line and "Delete" not in line, line
        await pilot.press("R")  # said why, not done
        await settle(pilot)
        assert any("No backup here yet" in n.message for n in app.notices)
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("home", "enter")  # a site with backups
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert "R Restore" in footer_line(app)


async def test_the_site_footer_names_e_for_edit_where_the_api_can_edit(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 24)) as pilot:
        await show_site_list(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SiteDetailScreen)
        assert "e Edit" in footer_line(app)
        await pilot.press("e")
        await settle(pilot)
        assert type(app.screen).__name__ == "EditSiteModal"


async def test_the_backups_footer_keeps_restore_while_its_page_loads(
    make_app: AppFactory, fake: Starlette
) -> None:
    """R and D were left out until the first page came, then put in: the footer of every
    Backups tab changed once as it opened. They go only once the tab is known empty."""
    app = make_app()
    async with app.run_test(size=(120, 24)) as pilot:
        await show_site_list(pilot)
        fake.state.faults.latency_ms = 3000  # the page surely still out when looked at
        await pilot.press("enter")
        await pilot.pause(0.05)
        await pilot.press("2")
        await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, SiteDetailScreen) and screen.backups.total is None
        line, rebuilds = footer_line(app), footer_of(app).rebuilds
        assert "R Restore" in line, line
        await settle(pilot)
        assert screen.backups.total, "the page came"
        assert footer_line(app) == line and footer_of(app).rebuilds == rebuilds
