"""A write whose outcome is unknown is never reported as "nothing changed": the app
checks whether it was applied, and a resend asks first. Over real loopback HTTP, where a
client's read timeout is real."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from tests.app.conftest import START, settle, until
from wpe_tui.api import WpeClient
from wpe_tui.app import WpeApp
from wpe_tui.config import Settings, UiPrefs
from wpe_tui.fake import FakeAccount, FakeServer, ManualClock
from wpe_tui.modals.confirm import ConfirmModal
from wpe_tui.modals.form import FieldError, FormModal
from wpe_tui.screens.site_detail import SiteDetailScreen


@pytest.fixture
def server() -> Iterator[FakeServer]:
    account = FakeAccount(sites=30, seed=1, clock=ManualClock(START))
    with FakeServer(account=account) as running:
        yield running


def app_over(server: FakeServer, tmp_path: Path) -> WpeApp:
    client = WpeClient("k", server.base_url, read_timeout=0.5, backoff_base=0.01)
    settings = Settings(
        profile_name="test",
        api_key=SecretStr("k"),
        base_url=server.base_url,
        read_only=False,
        ui=UiPrefs(refresh_interval=0.5, page_size=50),
        config_path=tmp_path / "config.toml",
    )
    return WpeApp(settings, client)


def posts(server: FakeServer) -> list[Any]:
    return [r for r in server.app.state.requests if r.method == "POST"]


def said(app: WpeApp) -> str:
    modal = app.screen
    assert isinstance(modal, FormModal)
    return str(modal.query_one("#error-form", FieldError).render())


async def open_site(pilot: Any) -> SiteDetailScreen:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SiteDetailScreen)
    return pilot.app.screen


async def test_a_backup_whose_answer_came_too_late_is_found_applied(
    server: FakeServer, tmp_path: Path
) -> None:
    app = app_over(server, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_site(pilot)
        server.app.state.faults.write_latency_ms = 1500  # done at once, answered late
        await pilot.press("b", *"before the update", "ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, FormModal))
        server.app.state.faults.write_latency_ms = 0
        assert len(posts(server)) == 1
        assert any("timed out, but it was applied" in n.message for n in app.notices)
        await until(pilot, lambda: screen.backups.current_row is not None)
        top = screen.backups.current_row
        assert top is not None and top.data.description == "before the update"
        assert not any("Nothing changed" in n.message for n in app.notices)


async def test_a_dropped_connection_before_the_write_is_found_not_applied(
    server: FakeServer, tmp_path: Path
) -> None:
    app = app_over(server, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot)
        await pilot.press("b", *"nightly")
        server.app.state.faults.drop_next(1, writes=True)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "It was not applied" in said(app))
        assert "Nothing changed" not in said(app)
        assert len(posts(server)) == 1
        op = app.session.activity.entries()[0]
        assert op.status == "not applied"
        await pilot.press("ctrl+s")  # found not applied: sent again without asking
        await until(pilot, lambda: not isinstance(app.screen, FormModal))
        assert len(posts(server)) == 2


async def test_a_restore_sent_with_no_answer_cannot_be_checked_and_a_resend_asks(
    server: FakeServer, tmp_path: Path
) -> None:
    app = app_over(server, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot)
        await pilot.press("2", "j", "R", "right", "space")
        server.app.state.faults.drop_after_next(1)  # done, then the connection drops
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "cannot be checked" in said(app))
        assert len(posts(server)) == 1
        entries = app.session.activity.entries()
        assert entries[0].status == "unknown" and entries[0].title().startswith("Restore of")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal), "a resend asks first"
        await pilot.press("enter")  # focus starts on Cancel
        await settle(pilot)
        assert len(posts(server)) == 1, "nothing sent again"


async def test_a_gateway_timeout_on_a_deletion_is_checked_by_reading_the_backup(
    server: FakeServer, tmp_path: Path
) -> None:
    app = app_over(server, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_site(pilot)
        await pilot.press("2")
        await settle(pilot)
        # A completed backup, so the fake deletes it.
        for index in range(screen.backups.row_count):
            row = screen.backups.row_at(index)
            if row is not None and row.data.status == "completed":
                screen.backups.cursor = index
                break
        await pilot.press("D")
        await settle(pilot)
        server.app.state.faults.fail_next(1, status=504, writes=True)
        await pilot.press("tab", "enter")  # from Cancel to Delete
        await until(pilot, lambda: "It was not applied" in said(app))
        assert "Nothing changed" not in said(app)


async def test_refused_before_anything_was_sent_is_nothing_changed(tmp_path: Path) -> None:
    client = WpeClient("k", "http://127.0.0.1:9/v1", backoff_base=0.01, max_retries=0)
    settings = Settings(
        profile_name="test",
        api_key=SecretStr("k"),
        base_url="http://127.0.0.1:9/v1",
        read_only=False,
        ui=UiPrefs(refresh_interval=0.5),
        config_path=tmp_path / "config.toml",
    )
    from wpe_tui.kinds.site import open_new_site

    app = WpeApp(settings, client)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        open_new_site(app.screen, app.session, created=lambda _: None)  # type: ignore[arg-type]
        await settle(pilot)
        await pilot.press(*"Harbor Lights", "ctrl+s")
        await until(pilot, lambda: "Nothing changed" in said(app))
