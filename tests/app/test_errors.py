"""Errors take one path: a bug reaches the crash screen, an API error is one toast,
and the same toast again within 5 s is counted, not stacked."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette

from tests.app.conftest import AppFactory, settle
from wpe_tui.core.kinds import SiteKind
from wpe_tui.widgets import PagedTable


async def test_a_bug_in_a_page_fetch_is_a_crash_report_not_r_to_retry(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_args: Any) -> Any:
        raise KeyError("a bug in building the rows")

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(SiteKind, "list", broken)
        await pilot.press("r")
        await settle(pilot)
        assert type(app.screen).__name__ == "CrashScreen"
        assert "a bug in building the rows" in app.screen.report_text  # type: ignore[attr-defined]
        app.crash_reports.clear()


async def test_the_same_error_again_is_one_toast_with_a_count(
    make_app: AppFactory, fake: Starlette
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        fake.state.faults.fail_next(40, status=500)
        for _ in range(3):
            await pilot.press("r")  # each refresh fails after the client's retries
            await settle(pilot)
        shown = app.toasts_on_screen()
        failures = [m for m in shown if "500" in m]
        assert len(failures) == 1, shown
        assert failures[0].endswith("×3")
        table = app.screen.query_one("#sites", PagedTable)
        assert table.total == 120, "what was loaded stays"


async def test_a_toast_is_put_away_when_a_form_opens_and_not_drawn_twice(
    make_app: AppFactory, fake: Starlette
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        fake.state.faults.fail_next(4, status=500)
        await pilot.press("r")
        await settle(pilot)
        assert any("500" in m for m in app.toasts_on_screen())
        assert app.screen.query("Toast"), "the error is drawn on the list"
        await pilot.press("n")  # the New site form
        await settle(pilot)
        assert type(app.screen).__name__ == "NewSiteModal"
        assert not app.screen.query("Toast"), "nothing sits on the form's border or buttons"
        assert app.toasts_on_screen() == []
        assert any("500" in n.message for n in app.notices), "kept among the messages"
        await pilot.press("escape")
        await settle(pilot)
        assert not app.screen.query("Toast"), "no stale copy left under the form"


async def test_a_quick_restore_sent_as_one_burst_says_so_in_one_toast(
    make_app: AppFactory, fake: Starlette
) -> None:
    from textual import events

    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        for key in ("enter", "2", "j", "R", "right", "space", "3", "4", "ctrl+s"):
            app.post_message(events.Key(key, None if len(key) > 1 else key))
        await settle(pilot, rounds=8)
        await pilot.pause(0.5)
        assert [r.method for r in fake.state.requests].count("POST") == 1
        drawn = app.screen.query("Toast")
        assert len(drawn) == 1, [str(t.render()) for t in drawn]
