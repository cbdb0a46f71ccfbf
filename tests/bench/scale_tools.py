"""What the account-scale scenario reads from the screen and the server's log.

Nothing here knows the app's internals: a sweep is "done" when the site-list pages
the server was asked for cover the whole account; a row is "in flight" when its line
on screen names a status that is not final; the cursor is the one line drawn in the
cursor's background.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.bench.api import covered_share
from tests.bench.demo_server import DemoServer, Request
from tests.bench.terminal import Predicate, Terminal

# Words of a status that is not final, as a site list row shows it.
IN_FLIGHT_WORDS = ("provisioning", "in progress", "in_progress", "deleting", "pending", "queued")


def api_requests(server: DemoServer, since: float, until: float | None = None) -> list[Request]:
    """Requests to the API itself (not the harness's /__fake__ controls)."""
    return server.requests(since, until, path="/v1/")


def per_interval(arrivals: Sequence[float], start: float, end: float, width: float) -> list[int]:
    """Requests in each whole interval of `width` seconds from `start` until `end`."""
    counts: list[int] = []
    for k in itertools.count():
        low, high = start + k * width, start + (k + 1) * width
        if high > end + 1e-6:
            return counts
        counts.append(sum(1 for a in arrivals if low <= a < high))
    return counts  # pragma: no cover (itertools.count never ends)


def in_flight_rows(term: Terminal, first: int, last: int) -> int:
    """Lines of the table body that show a status which is not final."""
    return sum(
        1
        for line in term.display[first : last + 1]
        if any(word in line.lower() for word in IN_FLIGHT_WORDS)
    )


def cursor_line(term: Terminal, bg: str, first: int, last: int) -> int | None:
    rows = term.rows_with_background(bg, first, last)
    return rows[0] if len(rows) == 1 else None


def cursor_at(bg: str, y: int, first: int, last: int) -> Predicate:
    def check(term: Terminal) -> bool:
        return term.rows_with_background(bg, first, last) == [y]

    return check


@dataclass(frozen=True)
class Target:
    """A site the filter looks for: its name sorts on the last pages."""

    id: str
    name: str
    host: str  # its URL without the scheme, "" when the API gives none

    def shown(self) -> Predicate:
        """Its row is on screen: a line with the start of both its name and its URL (the
        filter box shows the name alone), or that starts with its name when no URL."""
        name, host = self.name[:12], self.host[:12]

        def check(term: Terminal) -> bool:
            for line in term.display:
                if host and name in line and host in line:
                    return True
                if not host and line.startswith(name):
                    return True
            return False

        return check


def pick_target(server: DemoServer, page_size: int = 100) -> Target:
    """The last site of the last page whose name no other name there contains, so that
    typing it whole matches that site only."""
    total = server.total_sites()
    pages = -(-total // page_size)
    sites = server.sites(max(pages - 1, 1), page_size) + server.sites(pages, page_size)
    names = [s["name"].lower() for s in sites]
    for site in reversed(sites):
        name = site["name"].lower()
        if sum(1 for other in names if name in other) == 1:
            url = site.get("url") or ""
            return Target(site["id"], site["name"], url.removeprefix("https://"))
    raise RuntimeError("no site name on the last pages is unique")


def common_word(names: Sequence[str]) -> str:
    """A word of several names on the first screen that is not their first word: it
    matches sites all over the account, so a filter on it has rows to move through
    at once and a sweep to make."""
    words: Counter[str] = Counter()
    for name in names:
        for word in re.findall(r"[A-Za-z]{4,}", name)[1:]:
            words[word.lower()] += 1
    if not words or words.most_common(1)[0][1] < 2:
        raise RuntimeError("no word is shared by two sites on the first screen")
    return words.most_common(1)[0][0]


@dataclass
class Sweep:
    """How far the app has fetched the site list since `began` (from the log)."""

    server: DemoServer
    began: float
    total: int

    def share(self) -> float:
        targets = [r.target for r in self.server.requests(self.began) if r.status == "200"]
        return covered_share(self.server.api, targets, self.total)

    def last_page_at(self) -> float:
        times = [r.answered for r in self.server.requests(self.began) if r.path == "/v1/sites"]
        return max(times, default=math.nan)

    def stalled(self, idle_after: float = 10.0) -> bool:
        """No page of sites asked for in `idle_after` seconds: the app gave up, or hangs."""
        last = self.last_page_at()
        return time.time() - (self.began if math.isnan(last) else last) > idle_after

    def wait(self, deadline: float, idle_after: float = 10.0) -> float | None:
        """When the whole account had been fetched, or None: past `deadline`, or stalled."""
        while True:
            if self.share() >= 1.0:
                return self.last_page_at()
            if time.time() > deadline or self.stalled(idle_after):
                return None
            time.sleep(0.25)


@dataclass
class CpuWindows:
    """The app's own CPU, % of one core, in every 1 s window while running."""

    term: Terminal
    windows: list[float] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> CpuWindows:
        self._thread = threading.Thread(target=self._sample, name="cpu", daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        try:
            before, at = self.term.cpu_seconds(), time.time()
            while not self._stop.wait(max(0.0, at + 1.0 - time.time())):
                cpu, now = self.term.cpu_seconds(), time.time()
                self.windows.append(100 * (cpu - before) / (now - at))
                before, at = cpu, now
        except Exception:  # the process ended: the windows so far stand
            return

    def stop(self) -> list[float]:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=3)
        return self.windows


class Pool:
    """Demo servers that one app at a time may use (so each log counts one app)."""

    def __init__(self, servers: Sequence[DemoServer]) -> None:
        self._free = list(servers)
        self._ready = threading.Condition()

    def take(self) -> DemoServer:
        with self._ready:
            while not self._free:
                self._ready.wait()
            return self._free.pop(0)

    def give(self, server: DemoServer) -> None:
        with self._ready:
            self._free.append(server)
            self._ready.notify()


def guard(name: str, errors: list[str], work: Any, *args: Any) -> None:
    """`work(*args)`; an exception becomes a line in `errors`, so the other runs go on."""
    try:
        work(*args)
    except Exception as error:
        lines = str(error).splitlines()
        errors.append(f"{name}: {type(error).__name__}: {lines[0] if lines else ''}")


def run_in_thread(name: str, errors: list[str], work: Any, *args: Any) -> threading.Thread:
    """`guard` in a thread of its own, started."""
    thread = threading.Thread(
        target=guard, args=(name, errors, work, *args), name=name, daemon=True
    )
    thread.start()
    return thread
