"""An unexpected error shows a report (key hidden) and the session goes on."""

from __future__ import annotations

import stat
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from textual.pilot import Pilot

from tests.app.conftest import BASE_URL, AppFactory, settle
from wpe_tui.api import NetworkError, WpeClient
from wpe_tui.app import WpeApp
from wpe_tui.config import Config, UiPrefs, resolve_settings
from wpe_tui.crash import FatalError
from wpe_tui.screens.crash import MESSAGE, CrashScreen
from wpe_tui.screens.site_detail import SiteDetailScreen
from wpe_tui.screens.site_list import SiteListScreen

KEY = "test-key"  # what make_app's client and settings carry


def screen_text(app: WpeApp) -> str:
    """What the terminal shows, as text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def site_requests(fake: Starlette) -> list[dict[str, str]]:
    return [r.query for r in fake.state.requests if r.path == "/v1/sites"]


def fail_with(message: str) -> object:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError(message)

    return fail


def crash_screen(app: WpeApp) -> CrashScreen:
    screen = app.screen
    assert isinstance(screen, CrashScreen), f"{type(screen).__name__} is showing"
    return screen


def expected(app: WpeApp) -> None:
    """The errors were the test's doing: they must not fail it at exit."""
    app.crash_reports.clear()


async def test_failing_key_shows_report_without_the_key_and_the_list_still_works(
    make_app: AppFactory, fake: Starlette, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        SiteListScreen, "action_cycle_sort", fail_with(f"sort broke; Authorization: ApiKey {KEY}")
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = crash_screen(app)
        shown = screen_text(app)
        assert "Something went wrong inside wpe-tui" in shown
        assert "RuntimeError: sort broke" in shown
        assert KEY not in shown
        report = screen.report_text
        assert "RuntimeError: sort broke" in report
        assert "Screen: SiteListScreen" in report and "Textual 8.2.8" in report
        assert "Traceback" in report and "in fail" in report
        assert KEY not in report and "ApiKey ***" in report

        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == report  # the redacted report, via OSC 52

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SiteListScreen)
        assert MESSAGE not in screen_text(app)
        await pilot.press("o")  # another key of the list still works
        await settle(pilot)
        assert site_requests(fake)[-1]["order"] == "desc"
        assert "sort name ↓" in screen_text(app)
        expected(app)


async def test_failing_handler_of_a_screen_does_not_stop_that_screen(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual stops the message loop of a screen whose handler raises: the screen would
    # never answer again. The guard keeps it listening.
    monkeypatch.setattr(SiteListScreen, "on_paged_table_selected", fail_with("open broke"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "RuntimeError: open broke" in crash_screen(app).report_text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SiteListScreen)
        monkeypatch.undo()  # the bug is fixed: enter opens the site, from the same screen
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SiteDetailScreen)
        expected(app)


async def test_screen_that_fails_to_open_is_closed_after_the_report(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SiteDetailScreen, "compose", fail_with("compose broke"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "RuntimeError: compose broke" in crash_screen(app).report_text
        await pilot.press("escape")
        await settle(pilot)
        # Not the half-drawn site screen: back on the list, which still answers.
        assert isinstance(app.screen, SiteListScreen)
        assert [type(s) for s in app.screen_stack].count(SiteDetailScreen) == 0
        await pilot.press("down")
        await settle(pilot)
        assert app.screen.query_one("#sites").cursor == 1  # type: ignore[attr-defined]
        expected(app)


async def test_key_from_the_environment_is_never_shown_copied_saved_or_captured(
    fake: Starlette,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = "wpe-env-key-9f8e7d6c5b4a"
    monkeypatch.setenv("WPE_API_KEY", secret)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    settings = resolve_settings(Config(ui=UiPrefs(refresh_interval=0.5)), api_url=BASE_URL)
    assert settings.api_key is not None
    client = WpeClient(settings.api_key, BASE_URL, transport=httpx.ASGITransport(app=fake))
    headers = dict(client.wire._http.headers)  # what a careless log line would print

    def leak(*_args: object) -> None:
        raise RuntimeError(f"request failed with {headers} for key {secret}")

    monkeypatch.setattr(SiteListScreen, "action_toggle_order", leak)
    app = WpeApp(settings, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = crash_screen(app)
        assert "request failed with" in screen.report_text
        assert secret not in screen.report_text
        assert secret not in screen_text(app)
        assert secret not in app.export_screenshot()
        await pilot.press("y")
        assert secret not in app.clipboard
        await pilot.press("s")
        await pilot.pause()
        assert screen.saved_to is not None
        saved = Path(screen.saved_to)
        assert saved.is_relative_to(tmp_path / "state")
        assert "Saved to" in screen_text(app) and saved.name in screen_text(app)
        expected(app)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600  # noqa: ASYNC240 - the app has stopped
    content = saved.read_text()  # noqa: ASYNC240
    assert "request failed with" in content and secret not in content


async def test_api_error_that_escapes_a_screen_is_a_toast_not_a_report(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def offline(*_args: object) -> None:
        raise NetworkError("GET /sites: could not reach the API")

    monkeypatch.setattr(SiteListScreen, "action_cycle_sort", offline)
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SiteListScreen)
        assert "could not reach the API" in screen_text(app)
        assert app.crash_reports == []


async def repeat_failure(pilot: Pilot[None], times: int) -> None:
    for _ in range(times):
        await pilot.press("s")
        await settle(pilot)
        if not pilot.app.is_running:
            return
        await pilot.press("escape")
        await settle(pilot)


async def test_errors_that_keep_coming_end_the_app_with_only_the_redacted_report(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(SiteListScreen, "action_cycle_sort", fail_with(f"again {KEY}"))
    app = make_app()
    app.CRASH_WINDOW = 3600.0  # "within a few seconds", however slow this machine is
    with pytest.raises(FatalError) as stopped:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await repeat_failure(pilot, app.CRASH_LIMIT)
            assert app.is_running  # three errors: three reports, still going
            await repeat_failure(pilot, 1)
            assert not app.is_running
    assert app.return_code == 1
    printed = capfd.readouterr().err
    assert "errors kept happening" in printed and "RuntimeError: again ***" in printed
    assert KEY not in printed and KEY not in str(stopped.value)


async def test_error_screen_that_fails_ends_the_app_with_the_redacted_report(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(SiteListScreen, "action_cycle_sort", fail_with(f"first {KEY}"))
    monkeypatch.setattr(CrashScreen, "compose", fail_with(f"second {KEY}"))
    app = make_app()
    with pytest.raises(FatalError):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
    assert app.return_code == 1
    printed = capfd.readouterr().err
    assert "its error screen failed" in printed and "RuntimeError: second ***" in printed
    assert KEY not in printed
    assert "Traceback" in printed and "locals" not in printed.lower()


async def test_unexpected_error_still_fails_a_pilot_test(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The guard keeps users' sessions alive; it must not hide bugs from the test suite.
    monkeypatch.setattr(SiteListScreen, "action_cycle_sort", fail_with("a bug"))
    app = make_app()
    with pytest.raises(RuntimeError, match="a bug"):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
            assert isinstance(app.screen, CrashScreen)
