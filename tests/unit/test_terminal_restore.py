"""The real `wpe-tui --demo` in a pseudo-terminal: signals end it and the terminal comes back.

What a user would see if the terminal were not restored: the shell prompt lost in the
alternate screen, no cursor, and mouse movements typed as garbage into the shell.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 90.0  # generous: liveness only, nothing is measured
EXIT_TIMEOUT = 60.0

LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"
SHOW_CURSOR = b"\x1b[?25h"
MOUSE_OFF = b"\x1b[?1000l"
BRACKETED_PASTE_OFF = b"\x1b[?2004l"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals only")


@dataclass
class Session:
    pid: int
    fd: int
    output: bytearray
    status: int | None = None  # once it has exited

    def read_until(self, marker: bytes, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while marker not in self.output and time.monotonic() < deadline:
            if not self._read(0.5):
                return False
        return marker in self.output

    def read_for(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self._read(max(0.0, deadline - time.monotonic())):
            pass

    def read_to_end(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._read(0.5):
            pass

    def _read(self, wait: float) -> bool:
        """False at end of output (the terminal's other side closed)."""
        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: every process on the terminal has gone
            return False
        self.output.extend(chunk)
        return bool(chunk)

    def wait(self, timeout: float) -> int | None:
        """The exit code (negative: killed by that signal), or None if still running."""
        deadline = time.monotonic() + timeout
        while self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
            elif time.monotonic() >= deadline:
                break
            else:
                time.sleep(0.05)
        return self.status


def app_env(tmp_path: Path, api_key: str) -> dict[str, str]:
    """A small environment: a home of its own, so no config or state is the user's."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "TERM": "xterm-256color",
        "WPE_API_KEY": api_key,
    }


def start_in_pty(argv: list[str], env: dict[str, str]) -> Session:
    """`argv` on the slave side of a new 80x24 pseudo-terminal, run from the project."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app, on the terminal's slave side
        try:
            os.chdir(ROOT)
            os.execve(argv[0], argv, env)  # noqa: S606
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    return Session(pid, fd, bytearray())


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    running = start_in_pty(
        [sys.executable, "-m", "wpe_tui", "--demo"], app_env(tmp_path, "pty-secret-key-0123456789")
    )
    pid, fd = running.pid, running.fd
    try:
        yield running
    finally:
        if running.wait(0) is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        with contextlib.suppress(OSError):  # closed already by the test of a dropped link
            os.close(fd)


def drawn(session: Session) -> int:
    """Wait for the first site of the demo account; return where the output was then."""
    assert session.read_until(b"Acme", STARTUP_TIMEOUT), bytes(session.output[-2000:])
    session.read_for(1.0)  # let the first frames finish
    return len(session.output)


@pytest.mark.parametrize(
    ("signum", "status"),
    [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)],
    ids=["SIGTERM", "SIGHUP", "SIGINT"],
)
def test_signal_ends_the_app_and_restores_the_terminal(
    session: Session, signum: int, status: int
) -> None:
    mark = drawn(session)
    assert b"\x1b[?1049h" in session.output  # it did take over the terminal
    os.kill(session.pid, signum)
    session.read_to_end(EXIT_TIMEOUT)
    assert session.wait(EXIT_TIMEOUT) == status  # 128 + the signal, as a shell reports it
    after = bytes(session.output[mark:])
    for sequence in (LEAVE_ALTERNATE_SCREEN, SHOW_CURSOR, MOUSE_OFF, BRACKETED_PASTE_OFF):
        assert sequence in after, f"{sequence!r} missing from {after[-400:]!r}"
    # Nothing drawn after the terminal was handed back.
    assert after.rindex(LEAVE_ALTERNATE_SCREEN) > after.rfind(b"Acme")
    assert b"Traceback" not in session.output
    assert b"pty-secret-key" not in session.output


def test_dropped_connection_leaves_no_process_behind(session: Session) -> None:
    # An SSH link dropping closes the terminal's other side: the kernel sends SIGHUP
    # and every write to the terminal fails from then on.
    drawn(session)
    os.close(session.fd)
    assert session.wait(EXIT_TIMEOUT) == 128 + signal.SIGHUP


# Like make: it hears SIGHUP, waits for its child, then exits with the child's status.
WRAPPER = """
import signal, subprocess, sys
signal.signal(signal.SIGHUP, lambda *_: None)
child = subprocess.Popen(sys.argv[1:])
print(f"child={child.pid};", flush=True)
sys.exit(child.wait())
"""


def test_dropped_connection_ends_the_app_under_a_wrapper(tmp_path: Path) -> None:
    # Run from `make demo`, a script or `sh -c`, the app is not the terminal's session
    # leader: when the link drops only the wrapper gets SIGHUP, and the app is left
    # reading a terminal that is gone (Textual's input thread then spins on it) while
    # the wrapper waits for it.
    env = app_env(tmp_path, "pty-secret-key-0123456789")
    running = start_in_pty(
        [sys.executable, "-c", WRAPPER, sys.executable, "-m", "wpe_tui", "--demo"], env
    )
    try:
        drawn(running)
        found = re.search(rb"child=(\d+);", bytes(running.output))
        assert found is not None, bytes(running.output[:400])
        app = psutil.Process(int(found.group(1)))
        os.close(running.fd)
        deadline = time.monotonic() + EXIT_TIMEOUT
        while time.monotonic() < deadline and _running(app):
            time.sleep(0.1)
        assert not _running(app), f"the app still runs, using {app.cpu_percent(0.5)} % CPU"
        assert running.wait(EXIT_TIMEOUT) == 128 + signal.SIGHUP  # what the wrapper got
    finally:
        if running.wait(0) is None:
            os.kill(running.pid, signal.SIGKILL)
            os.waitpid(running.pid, 0)


def _running(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_forced_exit_puts_the_terminal_back_itself() -> None:
    # When the app does not exit in time after a signal (or a second signal comes),
    # the launcher restores the terminal on its own before ending the process.
    from wpe_tui.launch import RESTORE_SEQUENCE, TerminalGuard

    master, slave = pty.openpty()
    try:
        before = termios.tcgetattr(slave)
        exits: list[int] = []
        guard = TerminalGuard(tty_in=slave, tty_out=slave, exit_now=exits.append)
        raw = termios.tcgetattr(slave)
        raw[3] &= ~(termios.ECHO | termios.ICANON | termios.ISIG)  # what the app leaves
        termios.tcsetattr(slave, termios.TCSANOW, raw)
        guard.force_exit(signal.SIGTERM)
        assert exits == [143]
        assert termios.tcgetattr(slave) == before  # echo and line editing are back
        written = os.read(master, 4096)
        for sequence in (LEAVE_ALTERNATE_SCREEN, SHOW_CURSOR, MOUSE_OFF, BRACKETED_PASTE_OFF):
            assert sequence in written
        assert written.replace(b"\r\n", b"\n") == RESTORE_SEQUENCE.encode()
    finally:
        os.close(master)
        os.close(slave)
