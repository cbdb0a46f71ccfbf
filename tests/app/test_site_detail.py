"""Site detail, backups, deployments and live refresh, with Pilot against the fake API."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from textual.widgets import Log, Static

from tests.app.conftest import AppFactory, settle, until_settled
from tests.app.test_hostile import shown
from wpe_tui.fake import FakeAccount, ManualClock
from wpe_tui.screens.item_detail import ItemDetailScreen
from wpe_tui.screens.site_detail import SiteDetailScreen
from wpe_tui.widgets import DiskUsageBar, PagedTable, TabBar


async def open_site(pilot: object, index: int = 0) -> SiteDetailScreen:
    """From the site list (sorted by name), open the site on row `index`."""
    p = pilot  # type: ignore[assignment]
    await settle(p)  # type: ignore[arg-type]
    for _ in range(index):
        await p.press("down")  # type: ignore[attr-defined]
    await p.press("enter")  # type: ignore[attr-defined]
    await settle(p)  # type: ignore[arg-type]
    screen = p.app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, SiteDetailScreen)
    return screen


async def test_overview_shows_site_environments_and_disk(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_site(pilot)
        header = str(screen.query_one("#site-header", Static).render())
        assert "Acme Corp Blog" in header and "PHP 8.2" in header and "WordPress 6.0" in header
        environments = screen.site.environments
        assert [e.name for e in environments] == ["production", "staging", "development"]
        bar = screen.query_one("#disk", DiskUsageBar)
        assert bar.percent is not None and round(bar.percent) == 49
        assert "49 / 100 GB (49 %)" in str(bar.render())
        assert bar.has_class("disk-ok")


async def test_site_and_first_pages_are_requested_together(
    make_app: AppFactory, fake: Starlette
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        start = len(fake.state.requests)
        await pilot.press("enter")
        await settle(pilot)
        paths = sorted(r.path for r in fake.state.requests[start:])
        assert paths == [
            "/v1/sites/site_10001",
            "/v1/sites/site_10001/backups",
            "/v1/sites/site_10001/deployments",
        ]


async def test_disk_bar_colours_and_over_quota(make_app: AppFactory) -> None:
    bar = DiskUsageBar(9.7, 10, "GB")
    assert bar.has_class("disk-danger")
    bar.set_usage(8.2, 10, "GB")
    assert bar.has_class("disk-warning") and not bar.has_class("disk-danger")
    bar.set_usage(12, 10, "GB")
    assert "over quota by 2 GB" in str(bar.render())
    bar.set_usage(None, None, None)
    assert str(bar.render()) == "— / —"


async def test_tabs_switch_with_number_keys(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_site(pilot)
        tabs = screen.query_one("#tabs", TabBar)
        await pilot.press("2")
        assert tabs.active == "backups"
        assert screen.focused is screen.backups
        assert screen.backups.total is not None and screen.backups.total >= 10
        await pilot.press("3")
        assert tabs.active == "deployments"
        assert screen.deployments.total is not None and screen.deployments.total >= 5
        await pilot.press("1")
        assert tabs.active == "overview"


async def test_a_burst_of_tab_keys_ends_on_the_last_tab_with_its_table_focused(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_site(pilot)
        await pilot.press("2", "3", "1", "3", "j")  # one read of a laggy link
        await settle(pilot)
        assert screen.query_one("#tabs", TabBar).active == "deployments"
        assert screen.focused is screen.deployments
        assert screen.deployments.cursor == 1  # the j went to the tab in front
        assert screen.backups.display is False and screen.deployments.display is True
        assert screen.query_one("#overview-body").display is False


async def test_a_click_on_a_tab_label_opens_that_tab(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_site(pilot)
        bar = screen.query_one("#tabs", TabBar)
        start = {pane: x for x, _, pane in bar.spans()}
        await pilot.click("#tabs", offset=(start["backups"] + 2, 0))
        await settle(pilot)
        assert bar.active == "backups" and screen.focused is screen.backups
        await pilot.click("#tabs", offset=(start["overview"] + 1, 0))
        await settle(pilot)
        assert bar.active == "overview"
        assert screen.focused is screen.query_one("#overview-body")


async def test_the_tab_in_front_reads_without_colour(make_app: AppFactory) -> None:
    """Under NO_COLOR the bar under the active label is heavy, the rest light."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_site(pilot)
        await pilot.press("3")
        await settle(pilot)
        labels, bar = screen.query_one("#tabs", TabBar).render().plain.splitlines()
        start = labels.index("3 Deployments")
        heavy = [x for x, glyph in enumerate(bar) if glyph == "━"]
        assert heavy == list(range(start - 1, start + len("3 Deployments") + 1))
        assert set(bar) == {"━", "─"} and len(bar) == 80


async def test_the_header_counts_what_the_tab_in_front_shows(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_site(pilot)

        def header() -> str:
            return str(screen.query_one("#title-bar", Static).render())

        assert "backups" not in header() and "deployments" not in header()  # Overview
        await pilot.press("2")
        await settle(pilot)
        assert f"{screen.backups.total} backups" in header() and "deployments" not in header()
        await pilot.press("3")
        await settle(pilot)
        assert f"{screen.deployments.total} deployments" in header()
        assert "backups" not in header()
        await pilot.press("2")  # both lists loaded: no page comes to redraw it
        assert f"{screen.backups.total} backups" in header() and "deployments" not in header()
        await pilot.press("1")
        assert "backups" not in header() and "deployments" not in header()


async def test_a_tab_the_api_lacks_is_left_out_and_its_key_says_why(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_site(pilot)
        tabs = screen.query_one("#tabs", TabBar)
        # The Customer API lists no domains: no such tab, and the palette does not offer it.
        assert not screen.query("#domain-table")
        assert screen.check_action("tab", ("domains",)) is False
        assert screen.check_action("tab", ("backups",)) is True
        await pilot.press("4")
        await settle(pilot)
        assert tabs.active == "overview"
        assert any("has no such tab" in n.message for n in app.notices)


async def test_backup_detail_shows_contents_and_y_copies_download_url(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_site(pilot)
        await pilot.press("2", "down", "enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, ItemDetailScreen) and detail.kind.name == "backup"
        facts = str(detail.query_one("#item-facts", Static).render())
        assert detail.item.contents is not None
        assert detail.item.download_url
        await pilot.press("y")
        assert app.clipboard == detail.item.download_url
        assert facts  # the facts were drawn
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


@pytest.mark.parametrize("width", [60, 80])
async def test_a_long_url_in_a_detail_wraps_after_a_separator_with_nothing_added(
    make_app: AppFactory, width: int
) -> None:
    app = make_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await open_site(pilot)
        await pilot.press("2", "down", "enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, ItemDetailScreen)
        url = detail.item.download_url
        assert url and len(url) > width - 20, "the URL cannot fit beside its label"
        lines = shown(pilot).splitlines()
        first = next(i for i, line in enumerate(lines) if "Download" in line)
        column = lines[first].index("https://")
        pieces: list[str] = []
        for line in lines[first:]:
            piece = line[column:].rstrip()
            if not piece or (pieces and line[:column].strip()):
                break
            pieces.append(piece)
        assert len(pieces) > 1, "the URL wraps"
        assert "".join(pieces) == url, "drawn as it is, no character added or lost"
        assert all(piece[-1] in "/-.?&=:#" for piece in pieces[:-1]), pieces


async def test_deployment_log_follows_until_done(
    make_app: AppFactory, clock: ManualClock, fake: Starlette
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot)
        await pilot.press("3", "enter")  # the newest deployment of site_10001 is running
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, ItemDetailScreen) and detail.kind.name == "deployment"
        assert detail.item.status == "in_progress"
        log = detail.query_one("#logs", Log)
        lines_before = log.line_count
        clock.advance(120)  # the fake's deployment finishes within 90 s
        await pilot.pause(1.2)  # refresh interval is 0.5 s in tests
        await settle(pilot)
        assert detail.item.status in ("completed", "failed")
        assert log.line_count > lines_before
        assert any(detail.item.status in n.message for n in app.notices)
        # Done: once the activity follower has seen the rest settle (a site seen
        # provisioning on the list), polling stops and the app goes quiet.
        await until_settled(pilot)
        count = len(fake.state.requests)
        await pilot.pause(1.5)
        assert len(fake.state.requests) == count


async def test_in_progress_backup_updates_in_place_then_polling_stops(
    make_app: AppFactory, clock: ManualClock, fake: Starlette
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"site_10003", "enter")  # it has a running backup
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SiteDetailScreen)
        await pilot.press("2", "down")
        backups = screen.backups
        running = [r for r in backups.loaded_rows() if r.data.status == "in_progress"]
        assert len(running) == 1
        cursor_key = backups.current_row.key  # type: ignore[union-attr]
        clock.advance(90)
        await pilot.pause(1.2)
        await settle(pilot)
        row = next(r for r in backups.loaded_rows() if r.key == running[0].key)
        assert row.data.status == "completed"
        assert backups.current_row.key == cursor_key  # type: ignore[union-attr]
        assert any("completed" in n.message for n in app.notices)
        await until_settled(pilot)  # also a site seen provisioning on the list
        count = len(fake.state.requests)
        await pilot.pause(1.5)
        assert len(fake.state.requests) == count, "nothing in flight: no requests"


async def test_polling_pauses_while_screen_hidden(make_app: AppFactory, fake: Starlette) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot)  # site_10001 has a running deployment
        await pilot.press("3")
        await pilot.pause(0.6)
        assert app.session.follower.targets, "the running deployment in view is followed"
        await pilot.press("question_mark")  # help covers the screen
        await pilot.pause()
        count = len(fake.state.requests)
        await pilot.pause(1.5)  # three refresh intervals in tests
        # Nothing the user started is in flight: a covered screen asks for nothing.
        assert fake.state.requests[count:] == []


async def test_site_that_is_gone_says_so(
    make_app: AppFactory, account: FakeAccount, clock: ManualClock
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        account.delete_site("site_10001")
        clock.advance(30)
        await pilot.press("enter")
        await settle(pilot)
        header = str(app.screen.query_one("#site-header", Static).render())
        assert "no longer exists" in header


async def test_escape_cancels_loading_and_goes_back(make_app: AppFactory) -> None:
    from wpe_tui.screens.site_list import SiteListScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "escape")
        await settle(pilot)
        assert isinstance(app.screen, SiteListScreen)
        assert not app.is_headless or app.is_running


async def test_tables_show_rows_for_backups_and_deployments(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_site(pilot)
        await pilot.press("2")
        table = screen.query_one("#backup-table", PagedTable)
        line = "".join(s.text for s in table.render_line(1))
        assert line.startswith("backup_")
        await pilot.press("3")
        table = screen.query_one("#deployment-table", PagedTable)
        line = "".join(s.text for s in table.render_line(1))
        assert line.startswith("deploy_") and "in progress" in line
