"""`WpeApp`: the Textual application. It owns the `Session` and hands it to screens."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path, PurePath
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.markup import escape
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen

from wpe_tui.config import Settings
from wpe_tui.core.activity import Operation
from wpe_tui.core.backend import Backend
from wpe_tui.core.session import Session
from wpe_tui.crash_guard import CrashGuard
from wpe_tui.kinds.cells import use_no_color
from wpe_tui.profiles import Profiles
from wpe_tui.quiet_collector import QuietCollector
from wpe_tui.state import State
from wpe_tui.toasts import Toasts
from wpe_tui.typeahead import TypeAhead

STYLE_FILES = (
    "app.tcss",
    "site_list.tcss",
    "site_detail.tcss",
    "modals.tcss",
    "activity.tcss",
    "crash.tcss",
)

# Credentials typed on the setup screen to a backend: (secret, base URL, user or None).
MakeBackend = Callable[[str, str, str | None], Backend]


def styles_dir() -> Path:
    """Styles ship inside the wheel as wpe_tui/styles; in a checkout they are at the top."""
    packaged = Path(__file__).parent / "styles"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "styles"


def _site_jump() -> type[Provider]:
    from wpe_tui.commands import SiteJumpProvider  # loaded when the palette first opens

    return SiteJumpProvider


_frozen = False


def _freeze_startup_objects() -> None:
    """What start-up made (modules, classes, Textual's widgets) lives as long as the app:
    kept out of the cyclic collector's reach, a full collection during a sweep no longer
    walks it all while a key waits (`make bench`, key p95 during a sweep: 63.7 ms before,
    36.0 ms after). Once a process: tests run many apps in one, and the later apps'
    garbage must stay collectable. The collector, paused for start-up (`cli.main`),
    starts here."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()
    gc.enable()


class WpeApp(Toasts, CrashGuard, QuietCollector, TypeAhead, App[None]):
    TITLE = "wpe-tui"
    COMMANDS = App.COMMANDS | {_site_jump}
    CSS_PATH: ClassVar[list[str | PurePath]] = [styles_dir() / name for name in STYLE_FILES]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        Binding("question_mark", "help", "Help"),
        Binding("a", "activity", "Activity"),
    ]

    def __init__(
        self,
        settings: Settings,
        backend: Backend | None,
        *,
        make_backend: MakeBackend | None = None,
        demo: bool = False,
        state: State | None = None,
        profiles: Profiles | None = None,
    ) -> None:
        super().__init__()
        use_no_color(self.no_color)
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            # The tabs' sliding underline is 18 frames a switch: over SSH, bytes and
            # time for nothing. A user who wants it back sets TEXTUAL_ANIMATIONS.
            self.animation_level = "none"
        self.profiles = profiles  # the config's profiles, to switch to from the palette
        self.settings = settings
        self.state = state  # the state file: None keeps nothing (tests)
        self.make_backend = make_backend
        self.demo = demo
        self._session: Session | None = None
        if backend is not None:
            self._open_session(backend)

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("no session yet: the setup screen comes first")
        return self._session

    @property
    def has_session(self) -> bool:
        return self._session is not None

    def _open_session(self, backend: Backend) -> Session:
        session = Session(self.settings, backend, demo=self.demo, state=self.state)
        session.on_error = self.report_error
        session.activity.on_finished = self.announce
        session.connection.listeners.append(self._connection_event)
        self._session = session
        return session

    def use_backend(self, backend: Backend) -> Session:
        """New credentials from the setup screen: the old backend is closed."""
        if self._session is None:
            session = self._open_session(backend)
            session.start()
            return session
        old = self._session.backend
        self._session.use_backend(backend)
        if old is not backend:
            self.run_worker(old.aclose(), group="close")
        return self._session

    def report_error(self, error: BaseException) -> None:
        """An unexpected error outside a handler (the follower): the crash screen."""
        if isinstance(error, Exception):
            self._handle_exception(error)

    def on_mount(self) -> None:
        theme = self.settings.ui.theme
        if self.state is not None:
            theme = self.state.theme_for(theme)  # picked in the palette, unless edited since
            if self.state.warning:
                self.notify(self.state.warning, severity="warning", timeout=10)
        if theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._theme_picked)
        self.screen_change_signal.subscribe(self, self._screen_changed)
        for warning in self.settings.warnings:
            self.notify(warning, severity="warning", timeout=10)
        if self._session is None:
            self.push_screen(self._setup_screen())
        else:
            self._session.start()
            self.show_sites()
        self.call_after_refresh(_freeze_startup_objects)

    def _theme_picked(self, theme: Any) -> None:
        """A theme picked in the palette is kept (in the state file, not config.toml)."""
        name = getattr(theme, "name", None)
        if self.state is not None and isinstance(name, str):
            self.state.set_theme(name, config_theme=self.settings.ui.theme)
            if self._session is not None:
                self._session.save_soon()

    async def on_unmount(self) -> None:
        self.release_collector()
        if self._session is not None:
            await self._session.aclose()

    def show_sites(self) -> None:
        from wpe_tui.screens.site_list import SiteListScreen

        self.push_screen(SiteListScreen(self.session))

    # -- the connection: offline banner, a refused key -----------------------------

    def _connection_event(self, event: str) -> None:
        if event == "online":
            self.notify("Back online", timeout=4)
            self._refresh_screen()
        elif event == "unauthorized" and not self.demo:
            self.call_later(self._ask_for_key)

    def _setup_screen(self, reason: str | None = None) -> Screen[bool]:
        from wpe_tui.screens.setup import SetupScreen

        return SetupScreen(self.settings, self.make_backend, self._credentials_ready, reason)

    def _credentials_ready(self, backend: Backend) -> None:
        first_run = self._session is None
        session = self.use_backend(backend)
        if first_run:
            from wpe_tui.screens.site_list import SiteListScreen

            # Switch from the app, not from the setup screen's worker, which it removes.
            self.call_later(self.switch_screen, SiteListScreen(session))

    def _ask_for_key(self) -> None:
        from wpe_tui.screens.setup import SetupScreen

        if any(isinstance(screen, SetupScreen) for screen in self.screen_stack):
            return
        what = "user and password" if self.settings.api == "platform" else "API key"
        reason = f"The {what} of profile {self.settings.profile_name} was refused."
        self.clear_notifications()  # the view underneath is covered: its toasts go with it
        self.push_screen(self._setup_screen(reason), callback=lambda _: self._refresh_screen())

    def _refresh_screen(self) -> None:
        """Reload what the user is looking at (after reconnecting or new credentials)."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, ModalScreen):
                continue
            refresh = getattr(screen, "action_refresh", None)
            if callable(refresh):
                refresh()
                return

    # -- the activity ---------------------------------------------------------------

    def announce(self, op: Operation) -> None:
        """An operation finished: say so once, with the bell if the user asked for it."""
        severity: SeverityLevel = "error" if op.failed else "information"
        self.notify(op.summary(), severity=severity, timeout=6)
        if self.settings.ui.bell:
            self.bell()

    async def action_quit(self) -> None:
        """Quit; with an operation of this run still in flight, ask first (it goes on at
        WP Engine, and is kept for the next start, but the user may be waiting on it)."""
        self._leave("Quit", "quitting", self.exit)

    def _leave(self, verb: str, doing: str, then: Callable[[], object]) -> None:
        """Quit or switch profile: asked first while an operation of this run is in flight."""
        from wpe_tui.modals.confirm import ConfirmModal

        running = (
            [op for op in self.session.activity.in_flight() if op.mine]
            if (self._session is not None)
            else []
        )
        if not running or isinstance(self.screen, ConfirmModal):
            then()
            return
        names = ", ".join(op.title() for op in running[:3]) + (" …" if len(running) > 3 else "")
        one = len(running) == 1
        what, it, goes, is_ = (
            ("operation is", "It", "goes", "is") if one else ("operations are", "They", "go", "are")
        )
        question = (
            f"{len(running)} {what} still in flight: {names}. {it} {goes} on at WP Engine and "
            f"{is_} shown again at the next start; {doing} only stops watching "
            f"{'it' if one else 'them'}. {verb}?"
        )

        async def yes() -> bool:
            return True

        def answered(go: bool | None) -> None:
            if go:
                then()

        modal: ConfirmModal[bool] = ConfirmModal(f"{verb}?", question, verb, yes)
        self.push_screen(modal, callback=answered)

    # -- profiles: switched from the palette, like k9s contexts ------------------------

    def switch_profile(self, name: str) -> None:
        self._leave(
            "Switch profile",
            "switching",
            lambda: self.run_worker(self._switch_to(name), group="profile"),
        )

    async def _switch_to(self, name: str) -> None:
        import asyncio

        from wpe_tui.api import ApiError
        from wpe_tui.config import ConfigError
        from wpe_tui.screens.site_list import SiteListScreen

        assert self.profiles is not None
        self.notify(f"Opening profile {name}…", timeout=3)
        try:
            settings, backend = await asyncio.to_thread(self.profiles.open, name)
        except (ConfigError, ApiError) as error:
            self.notify(f"Profile {name} was not opened: {error}", severity="error", timeout=10)
            return
        if backend is None:
            what = "user and password" if settings.api == "platform" else "API key"
            self.notify(
                f"Profile {name} has no {what} yet: start wpe-tui --profile {name} to set it up.",
                severity="warning",
                timeout=10,
            )
            return
        old = self._session
        self.clear_notifications()  # the old profile's toasts are not about this one
        self.settings = settings
        session = self._open_session(backend)
        session.start()
        while len(self.screen_stack) > 1:  # the old profile's screens: removed before
            await self.pop_screen()  # the new list mounts under the same id
        await self.push_screen(SiteListScreen(session))
        if old is not None:
            await old.aclose()
        for warning in settings.warnings:
            self.notify(warning, severity="warning", timeout=10)

    def action_activity(self) -> None:
        from wpe_tui.screens.activity import ActivityScreen

        if self._session is not None and not isinstance(self.screen, ActivityScreen):
            self.push_screen(ActivityScreen(self._session))

    def action_help(self) -> None:
        from wpe_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from wpe_tui.commands import palette_binding, textual_commands_kept
        from wpe_tui.screens.help import key_label

        # Textual's own (Keys, Screenshot, Maximize…) out; Theme and Quit stay.
        yield from textual_commands_kept(super().get_system_commands(screen))
        # Every key of the current view is also a command, so nothing needs remembering.
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            if not palette_binding(active):  # Textual's keys: Scroll Left, Focus Next…
                continue
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
        if self.profiles is not None and not self.demo:
            for name in self.profiles.others(self.settings.profile_name):
                title = f"Switch to profile {name}"
                yield SystemCommand(
                    escape(title),
                    "its site list, without restarting",
                    partial(self.switch_profile, name),
                )
        commands = getattr(screen, "palette_commands", None)
        if callable(commands):
            for title, help_text, callback in commands():
                yield SystemCommand(escape(title), help_text, callback)

    def copy(self, text: str) -> None:
        """Copy through OSC 52, which travels over SSH and tmux to the user's terminal."""
        self.copy_to_clipboard(text)
        self.notify(f"Copied {text}", timeout=3)
