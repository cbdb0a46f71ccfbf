"""The site list, driven with Pilot against the fake API through the real client."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from textual.widgets import Input, Static

from tests.app.conftest import AppFactory, settle, until
from wpe_tui.fake import FakeAccount
from wpe_tui.screens.site_detail import SiteDetailScreen
from wpe_tui.screens.site_list import SiteListScreen
from wpe_tui.widgets import PagedTable


def site_requests(fake: Starlette) -> list[dict[str, str]]:
    return [r.query for r in fake.state.requests if r.path == "/v1/sites"]


def title(app: object) -> str:
    from textual.widgets import Static

    screen = app.screen  # type: ignore[attr-defined]
    return str(screen.query_one("#title-bar", Static).render())


async def test_first_page_shows_with_counts(make_app: AppFactory, fake: Starlette) -> None:
    app = make_app(page_size=20)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sites", PagedTable)
        assert isinstance(app.screen, SiteListScreen)
        assert table.total == 120
        assert "120 sites · 80 loaded" in title(app)
        first = table.current_row
        assert first is not None and first.data.name == "Acme Corp Blog"
        # Only the pages on screen (rows 0-20) were asked for, and the two End shows.
        assert [q["page"] for q in site_requests(fake)] == ["1", "2", "5", "6"]


async def test_end_reaches_last_site_at_once_from_pages_asked_for_at_the_start(
    make_app: AppFactory, fake: Starlette, account: FakeAccount
) -> None:
    app = make_app(page_size=50)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # Rows 99-119 are what End shows: the end of page 2 and page 3, asked for as
        # soon as page 1 said how many sites there are.
        assert [q["page"] for q in site_requests(fake)] == ["1", "2", "3"]
        before = len(site_requests(fake))
        await pilot.press("end")
        await settle(pilot)
        table = app.screen.query_one("#sites", PagedTable)
        assert table.cursor == 119
        row = table.current_row
        assert row is not None
        # Sorted by name, the last row is the alphabetically last site.
        assert row.data.name == max(
            account.get_site(account.site_id(i))["name"] for i in range(120)
        )
        assert site_requests(fake)[before:] == [], "End waits for no request"


async def test_sort_order_and_status_are_server_side(make_app: AppFactory, fake: Starlette) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert site_requests(fake)[-1]["sort"] == "created_at"
        await pilot.press("o")
        await settle(pilot)
        assert site_requests(fake)[-1]["order"] == "desc"
        assert "sort created at ↓" in title(app)
        await pilot.press("f", "f")
        await settle(pilot)
        assert site_requests(fake)[-1]["status"] == "inactive"
        table = app.screen.query_one("#sites", PagedTable)
        statuses = {row.data.status for row in table.loaded_rows()}
        assert statuses == {"inactive"}
        assert "status inactive" in title(app)


async def test_sort_keeps_cursor_on_same_site(make_app: AppFactory) -> None:
    app = make_app(page_size=100)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down")
        table = app.screen.query_one("#sites", PagedTable)
        chosen = table.current_row
        assert chosen is not None
        await pilot.press("o")  # reversed: the same site is now elsewhere
        await settle(pilot)
        assert table.current_row is not None
        assert table.current_row.key == chosen.key
        assert table.cursor != 3


async def test_filter_finds_sites_not_loaded_yet(make_app: AppFactory, fake: Starlette) -> None:
    app = make_app(page_size=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = [q["page"] for q in site_requests(fake)]
        await pilot.press("slash", "A", "c", "M", "e")
        await settle(pilot, rounds=8)
        table = app.screen.query_one("#sites", PagedTable)
        names = [row.data.name for row in (table.row_at(i) for i in range(table.row_count))]
        assert len(names) == 5
        assert all("acme" in name.lower() for name in names)
        sweep = [q["page"] for q in site_requests(fake) if q["per_page"] == "100"]
        assert sweep == ["1", "2"], "the rest was searched with the largest pages allowed"
        on_screen = [q["page"] for q in site_requests(fake) if q["per_page"] == "10"]
        assert on_screen == shown, "no page of the table was asked for again"
        assert "5 matches of 120 sites" in title(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not table.showing_matches
        assert table.row_count == 120


async def test_filter_by_url_and_id(make_app: AppFactory) -> None:
    app = make_app(page_size=100)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sites", PagedTable)
        url = next(row.data.url for row in table.loaded_rows() if row.key == "site_10002")
        assert url.startswith("https://")
        box = app.screen.query_one("#filter", Input)
        for typed in ("site_10002", url, url.upper()):  # an ID; a URL pasted, scheme and all
            await pilot.press("slash")
            box.value = typed  # as a paste arrives: all at once
            await settle(pilot)
            keys = [table.row_at(i).key for i in range(table.row_count)]  # type: ignore[union-attr]
            assert keys == ["site_10002"], typed
            await pilot.press("escape")
            await settle(pilot)


async def test_refresh_keeps_cursor(make_app: AppFactory, fake: Starlette) -> None:
    app = make_app(page_size=50)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("pagedown", "down")
        table = app.screen.query_one("#sites", PagedTable)
        before = table.current_row
        count = len(site_requests(fake))
        await pilot.press("r")
        await settle(pilot)
        assert len(site_requests(fake)) > count
        assert table.current_row is not None and before is not None
        assert table.current_row.key == before.key


async def test_enter_opens_site_and_escape_comes_back(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SiteDetailScreen)
        assert app.screen.site.id != "site_10001"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SiteListScreen)
        assert app.screen.query_one("#sites", PagedTable).cursor == 1


async def test_hostile_name_is_shown_as_typed(make_app: AppFactory, account: FakeAccount) -> None:
    account.create_site("[bold]x[/] \x1b]0;pwned\x07 name")
    app = make_app(page_size=100)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"bold")
        await settle(pilot)
        table = app.screen.query_one("#sites", PagedTable)
        assert table.row_count == 1
        line = "".join(s.text for s in table.render_line(1))
        assert "[bold]x[/]  name" in line
        assert "\x1b" not in line and "\x07" not in line
        assert "0;pwned" not in line  # the escape sequence went, not just its ESC


async def test_server_error_is_shown_and_r_retries(make_app: AppFactory, fake: Starlette) -> None:
    fake.state.faults.fail_next(10, status=500)  # more than the client's retries
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sites", PagedTable)
        assert table.total is None
        messages = [n.message for n in app.notices]
        assert any("500" in m and "r to retry" in m for m in messages)
        fake.state.faults.clear()
        await pilot.press("r")
        await settle(pilot)
        assert table.total == 120


async def test_q_quits_from_site_list(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


async def test_y_copies_the_site_url(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        assert app.clipboard == "https://acmecorpblog.wpengine.com"


async def test_help_lists_the_views_keys(make_app: AppFactory) -> None:
    from wpe_tui.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        entries = dict(app.screen.entries)
        assert entries["/"] == "Filter"
        for key in ("s", "o", "f", "r", "y", "q", "enter", "ctrl+p", "?"):
            assert key in entries, key
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SiteListScreen)


async def test_palette_jumps_to_a_site_by_name(make_app: AppFactory) -> None:
    app = make_app(page_size=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot, rounds=8)  # the palette fetches the names not loaded yet
        await pilot.press(*"tidewater")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SiteDetailScreen)
        assert app.screen.site.name == "Tidewater Bakery"


async def test_the_palette_jumps_to_a_site_the_status_filter_hides(make_app: AppFactory) -> None:
    app = make_app(page_size=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f")  # active only: Acme Hardware Co (inactive) is not listed
        await settle(pilot)
        assert app.screen.status == "active"  # type: ignore[attr-defined]
        await pilot.press("ctrl+p")
        await settle(pilot, rounds=8)
        await pilot.press(*"acme hardware")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SiteDetailScreen)
        assert app.screen.site.name == "Acme Hardware Co"


async def test_the_palette_replaces_the_sites_it_listed_before_while_it_searches(
    make_app: AppFactory, account: Any
) -> None:
    from textual.widgets import OptionList

    from wpe_tui.fake import create_app

    def title_text(app: Any) -> str:
        return str(app.screen.query_one("#title-bar", Static).render())

    slow = create_app(account, latency_ms=1500)  # each page of names takes 1.5 s
    app = make_app(page_size=10, api=slow)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "120 sites" in title_text(app), seconds=10)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"tidewater")
        await pilot.pause(0.9)  # the names beyond the first page are still on their way

        def listed() -> list[str]:
            options = app.screen.query_one(OptionList)
            return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

        shown = listed()
        assert not any("Open site" in line for line in shown), shown
        assert any("join this list" in line for line in shown), shown
        await until(pilot, lambda: any("Tidewater Bakery" in line for line in listed()), 15)
        # Once the search is over, the last line says so: no other match will come.
        await until(pilot, lambda: "All 120 sites searched" in listed()[-1], 15)


async def test_the_header_says_what_it_counts_while_searching_and_after(
    make_app: AppFactory, account: Any
) -> None:
    from wpe_tui.fake import create_app

    def title_text() -> str:
        return str(app.screen.query_one("#title-bar", Static).render())

    slow = create_app(account, latency_ms=700)
    app = make_app(page_size=10, api=slow)
    async with app.run_test(size=(100, 24)) as pilot:
        await until(pilot, lambda: "120 sites · 10 loaded" in title_text(), seconds=10)
        await pilot.press("slash", *"zzqx")
        await until(pilot, lambda: "0 matches · searching" in title_text(), seconds=5)
        await until(
            pilot, lambda: "no match" in title_text() and "searching" not in title_text(), 15
        )
        await pilot.press("escape", "escape")
        await pilot.press("slash", *"tidewater")
        await until(pilot, lambda: "2 matches of 120 sites" in title_text(), seconds=15)
