"""After the walk: the faults stop, and a refresh must show the server's state."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tests.soak.instruments import SoakApp
from tests.soak.report import SoakReport
from wpe_tui.api.platform.mapping import orphan_install_id, orphan_site_id
from wpe_tui.app import WpeApp
from wpe_tui.fake import FakeAccount, FaultSettings
from wpe_tui.fake.account import ListParams
from wpe_tui.fake.platform import PlatformAccount
from wpe_tui.screens.setup import SetupScreen
from wpe_tui.screens.site_detail import SiteDetailScreen
from wpe_tui.screens.site_list import SiteListScreen
from wpe_tui.widgets import OfflineBanner, PagedTable, Row


async def wait_quiet(
    pilot: Pilot[None], app: WpeApp, seconds: float = 60.0, checks: int = 3
) -> bool:
    """Until nothing loads, no worker runs and the app is online, `checks` times running
    (0.1 s apart)."""
    deadline = time.monotonic() + seconds
    quiet = 0
    while time.monotonic() < deadline:
        await app.workers.wait_for_complete()
        await pilot.pause(0.1 if checks > 1 else None)
        busy = app.session.connection.offline or any(not w.is_finished for w in app.workers)
        busy = busy or any(t.is_loading for t in app.screen.query(PagedTable))
        quiet = 0 if busy else quiet + 1
        if quiet >= checks:
            return True
    return False


Rows = tuple[int, list[dict[str, Any]]]  # the total, and the rows in order


def _server_rows(pages: Callable[[int], dict[str, Any]]) -> Rows:
    first = pages(1)
    total = int(first["pagination"]["total"])
    rows = list(first["results"])
    page = 1
    while len(rows) < total:
        page += 1
        more = pages(page)["results"]
        if not more:
            break
        rows.extend(more)
    return total, rows


def _differs(name: str, index: int, row: Row, rows: list[dict[str, Any]]) -> str | None:
    want = rows[index] if index < len(rows) else None
    if want is None:
        return f"{name}: row {index} ({row.key}) is not on the server"
    have = (row.key, getattr(row.data, "name", None), getattr(row.data, "status", None))
    wanted = (want["id"], want.get("name", have[1]), want.get("status"))
    if have != wanted:
        return f"{name}: row {index} shows {have}, the server has {wanted}"
    return None


def compare_view(name: str, table: PagedTable, rows: list[dict[str, Any]]) -> list[str]:
    """The rows in view: each loaded, each the server's row at its place, none twice."""
    problems: list[str] = []
    first = int(table.scroll_y)
    seen: set[str] = set()
    for index in range(first, min(table.row_count, first + max(1, table.size.height - 1))):
        row = table.row_at(index)
        if row is None:
            problems.append(f"{name}: row {index} in view is a placeholder, not a row")
            continue
        if row.key in seen:
            problems.append(f"{name}: {row.key} shows twice in view")
        seen.add(row.key)
        problem = _differs(name, index, row, rows)
        if problem is not None:
            problems.append(problem)
    return problems


def compare_loaded(name: str, table: PagedTable, rows: list[dict[str, Any]]) -> list[str]:
    """Every row loaded, once the sweep has brought every page into view."""
    problems: list[str] = []
    keys = [row.key for row in table.loaded_rows()]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    if twice:
        problems.append(f"{name}: rows loaded twice: {twice[:5]}")
    stale = sorted(table._state.stale)
    if stale:
        problems.append(f"{name}: pages {stale} are still stale after being in view")
    for index in range(table.row_count):
        row = table.row_at(index)
        problem = _differs(name, index, row, rows) if row is not None else None
        if problem is not None:
            problems.append(problem)
    return problems


async def sweep(
    pilot: Pilot[None],
    app: WpeApp,
    name: str,
    table: PagedTable,
    server: tuple[int, list[dict[str, Any]]],
) -> list[str]:
    """Compares what the table shows with the server's rows: as it is, then page by page
    from the first row to the last (pages loaded before a refresh and out of view are
    fetched again as they come into view), then every row loaded."""
    total, rows = server
    problems: list[str] = []
    if table.total != total:
        problems.append(f"{name}: the count says {table.total} rows, the server has {total}")
    problems += compare_view(name, table, rows)
    table.focus()
    await pilot.press("home")
    await wait_quiet(pilot, app)
    for _ in range(total + 2):
        problems += compare_view(name, table, rows)
        if table.row_count == 0 or table.cursor >= table.row_count - 1:
            break
        await pilot.press("pagedown")
        await wait_quiet(pilot, app, checks=1)
    problems += compare_loaded(name, table, rows)
    if table.total != total:
        problems.append(f"{name}: after the sweep the count says {table.total}, not {total}")
    return list(dict.fromkeys(problems))[:10]


async def _site_list_refreshed(
    pilot: Pilot[None], app: SoakApp, faults: FaultSettings, report: SoakReport
) -> SiteListScreen | None:
    """Stops the faults, goes back to the whole site list and presses `r`: the screen,
    or None (and a failure noted) if it could not get there."""
    faults.clear()  # no more faults, no more latency; the clock and the churn stop too
    for _ in range(40):
        screen = app.screen
        if isinstance(screen, SetupScreen):
            report.fail("final check: the setup screen is open (escape there quits)")
            return None
        if isinstance(screen, SiteListScreen) and not screen.table.showing_matches:
            box = screen.query_one("#filter", Input)
            if box.has_class("hidden"):
                break
        await pilot.press("escape")
        await pilot.pause(0.05)
        if not app.is_running:
            report.fail("final check: the app exited while going back to the site list")
            return None
    screen = app.screen
    if not isinstance(screen, SiteListScreen):
        report.fail(f"final check: 40 escapes did not go back to the site list ({screen})")
        return None
    for _ in range(len(app.session.capabilities.site_statuses) + 1):
        if screen.status is None:
            break
        await pilot.press("f")  # back to every site, so the check has rows to check
    if not app.session.capabilities.server_sort:
        for _ in range(len(screen.list_view.kind.sort_fields) + 1):
            if screen.sort is None:
                break
            await pilot.press("s")  # back to the API's own order, which is checked
    await wait_quiet(pilot, app)
    await pilot.press("r")
    if not await wait_quiet(pilot, app):
        report.fail("final check: the site list did not settle within 60 s of r")
    if screen.query_one(OfflineBanner).display:
        report.fail("final check: the offline banner still shows after r")
    return screen


class CustomerState:
    """The Customer fake's state, as the app's tables should show it."""

    def __init__(self, account: FakeAccount) -> None:
        self.account = account

    def sites(self, screen: SiteListScreen) -> tuple[int, list[dict[str, Any]]]:
        def page(number: int) -> dict[str, Any]:
            params = ListParams(
                number, screen.table.page_size, screen.sort, screen.order, screen.status
            )
            return self.account.list_sites(params)

        return _server_rows(page)

    def site_status(self, site_id: str) -> str:
        return str(self.account.get_site(site_id)["status"])

    def tabs(self, detail: SiteDetailScreen, site_id: str) -> list[Tab]:
        tabs: list[Tab] = []
        for key, label, table, lister in (
            ("2", "backups", detail.backups, self.account.list_backups),
            ("3", "deployments", detail.deployments, self.account.list_deployments),
        ):

            def rows(table: PagedTable = table, lister: Any = lister) -> Rows:
                def page(number: int) -> Any:
                    params = ListParams(number, table.page_size, "created_at", "desc", None)
                    return lister(site_id, params)

                return _server_rows(page)

            tabs.append(Tab(key, label, table, rows))
        return tabs


class PlatformState:
    """The Hosting Platform fake's state, as the app's tables should show it: the sites
    of every account in the API's order, then the installs of no site; a site is
    pending while one of its installs is; a site's backups are its installs', newest
    first."""

    def __init__(self, account: PlatformAccount) -> None:
        self.account = account

    def _installs(self, site_id: str) -> list[str]:
        orphan = orphan_install_id(site_id)
        if orphan is not None:
            return [orphan]
        return [install["id"] for install in self.account.get_site(site_id)["installs"]]

    def site_status(self, site_id: str) -> str:
        statuses = [self.account.get_install(i)["status"] for i in self._installs(site_id)]
        return "pending" if "pending" in statuses else "active"

    def sites(self, screen: SiteListScreen) -> Rows:
        account = self.account
        listed, _ = account.list_sites(0, 10**9, None)
        rows = [{"id": s["id"], "name": s["name"]} for s in listed]
        for install_id in account.orphan_install_ids():
            install = account.get_install(install_id)
            rows.append({"id": orphan_site_id(install_id), "name": install["name"]})
        for row in rows:
            row["status"] = self.site_status(row["id"])
        if screen.status is not None:
            rows = [row for row in rows if row["status"] == screen.status]
        return len(rows), rows

    def tabs(self, detail: SiteDetailScreen, site_id: str) -> list[Tab]:
        def rows() -> Rows:
            backups = [
                backup
                for install_id in self._installs(site_id)
                for backup in self.account.list_backups(install_id, 0, 10**9)[0]
            ]
            backups.sort(
                key=lambda b: (-datetime.fromisoformat(b["create_time"]).timestamp(), b["id"])
            )
            return len(backups), backups

        return [Tab("2", "backups", detail.backups, rows)]


@dataclass
class Tab:
    key: str
    label: str
    table: PagedTable
    rows: Callable[[], Rows]


async def final_check(
    pilot: Pilot[None],
    app: SoakApp,
    state: CustomerState | PlatformState,
    faults: FaultSettings,
    report: SoakReport,
) -> None:
    screen = await _site_list_refreshed(pilot, app, faults, report)
    if screen is None:
        return
    sites = screen.table
    server = state.sites(screen)
    query = f"sort {screen.sort} {screen.order}, status {screen.status or 'all'}"
    name = f"site list ({query})"
    problems = await sweep(pilot, app, name, sites, server)
    report.final.append(
        f"{name} after r: {server[0]} rows, swept top to bottom: "
        + ("equal the server's" if not problems else "DIFFER")
    )
    for problem in problems:
        report.fail(f"final check: {problem}")
    if sites.current_row is None:
        return
    await pilot.press("enter")
    await wait_quiet(pilot, app)
    detail = app.screen
    if not isinstance(detail, SiteDetailScreen):
        report.fail(f"final check: enter on the site list opened {type(detail).__name__}")
        return
    site_id = detail.site.id
    for attempt in ("opened", "after r"):
        if attempt == "after r":
            await pilot.press("r")
            if not await wait_quiet(pilot, app):
                report.fail("final check: the site detail did not settle within 60 s of r")
        problems = []
        if detail.site.status != state.site_status(site_id):
            problems.append(f"site {site_id}: the header's status differs from the server's")
        counts = []
        for tab in state.tabs(detail, site_id):
            await pilot.press(tab.key)
            await wait_quiet(pilot, app)
            server = tab.rows()
            problems += await sweep(pilot, app, f"site {site_id} {tab.label}", tab.table, server)
            counts.append(f"{server[0]} {tab.label}")
        report.final.append(
            f"site {site_id} {attempt}: {', '.join(counts)}, swept: "
            + ("equal the server's" if not problems else "DIFFER")
        )
        for problem in problems:
            report.fail(f"final check ({attempt}): {problem}")
