"""Quick restore (`R`): the modal, its guard rails, and the exact request sent."""

from __future__ import annotations

from typing import Any, cast

from starlette.applications import Starlette
from textual.widgets import Button

from tests.app.conftest import AppFactory, settle, until
from tests.app.test_site_detail import open_site
from wpe_tui.api import Backup
from wpe_tui.app import WpeApp
from wpe_tui.fake import ManualClock
from wpe_tui.modals.form import FieldError
from wpe_tui.modals.restore import RestoreModal
from wpe_tui.screens.activity import ActivityScreen
from wpe_tui.screens.site_detail import SiteDetailScreen


def writes(fake: Starlette) -> list[Any]:
    return [r for r in fake.state.requests if r.method != "GET"]


def error_text(app: WpeApp, field: str) -> str:
    line = app.screen.query_one(f"#error-{field}", FieldError)
    return str(line.render()) if line.display else ""


async def open_restore(pilot: Any, row: int = 1) -> tuple[SiteDetailScreen, Backup]:
    """Acme Corp Blog → Backups → row `row` (1 = the second newest) → R."""
    screen = await open_site(pilot)
    await pilot.press("2", *["j"] * row)
    backup = cast(Backup, screen.backups.current_row.data)  # type: ignore[union-attr]
    await pilot.press("R")
    await settle(pilot)
    assert isinstance(pilot.app.screen, RestoreModal)
    return screen, backup


async def test_quick_restore_into_staging_sends_the_spec_body(
    make_app: AppFactory, fake: Starlette, clock: ManualClock
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen, backup = await open_restore(pilot)
        modal = app.screen
        assert modal.focused is modal.query_one("#environment")  # the selector is first
        # staging is the second environment; plugins (3) and themes (4) off.
        await pilot.press("right", "space", "3", "4", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen, "the modal closed"
        [sent] = writes(fake)
        assert sent.method == "POST"
        assert sent.path == f"/v1/sites/site_10001/backups/{backup.id}/restore"
        assert sent.json == {
            "environment": "staging",
            "contents": {"database": True, "files": True, "plugins": False, "themes": False},
        }
        # It is followed in the activity panel, and its end is announced.
        ops = [o for o in app.session.activity.entries() if o.kind == "restore"]
        assert len(ops) == 1 and ops[0].mine and ops[0].status == "in_progress"
        op = ops[0]
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ActivityScreen)
        assert f"op:{op.key}" in app.screen.table.rows
        clock.advance(60)  # the fake's restores take 15-30 s
        await pilot.press("r")
        await until(pilot, lambda: op.status == "completed")
        assert any("completed" in n.message and op.item_id in n.message for n in app.notices)
        assert len(writes(fake)) == 1


async def test_cancel_sends_nothing(make_app: AppFactory, fake: Starlette) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen, _ = await open_restore(pilot)
        await pilot.press("right", "space", "escape")
        await settle(pilot)
        assert app.screen is screen
        assert writes(fake) == []


async def test_double_submit_sends_exactly_one_request(
    make_app: AppFactory, fake: Starlette
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_restore(pilot)
        fake.state.faults.latency_ms = 400  # the first request is still on its way
        fake.state.faults.jitter_ms = 0
        modal = app.screen
        await pilot.press("right", "space", "ctrl+s")
        assert modal.query_one("#submit", Button).disabled
        await pilot.press("ctrl+s", "ctrl+s")
        await pilot.click("#submit")
        await settle(pilot)
        assert len(writes(fake)) == 1


async def test_only_completed_backups_can_be_restored(
    make_app: AppFactory, fake: Starlette
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"site_10003", "enter")  # its newest backup is running
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("2", "R")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, RestoreModal)
        assert "Only a completed backup can be restored" in error_text(app, "form")
        assert modal.query_one("#submit", Button).disabled
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal
        assert writes(fake) == []


async def test_production_needs_the_site_name_typed(make_app: AppFactory, fake: Starlette) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_restore(pilot)
        modal = app.screen
        await pilot.press("space")  # production, the first environment
        assert modal.query_one("#confirm").display
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Type Acme Corp Blog exactly" in error_text(app, "confirm-name")
        assert writes(fake) == []
        modal.query_one("#confirm-name").focus()
        await pilot.press(*"Acme Corp Blo", "ctrl+s")  # one letter short
        await settle(pilot)
        assert app.screen is modal and writes(fake) == []
        await pilot.press("g", "ctrl+s")
        await settle(pilot)
        [sent] = writes(fake)
        assert sent.json["environment"] == "production"


async def test_at_least_one_content_flag(make_app: AppFactory, fake: Starlette) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_restore(pilot)
        await pilot.press("right", "space", "1", "2", "3", "4", "ctrl+s")
        await settle(pilot)
        assert "at least one" in error_text(app, "contents")
        assert writes(fake) == []
        await pilot.press("2", "ctrl+s")  # files only
        await settle(pilot)
        [sent] = writes(fake)
        assert sent.json["contents"] == {
            "database": False,
            "files": True,
            "plugins": False,
            "themes": False,
        }


class FailNextWrite:
    """In front of the fake: the next POST, PUT or DELETE gets a 500 (the GETs that
    live refresh sends meanwhile are left alone). Counts the writes it sees."""

    def __init__(self, api: Starlette) -> None:
        self.api = api
        self.armed = False
        self.writes = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] != "GET":
            self.writes += 1
            if self.armed:
                self.armed = False
                headers = [(b"content-type", b"application/json")]
                await send({"type": "http.response.start", "status": 500, "headers": headers})
                await send({"type": "http.response.body", "body": b'{"message": "Simulated"}'})
                return
        await self.api(scope, receive, send)


async def test_server_error_keeps_the_modal_and_the_choices(
    make_app: AppFactory, fake: Starlette
) -> None:
    front = FailNextWrite(fake)
    app = make_app(api=front)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_restore(pilot)
        modal = app.screen
        assert isinstance(modal, RestoreModal)
        front.armed = True
        await pilot.press("right", "space", "4", "ctrl+s")
        await settle(pilot)
        assert app.screen is modal
        assert "500" in error_text(app, "form") and "Nothing changed" in error_text(app, "form")
        assert modal.environment == "staging"
        assert modal.contents.selected() == ["database", "files", "plugins"]
        assert front.writes == 1, "a failed write is not retried by itself"
        await pilot.press("ctrl+s")  # the user decides to send it again
        await settle(pilot)
        assert app.screen is not modal
        assert front.writes == 2 and len(writes(fake)) == 1


async def test_restore_from_backup_detail_and_palette(
    make_app: AppFactory, fake: Starlette
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_site(pilot)
        await pilot.press("2", "j")
        titles = [c.title for c in app.get_system_commands(screen)]
        backup = cast(Backup, screen.backups.current_row.data)  # type: ignore[union-attr]
        assert any(t.startswith(f"Quick restore backup {backup.id}") for t in titles)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, RestoreModal) and modal.backup.id == backup.id
