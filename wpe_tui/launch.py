"""From the command line's options to a running app, with errors as sentences.

The app always leaves the terminal as it found it (main screen, cursor shown,
mouse reporting and bracketed paste off, line mode back):

- SIGTERM, SIGHUP (the SSH link dropped, the tmux pane was killed) and SIGINT
  (ctrl+c when Textual lets the terminal send it, or `kill -INT`) ask the app to
  exit the way `ctrl+q` does, so Textual's driver restores the terminal. The
  exit status is then 128 + the signal's number (143, 129, 130), as a shell
  reports a process ended by that signal, so scripts and supervisors can tell.
- If the app has not exited `SIGNAL_GRACE` seconds after the signal, or a second
  signal comes, the terminal is restored here and the process ends at once with
  the same status: a hung-up terminal must not leave a process behind.
- An error that escapes the app (the app itself shows them on an error screen)
  is printed with the API key removed, never as a raw traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import signal
import sys
import termios
import threading
import traceback
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import httpx

from wpe_tui.api import ApiError, WpeClient
from wpe_tui.api.request_log import RequestLog
from wpe_tui.config import Config, ConfigError, Settings, load_config, resolve_settings
from wpe_tui.core.backend import Backend
from wpe_tui.profiles import Profiles

if TYPE_CHECKING:
    from textual.app import App

    from wpe_tui.app import MakeBackend

DEMO_BASE_URL = "http://127.0.0.1/v1"  # never dialled: the transport is in-process

EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
SIGNAL_GRACE = 5.0  # seconds between a signal and the forced exit

# What Textual's LinuxDriver writes when it stops, for when it cannot: bracketed paste
# off, line wrap on, mouse reporting off, kitty keyboard protocol off, main screen,
# cursor shown, focus reporting off.
RESTORE_SEQUENCE = (
    "\x1b[?2004l\x1b[?7h\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l"
    "\x1b[<u\x1b[?1049l\x1b[?25h\x1b[?1004l"
)


def demo_backend(api: str = "customer", request_log: RequestLog | None = None) -> Backend:
    """The embedded fake account, in-process: no socket, no network."""
    if api == "platform":
        from wpe_tui.api.platform import PlatformBackend
        from wpe_tui.fake.platform import platform_demo_transport

        return PlatformBackend(
            "demo",
            "demo",
            DEMO_BASE_URL,
            transport=platform_demo_transport(),
            request_log=request_log,
        )
    from wpe_tui.fake import FakeAccount, create_app

    transport = httpx.ASGITransport(app=create_app(FakeAccount()))
    return WpeClient(
        api_key="demo", base_url=DEMO_BASE_URL, transport=transport, request_log=request_log
    )


def backend_maker(api: str, request_log: RequestLog | None) -> MakeBackend:
    """What the setup screen calls with the credentials it was given."""

    def make(secret: str, base_url: str, user: str | None) -> Backend:
        if api == "platform":
            from wpe_tui.api.platform import PlatformBackend

            return PlatformBackend(user or "", secret, base_url, request_log=request_log)
        return WpeClient(api_key=secret, base_url=base_url, request_log=request_log)

    return make


def launch(
    *,
    demo: bool,
    profile: str | None,
    api_url: str | None,
    read_only: bool,
    api: str | None = None,
    log: str | None = None,
) -> int:
    try:
        return _launch(
            demo=demo, profile=profile, api_url=api_url, read_only=read_only, api=api, log=log
        )
    except KeyboardInterrupt:  # ctrl+c before the app took the terminal (a slow key command)
        return 128 + signal.SIGINT


def _launch(
    *,
    demo: bool,
    profile: str | None,
    api_url: str | None,
    read_only: bool,
    api: str | None,
    log: str | None,
) -> int:
    try:
        config = load_config()
        settings = resolve_settings(
            config,
            profile=profile,
            api=api,
            api_url=api_url,
            read_only=read_only,
            themes=_theme_names(),
        )
    except ConfigError as error:
        print(f"wpe-tui: {error}", file=sys.stderr)
        return 2
    request_log: RequestLog | None = None
    if log is not None:
        try:
            request_log = RequestLog(log)
        except OSError as error:
            print(f"wpe-tui: --log {log}: {error.strerror or error}", file=sys.stderr)
            return 2
    try:
        backend = (
            demo_backend(settings.api, request_log) if demo else _backend_for(settings, request_log)
        )
    except ApiError as error:
        print(f"wpe-tui: {error}", file=sys.stderr)
        return 2
    from wpe_tui.app import WpeApp
    from wpe_tui.state import load_state

    app = WpeApp(
        settings,
        backend,
        make_backend=backend_maker(settings.api, request_log),
        demo=demo,
        state=load_state(),
        profiles=None if demo else _profiles(config, read_only, request_log),
    )
    try:
        return run_app(app, secrets=settings.secrets)
    finally:
        if request_log is not None:
            request_log.close()


def _profiles(config: Config, read_only: bool, request_log: RequestLog | None) -> Profiles:
    """The config's profiles for the palette. A switch reads the file again (it may have
    been edited since) and keeps --read-only: a switch never makes a run writable."""

    def open_profile(name: str) -> tuple[Settings, Backend | None]:
        settings = resolve_settings(
            load_config(), profile=name, read_only=read_only, themes=_theme_names()
        )
        return settings, _backend_for(settings, request_log)

    return Profiles(tuple(config.profiles), open_profile)


def _theme_names() -> list[str]:
    from textual.theme import BUILTIN_THEMES

    return list(BUILTIN_THEMES)


def _backend_for(settings: Settings, request_log: RequestLog | None) -> Backend | None:
    if not settings.has_credentials:
        return None  # first run: the setup screen asks for the credentials
    if settings.api == "platform":
        from wpe_tui.api.platform import PlatformBackend

        assert settings.api_user is not None and settings.api_password is not None
        return PlatformBackend(
            settings.api_user,
            settings.api_password.get_secret_value(),
            settings.base_url,
            request_log=request_log,
        )
    assert settings.api_key is not None
    return WpeClient(api_key=settings.api_key, base_url=settings.base_url, request_log=request_log)


def run_app(app: App[Any], *, secrets: Iterable[str] = ()) -> int:
    """Run `app` until it exits or a signal ends it; return the process's exit status."""
    # Textual writes each frame from its own thread, which waits for the interpreter
    # lock while the main thread works on: by default up to 5 ms more before a frame
    # reaches the terminal (`make bench`, scenario 9: ~4 ms of a tab switch).
    sys.setswitchinterval(0.001)
    try:
        return asyncio.run(_run_until_signalled(app, TerminalGuard()))
    except KeyboardInterrupt:
        return 128 + signal.SIGINT
    except Exception as error:
        from wpe_tui.crash_report import environment_secrets, redact

        text = "".join(traceback.format_exception(error))
        hidden = [*secrets, *environment_secrets()]
        print(f"wpe-tui stopped on an unexpected error:\n{redact(text, hidden)}", file=sys.stderr)
        return 1


async def _run_until_signalled(app: App[Any], guard: TerminalGuard) -> int:
    loop = asyncio.get_running_loop()
    received: list[int] = []

    def on_signal(signum: int) -> None:
        if guard.terminal_gone():  # the SSH link dropped: nothing to restore, no one to tell
            guard.exit_now(signum)
            return
        if received:  # a second signal: the user (or the system) means it
            guard.force_exit(received[0])
            return
        received.append(signum)
        app.exit(return_code=128 + signum)
        guard.force_exit_later(signum, SIGNAL_GRACE)

    installed: list[int] = []
    for signum in map(int, EXIT_SIGNALS):
        with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
            loop.add_signal_handler(signum, on_signal, signum)
            installed.append(signum)
    # The hang-up as a signal, for when the kernel sends it elsewhere (see `watch_hangup`).
    guard.watch_hangup(lambda: loop.call_soon_threadsafe(on_signal, int(signal.SIGHUP)))
    try:
        await app.run_async()
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)
        guard.cancel()
    if received:
        return 128 + received[0]
    return app.return_code or 0


class TerminalGuard:
    """Puts the terminal back and ends the process when the app cannot do it in time."""

    def __init__(
        self,
        *,
        tty_in: int | None = None,
        tty_out: int | None = None,
        exit_now: Callable[[int], Any] = os._exit,
    ) -> None:
        self.tty_in = _fileno(sys.__stdin__) if tty_in is None else tty_in
        self.tty_out = _fileno(sys.__stderr__) if tty_out is None else tty_out  # Textual's
        self._exit_now = exit_now
        self._modes: list[Any] | None = None
        if self.tty_in >= 0 and os.isatty(self.tty_in):
            with contextlib.suppress(termios.error):
                self._modes = termios.tcgetattr(self.tty_in)
        self._had_terminal = self.tty_out >= 0 and os.isatty(self.tty_out)
        self._timer: threading.Timer | None = None

    def terminal_gone(self) -> bool:
        """The terminal hung up: a hung-up tty is no longer a tty, and writing to it fails.

        Textual's output thread dies on the first failed write and its shutdown then
        waits for it; exiting at once is the only clean way out.
        """
        return self._had_terminal and not os.isatty(self.tty_out)

    def exit_now(self, signum: int) -> None:
        self._exit_now(128 + signum)

    def watch_hangup(self, on_hangup: Callable[[], Any]) -> None:
        """Call `on_hangup` (from a thread of its own) once the terminal hangs up.

        The kernel sends SIGHUP only to the terminal's session leader. Started from
        `make demo`, a script or `sh -c`, that is not the app: when the link drops, the
        app would go on reading a terminal that is gone, and Textual's input thread
        spins on it (85 % of a core, seen under `make demo` after tmux closed).
        """
        if self._modes is None:  # not reading a terminal
            return
        poller = select.poll()
        poller.register(self.tty_in, 0)  # POLLHUP and POLLERR are always reported

        def watch() -> None:
            while True:
                with contextlib.suppress(InterruptedError):
                    if poller.poll():  # only a hang-up, an error or a closed fd wakes it
                        on_hangup()
                        return

        threading.Thread(target=watch, name="wpe-tui-hangup", daemon=True).start()

    def restore(self) -> None:
        """Best effort, on a terminal that may be gone: line mode back, screen and cursor."""
        if self._modes is not None:
            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(self.tty_in, termios.TCSANOW, self._modes)
        if self.tty_out >= 0 and os.isatty(self.tty_out):
            with contextlib.suppress(OSError):
                os.write(self.tty_out, RESTORE_SEQUENCE.encode())

    def force_exit(self, signum: int) -> None:
        self.restore()
        self.exit_now(signum)

    def force_exit_later(self, signum: int, delay: float) -> None:
        if self._timer is None:
            self._timer = threading.Timer(delay, self.force_exit, args=(signum,))
            self._timer.daemon = True
            self._timer.start()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


def _fileno(stream: Any) -> int:
    try:
        return int(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return -1
