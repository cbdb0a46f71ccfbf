"""An unexpected error shows a report (key hidden) and the session goes on."""

from __future__ import annotations

import asyncio
import dataclasses
import stat
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette
from textual.app import ComposeResult, RenderResult
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Static

from tests.app.conftest import BASE_URL, AppFactory, settle
from wpe_tui.api import NetworkError, WpeClient
from wpe_tui.app import WpeApp
from wpe_tui.config import Config, UiPrefs, resolve_settings
from wpe_tui.crash_report import FatalError
from wpe_tui.screens.crash import MESSAGE, CrashScreen
from wpe_tui.screens.site_detail import SiteDetailScreen
from wpe_tui.screens.site_list import SiteListScreen

KEY = "test-key"  # what make_app's client and settings carry
TEXTUAL = metadata.version("textual")  # whichever release is installed
LOCAL_SECRET = "local-secret-0b9e4d"  # held in a local variable, never in a message


def unwrapped(text: str) -> str:
    """`text` without spaces or line breaks: the report is wrapped at the terminal's
    width, which can split a phrase, or a secret, across lines."""
    return "".join(text.split())


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
        assert "Screen: SiteListScreen" in report and f"Textual {TEXTUAL}" in report
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
    flat = unwrapped(printed)
    assert unwrapped("errors kept happening") in flat
    assert unwrapped("RuntimeError: again ***") in flat
    assert KEY not in flat and KEY not in unwrapped(str(stopped.value))


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
    flat = unwrapped(printed)
    assert unwrapped("its error screen failed") in flat
    assert unwrapped("RuntimeError: second ***") in flat
    assert KEY not in flat
    assert "Traceback" in flat and "locals" not in flat.lower()


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


# -- one test per hook of the guard: wherever Textual runs our code, an error opens the
# report and the app goes on. Each hook is started from a key (`s`), so the app is up.


class Ping(Message):
    """A message only `Fragile` handles."""


class Fragile(Static):
    """A widget that fails once in the named step, then behaves."""

    def __init__(self, step: str) -> None:
        super().__init__("fragile", id="fragile")
        self.step = step

    def fail_once(self, step: str) -> None:
        if self.step == step:
            self.step = "done"
            raise RuntimeError(f"{step} broke")

    def compose(self) -> ComposeResult:
        self.fail_once("compose")
        yield Static("inside")

    def on_mount(self) -> None:
        self.fail_once("mount")

    def on_ping(self, _message: Ping) -> None:
        self.fail_once("message")

    def render(self) -> RenderResult:
        self.fail_once("render")
        return "fragile"


def _broken() -> None:
    raise RuntimeError("callback broke")


async def _broken_worker() -> None:
    await asyncio.sleep(0)
    raise RuntimeError("worker broke")


def _broken_in_thread() -> None:
    raise RuntimeError("thread worker broke")


def _mount_fragile(step: str) -> Callable[[SiteListScreen], object]:
    def start(screen: SiteListScreen) -> object:
        fragile = Fragile(step)
        screen.mount(fragile)
        if step == "message":
            screen.call_after_refresh(fragile.post_message, Ping())
        return None

    return start


HOOKS: dict[str, Callable[[SiteListScreen], object]] = {
    # message loops: `_dispatch_message` of the app, a screen and a widget
    "a key's action (the app's message loop)": lambda screen: _broken(),
    "a handler of a widget's message": _mount_fragile("message"),
    "call_later on the screen (a Callback message)": lambda screen: screen.call_later(_broken),
    "call_later on the app": lambda screen: screen.app.call_later(_broken),
    # `_flush_next_callbacks`
    "call_next on the screen": lambda screen: screen.call_next(_broken),
    "call_next on the app": lambda screen: screen.app.call_next(_broken),
    "call_after_refresh on the screen": lambda screen: screen.call_after_refresh(_broken),
    "call_after_refresh on the app": lambda screen: screen.app.call_after_refresh(_broken),
    # `_handle_exception`
    "a timer's callback": lambda screen: screen.set_timer(0.01, _broken),
    "a worker with exit_on_error=True": lambda screen: screen.run_worker(
        _broken_worker(), group="test", exit_on_error=True
    ),
    "a thread worker with exit_on_error=True": lambda screen: screen.run_worker(
        _broken_in_thread, group="test", thread=True, exit_on_error=True
    ),
    "compose of a widget being mounted": _mount_fragile("compose"),
    "on_mount of a widget being mounted": _mount_fragile("mount"),
    "render of a widget": _mount_fragile("render"),
}


@pytest.mark.parametrize("hook", HOOKS.values(), ids=HOOKS.keys())
async def test_error_in_each_hook_opens_the_report_and_the_app_goes_on(
    make_app: AppFactory,
    fake: Starlette,
    monkeypatch: pytest.MonkeyPatch,
    hook: Callable[[SiteListScreen], object],
) -> None:
    monkeypatch.setattr(SiteListScreen, "action_cycle_sort", hook)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        for _ in range(20):  # a timer or a thread may take a moment
            if isinstance(app.screen, CrashScreen):
                break
            await pilot.pause(0.02)
        report = crash_screen(app).report_text
        assert "broke" in report and "Traceback" in report
        assert len(app.crash_reports) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SiteListScreen)
        await pilot.press("o")  # the list still answers
        await settle(pilot)
        assert site_requests(fake)[-1]["order"] == "desc"
        assert app.is_running and len(app.crash_reports) == 1
        expected(app)


# -- exit paths: never a local variable on the terminal.


async def test_error_while_starting_prints_the_report_and_no_local_variable(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    def start_broken(_app: WpeApp) -> None:
        password = LOCAL_SECRET  # where a careless function keeps what it was given
        raise RuntimeError(f"start broke ({len(password)} characters)")

    monkeypatch.setattr(WpeApp, "on_mount", start_broken)
    app = make_app()
    with pytest.raises(FatalError):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
    assert app.return_code == 1
    printed = capfd.readouterr().err
    # Printed at the terminal's width: a long path (a clone under /tmp) wraps its line,
    # so the words are looked for with every line break and space taken out.
    flat = unwrapped(printed)
    assert unwrapped("while it was starting or stopping") in flat
    assert unwrapped("RuntimeError: start broke") in flat
    assert unwrapped("in start_broken") in flat  # the frame is named...
    assert LOCAL_SECRET not in flat and "locals" not in flat.lower()  # ...not its locals


async def test_textual_own_fatal_error_path_prints_the_report_and_no_local_variable(
    make_app: AppFactory, capfd: pytest.CaptureFixture[str]
) -> None:
    # `App._fatal_error` renders a traceback with `show_locals=True`. The guard takes every
    # error before it gets there; if anything reached it anyway, only the report prints.
    app = make_app()
    with pytest.raises(FatalError):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            api_password = LOCAL_SECRET  # noqa: F841 - the local variable that must not show
            try:
                raise RuntimeError("deep inside Textual")
            except RuntimeError:
                app._fatal_error()
            await settle(pilot)
    assert app.return_code == 1
    printed = capfd.readouterr().err
    flat = unwrapped(printed)
    assert unwrapped("could not recover from") in flat
    assert unwrapped("RuntimeError: deep inside Textual") in flat
    assert LOCAL_SECRET not in flat and "locals" not in flat.lower()


async def test_password_of_the_hosting_platform_api_is_redacted(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    password, from_env = "platform-pass-51c3e0", "env-pass-8d2b77"
    monkeypatch.setenv("WPE_API_PASSWORD", from_env)
    monkeypatch.setattr(
        SiteListScreen, "action_cycle_sort", fail_with(f"auth {password} / {from_env} refused")
    )
    app = make_app()
    # A Settings of the Hosting Platform API carries `api_password` (a SecretStr).
    app.settings = dataclasses.replace(app.settings, api_password=SecretStr(password))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        report = crash_screen(app).report_text
        assert "auth *** / *** refused" in report
        assert password not in report and from_env not in report
        assert password not in screen_text(app)
        expected(app)
