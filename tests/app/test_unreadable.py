"""A record that does not parse costs only itself: its row says so, the rest shows."""

from __future__ import annotations

import re

from tests.app.conftest import AppFactory, settle
from tests.app.test_hostile import shown
from wpe_tui.fake import FakeAccount
from wpe_tui.screens.item_detail import ItemDetailScreen
from wpe_tui.screens.site_list import SiteListScreen
from wpe_tui.widgets import PagedTable


async def test_one_bad_backup_is_marked_and_the_page_shows(
    make_app: AppFactory, account: FakeAccount
) -> None:
    backups = list(account.backup_records("site_10001").values())
    bad = backups[-2]  # the second newest
    bad.overrides = {"created_at": 12}  # a number: not a date (and never 1970)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "2")
        await settle(pilot)
        table = app.screen.query_one("#backup-table", PagedTable)
        rows = list(table.loaded_rows())
        assert len(rows) == len(backups), "the rest of the page shows"
        marked = [r for r in rows if r.data.unreadable]
        assert [r.key for r in marked] == [bad.id]
        assert "unreadable" in shown(pilot)
        assert "1970" not in shown(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ItemDetailScreen)
        assert re.search(r"Unreadable\s+created_at", shown(pilot))


async def test_a_site_with_a_name_of_the_wrong_type_is_marked(
    make_app: AppFactory, account: FakeAccount
) -> None:
    account.site_record("site_10001").overrides = {"name": {"x": 1}}
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SiteListScreen)
        table = app.screen.table
        assert table.total == 120
        marked = [r for r in table.loaded_rows() if r.data.unreadable]
        assert [r.key for r in marked] == ["site_10001"]
        assert len(list(table.loaded_rows())) == 120  # page 1 and End's pages 2-3, whole
