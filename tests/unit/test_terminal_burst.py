"""Bursts of keys through a real terminal, as a laggy SSH link delivers them: the real
`wpe-tui` in a pseudo-terminal against the fake API on loopback, every key in one write."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_terminal_restore import STARTUP_TIMEOUT, Session, app_env, start_in_pty
from wpe_tui.fake import FakeAccount, FakeServer

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals only")

RIGHT = b"\x1b[C"
CTRL_S = b"\x13"
CTRL_Q = b"\x11"


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer(account=FakeAccount(sites=120, seed=1)) as running:
        yield running


@pytest.fixture
def app(server: FakeServer, tmp_path: Path) -> Iterator[Session]:
    argv = [sys.executable, "-m", "wpe_tui", "--api-url", server.base_url]
    running = start_in_pty(argv, app_env(tmp_path, "pty-burst-key"))
    pid, fd = running.pid, running.fd
    try:
        assert running.read_until(b"Acme", STARTUP_TIMEOUT), bytes(running.output[-2000:])
        running.read_for(1.0)  # the first frames are over
        yield running
    finally:
        with contextlib.suppress(OSError):
            os.write(fd, CTRL_Q)
        if running.wait(10) is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        with contextlib.suppress(OSError):
            os.close(fd)


def writes(server: FakeServer) -> list[Any]:
    return [r for r in server.app.state.requests if r.method != "GET"]


def wait_for(condition: Any, session: Session, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        session.read_for(0.2)
    return bool(condition())


def test_the_readme_quick_restore_as_one_write(app: Session, server: FakeServer) -> None:
    os.write(app.fd, b"\r" + b"2j" + b"R" + RIGHT + b" 34" + CTRL_S)
    assert wait_for(lambda: bool(writes(server)), app), "the restore was never sent"
    app.read_for(1.0)
    [sent] = writes(server)
    assert sent.path.startswith("/v1/sites/site_10001/backups/") and sent.path.endswith("/restore")
    assert sent.json == {
        "environment": "staging",
        "contents": {"database": True, "files": True, "plugins": False, "themes": False},
    }
    assert b"Traceback" not in app.output


def test_slash_north_as_one_write_filters(app: Session, server: FakeServer) -> None:
    mark = len(app.output)
    os.write(app.fd, b"/north")
    app.read_for(3.0)
    drawn = bytes(app.output[mark:])
    assert b"New site" not in drawn, "the n of north opened the New site modal"
    assert b"north" in drawn
    assert writes(server) == []


def test_escape_then_a_letter_as_one_write_is_both_keys(app: Session, server: FakeServer) -> None:
    # A terminal sends Alt+e as escape and e: over a laggy link, escape out of the site
    # and e (edit) on the list arrive so too, in one read: the edit form opens (Cancel).
    os.write(app.fd, b"\r")
    assert app.read_until(b"Overview", 10), "the site did not open"
    app.read_for(1.0)
    mark = len(app.output)
    os.write(app.fd, b"\x1be")
    assert wait_for(lambda: b"Cancel" in bytes(app.output[mark:]), app, 10), (
        "escape and e were taken for one key that does nothing"
    )
    assert writes(server) == []
