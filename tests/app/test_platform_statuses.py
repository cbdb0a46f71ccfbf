"""Site statuses on the Hosting Platform API, whose site list says none: a site's is
its installs', read a page of ``GET /installs`` at a time."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.applications import Starlette

from tests.app.conftest import AppFactory, settle, until
from tests.app.test_platform import title
from wpe_tui.screens.site_list import SiteListScreen
from wpe_tui.widgets import PagedTable

# More sites than the sweep's pages read install pages: most statuses come after them.
BIG = {"sites": 1000, "stuck_rate": 0.1}
FINAL = re.compile(r"([\d,]+) matches of [\d,]+ sites")


async def site_list(pilot: Any) -> SiteListScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SiteListScreen)
    return screen


def pending_sites(account: Any) -> set[str]:
    """What the fake says: the sites with an install pending."""
    pending: set[str] = set()
    offset = 0
    while True:
        sites, total = account.list_sites(offset, 100, None)
        for site in sites:
            statuses = [account.get_install(i["id"])["status"] for i in site["installs"]]
            if "pending" in statuses:
                pending.add(site["id"])
        offset += 100
        if offset >= total:
            return pending


@pytest.mark.parametrize("platform_account", [BIG], indirect=True)
async def test_a_status_filter_finds_every_pending_site_before_it_says_how_many(
    make_platform_app: AppFactory, platform_fake: Starlette, platform_account: Any
) -> None:
    expected = pending_sites(platform_account)
    app = make_platform_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await site_list(pilot)
        await pilot.press("f", "f")  # every status, active, pending
        assert screen.status == "pending"
        said: list[str] = []  # every count the header gave on the way

        def final() -> bool:
            said.append(title(app))
            return FINAL.search(said[-1]) is not None or "no match" in said[-1]

        await until(pilot, final, seconds=60)
        table = screen.query_one("#sites", PagedTable)
        rows = [table.row_at(n) for n in range(table.row_count)]
        assert {row.key for row in rows if row is not None} == expected
        finals = {m.group(1) for t in said if (m := FINAL.search(t))}
        assert finals == {f"{len(expected):,}"}, "no count before every status was read"


@pytest.mark.parametrize("platform_account", [BIG], indirect=True)
async def test_a_site_whose_installs_were_not_read_yet_shows_no_status_not_active(
    make_platform_app: AppFactory, platform_account: Any
) -> None:
    pending = pending_sites(platform_account)
    app = make_platform_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await site_list(pilot)
        await pilot.press("G")  # the last page: its installs are on the scan's last pages
        table = screen.query_one("#sites", PagedTable)
        await until(pilot, lambda: (row := table.current_row) is not None and row.key != "")
        await settle(pilot)
        rows = [row for _, row in table.rows_in_view()]
        unknown = [row for row in rows if row.data.status is None]
        assert unknown, "sites whose installs were not read yet"
        lines = [str(table.render_line(y).text) for y in range(table.size.height)]
        drawn = [line for line in lines if unknown[0].data.name in line]
        assert drawn and "—" in drawn[0] and "active" not in drawn[0], drawn
        # None of them shown active: a pending one among them would be a lie.
        assert not [row for row in rows if row.key in pending and row.data.status == "active"]


@pytest.mark.parametrize("platform_account", [BIG], indirect=True)
async def test_a_sort_by_status_reads_every_status_first(
    make_platform_app: AppFactory, platform_account: Any
) -> None:
    pending = pending_sites(platform_account)
    app = make_platform_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await site_list(pilot)
        await pilot.press("s", "s", "s")  # the API's order, name, created, status
        assert screen.sort == "status"
        await until(pilot, lambda: "all loaded" in title(app), seconds=60)
        table = screen.query_one("#sites", PagedTable)
        rows = [row for n in range(table.row_count) if (row := table.row_at(n)) is not None]
        statuses = [row.data.status for row in rows]
        assert None not in statuses, "every status read before the sort"
        assert statuses == sorted(statuses), "active first, then pending"
        assert {row.key for row in rows if row.data.status == "pending"} == pending


@pytest.mark.parametrize("platform_account", [BIG], indirect=True)
async def test_paging_down_the_list_keeps_every_status_in_view_known(
    make_platform_app: AppFactory,
) -> None:
    app = make_platform_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await site_list(pilot)
        table = screen.query_one("#sites", PagedTable)
        unknown: list[int] = []
        for _ in range(30):  # 1,000 sites, ~28 in view: about 800 of them
            await pilot.press("pagedown")
            await settle(pilot)
            unknown += [n for n, row in table.rows_in_view() if row.data.status is None]
        assert not unknown, f"{len(unknown)} rows in view without a status, first {unknown[0]}"


@pytest.mark.parametrize("platform_account", [BIG], indirect=True)
async def test_leaving_a_status_filter_stops_its_requests(
    make_platform_app: AppFactory, platform_fake: Starlette
) -> None:
    app = make_platform_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await site_list(pilot)
        platform_fake.state.faults.latency_ms = 300  # a sweep long enough to leave it
        await pilot.press("f", "f")
        await until(pilot, lambda: "searching" in title(app) or "reading" in title(app))
        await pilot.press("f")  # every status again: the server's pages say enough
        await until(pilot, lambda: screen.status is None and "loaded" in title(app))
        await pilot.pause(0.3)  # what was in flight comes back

        def pages_of_sites() -> int:  # the sweep's (the pending rows in view are followed)
            return sum(r.path == "/v1/sites" for r in platform_fake.state.requests)

        before = pages_of_sites()
        await pilot.pause(1.0)
        platform_fake.state.faults.clear()
        assert pages_of_sites() == before, "nothing read for no one"
