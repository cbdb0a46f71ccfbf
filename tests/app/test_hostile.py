"""Hostile data from the API, rendered safely: each kind of hostility on every screen.

What the user would notice is checked on the composited screen (what reaches the
terminal): markup shows as typed, no escape sequence or control character gets
through, long or exotic text leaves the other columns where they belong, missing
fields read "—", unknown statuses read as they are, and a list that changes
between two page requests still shows every site exactly once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest
from rich.cells import cell_len
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from textual.pilot import Pilot
from textual.widgets import Log

import wpe_tui.text
from tests.app.conftest import START, AppFactory, settle, until
from wpe_tui.fake import FakeAccount, ManualClock
from wpe_tui.fake.records import OMIT, BackupRecord, DeploymentRecord
from wpe_tui.screens.item_detail import ItemDetailScreen
from wpe_tui.screens.site_detail import SiteDetailScreen
from wpe_tui.screens.site_list import SiteListScreen
from wpe_tui.widgets import PagedTable

# Anything that would steer the terminal: C0 and C1 controls (ESC among them),
# and the bidirectional overrides that reorder what follows them.
STEERING = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

SITE = "site_10001"  # first by name, with a deployment running and backups


@pytest.fixture(autouse=True)
def this_year(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def fixed_now() -> datetime:
        return START

    monkeypatch.setattr(wpe_tui.text, "now", fixed_now)
    yield


# -- what the screen shows ------------------------------------------------------


def screen_lines(pilot: Pilot[None]) -> list[str]:
    """The current screen as the terminal gets it, one string per row."""
    strips = pilot.app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def shown(pilot: Pilot[None]) -> str:
    return "\n".join(screen_lines(pilot))


def assert_nothing_steers(lines: list[str], where: str) -> None:
    for y, line in enumerate(lines):
        match = STEERING.search(line)
        assert match is None, f"{where}, row {y}: {match.group()!r} reached the terminal"


def newest_backup(account: FakeAccount, site_id: str = SITE) -> BackupRecord:
    return max(account.backup_records(site_id).values(), key=lambda b: (b.created_at, b.id))


def newest_deployment(account: FakeAccount, site_id: str = SITE) -> DeploymentRecord:
    return max(account.deployment_records(site_id).values(), key=lambda d: (d.created_at, d.id))


@dataclass
class Walk:
    """What each screen of one site showed, from the list to a deployment's log."""

    screens: dict[str, list[str]] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def text(self, name: str) -> str:
        return "\n".join(self.screens[name])

    def everywhere(self) -> Iterator[tuple[str, list[str]]]:
        yield from self.screens.items()


async def walk(pilot: Pilot[None], site_id: str = SITE) -> Walk:
    """Find the site with `/`, open it, its newest backup and its newest deployment."""
    seen = Walk()
    app = pilot.app
    await settle(pilot)
    seen.screens["list"] = screen_lines(pilot)
    await pilot.press("slash", *site_id, "enter")
    await settle(pilot)
    seen.screens["filtered list"] = screen_lines(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, SiteDetailScreen), "the site did not open"
    seen.screens["overview"] = screen_lines(pilot)
    await pilot.press("2")
    await settle(pilot)
    seen.screens["backups"] = screen_lines(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, ItemDetailScreen), "the backup did not open"
    seen.screens["backup"] = screen_lines(pilot)
    await pilot.press("escape", "3")
    await settle(pilot)
    seen.screens["deployments"] = screen_lines(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, ItemDetailScreen), "the deployment did not open"
    seen.screens["deployment"] = screen_lines(pilot)
    seen.log = list(app.screen.query_one("#logs", Log).lines)
    await pilot.press("escape", "escape")
    await settle(pilot)
    assert isinstance(app.screen, SiteListScreen)
    assert app.is_running
    return seen


def spoil(account: FakeAccount, text: str, site_id: str = SITE) -> None:
    """Put `text` in every free-text field of a site, its newest backup and deployment."""
    backup = newest_backup(account, site_id)  # generated before the name changes
    deployment = newest_deployment(account, site_id)
    account.update_site(site_id, name=f"{text} site")
    site = account.site_record(site_id)
    site.overrides = {
        "environment": f"{text} env",
        "php_version": f"{text} php",
        "environments": [
            {"name": f"{text} production", "url": f"https://{text}.example"},
            {"name": "staging", "url": "https://staging.example"},
        ],
    }
    backup.description = f"{text} description"
    backup.overrides = {"type": f"{text} type", "size": f"{text} size"}
    deployment.source = {"type": "git", "repository": f"{text} repo", "branch": f"{text} branch"}
    deployment.log_lines = [f"{text} log", *deployment.log_lines]


# -- markup, escape sequences, control characters ---------------------------------

MARKUP = "[bold]x[/] [@click=app.quit]q[/] [/] [red"


async def test_markup_in_every_field_shows_as_typed(
    make_app: AppFactory, account: FakeAccount
) -> None:
    spoil(account, MARKUP)
    app = make_app(page_size=100)
    async with app.run_test(size=(200, 50)) as pilot:
        seen = await walk(pilot)
    assert f"{MARKUP} site" in seen.text("list")
    overview = seen.text("overview")
    assert f"{MARKUP} site" in overview  # title bar and header
    assert f"{MARKUP} production" in overview and f"{MARKUP}.example" in overview
    assert f"{MARKUP} php" in overview
    assert f"{MARKUP} description" in seen.text("backups")
    backup = seen.text("backup")
    assert f"{MARKUP} description" in backup and f"{MARKUP} type" in backup
    assert f"{MARKUP} repo@{MARKUP} branch" in seen.text("deployment")
    assert f"{MARKUP} log" in seen.log
    assert f"{MARKUP} log" in seen.text("deployment")


ESCAPES = (
    "\x1b[31mred\x1b[0m"  # colour
    " \x1b]52;c;cHduZWQ=\x07"  # OSC 52: write the user's clipboard
    " \x1b]0;pwned-title\x1b\\"  # OSC 0: set the window title
    " \x1b]8;;https://evil.example\x07link\x1b]8;;\x07"  # OSC 8 hyperlink
    " \x1bP+q544e\x1b\\"  # DCS: ask the terminal things
    " \x9b2J\x1b[2J\x1b[H"  # clear the screen, 8-bit and 7-bit
    " \x1bc"  # reset the terminal
)


async def test_escape_sequences_never_reach_the_terminal(
    make_app: AppFactory, account: FakeAccount
) -> None:
    spoil(account, ESCAPES)
    app = make_app(page_size=100)
    async with app.run_test(size=(200, 50)) as pilot:
        seen = await walk(pilot)
    for name, lines in seen.everywhere():
        assert_nothing_steers(lines, name)
        payload = "\n".join(lines)
        for secret in ("cHduZWQ", "pwned-title", "evil.example", "544e"):
            assert secret not in payload, f"{name}: the escape's payload {secret!r} is shown"
    assert_nothing_steers(seen.log, "log")
    # What was text around the sequences is still there.
    assert "red" in seen.text("list") and "link" in seen.text("list")
    assert any(line.startswith("red") and line.endswith(" log") for line in seen.log)


CONTROLS = "a\x00b\x07c\x08d\re\x7ff\x85g\x0bh\x0ci\tj\u202eevil\u202c\u2067k\u2069"


async def test_control_characters_never_reach_the_terminal(
    make_app: AppFactory, account: FakeAccount
) -> None:
    spoil(account, CONTROLS)
    app = make_app(page_size=100)
    async with app.run_test(size=(200, 50)) as pilot:
        seen = await walk(pilot)
    for name, lines in seen.everywhere():
        assert_nothing_steers(lines, name)
    assert_nothing_steers(seen.log, "log")
    # One line each, the letters in order: a control became a space, never a line break.
    assert "a b c d e f g h i    jevilk site" in seen.text("list")
    assert "a b c d e f g h i    jevilk site" in seen.text("overview")


async def test_deployment_log_is_stripped_of_sequences_but_keeps_its_text(
    make_app: AppFactory, account: FakeAccount
) -> None:
    log = [
        "\x1b[32mBuild OK\x1b[0m",
        "Receiving objects:  50% (5/10)\rReceiving objects: 100% (10/10)",
        "\x1b]0;pwned-title\x07Title untouched",
        "[bold]not markup[/] [/]",
        "tab\there\x07 bell\x00 nul",
        "windows line\r",
        "\u202eesrever",
        "Deployment completed",
    ]
    newest_deployment(account).overrides = {"logs": "\n".join(log)}
    app = make_app(page_size=100)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = await walk(pilot)
    assert_nothing_steers(seen.log, "log")
    assert seen.log[:7] == [
        "Build OK",
        "Receiving objects: 100% (10/10)",  # what the terminal showed after the \r
        "Title untouched",
        "[bold]not markup[/] [/]",
        "tab    here bell nul",
        "windows line",
        "esrever",
    ]
    assert_nothing_steers(seen.screens["deployment"], "deployment screen")
    assert "[bold]not markup[/] [/]" in seen.text("deployment")


# -- right-to-left text, emoji, 10 KB strings ----------------------------------------

RTL_AND_EMOJI = "مرحبا שלום 🚀 café e\u0301 中文"
STATUS_WORD = re.compile(r"\b(active|inactive|provisioning)\b")
DATE = re.compile(r"\d{4}-\d\d-\d\d|\d\d-\d\d \d\d:\d\d")


def column_of(line: str, text: str) -> int:
    """The terminal column at which `text` starts in `line`."""
    return cell_len(line[: line.index(text)])


async def test_right_to_left_text_and_emoji_keep_the_columns_in_place(
    make_app: AppFactory, account: FakeAccount
) -> None:
    spoil(account, RTL_AND_EMOJI)
    app = make_app(page_size=100)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"site_1000", "enter")  # site_10001 ... site_10009
        await settle(pilot)
        lines = screen_lines(pilot)
        seen = await walk(pilot)
    header = next(line for line in lines if line.startswith("Name"))
    rows = [line for line in lines if STATUS_WORD.search(line)]
    assert len(rows) == 9
    hostile = next(line for line in rows if "🚀" in line)
    assert hostile.startswith("مرحبا שלום 🚀")
    for row in rows:  # every status starts under its heading, every date under its own
        status = STATUS_WORD.search(row)
        # The status starts under its heading, with its symbol first.
        assert status is not None
        assert column_of(row, status.group()) - 2 == column_of(header, "Status")
        date = DATE.search(row)
        assert date is not None and column_of(row, date.group()) == column_of(header, "Created")
    for name, screen in seen.everywhere():
        assert all(cell_len(line) == 100 for line in screen), f"{name}: a row is too long"
    assert f"{RTL_AND_EMOJI} site" in seen.text("overview")
    assert f"{RTL_AND_EMOJI} description" in seen.text("backup")
    assert f"{RTL_AND_EMOJI} log" in seen.log


LONG = "L" * 10_000


async def test_10kb_strings_leave_the_other_columns_visible_at_80_columns(
    make_app: AppFactory, account: FakeAccount
) -> None:
    newest_backup(account).description = LONG
    deployment = newest_deployment(account)
    account.update_site(SITE, name=LONG)
    deployment.source = {"type": "git", "repository": LONG, "branch": "main"}
    deployment.log_lines = [LONG, *deployment.log_lines]
    app = make_app(page_size=100)
    async with app.run_test(size=(80, 24)) as pilot:
        seen = await walk(pilot)
    row = next(line for line in seen.screens["filtered list"] if line.startswith("LLL"))
    assert "active" in row and "acmecorpblog." in row and "2021-11-25" in row
    backup_row = next(line for line in seen.screens["backups"] if line.startswith("backup_"))
    assert "LLL" in backup_row and "full" in backup_row
    assert "in progress" in backup_row or "completed" in backup_row
    deployment_row = next(
        line for line in seen.screens["deployments"] if line.startswith("deploy_")
    )
    assert "LLL" in deployment_row and "in progress" in deployment_row
    # The facts after a long one are still on the screen.
    backup = seen.text("backup")
    assert "Status" in backup and "Created" in backup and "Download" in backup
    deployment = seen.text("deployment")
    assert "Status" in deployment and "Changes" in deployment and "Logs" in deployment
    assert seen.log[0] == LONG  # a log line is never cut: the log scrolls sideways
    for name, lines in seen.everywhere():
        assert all(cell_len(line) == 80 for line in lines), name


async def test_10kb_site_name_leaves_status_and_url_in_the_site_header(
    make_app: AppFactory, account: FakeAccount
) -> None:
    account.update_site(SITE, name=LONG)
    app = make_app(page_size=100)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *SITE, "enter", "enter")
        await settle(pilot)
        overview = shown(pilot)
    header = next(line for line in overview.splitlines() if "LLL…" in line and "›" not in line)
    assert "active" in header
    assert "https://acmecorpblog.wpengine.com" in header
    assert "PHP 8.2" in overview


async def test_units_of_disk_and_bandwidth_cannot_steer_the_terminal(
    make_app: AppFactory, account: FakeAccount
) -> None:
    account.site_record(SITE).overrides = {
        "disk_usage": {"used": 1, "total": 10, "unit": "G\x1b]52;c;cHduZWQ=\x07B"},
        "bandwidth": {"current_month": 1, "unit": "G\x1b[31mB"},
    }
    app = make_app(page_size=100)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *SITE, "enter", "enter")
        await settle(pilot)
        lines = screen_lines(pilot)
    assert_nothing_steers(lines, "overview")
    overview = "\n".join(lines)
    assert "1 / 10 GB (10 %)" in overview and "Bandwidth this month 1.0 GB" in overview


# -- missing and null fields --------------------------------------------------------

SITE_OPTIONAL = (
    "name",
    "environment",
    "created_at",
    "updated_at",
    "url",
    "status",
    "php_version",
    "wordpress_version",
    "disk_usage",
    "bandwidth",
    "environments",
)
BACKUP_OPTIONAL = (
    "site_id",
    "description",
    "type",
    "status",
    "created_at",
    "completed_at",
    "size",
    "download_url",
    "contents",
    "estimated_completion_time",
)
DEPLOYMENT_OPTIONAL = (
    "site_id",
    "environment",
    "source",
    "status",
    "created_at",
    "completed_at",
    "logs",
    "changes",
    "estimated_completion_time",
)


def blank_out(account: FakeAccount, value: object) -> None:
    account.site_record(SITE).overrides = dict.fromkeys(SITE_OPTIONAL, value)
    newest_backup(account).overrides = dict.fromkeys(BACKUP_OPTIONAL, value)
    newest_deployment(account).overrides = dict.fromkeys(DEPLOYMENT_OPTIONAL, value)


@pytest.mark.parametrize("value", [None, OMIT], ids=["null", "missing"])
async def test_every_optional_field_null_or_missing_reads_as_a_dash(
    make_app: AppFactory, account: FakeAccount, value: object
) -> None:
    blank_out(account, value)
    app = make_app(page_size=100)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = await walk(pilot)
        errors = [n.message for n in app.notices if n.severity == "error"]
    assert errors == [], "every answer was understood"
    row = next(line for line in seen.screens["filtered list"] if line.startswith("—"))
    assert re.fullmatch(r"—\s+—\s+—\s+—\s+—\s*", row), row
    overview = seen.text("overview")
    assert "PHP — · WordPress — · created — · updated —" in overview
    assert "— / —" in overview and "Bandwidth this month —" in overview
    backup = seen.text("backup")
    for label in ("Description", "Type", "Status", "Created", "Completed", "Size", "Download"):
        assert re.search(rf"{label}\s+—", backup), label
    deployment = seen.text("deployment")
    for label in ("Environment", "Source", "Status", "Created", "Completed", "Took", "Changes"):
        assert re.search(rf"{label}\s+—", deployment), label
    assert seen.log == [] or seen.log == [""]


async def test_null_fields_inside_nested_objects_read_as_dashes(
    make_app: AppFactory, account: FakeAccount
) -> None:
    account.site_record(SITE).overrides = {
        "disk_usage": {"used": None, "total": None, "unit": None},
        "bandwidth": {"current_month": None, "unit": None},
        "environments": [{"name": None, "url": None}, {}],
    }
    newest_backup(account).overrides = {
        "contents": {"database": None, "files": False, "plugins": None},
    }
    newest_deployment(account).overrides = {
        "source": {"type": None, "repository": None, "branch": None, "commit": None},
        "changes": {"added": None, "modified": None, "deleted": None},
    }
    app = make_app(page_size=100)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = await walk(pilot)
        errors = [n.message for n in app.notices if n.severity == "error"]
    assert errors == [], "every answer was understood"
    overview = seen.screens["overview"]
    assert sum(1 for line in overview if re.fullmatch(r"\s*—\s+—\s*", line)) == 2
    assert "— / —" in seen.text("overview")
    assert "✗ files" in seen.text("backup") and "✓ database" in seen.text("backup")
    assert re.search(r"Source\s+—", seen.text("deployment"))
    assert "+— ~— -—" in seen.text("deployment")


async def test_a_page_without_pagination_still_shows_its_rows(make_app: AppFactory) -> None:
    sites = [{"id": f"s{i}", "name": f"Site {i}"} for i in range(7)]

    async def list_sites(request: Request) -> JSONResponse:
        return JSONResponse({"results": sites, "pagination": None})

    api = Starlette(routes=[Route("/v1/sites", list_sites)])
    app = make_app(api=api)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sites", PagedTable)
        text = shown(pilot)
    assert table.row_count == 7
    assert all(f"Site {i}" in text for i in range(7))
    assert "7 sites · 7 loaded" in text


# -- unknown statuses -----------------------------------------------------------------


async def test_unknown_site_status_shows_and_the_live_refresh_keeps_going(
    make_app: AppFactory, account: FakeAccount, fake: Starlette
) -> None:
    account.update_site(SITE, status="exploding")
    app = make_app(page_size=100)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        row = next(line for line in screen_lines(pilot) if line.startswith("Acme Corp Blog"))
        assert "exploding" in row

        # Not a status known to be final: its page is asked for again, and that breaks
        # nothing.
        def polls() -> int:
            return sum(1 for r in fake.state.requests if r.path == "/v1/sites")

        await until(pilot, lambda: polls() >= 3)
        account.update_site(SITE, status="active")
        await until(
            pilot,
            lambda: any(
                line.startswith("Acme Corp Blog") and "active" in line
                for line in screen_lines(pilot)
            ),
        )
        assert app.is_running


async def test_unknown_backup_and_deployment_statuses_show_as_they_are(
    make_app: AppFactory, account: FakeAccount, clock: ManualClock
) -> None:
    newest_backup(account).overrides = {"status": "quarantined"}
    newest_deployment(account).overrides = {"status": "on_hold"}
    app = make_app(page_size=100)
    async with app.run_test(size=(100, 30)) as pilot:
        seen = await walk(pilot)
        assert app.is_running
    backups = next(line for line in seen.screens["backups"] if "quarantined" in line)
    assert backups.lstrip().startswith("backup_")
    assert re.search(r"Status\s+\? quarantined", seen.text("backup"))
    assert any("on hold" in line for line in seen.screens["deployments"])
    assert re.search(r"Status\s+\? on hold", seen.text("deployment"))


async def test_status_with_markup_and_escapes_shows_as_plain_text(
    make_app: AppFactory, account: FakeAccount
) -> None:
    account.update_site(SITE, status="[/]\x1b[5mmelt[b]")
    app = make_app(page_size=100)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = screen_lines(pilot)
        await pilot.pause(1.2)  # a live refresh or two
        await settle(pilot)
        assert app.is_running
    assert_nothing_steers(lines, "list")
    row = next(line for line in lines if line.startswith("Acme Corp Blog"))
    assert "[/]melt[b]" in row


# -- toasts and the palette carry names too ---------------------------------------------

HOSTILE_NAME = "[/] [@click=app.quit]boom[/] \x1b]52;c;cHduZWQ=\x07"


async def test_a_toast_naming_a_hostile_site_shows_the_name_as_typed(
    make_app: AppFactory, account: FakeAccount, clock: ManualClock
) -> None:
    provisioning = account.site_id(119)  # the newest site is still being set up
    account.update_site(provisioning, name=HOSTILE_NAME)
    app = make_app(page_size=100)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        clock.advance(60)  # it finishes provisioning: the live refresh says so
        await pilot.pause(1.2)
        await settle(pilot)
        lines = screen_lines(pilot)
        assert app.is_running
    assert_nothing_steers(lines, "toast")
    assert "[/] [@click=app.quit]boom[/]" in "\n".join(lines)


async def test_a_hostile_error_message_from_the_server_shows_as_typed(
    make_app: AppFactory,
) -> None:
    async def list_sites(request: Request) -> JSONResponse:
        body = {"error": "bad", "message": "[/] no \x1b]52;c;cHduZWQ=\x07 sites"}
        return JSONResponse(body, status_code=400)

    api = Starlette(routes=[Route("/v1/sites", list_sites)])
    app = make_app(api=api)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        lines = screen_lines(pilot)
        assert app.is_running
    assert_nothing_steers(lines, "toast")
    assert "[/] no" in "\n".join(lines)


async def test_the_palette_lists_a_hostile_site_name_as_typed(
    make_app: AppFactory, account: FakeAccount
) -> None:
    account.update_site(SITE, name="[/] boom [@click=app.quit]q[/]")
    app = make_app(page_size=100)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"boom")
        await pilot.pause(0.5)
        await settle(pilot)
        lines = screen_lines(pilot)
        assert app.is_running
    assert "[/] boom [@click=app.quit]q[/]" in "\n".join(lines)


async def test_the_palette_takes_an_unclosed_bracket_in_a_query_or_a_name(
    make_app: AppFactory, account: FakeAccount
) -> None:
    account.update_site(SITE, name="Acme [/ Hosting")
    app = make_app(page_size=100)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"zq[/")  # matches no name: the palette says so
        await pilot.pause(0.5)
        await settle(pilot)
        assert app.is_running and not app.crash_reports
        assert "No site name matches 'zq[/'" in "\n".join(screen_lines(pilot))
        for _ in range(4):
            await pilot.press("backspace")
        await pilot.press(*"hosting")
        await pilot.pause(0.5)
        await settle(pilot)
        lines = screen_lines(pilot)
        assert app.is_running and not app.crash_reports
    assert "Acme [/ Hosting" in "\n".join(lines)


async def test_an_unclosed_bracket_in_a_name_reaches_every_header_as_typed(
    make_app: AppFactory, account: FakeAccount
) -> None:
    account.update_site(SITE, name="Acme [/ Hosting")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"hosting", "enter", "enter")  # the site, then a backup
        await settle(pilot)
        assert "sites › Acme [/ Hosting" in screen_lines(pilot)[0]
        await pilot.press("2", "enter")
        await settle(pilot)
        assert "sites › Acme [/ Hosting › backup" in screen_lines(pilot)[0]
        assert app.is_running and not app.crash_reports


async def test_the_header_drops_whole_parts_at_80_columns(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "2")
        await settle(pilot)
        header = screen_lines(pilot)[0].strip()
        assert "…" not in header, "no part is cut"
        assert header.startswith("sites › Acme Corp Blog · 21 backups") and "updated" in header
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        assert "profile test · sites › Acme Corp Blog" in screen_lines(pilot)[0]
        assert "sort created at ↓" in screen_lines(pilot)[0]


# -- pagination that changes between requests -------------------------------------------


@dataclass
class DriftingSites:
    """A /v1/sites whose list may change before any page is served.

    `before(page, call)` runs before page `page` is answered (`call` counts the
    requests); it may change `sites` or return the answer to give instead.
    """

    sites: list[dict[str, Any]]
    before: Callable[[int, int], dict[str, Any] | None] = lambda page, call: None
    calls: list[int] = field(default_factory=list)

    def app(self) -> Starlette:
        async def list_sites(request: Request) -> JSONResponse:
            page = int(request.query_params.get("page", "1"))
            per_page = int(request.query_params.get("per_page", "10"))
            self.calls.append(page)
            override = self.before(page, len(self.calls))
            if override is not None:
                return JSONResponse(override)
            return JSONResponse(self.page(page, per_page))

        return Starlette(routes=[Route("/v1/sites", list_sites)])

    def page(self, page: int, per_page: int, total: int | None = None) -> dict[str, Any]:
        chunk = self.sites[(page - 1) * per_page : page * per_page]
        total = len(self.sites) if total is None else total
        return {
            "results": chunk,
            "pagination": {
                "total": total,
                "count": len(chunk),
                "per_page": per_page,
                "current_page": page,
                "total_pages": -(-total // per_page),
            },
        }


def site(number: int) -> dict[str, Any]:
    return {
        "id": f"site_{number}",
        "name": f"Site {number:03d}",
        "url": f"https://site{number}.example",
        "status": "active",
    }


async def shows_each_once(pilot: Pilot[None], expected: list[dict[str, Any]]) -> PagedTable:
    """Every site of `expected` on screen exactly once, in its order, and nothing else."""
    await settle(pilot, rounds=8)
    table = pilot.app.screen.query_one("#sites", PagedTable)
    keys = [row.key if row else None for row in map(table.row_at, range(table.row_count))]
    assert keys == [s["id"] for s in expected]
    lines = screen_lines(pilot)
    names = [line.split("  ")[0] for line in lines if line.startswith("Site ")]
    assert names == [s["name"] for s in expected], "drawn once each, in order"
    assert not any("loading" in line or "could not load" in line for line in lines)
    count = len(expected)
    assert f"{count} sites · {count} loaded" in lines[0]
    return table


PER_PAGE = 10


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda sites: sites.insert(0, site(999)), id="total-grows"),
        pytest.param(lambda sites: sites.pop(0), id="total-shrinks"),
        pytest.param(lambda sites: sites.pop(12), id="shrinks-after-the-page"),
        pytest.param(lambda sites: (sites.insert(0, site(999)), sites.pop()), id="same-total"),
        pytest.param(lambda sites: sites.extend(site(n) for n in range(900, 915)), id="new-page"),
        pytest.param(lambda sites: sites.__delitem__(slice(10, None)), id="empty-page"),
    ],
)
async def test_a_list_that_changes_between_pages_shows_each_site_once(
    make_app: AppFactory, change: Callable[[list[dict[str, Any]]], object]
) -> None:
    api = DriftingSites([site(n) for n in range(25)])

    def before(page: int, call: int) -> None:
        if call == 2:  # after page 1 was served, before any other
            change(api.sites)

    api.before = before
    app = make_app(page_size=PER_PAGE, api=api.app())
    async with app.run_test(size=(80, 50)) as pilot:
        await shows_each_once(pilot, api.sites)
        assert len(api.calls) <= 10, "a few requests set it right, not a storm"


async def test_an_empty_page_the_total_still_counts_leaves_no_blank_rows(
    make_app: AppFactory,
) -> None:
    api = DriftingSites([site(n) for n in range(25)])

    def before(page: int, call: int) -> dict[str, Any] | None:
        if page == 2:  # the server says 25 but has nothing on page 2
            return {"results": [], "pagination": {"total": 25}}
        return None

    api.before = before
    app = make_app(page_size=PER_PAGE, api=api.app())
    async with app.run_test(size=(80, 50)) as pilot:
        expected = api.sites[:10] + api.sites[20:]
        table = await shows_each_once(pilot, expected)
        assert table.row_count == 15
        await pilot.press("end")
        await settle(pilot)
        assert table.current_row is not None and table.current_row.key == "site_24"


async def test_a_server_that_always_repeats_a_row_shows_it_once(make_app: AppFactory) -> None:
    api = DriftingSites([site(n) for n in range(25)])

    def before(page: int, call: int) -> dict[str, Any] | None:
        if page == 2:  # an unstable sort: page 2 starts with page 1's last site, every time
            answer = api.page(2, PER_PAGE)
            answer["results"] = [api.sites[9], *answer["results"][:-1]]
            return answer
        return None

    api.before = before
    app = make_app(page_size=PER_PAGE, api=api.app())
    async with app.run_test(size=(80, 50)) as pilot:
        expected = [s for s in api.sites if s["id"] != "site_19"]  # never sent
        await shows_each_once(pilot, expected)
        assert len(api.calls) <= 12, "it gives up asking again after a few tries"


async def test_a_list_that_keeps_changing_settles_without_a_request_storm(
    make_app: AppFactory,
) -> None:
    api = DriftingSites([site(n) for n in range(25)])

    def before(page: int, call: int) -> None:
        if call % 2 == 0:  # a site is created before every other request, for a while
            api.sites.insert(0, site(500 + call))

    api.before = before
    app = make_app(page_size=PER_PAGE, api=api.app())
    async with app.run_test(size=(80, 50)) as pilot:
        await settle(pilot, rounds=8)
        table = app.screen.query_one("#sites", PagedTable)
        keys = [row.key if row else None for row in map(table.row_at, range(table.row_count))]
        assert None not in keys, "no row is left loading"
        assert len(keys) == len(set(keys)), "no site is shown twice"
        assert len(api.calls) <= 15
        api.before = lambda page, call: None
        await pilot.press("r")  # once it holds still, r shows it exactly
        await shows_each_once(pilot, api.sites)


async def test_a_site_deleted_under_the_live_refresh_leaves_no_hole(
    make_app: AppFactory,
) -> None:
    # site_5 is being deleted: the live refresh polls it until it is gone (404).
    sites = [site(n) for n in range(25)]
    sites[5]["status"] = "deleting"
    gone: set[str] = set()

    async def list_sites(request: Request) -> JSONResponse:
        page = int(request.query_params["page"])
        per_page = int(request.query_params["per_page"])
        live = [s for s in sites if s["id"] not in gone]
        chunk = live[(page - 1) * per_page : page * per_page]
        return JSONResponse({"results": chunk, "pagination": {"total": len(live)}})

    async def get_site(request: Request) -> JSONResponse:
        site_id = request.path_params["site_id"]
        if site_id in gone:
            return JSONResponse({"error": "not_found", "message": "gone"}, status_code=404)
        return JSONResponse(next(s for s in sites if s["id"] == site_id))

    api = Starlette(routes=[Route("/v1/sites", list_sites), Route("/v1/sites/{site_id}", get_site)])
    app = make_app(page_size=PER_PAGE, api=api)
    async with app.run_test(size=(80, 50)) as pilot:
        await settle(pilot)
        gone.add("site_5")
        await pilot.pause(1.2)  # the refresh interval is 0.5 s in tests
        await shows_each_once(pilot, [s for s in sites if s["id"] != "site_5"])
