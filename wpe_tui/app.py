"""`WpeApp`: the Textual application."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path, PurePath
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.markup import escape
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from wpe_tui.activity import Activity, Operation
from wpe_tui.api import ApiError, WpeClient
from wpe_tui.commands import SiteJumpProvider
from wpe_tui.config import Settings
from wpe_tui.crash_guard import CrashGuard
from wpe_tui.screens.help import key_label
from wpe_tui.text import clean

STYLE_FILES = (
    "app.tcss",
    "site_list.tcss",
    "site_detail.tcss",
    "modals.tcss",
    "activity.tcss",
    "crash.tcss",
)

MakeClient = Callable[[str, str], WpeClient]


def styles_dir() -> Path:
    """Styles ship inside the wheel as wpe_tui/styles; in a checkout they are at the top."""
    packaged = Path(__file__).parent / "styles"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "styles"


class WpeApp(CrashGuard, App[None]):
    TITLE = "wpe-tui"
    CSS_PATH: ClassVar[list[str | PurePath]] = [styles_dir() / name for name in STYLE_FILES]
    COMMANDS = App.COMMANDS | {SiteJumpProvider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        Binding("question_mark", "help", "Help"),
        Binding("a", "activity", "Activity"),
    ]

    # True while the API cannot be reached; every screen's banner follows it.
    offline: reactive[bool] = reactive(False)

    def __init__(
        self,
        settings: Settings,
        client: WpeClient | None,
        *,
        make_client: MakeClient | None = None,
        demo: bool = False,
    ) -> None:
        super().__init__()
        self.settings = settings
        self._client = client
        self.make_client = make_client
        self.demo = demo
        self.read_only = settings.read_only
        self.page_size = settings.ui.page_size
        self.refresh_interval = settings.ui.refresh_interval
        self.activity = Activity()
        self._activity_timer: Timer | None = None
        self._reconnect_delay = self.refresh_interval
        if client is not None:
            client.listener = self.on_client_event

    @property
    def client(self) -> WpeClient:
        if self._client is None:
            raise RuntimeError("no API client yet: the setup screen comes first")
        return self._client

    @property
    def account_label(self) -> str:
        return "demo account" if self.demo else f"profile {self.settings.profile_name}"

    @property
    def read_only_reason(self) -> str:
        return f"read_only in profile {self.settings.profile_name} or --read-only"

    def on_mount(self) -> None:
        self._activity_timer = self.set_interval(
            self.refresh_interval, self._poll_activity, pause=True
        )
        if self.settings.ui.theme in self.available_themes:
            self.theme = self.settings.ui.theme
        for warning in self.settings.warnings:
            self.notify(warning, severity="warning", timeout=10)
        if self._client is None:
            from wpe_tui.screens.setup import SetupScreen

            self.push_screen(SetupScreen())
        else:
            self.show_sites()

    def use_client(self, client: WpeClient) -> None:
        self._client = client
        client.listener = self.on_client_event

    # -- the connection: offline banner, background retries, a refused key ----

    def on_client_event(self, event: str) -> None:
        if event == "offline" and not self.offline:
            self.offline = True
            self._reconnect_delay = self.refresh_interval
            self.set_timer(self._reconnect_delay, self._try_reconnect)
        elif event == "online" and self.offline:
            self.offline = False
            self.notify("Back online", timeout=4)
            self._refresh_screen()
        elif event == "unauthorized" and not self.demo:
            self.call_later(self._ask_for_key)

    def _try_reconnect(self) -> None:
        """Ask again with growing pauses (from the refresh interval up to 30 s) until the
        API answers; a timer between tries, so nothing waits on a worker meanwhile."""
        if self.offline and self._client is not None:
            self.run_worker(self._reconnect_once(), group="reconnect", exit_on_error=False)

    async def _reconnect_once(self) -> None:
        with contextlib.suppress(ApiError):
            await self.client.list_sites(per_page=1)  # any answer flips `offline`
        if self.offline:
            self._reconnect_delay = min(self._reconnect_delay * 2, 30.0)
            self.set_timer(self._reconnect_delay, self._try_reconnect)

    def _ask_for_key(self) -> None:
        from wpe_tui.screens.setup import SetupScreen

        if any(isinstance(screen, SetupScreen) for screen in self.screen_stack):
            return
        reason = f"The API key of profile {self.settings.profile_name} was refused."
        self.push_screen(SetupScreen(reason), callback=lambda _: self._refresh_screen())

    def _refresh_screen(self) -> None:
        """Reload what the user is looking at (after reconnecting or a new key)."""
        for screen in reversed(self.screen_stack):
            refresh = getattr(screen, "action_refresh", None)
            if refresh is not None and not isinstance(screen, ModalScreen):
                refresh()
                return

    def show_sites(self) -> None:
        from wpe_tui.screens.site_list import SiteListScreen

        self.push_screen(SiteListScreen())

    # -- activity: what is in flight, followed even when no screen shows it -----

    def activity_changed(self) -> None:
        """Follow the activity while anything is in flight; stop when nothing is."""
        if self._activity_timer is None:
            return
        if self.activity.in_flight():
            self._activity_timer.resume()
        else:
            self._activity_timer.pause()

    def announce(self, op: Operation) -> None:
        """An operation finished: say so once, with the bell if the user asked for it."""
        severity: SeverityLevel = "error" if op.failed else "information"
        self.notify(op.summary(), severity=severity, timeout=6)
        if self.settings.ui.bell:
            self.bell()
        self.activity_changed()

    def _poll_activity(self) -> None:
        stale = self.activity.stale(self.refresh_interval)
        if not stale or self._client is None:
            self.activity_changed()
            return
        self.run_worker(
            self._poll_stale(stale), group="activity", exclusive=True, exit_on_error=False
        )

    async def _poll_stale(self, stale: list[Operation]) -> None:
        for op in await self.activity.poll(self.client, stale):
            self.announce(op)
        self.activity_changed()

    def action_activity(self) -> None:
        from wpe_tui.screens.activity import ActivityScreen

        if not isinstance(self.screen, ActivityScreen):
            self.push_screen(ActivityScreen())

    async def on_unmount(self) -> None:
        if self._activity_timer is not None:
            self._activity_timer.stop()
        if self._client is not None:
            await self._client.aclose()

    def action_help(self) -> None:
        from wpe_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        # Every key of the current view is also a command, so nothing needs remembering.
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action in seen or not active.enabled:
                continue
            if binding.action in ("quit", "app.quit", "command_palette", "help"):
                continue
            seen.add(binding.action)
            run = partial(self.run_action, binding.action, active.node)
            # Actions on the selection say what they act on ("Quick restore backup_1 …").
            label = getattr(screen, "command_label", None)
            title = label(binding.action, binding.description) if label else binding.description
            yield SystemCommand(escape(title), f"key: {key_label(key)}", run)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Messages carry text from the API (names, errors): shown as typed, never as
        markup, with no escape sequences, whatever the caller asked for."""
        super().notify(
            clean(message), title=clean(title), severity=severity, timeout=timeout, markup=False
        )

    def copy(self, text: str) -> None:
        """Copy through OSC 52, which travels over SSH and tmux to the user's terminal."""
        self.copy_to_clipboard(text)
        self.notify(f"Copied {text}", timeout=3)
