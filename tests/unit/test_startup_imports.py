"""What the first screen costs: the real `wpe-tui` in a pseudo-terminal, started with
`python -X importtime`, against the fake API on loopback. Python writes each import to
the same terminal as it happens; the ones written before the first site's name are what
the user waited for. The forms, the activity panel, the crash report, the fake and the
Hosting Platform adapter must not be among them: they load on first use (#13)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.unit.test_terminal_restore import STARTUP_TIMEOUT, app_env, start_in_pty
from wpe_tui.fake import FakeAccount, FakeServer

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals only")

IMPORT_LINE = re.compile(rb"import time:\s*\d+ \|\s*\d+ \| *([\w.]+)")

# Loaded on first use, never for the first rows of the site list on the Customer API.
ON_FIRST_USE = (
    "wpe_tui.modals",  # every form and confirmation
    "wpe_tui.widgets.choices",  # the forms' option lists
    "wpe_tui.screens.activity",
    "wpe_tui.screens.help",
    "wpe_tui.screens.crash",
    "wpe_tui.crash_report",
    "wpe_tui.fake",
    "wpe_tui.api.platform",
    "wpe_tui.screens.site_detail",
    "click",  # httpx's command-line client (httpx._main) brings these two
    "pygments",
)


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer(account=FakeAccount(sites=120, seed=1)) as running:
        yield running


def imports_before_first_rows(server: FakeServer, tmp_path: Path) -> list[str]:
    argv = [sys.executable, "-X", "importtime", "-m", "wpe_tui", "--api-url", server.base_url]
    session = start_in_pty(argv, app_env(tmp_path, "import-time-key"))
    pid, fd = session.pid, session.fd
    try:
        assert session.read_until(b"Acme", STARTUP_TIMEOUT), bytes(session.output[-2000:])
        before = bytes(session.output[: session.output.index(b"Acme")])
    finally:
        with contextlib.suppress(OSError):
            os.write(fd, b"\x11")  # ctrl+q
        if session.wait(10) is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        with contextlib.suppress(OSError):
            os.close(fd)
    return [name.decode() for name in IMPORT_LINE.findall(before)]


def test_the_first_rows_load_nothing_that_waits_for_first_use(
    server: FakeServer, tmp_path: Path
) -> None:
    loaded = imports_before_first_rows(server, tmp_path)
    assert "wpe_tui.screens.site_list" in loaded  # the output was read as it should be
    early = sorted(
        name
        for name in loaded
        if any(name == lazy or name.startswith(lazy + ".") for lazy in ON_FIRST_USE)
    )
    assert early == []
