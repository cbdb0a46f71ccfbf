"""6. Account scale (issue #10): 10,000 sites, one in six stuck in flight, 100 ms latency.

The app is driven only through its terminal (`/`, escape, enter, home, j, k,
pagedown, r) and measured only through the demo server's access log and psutil, so
the same scenario measures any checkout (`--app-path`).

Request counts do not depend on the CPU, so the apps that only idle run side by
side, each against its own server: phase 1 idles on the site list (before and after
paging), waits out a 429, idles for more than 2 minutes, and sweeps 100,000 sites for
the peak RSS. Timings do, so phase 2 runs one app at a time: the filter on a name of
the last pages (its time to the row, the CPU of every second of the sweep), then j/k
during a sweep. After each filter the app opens a site with nothing in flight and
idles there in the background while the next run starts.
"""

from __future__ import annotations

import math
import threading
import time
from contextlib import ExitStack
from typing import Any

from tests.bench import scale_tools as tools
from tests.bench.account_scale_figures import Results, figures
from tests.bench.demo_server import DemoServer
from tests.bench.harness import (
    PAGE_SIZE,
    REFRESH_INTERVAL,
    Bench,
    names_shown,
    settled,
    wait_loaded,
)
from tests.bench.report import Figure, megabytes, ms, percent, percentile
from tests.bench.scale_tools import Sweep, Target
from tests.bench.terminal import Terminal, TerminalError

SECTION = "6"
SITES = 10_000
BIG = 100_000
STUCK = 0.17
LATENCY_MS = 100.0
RETRY_AFTER = 20.0
PAGE_DOWNS = 6
LONG_IDLE_AFTER = 120.0  # "after 2 minutes unchanged"
LONG_WINDOW = 30.0
KEY_TIMEOUT = 3.0  # a key that moves nothing in this long counts as this long


class Unanswered(Exception):
    """The app did not answer a key (it is busy or hung): said in a few words."""


class AccountScale:
    def __init__(self, bench: Bench) -> None:
        self.bench = bench
        self.out = Results()
        self.idle = bench.idle_seconds
        self.row_timeout = 30.0 if bench.quick else 60.0
        self.sweep_timeout = 45.0 if bench.quick else 120.0
        self.big_timeout = 60.0 if bench.quick else 180.0
        self.long_window = LONG_WINDOW if bench.quick else 2 * LONG_WINDOW
        self.first_screen: list[str] = []
        self.cursor_bg = ""
        self.background: list[threading.Thread] = []

    def server(self, sites: int, latency_ms: float) -> DemoServer:
        return self.bench.server(sites, latency_ms, ["--stuck-rate", f"{STUCK:g}"])

    def open_app(self, server: DemoServer) -> Terminal:
        """The app on its first screen of sites, settled."""
        term = self.bench.app(server)
        try:
            term.wait_for(names_shown(self.first_screen), what="the first page of sites")
            term.settle(0.5)
        except BaseException:
            term.close()
            raise
        return term

    def _cursor_background(self, term: Terminal) -> str:
        """The cursor starts on the first site: its line's background is the cursor's."""
        for y, line in enumerate(term.display):
            if self.first_screen[0][:12] in line:
                return term.background(y)
        raise RuntimeError("the first site is not on the first screen")

    def later(self, name: str, work: Any, *args: Any) -> None:
        self.background.append(tools.run_in_thread(name, self.out.errors, work, *args))

    # -- phase 1: counting requests, side by side --------------------------------------

    def list_idle(self, server: DemoServer) -> None:
        """Idle on the list, page down 6 times, idle again, then a 429 (figures 1, 2, 7)."""
        body = self.bench.body
        term = self.open_app(server)
        try:
            self.out.in_view.append(tools.in_flight_rows(term, *body))
            total, worst = self._idle_count(server)
            self.out.list_idle.append(total)
            self.out.list_worst.append(worst)
            for _ in range(PAGE_DOWNS):
                pressed = term.press("pagedown")
                term.wait_for_change(lambda t: t.text, after=pressed, timeout=10, what="PgDn")
                time.sleep(0.3)
            time.sleep(2.0)  # the pages now in view load (100 ms each)
            term.settle(0.5)
            total, worst = self._idle_count(server)
            self.out.paged_idle.append(total)
            self.out.paged_worst.append(worst)
            self._rate_limited(term, server)
        finally:
            term.close()

    def _idle_count(self, server: DemoServer) -> tuple[float, float]:
        began = time.time()
        time.sleep(self.idle)
        ended = time.time()
        arrivals = [r.arrived for r in tools.api_requests(server, began, ended)]
        counts = tools.per_interval(arrivals, began, ended, REFRESH_INTERVAL)
        return len(arrivals), max(counts, default=math.nan)

    def _rate_limited(self, term: Terminal, server: DemoServer) -> None:
        """The next request answers 429 with Retry-After 20 s: what is sent meanwhile?"""
        queued = time.time()
        server.control("rate-limit", next=1, retry_after=f"{RETRY_AFTER:g}")
        limited = self._first_429(server, queued, 5.0)
        how = "a background request met it"
        if limited is None:  # nothing polls: a refresh asks, and meets it
            term.press("r")
            limited = self._first_429(server, queued, 10.0)
            how = "r met it"
        if limited is None:
            raise RuntimeError("no request met the 429 within 15 s")
        start, end = limited.answered + 0.05, limited.answered + RETRY_AFTER - 0.25
        time.sleep(max(0.0, end - time.time()) + 0.5)
        self.out.limited.append(len(tools.api_requests(server, start, end)))
        self.out.limited_how.append(how)

    @staticmethod
    def _first_429(server: DemoServer, since: float, wait: float) -> Any:
        deadline = time.time() + wait
        while time.time() < deadline:
            for request in tools.api_requests(server, since):
                if request.status == "429":
                    time.sleep(max(0.0, request.answered - time.time()))
                    return request
            time.sleep(0.1)
        return None

    def long_idle(self, server: DemoServer) -> None:
        """Requests per 30 s after 2 minutes on the same first screen."""
        term = self.open_app(server)
        try:
            start = term.started_at + LONG_IDLE_AFTER
            end = start + self.long_window
            time.sleep(max(0.0, end - time.time()) + 0.5)
            arrivals = [r.arrived for r in tools.api_requests(server, start, end)]
            counts = tools.per_interval(arrivals, start, end, LONG_WINDOW)
            self.out.long_worst.append(max(counts, default=math.nan))
        finally:
            term.close()

    def big_sweep(self, server: DemoServer, target: Target) -> None:
        """Peak RSS once a filter has swept 100,000 sites (figure 8)."""
        first = server.site_names(1, PAGE_SIZE)[: self.bench.visible_rows]
        term = self.bench.app(server)
        try:
            term.wait_for(names_shown(first), what="the first page of 100,000 sites")
            term.settle(0.5)
            self._type_filter(term, target.name)
            sweep = Sweep(server, term.started_at, server.site_count)
            sweep.wait(time.time() + self.big_timeout)
            time.sleep(1.0)
            self.out.big_rss.append(term.peak_rss())
            self.out.big_swept.append(sweep.share())
        finally:
            term.close()

    @staticmethod
    def _type_filter(term: Terminal, text: str) -> float:
        """Open the filter box and type: returns when `/` was pressed."""
        pressed = term.press("/")
        term.wait_for_change(lambda t: t.text, after=pressed, timeout=5, what="the filter box")
        time.sleep(0.1)  # the box takes the focus after it is drawn
        term.press(text)
        return pressed

    # -- phase 2: timings, one app at a time ----------------------------------------------

    def filter_run(self, pool: tools.Pool, target: Target, quiet: list[int]) -> None:
        """`/` + a name of the last pages: time to its row, CPU while sweeping; then a
        site with nothing in flight, idled on in the background (figures 3, 4, 6)."""
        server = pool.take()
        term = self.open_app(server)
        handed_over = False
        try:
            sweep = Sweep(server, term.started_at, server.site_count)
            cpu = tools.CpuWindows(term).start()
            pressed = self._type_filter(term, target.name)
            seen = self._wait_row(term, target, sweep, pressed + self.row_timeout)
            if seen is not None:
                self.out.to_row.append(seen - pressed)
            else:
                self.out.row_misses.append(f"{sweep.share():.0%}")
            done = sweep.wait(pressed + self.sweep_timeout)
            windows = cpu.stop()
            self.out.sweep_cpu.append(max(windows, default=math.nan))
            if done is not None:
                self.out.sweeps_done += 1
                self.out.swept.append(done - pressed)
            self.bench.say(
                f"filter run: row {'after ' + ms(seen - pressed) if seen else 'not shown'}, "
                f"swept {sweep.share():.0%}, CPU max {percent(max(windows, default=math.nan))}"
            )
            try:
                self._open_quiet_site(term, server, quiet)
            except Unanswered as error:
                self.out.detail_misses.append(str(error))
                return
            handed_over = True
            self.later("detail idle", self._detail_idle, term, server, pool)
        finally:
            if not handed_over:
                term.close()
                pool.give(server)

    @staticmethod
    def _wait_row(term: Terminal, target: Target, sweep: Sweep, deadline: float) -> float | None:
        """When the target's row came on screen; None once the sweep stalls or at
        `deadline` (a sweep that stopped will not bring it)."""
        while time.time() < deadline:
            try:
                return term.wait_for(target.shown(), timeout=1.0, what=target.name)
            except TerminalError:
                if sweep.stalled():
                    return None
        return None

    def _open_quiet_site(self, term: Terminal, server: DemoServer, quiet: list[int]) -> None:
        """escape, home, then j down to a site with nothing in flight, and enter."""
        top, bottom = 1, self.bench.lines - 2
        first_name = self.first_screen[0][:12]

        def on_first_site(t: Terminal) -> bool:
            y = tools.cursor_line(t, self.cursor_bg, top, bottom)
            return y is not None and first_name in t.display[y]

        try:
            pressed = term.press("escape")
            term.wait_for_change(lambda t: t.text, after=pressed, timeout=10, what="escape")
            term.settle(0.5)
            pressed = term.press("home")
            term.wait_for(on_first_site, after=pressed, timeout=10, what="home")
        except TerminalError as error:
            what = "escape" if "escape" in str(error) else "home"
            raise Unanswered(f"no frame after {what} in 10 s") from error
        y = tools.cursor_line(term, self.cursor_bg, top, bottom)
        assert y is not None
        index = quiet[0]
        site = server.sites(1, PAGE_SIZE)[index]
        if index:
            sent = term.press("j" * index)
            term.wait_for(tools.cursor_at(self.cursor_bg, y + index, top, bottom), after=sent)
        wait_loaded(term, server, site, term.press("enter"))
        time.sleep(2.0)

    def _detail_idle(self, term: Terminal, server: DemoServer, pool: tools.Pool) -> None:
        try:
            began = time.time()
            time.sleep(self.idle)
            self.out.detail_idle.append(len(tools.api_requests(server, began, time.time())))
        finally:
            term.close()
            pool.give(server)

    def keys_run(self, pool: tools.Pool, word: str) -> None:
        """j and k, alternately, while a filter on a common word sweeps (figure 5)."""
        server = pool.take()
        term = self.open_app(server)
        try:
            cpu = tools.CpuWindows(term).start()
            self._type_filter(term, word)
            time.sleep(0.3)
            term.press("enter")  # from the filter box to the table
            top, bottom = 1, self.bench.lines - 2
            deadline = time.time() + 5
            y = None
            while y is None and time.time() < deadline:
                term.settle(0.1, timeout=1)
                y = tools.cursor_line(term, self.cursor_bg, top, bottom)
            if y is None:
                raise RuntimeError("no cursor row on screen after the filter")
            sweep = Sweep(server, term.started_at, server.site_count)
            times: list[float] = []
            in_a_row = 0
            stop_at = time.time() + self.sweep_timeout
            for n in range(self.bench.presses):
                key, expect = ("j", y + 1) if n % 2 == 0 else ("k", y)
                pressed = term.press(key)
                try:
                    at = term.wait_for(
                        tools.cursor_at(self.cursor_bg, expect, top, bottom),
                        after=pressed,
                        timeout=KEY_TIMEOUT,
                        what=f"the cursor on line {expect}",
                    )
                    times.append(at - pressed)
                    in_a_row = 0
                except TerminalError:
                    times.append(KEY_TIMEOUT)
                    self.out.key_timeouts += 1
                    in_a_row += 1
                time.sleep(0.02)
                over = n % 8 == 7 and (sweep.share() >= 1 or sweep.stalled())
                if in_a_row >= 3 or time.time() > stop_at or over:
                    break
            self.out.keys_cpu.append(max(cpu.stop(), default=math.nan))
            self.out.key_presses += len(times)
            self.out.keys_p95.append(percentile(times, 95))
        finally:
            term.close()
            pool.give(server)

    # -- the whole scenario ---------------------------------------------------------------

    def run(self) -> list[Figure]:
        bench = self.bench
        idle_runs, runs = bench.scale_runs, bench.scale_runs
        with ExitStack() as stack:
            servers = [
                stack.enter_context(self.server(SITES, LATENCY_MS)) for _ in range(idle_runs)
            ]
            long_server = stack.enter_context(self.server(SITES, LATENCY_MS))
            big = stack.enter_context(self.server(BIG, 0.0))
            first = servers[0]
            self.first_screen = first.site_names(1, PAGE_SIZE)[: bench.visible_rows]
            target, big_target = tools.pick_target(first), tools.pick_target(big)
            word = tools.common_word(self.first_screen)
            bench.say(f"filter target {target.name!r}, sweep word {word!r}")
            term = self.open_app(first)  # uncounted: the OS caches files, Python bytecode
            self.cursor_bg = self._cursor_background(term)
            term.close()
            phase1 = [
                tools.run_in_thread("list idle", self.out.errors, self.list_idle, server)
                for server in servers
            ]
            phase1.append(
                tools.run_in_thread("100k sweep", self.out.errors, self.big_sweep, big, big_target)
            )
            self.later("long idle", self.long_idle, long_server)
            for thread in phase1:
                thread.join()
            big.stop()
            bench.say(
                f"phase 1: list idle {self.out.list_idle}, paged {self.out.paged_idle}, "
                f"429 {self.out.limited}, RSS {[megabytes(r) for r in self.out.big_rss]}"
            )
            on_screen = first.sites(1, PAGE_SIZE)[: bench.visible_rows]
            quiet = [i for i, site in enumerate(on_screen) if settled(first, site)]
            if not quiet:
                raise RuntimeError("no site with nothing in flight on the first screen")
            pool = tools.Pool(servers)
            for _ in range(runs):
                for name, work, args in (
                    ("filter", self.filter_run, (pool, target, quiet)),
                    ("keys", self.keys_run, (pool, word)),
                ):
                    tools.guard(name, self.out.errors, work, *args)
            for thread in self.background:
                thread.join()
        for line in self.out.errors:
            bench.say(f"error: {line}")
        return figures(self.out, self.idle, self.long_window)


def account_scale(bench: Bench) -> list[Figure]:
    return AccountScale(bench).run()
