"""A terminal for the benchmarks: a pseudo-terminal (pexpect) rendered by pyte.

The program under test runs exactly as a user starts it, on a pty of a given
size. A reader thread drains the pty as fast as the program writes and stamps
every chunk with the wall-clock time it was read; the screen is rendered from
those chunks, in order, only when the benchmark waits for something. So a wait
answers "when did the first byte that made this true reach the terminal",
however long pyte takes to render (about 2 ms per kB of escape sequences).
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pexpect
import psutil
import pyte

ESC = "\x1b"
KEYS: dict[str, bytes] = {
    "enter": b"\r",
    "escape": b"\x1b",
    "end": b"\x1b[F",
    "home": b"\x1b[H",
    "pageup": b"\x1b[5~",
    "pagedown": b"\x1b[6~",
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "ctrl+q": b"\x11",
    "ctrl+p": b"\x10",
}

Predicate = Callable[["Terminal"], bool]


class TerminalError(RuntimeError):
    """The program exited or did not draw what was awaited in time (with the screen)."""


@dataclass(frozen=True)
class _Chunk:
    at: float  # time.time() when it was read from the pty
    data: bytes


class Terminal:
    """``with Terminal([program, *args], env) as term: term.wait_for(...)``."""

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        *,
        columns: int = 80,
        lines: int = 24,
        cwd: Path | None = None,
    ) -> None:
        self.columns = columns
        self.lines = lines
        self.screen = pyte.Screen(columns, lines)
        self._stream = pyte.ByteStream(self.screen)
        self._chunks: queue.Queue[_Chunk | None] = queue.Queue()
        self._exited = False
        self.last_at = 0.0
        self.bytes_read = 0
        self.started_at = time.time()
        self.child = pexpect.spawn(
            argv[0],
            list(argv[1:]),
            env=dict(env),
            dimensions=(lines, columns),
            cwd=str(cwd) if cwd else None,
            echo=False,
        )
        if self.child.pid is None:
            raise TerminalError(f"could not start {argv[0]}")
        self.pid: int = self.child.pid
        self.process = psutil.Process(self.pid)
        self._reader = threading.Thread(target=self._read, name="pty-reader", daemon=True)
        self._reader.start()

    # -- reading ---------------------------------------------------------------

    def _read(self) -> None:
        fd = self.child.child_fd
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the program closed the terminal
                data = b""
            now = time.time()
            if not data:
                self._chunks.put(None)
                return
            self._chunks.put(_Chunk(now, data))

    def _feed(self, chunk: _Chunk | None) -> None:
        if chunk is None:
            self._exited = True
            return
        self._stream.feed(chunk.data)
        self.bytes_read += len(chunk.data)
        self.last_at = chunk.at

    def drain(self) -> None:
        """Render everything the program has written so far."""
        while True:
            try:
                chunk = self._chunks.get_nowait()
            except queue.Empty:
                return
            self._feed(chunk)

    def wait_for(
        self,
        predicate: Predicate,
        *,
        timeout: float = 30.0,
        after: float | None = None,
        what: str = "the expected screen",
    ) -> float:
        """The read time of the first chunk after which `predicate` holds.

        With `after`, chunks read before that time do not count (a key press).
        """
        deadline = time.time() + timeout
        if predicate(self) and (after is None or self.last_at >= after):
            return self.last_at
        while True:
            if self._exited:
                raise TerminalError(f"the program exited while waiting for {what}:\n{self.text}")
            remaining = deadline - time.time()
            if remaining <= 0:
                self.drain()
                raise TerminalError(
                    f"timed out after {timeout:g} s waiting for {what}:\n{self.text}"
                )
            try:
                chunk = self._chunks.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue
            self._feed(chunk)
            if chunk is not None and predicate(self) and (after is None or chunk.at >= after):
                return chunk.at

    def wait_for_change(
        self,
        view: Callable[[Terminal], object],
        *,
        after: float,
        timeout: float = 30.0,
        what: str = "a change",
    ) -> float:
        """The read time of the first chunk read after `after` that changed `view`.

        The baseline is the view as of the last chunk read before `after`.
        """
        self.drain_until(after)
        baseline = view(self)
        return self.wait_for(
            lambda term: view(term) != baseline, after=after, timeout=timeout, what=what
        )

    def drain_until(self, moment: float) -> None:
        """Render the chunks read before `moment` (and no later one)."""
        while True:
            try:
                chunk = self._chunks.queue[0]  # peek; only this thread takes chunks
            except IndexError:
                return
            if chunk is not None and chunk.at >= moment:
                return
            self._feed(self._chunks.get_nowait())

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until the program has written nothing for `quiet` seconds."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                chunk = self._chunks.get(timeout=quiet)
            except queue.Empty:
                return
            self._feed(chunk)
            if chunk is None:
                return

    # -- writing ---------------------------------------------------------------

    def press(self, *keys: str) -> float:
        """Send keys (names from KEYS, or literal text); return the time they were sent."""
        self.drain()
        payload = b"".join(KEYS.get(key, key.encode()) for key in keys)
        sent = time.time()
        os.write(self.child.child_fd, payload)
        return sent

    # -- what is on the screen ---------------------------------------------------

    @property
    def display(self) -> list[str]:
        lines: list[str] = self.screen.display
        return lines

    @property
    def text(self) -> str:
        return "\n".join(self.display)

    def shows(self, *needles: str) -> bool:
        text = self.text
        return all(needle in text for needle in needles)

    def background(self, y: int, x: int = 0) -> str:
        bg: str = self.screen.buffer[y][x].bg
        return bg

    def rows_with_background(self, bg: str, first: int = 0, last: int | None = None) -> list[int]:
        last = self.lines - 1 if last is None else last
        return [y for y in range(first, last + 1) if self.background(y) == bg]

    # -- the process -------------------------------------------------------------

    def peak_rss(self) -> int:
        """The process's peak resident set size in bytes (VmHWM)."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        return int(self.process.memory_info().rss)

    def cpu_seconds(self) -> float:
        times = self.process.cpu_times()
        return float(times.user + times.system)

    def close(self, keys: Sequence[str] = ("ctrl+q",), timeout: float = 5.0) -> None:
        """Quit the way a user does; force it only if it does not go."""
        if self.child.isalive():
            with contextlib.suppress(OSError):
                self.press(*keys)
            deadline = time.time() + timeout
            while self.child.isalive() and time.time() < deadline:
                self.drain()
                time.sleep(0.02)
        if self.child.isalive():
            self.child.terminate(force=True)
        self._reader.join(timeout=2)
        self.child.close(force=True)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
