"""The same keys on every table: / s o f on the backups and deployments as on the
site list, an arrow on the sorted column, j/k/g/G everywhere, D on the Overview."""

from __future__ import annotations

from typing import Any

from rich.style import Style
from starlette.applications import Starlette
from textual.widgets import Input

from tests.app.conftest import AppFactory, settle, until
from tests.app.test_hostile import shown
from tests.app.test_site_detail import open_site
from wpe_tui.kinds.cells import status_text
from wpe_tui.modals.confirm import TypedConfirmModal
from wpe_tui.screens.activity import ActivityScreen
from wpe_tui.screens.site_detail import SiteDetailScreen
from wpe_tui.screens.site_list import SiteListScreen


def backup_queries(fake: Starlette) -> list[dict[str, str]]:
    return [r.query for r in fake.state.requests if r.path.endswith("/backups")]


async def test_sort_order_and_status_on_the_backups_go_to_the_server(
    make_app: AppFactory, fake: Starlette
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert "Created ↓" in shown(pilot), "the sorted column has an arrow"
        await pilot.press("s")
        await settle(pilot)
        assert backup_queries(fake)[-1]["sort"] == "status"
        assert "Status ↓" in shown(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert backup_queries(fake)[-1]["order"] == "asc"
        await pilot.press("f")
        await settle(pilot)
        assert backup_queries(fake)[-1]["status"] == "completed"
        screen = app.screen
        assert isinstance(screen, SiteDetailScreen)
        assert {r.data.status for r in screen.backups.loaded_rows()} == {"completed"}


async def test_slash_filters_the_backups_and_escape_clears_it_before_going_back(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_site(pilot)
        await pilot.press("2")
        await settle(pilot)
        wanted = next(r.data.description for r in screen.backups.loaded_rows())
        await pilot.press("slash", *wanted.lower()[:12])
        await until(pilot, lambda: screen.backups.showing_matches)
        await settle(pilot)
        rows = [screen.backups.row_at(i) for i in range(screen.backups.row_count)]
        assert rows and all(r and wanted[:12].lower() in r.data.description.lower() for r in rows)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and not screen.backups.showing_matches
        assert screen.query_one("#filter", Input).has_class("hidden")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SiteListScreen)


async def test_the_deployments_table_has_the_same_keys(
    make_app: AppFactory, fake: Starlette
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot)
        await pilot.press("3", "f")
        await settle(pilot)
        queries = [r.query for r in fake.state.requests if r.path.endswith("/deployments")]
        assert queries[-1]["status"] == "completed"


async def test_j_k_g_and_G_move_in_the_activity_panel(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for _ in range(3):  # three operations to move through
            await pilot.press("enter", "b", "ctrl+s")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        panel = app.screen
        assert isinstance(panel, ActivityScreen) and panel.table.row_count >= 3
        await pilot.press("j")
        assert panel.table.cursor_row == 1
        await pilot.press("G")
        assert panel.table.cursor_row == panel.table.row_count - 1
        await pilot.press("k")
        assert panel.table.cursor_row == panel.table.row_count - 2
        await pilot.press("g")
        assert panel.table.cursor_row == 0


async def test_the_activity_title_counts_every_row_drawn_in_progress(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"site_10003", "enter")  # it has a running backup
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("2")  # seen in progress, not started here
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        panel = app.screen
        assert isinstance(panel, ActivityScreen)
        drawn = [
            str(panel.table.get_row_at(n)[2]) for n in range(panel.table.row_count)
        ]  # the Status column
        running = sum("◌" in status for status in drawn)
        assert running >= 1
        assert f"{running} in progress · {len(drawn)} listed" in shown(pilot)


async def test_d_on_the_overview_deletes_the_site(make_app: AppFactory, fake: Starlette) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot)
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, TypedConfirmModal)
        await pilot.press(*"Acme Corp Blog", "ctrl+s")
        await settle(pilot)
        deletes: list[Any] = [r for r in fake.state.requests if r.method == "DELETE"]
        assert [r.path for r in deletes] == ["/v1/sites/site_10001"]


async def test_enter_in_the_activity_panel_goes_back_to_the_item_already_open(
    make_app: AppFactory,
) -> None:
    from wpe_tui.screens.item_detail import ItemDetailScreen

    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await open_site(pilot)
        await pilot.press("b", "ctrl+s")
        await settle(pilot)
        await pilot.press("enter")  # the new backup's own screen
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, ItemDetailScreen)
        depth = len(app.screen_stack)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is detail, "not a second copy"
        assert len(app.screen_stack) == depth


async def test_the_activity_panel_shows_a_whole_id_at_120_columns(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await open_site(pilot)
        await pilot.press("2", "j", "R", "right", "space", "ctrl+s")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert "Restore restore_90001" in shown(pilot)


async def test_the_activity_panel_columns_follow_the_terminal_to_200_columns(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_site(pilot)
        await pilot.press("2", "j", "R", "right", "space", "ctrl+s")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        site = app.session.activity.entries()[0].site_name or ""
        assert "Restore restore_90001" in shown(pilot)
        assert len(site) > 11 and site in shown(pilot), "the site's whole name, not cut at 11"


async def test_a_failed_status_stands_out_without_colour(
    make_app: AppFactory, monkeypatch: Any
) -> None:
    # Textual greys every colour under NO_COLOR; red turned grey 237 on 233.
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color
        failed = Style.normalize(str(status_text("failed").style))
        assert "reverse" in failed and "red" not in failed
        assert "reverse" not in str(status_text("completed").style)
    monkeypatch.delenv("NO_COLOR")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "red" in str(status_text("failed").style), "in colour, failed is red"


async def test_long_names_cut_at_80_keep_the_number_that_tells_them_apart(
    make_app: AppFactory, account: Any
) -> None:
    name = "Timberline Regional Chamber of Commerce and Visitors Bureau"
    for suffix in ("", " 2", " 3"):
        account.create_site(name + suffix)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Timberline Regional", "enter")
        await settle(pilot)
        rows = [line for line in shown(pilot).splitlines() if line.startswith("Timberline")]
        assert len(rows) == 3, rows
        assert all("…" in row for row in rows), "the names are too long for 80 columns"
        assert sum("… 2 " in row for row in rows) == 1, rows
        assert sum("… 3 " in row for row in rows) == 1, rows


async def test_every_activity_column_fits_whole_at_80_columns(make_app: AppFactory) -> None:
    """At 80 the last column, Done by, read "done 14:5" and "any momen": cut by 2 cells."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_site(pilot)
        await pilot.press("b", "ctrl+s")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        panel = app.screen
        assert isinstance(panel, ActivityScreen)
        table = panel.table
        drawn = sum(column.get_render_width(table) for column in table.columns.values())
        assert drawn <= table.scrollable_content_region.width, "no column is cut at the edge"
        assert "Done by" in shown(pilot)


async def test_toasts_wait_while_the_activity_panel_is_open(
    make_app: AppFactory, fake: Starlette
) -> None:
    """A toast sat on the panel's newest rows and its detail lines; it shows on close."""
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_site(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ActivityScreen)
        app.notify("Backup backup_1 completed")  # as the follower says it
        await settle(pilot)
        assert not app.screen.query("Toast"), "nothing drawn over the panel"
        assert any("backup_1" in n.message for n in app.notices)
        await pilot.press("escape")
        await settle(pilot)
        assert "Backup backup_1 completed" in app.toasts_on_screen()
        assert app.screen.query("Toast"), "shown once the panel is closed"
