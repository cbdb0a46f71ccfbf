"""The five measurements of issue #5, each against `wpe-tui demo-server` on loopback.

Every run starts the real `wpe-tui` console script in a fresh pseudo-terminal, with
no config file and the key and URL in the environment, as a user's shell would.
Nothing in the app knows it is being measured.
"""

from __future__ import annotations

import itertools
import math
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.bench.api import CUSTOMER, BenchApi, Skipped
from tests.bench.demo_server import DemoServer, Request
from tests.bench.paths import FLOOR_APP, PYTHON, WPE_TUI, app_env
from tests.bench.report import (
    Figure,
    count,
    median,
    megabytes,
    ms,
    ms1,
    percent,
    percentile,
    ratio,
)
from tests.bench.terminal import Predicate, Terminal
from wpe_tui.api import is_final
from wpe_tui.config import UiPrefs

LOADING = "loading…"
REFRESH_INTERVAL = UiPrefs().refresh_interval  # the default a user gets
PAGE_SIZE = UiPrefs().page_size


@dataclass
class Bench:
    runs: int  # runs behind each quick figure
    idle_runs: int
    idle_seconds: float
    presses: int  # key presses per responsiveness run
    home: Path  # HOME and XDG_* of every program started: empty, so no config is read
    columns: int = 80
    lines: int = 24
    app_path: Path | None = None  # a patched copy of wpe_tui to run instead (before/after)
    api: BenchApi = CUSTOMER
    quick: bool = False
    scale_runs: int = 3  # runs of each account-scale figure (scenario 6)

    def say(self, text: str) -> None:
        print(f"  {text}", file=sys.stderr, flush=True)

    def server(
        self, sites: int, latency_ms: float = 0.0, options: Sequence[str] = ()
    ) -> DemoServer:
        return DemoServer(sites, latency_ms, options=options, api=self.api)

    def customer_only(self) -> None:
        """For scenarios that need the Customer API's server-side sort or its lists."""
        if self.api.platform:
            raise Skipped("it needs the Customer API (sort by name, backup and deployment lists)")

    def app(self, server: DemoServer) -> Terminal:
        env = app_env(server.base_url, self.home, self.api.app_env())
        if self.app_path is not None:
            env["PYTHONPATH"] = str(self.app_path)
        return Terminal([str(WPE_TUI)], env, columns=self.columns, lines=self.lines)

    def floor(self, server: DemoServer) -> Terminal:
        env = app_env(server.base_url, self.home, self.api.app_env())
        return Terminal([str(PYTHON), str(FLOOR_APP)], env, columns=self.columns, lines=self.lines)

    def warm_up(
        self, start: Callable[[DemoServer], Terminal], server: DemoServer, shown: Predicate
    ) -> None:
        """One uncounted start: the OS caches the files, Python its bytecode."""
        term = start(server)
        try:
            term.wait_for(shown, what="the first page of sites (warm-up)")
        finally:
            term.close()

    @property
    def visible_rows(self) -> int:
        """Rows of sites both the app and the floor show at this terminal size."""
        return self.lines - 5

    @property
    def body(self) -> tuple[int, int]:
        """First and last screen line of the site list's rows (title, header above; footer)."""
        return 2, self.lines - 2


# -- predicates ------------------------------------------------------------------------


def names_shown(names: Sequence[str]) -> Predicate:
    """Every name (its first 12 characters: columns truncate) on screen, nothing loading."""
    needles = [name[:12] for name in names]

    def check(term: Terminal) -> bool:
        text = term.text
        return LOADING not in text and all(needle in text for needle in needles)

    return check


def cursor_on(bg: str, y: int, body: tuple[int, int]) -> Predicate:
    def check(term: Terminal) -> bool:
        return term.rows_with_background(bg, *body) == [y]

    return check


_PHP = re.compile(r"PHP \d")
_DISK = re.compile(r"\(\d+ %\)")


def overview_ready(term: Terminal) -> bool:
    """The site's own GET is in: versions, environments and disk usage."""
    text = term.text
    return bool(_PHP.search(text) and _DISK.search(text)) and "production " in text


def _table_ready(prefix: str) -> Predicate:
    def check(term: Terminal) -> bool:
        lines = term.display
        return LOADING not in term.text and any(line.startswith(prefix) for line in lines)

    return check


TAB_READY: dict[str, Predicate] = {
    "1": overview_ready,
    "2": _table_ready("backup_"),
    "3": _table_ready("deploy_"),
}


def detail_shown(term: Terminal) -> bool:
    return "sites ›" in term.text


# -- helpers ---------------------------------------------------------------------------


def _first_list_request(server: DemoServer, since: float, until: float) -> Request | None:
    deadline = time.time() + 2
    while True:
        for request in server.requests(since, until, path="/v1/sites"):
            if request.path == "/v1/sites" and request.method == "GET":
                return request
        if time.time() > deadline:
            return None
        time.sleep(0.02)


def _open_site(bench: Bench, term: Terminal, index: int) -> float:
    """Move the cursor to the index-th row of the first screen and press enter."""
    bg = term.background(bench.body[0])
    if index:
        sent = term.press("j" * index)
        term.wait_for(cursor_on(bg, bench.body[0] + index, bench.body), after=sent)
    return term.press("enter")


def _eta(body: dict[str, Any]) -> float:
    return datetime.fromisoformat(body["estimated_completion_time"]).timestamp()


def settled(server: DemoServer, site: dict[str, Any]) -> bool:
    """Nothing of this site is in progress (so its detail screen has nothing to poll)."""
    api = server.api
    if not api.platform and not is_final(site.get("status")):
        return False
    for path in api.child_lists(site):
        one_item = api.platform and not path.endswith("/backups")  # an install
        body = server.get(path) if one_item else server.get(path, **api.first_items(100))
        if "results" not in body:  # one item (an install): its own status
            if not is_final(body.get("status")):
                return False
            continue
        items, total = api.results(body)
        if total > len(items) or not all(is_final(item.get("status")) for item in items):
            return False
    return True


# -- 1. time to first rows against the floor --------------------------------------------


def first_rows(bench: Bench) -> list[Figure]:
    section = "1"
    with bench.server(100) as server:
        shown = names_shown(server.site_names()[: bench.visible_rows])
        totals: dict[str, list[float]] = {"app": [], "floor": []}
        to_request: dict[str, list[float]] = {"app": [], "floor": []}
        to_render: dict[str, list[float]] = {"app": [], "floor": []}
        cpu: dict[str, list[float]] = {"app": [], "floor": []}
        bench.warm_up(bench.floor, server, shown)
        bench.warm_up(bench.app, server, shown)
        for run in range(bench.runs):
            for kind in ("floor", "app") if run % 2 == 0 else ("app", "floor"):
                term = bench.app(server) if kind == "app" else bench.floor(server)
                try:
                    seen = term.wait_for(shown, what="the first page of sites")
                    cpu[kind].append(term.cpu_seconds())  # read a few ms after: a bit over
                finally:
                    term.close()
                totals[kind].append(seen - term.started_at)
                request = _first_list_request(server, term.started_at, seen)
                if request is not None:
                    to_request[kind].append(request.arrived - term.started_at)
                    to_render[kind].append(seen - request.answered)
            bench.say(
                f"run {run + 1}: wpe-tui {ms(totals['app'][-1])}, floor {ms(totals['floor'][-1])}"
            )
    app, floor = median(totals["app"]), median(totals["floor"])
    ratios = [a / f for a, f in zip(totals["app"], totals["floor"], strict=True)]
    return [
        Figure(section, "time to first rows, wpe-tui (100 sites)", totals["app"], ms),
        Figure(section, "time to first rows, floor app", totals["floor"], ms),
        Figure(section, "· start → list request, wpe-tui", to_request["app"], ms),
        Figure(section, "· start → list request, floor", to_request["floor"], ms),
        Figure(section, "· answer → rows on screen, wpe-tui", to_render["app"], ms),
        Figure(section, "· answer → rows on screen, floor", to_render["floor"], ms),
        Figure(section, "· CPU time of the process by then, wpe-tui", cpu["app"], ms),
        Figure(section, "· CPU time of the process by then, floor", cpu["floor"], ms),
        Figure(
            section,
            "wpe-tui / floor (ratio of medians)",
            [app / floor] if floor else [],
            ratio,
            runs=len(ratios),
            note=f"per-run ratios {min(ratios):.2f}–{max(ratios):.2f}" if ratios else "",
        ).met(lambda v: v <= 1.25, "≤ 1.25"),
    ]


# -- 2. scale ---------------------------------------------------------------------------

SIZES = (100, 10_000, 100_000)


@dataclass
class _Account:
    server: DemoServer
    first: Predicate
    last: Predicate


def scale(bench: Bench) -> list[Figure]:
    section = "2"
    bench.customer_only()
    accounts: dict[int, _Account] = {}
    try:
        for size in SIZES:
            server = bench.server(size).start()
            total = server.get("/sites", per_page=1)["pagination"]["total"]
            last_page = -(-total // PAGE_SIZE)
            last_name = server.site_names(page=last_page, per_page=PAGE_SIZE)[-1]
            accounts[size] = _Account(
                server,
                names_shown(server.site_names()[: bench.visible_rows]),
                names_shown([last_name]),
            )
        first: dict[int, list[float]] = {size: [] for size in SIZES}
        end: dict[int, list[float]] = {size: [] for size in SIZES}
        end_requests: dict[int, list[float]] = {size: [] for size in SIZES}
        rss: dict[int, list[float]] = {size: [] for size in SIZES}
        for account in accounts.values():
            bench.warm_up(bench.app, account.server, account.first)
        for run in range(bench.runs):
            # Rotated, so no size always goes first after a pause.
            for size in SIZES[run % 3 :] + SIZES[: run % 3]:
                account = accounts[size]
                server = account.server
                term = bench.app(server)
                try:
                    seen = term.wait_for(account.first, what="the first page of sites")
                    first[size].append(seen - term.started_at)
                    term.settle(0.3)
                    server.wait_quiet(0.2)
                    pressed = term.press("end")
                    shown = term.wait_for(
                        account.last, after=pressed, what="the last site after End"
                    )
                    end[size].append(shown - pressed)
                    time.sleep(0.3)  # a request sent before the frame is logged when answered
                    end_requests[size].append(len(server.requests(pressed, shown)))
                    time.sleep(0.5)
                    rss[size].append(term.peak_rss())
                finally:
                    term.close()
            bench.say(
                f"run {run + 1}: "
                + ", ".join(
                    f"{size:,} sites: first rows {ms(first[size][-1])}, End {ms(end[size][-1])}"
                    f" ({end_requests[size][-1]:g} req), {megabytes(rss[size][-1])}"
                    for size in SIZES
                )
            )
    finally:
        for account in accounts.values():
            account.server.stop()
    small, large = median(first[SIZES[0]]), median(first[SIZES[-1]])
    figures: list[Figure] = []
    for size in SIZES:
        figures.append(Figure(section, f"time to first rows, {size:,} sites", first[size], ms))
    figures.append(
        Figure(
            section,
            f"first rows {SIZES[-1]:,} / {SIZES[0]:,} sites (ratio of medians)",
            [large / small] if small else [],
            ratio,
            runs=len(first[SIZES[-1]]),
        ).met(lambda v: v <= 1.10, "≤ 1.10")
    )
    for size in SIZES:
        figure = Figure(section, f"End → last site on screen, {size:,} sites", end[size], ms)
        if size == SIZES[-1]:
            figure.met(lambda v: v <= 1.0, "≤ 1 s")
        figures.append(figure)
    for size in SIZES:
        figure = Figure(section, f"requests until then, {size:,} sites", end_requests[size], count)
        if size == SIZES[-1]:
            figure.met(lambda v: v <= 3, "≤ 3")
            if end_requests[size] and max(end_requests[size]) > 3:
                figure.ok = False
                figure.note = "max over runs > 3"
        figures.append(figure)
    for size in SIZES:
        figure = Figure(section, f"peak RSS, {size:,} sites", rss[size], megabytes)
        if size == SIZES[-1]:
            figure.met(lambda v: v <= 120e6, "≤ 120 MB")
        figures.append(figure)
    return figures


# -- 3. concurrency ---------------------------------------------------------------------

LATENCY_MS = 100.0


def concurrency(bench: Bench) -> list[Figure]:
    section = "3"
    bench.customer_only()
    with bench.server(100, LATENCY_MS) as server:
        sites = server.sites()
        shown = names_shown([s["name"] for s in sites][: bench.visible_rows])
        # One request's latency, as a client on this machine sees it.
        latencies: list[float] = []
        with server.client() as client:
            client.get(f"/sites/{sites[0]['id']}")
            for _ in range(max(15, 3 * bench.runs)):
                began = time.time()
                client.get(f"/sites/{sites[0]['id']}").raise_for_status()
                latencies.append(time.time() - began)
        # The floor's render time: from its answer to its rows on screen.
        floor_render: list[float] = []
        for _ in range(bench.runs):
            term = bench.floor(server)
            try:
                seen = term.wait_for(shown, what="the floor's rows")
            finally:
                term.close()
            request = _first_list_request(server, term.started_at, seen)
            if request is not None:
                floor_render.append(seen - request.answered)
        per_tab: dict[str, list[float]] = {tab: [] for tab in TAB_READY}
        everything: list[float] = []
        spreads: list[float] = []
        for run in range(bench.runs):
            times: dict[str, float] = {}
            for tab, ready in TAB_READY.items():
                term = bench.app(server)
                try:
                    term.wait_for(shown, what="the first page of sites")
                    term.settle(0.2)
                    server.wait_quiet(0.2)
                    pressed = term.press("enter")
                    if tab != "1":
                        # Switch as soon as the screen is up, before any answer is in.
                        term.wait_for(detail_shown, after=pressed, what="the site detail")
                        term.press(tab)
                    seen = term.wait_for(ready, after=pressed, what=f"tab {tab} filled")
                    times[tab] = seen - pressed
                    if tab == "1":
                        time.sleep(0.3)
                        arrivals = [r.arrived for r in server.requests(pressed, seen)]
                        if len(arrivals) >= 3:
                            spreads.append(max(arrivals) - min(arrivals))
                finally:
                    term.close()
                per_tab[tab].append(times[tab])
            everything.append(max(times.values()))
            bench.say(
                f"run {run + 1}: overview {ms(times['1'])}, backups {ms(times['2'])}, "
                f"deployments {ms(times['3'])}"
            )
    latency, render = median(latencies), median(floor_render)
    budget = 1.3 * latency + render
    return [
        Figure(
            section,
            f"one request's latency ({LATENCY_MS:g} ms injected)",
            latencies,
            ms,
            runs=len(latencies),
        ),
        Figure(section, "floor's render time (answer → rows)", floor_render, ms),
        Figure(section, "· enter → overview filled", per_tab["1"], ms),
        Figure(section, "· enter → backups filled (2 pressed on arrival)", per_tab["2"], ms),
        Figure(section, "· enter → deployments filled (3 pressed on arrival)", per_tab["3"], ms),
        Figure(section, "· spread of the 3 requests' arrival", spreads, ms1),
        Figure(section, "enter → overview, backups, deployments all on screen", everything, ms).met(
            lambda v: v <= budget, f"≤ {budget * 1000:,.0f} ms (1.3 × latency + floor render)"
        ),
    ]


# -- 4. idle cost -----------------------------------------------------------------------


def enter_and_load(
    bench: Bench, term: Terminal, server: DemoServer, site: dict[str, Any], index: int
) -> float:
    """Open the site; return when its overview is on screen and both lists are answered."""
    pressed = _open_site(bench, term, index)
    if server.api.platform:  # its detail screen is another app's: wait for the requests
        term.wait_for(detail_shown, after=pressed, what=f"the detail of {site['name']}")
        time.sleep(0.5)
        server.wait_quiet(0.5)
        return pressed
    term.wait_for(overview_ready, after=pressed, what=f"the overview of {site['name']}")
    deadline = time.time() + 10
    while time.time() < deadline:
        paths = {r.path for r in server.requests(pressed)}
        if {f"/v1/sites/{site['id']}/backups", f"/v1/sites/{site['id']}/deployments"} <= paths:
            break
        time.sleep(0.05)
    return pressed


def idle(bench: Bench) -> list[Figure]:
    section = "4"
    with bench.server(1000) as server:
        sites = server.sites()[: bench.visible_rows]
        shown = names_shown([s["name"] for s in sites])
        quiet = [i for i, site in enumerate(sites) if settled(server, site)]
        if len(quiet) < 2:
            raise RuntimeError("the demo account has too few sites with nothing in progress")
        idle_requests: list[float] = []
        idle_cpu: list[float] = []
        for run in range(bench.idle_runs):
            index = quiet[0]
            term = bench.app(server)
            try:
                term.wait_for(shown, what="the first page of sites")
                term.settle(0.3)
                enter_and_load(bench, term, server, sites[index], index)
                time.sleep(2.0)  # the first paint and the tab underline's animation
                server.wait_quiet(0.2)
                cpu_before, began = term.cpu_seconds(), time.time()
                time.sleep(bench.idle_seconds)
                cpu_after, ended = term.cpu_seconds(), time.time()
                idle_requests.append(len(server.requests(began, ended)))
                idle_cpu.append(100 * (cpu_after - cpu_before) / (ended - began))
            finally:
                term.close()
            bench.say(
                f"idle run {run + 1}: {idle_requests[-1]:g} requests, "
                f"CPU {percent(idle_cpu[-1])} in {bench.idle_seconds:g} s"
            )
        busy: list[Figure] = []
        if bench.api.platform:
            bench.say("in-progress runs skipped: they start deployments (Customer API only)")
        else:
            busy = _in_progress(bench, server, sites, quiet, shown)
    return [
        Figure(
            section,
            f"requests in {bench.idle_seconds:g} s idle on a site detail",
            idle_requests,
            count,
        ).met(lambda v: v == 0, "0"),
        Figure(section, "CPU while idle, % of one core", idle_cpu, percent).met(
            lambda v: v < 1.0, "< 1 %"
        ),
        *busy,
    ]


def _in_progress(
    bench: Bench,
    server: DemoServer,
    sites: list[dict[str, Any]],
    quiet: list[int],
    shown: Predicate,
) -> list[Figure]:
    """Requests per refresh interval on a site detail with 3 items in progress."""
    per_interval: list[float] = []
    intervals_seen: list[float] = []
    for run in range(bench.runs):
        index = quiet[1 + run % (len(quiet) - 1)]
        site = sites[index]
        term = bench.app(server)
        try:
            term.wait_for(shown, what="the first page of sites")
            term.settle(0.3)
            etas = [
                _eta(
                    server.post(
                        f"/sites/{site['id']}/backups", {"description": "bench", "type": "full"}
                    )
                ),
            ] + [
                _eta(
                    server.post(
                        f"/sites/{site['id']}/deployments",
                        {
                            "environment": "production",
                            "source": {
                                "type": "git",
                                "repository": "github.com/bench/site",
                                "branch": f"bench-{n}",
                            },
                        },
                    )
                )
                for n in range(2)
            ]
            pressed = enter_and_load(bench, term, server, site, index)
            loaded = time.time()
            until = min(etas) - 0.1
            time.sleep(max(0.0, until - time.time()))
        finally:
            term.close()
        time.sleep(0.2)
        polls = server.requests(loaded, until)
        counts = _per_interval([r.arrived for r in polls], until)
        per_interval.append(max(counts) if counts else math.nan)
        intervals_seen.append(len(counts))
        bench.say(
            f"in-progress run {run + 1}: requests per interval {counts} "
            f"(site {site['id']}, {len(polls)} requests in {until - pressed:.1f} s)"
        )
    interval = f"{REFRESH_INTERVAL:g} s"
    return [
        Figure(
            "4",
            f"requests per refresh interval ({interval}), 3 in progress",
            per_interval,
            count,
            note=f"worst interval of each run; {sum(intervals_seen):g} intervals in all",
        ).met(lambda v: v <= 3, "≤ 3"),
    ]


def _per_interval(arrivals: Sequence[float], until: float) -> list[int]:
    """Requests in each whole refresh interval, from the first poll on."""
    if not arrivals:
        return []
    start = min(arrivals) - 0.05
    counts: list[int] = []
    for k in itertools.count():
        low, high = start + k * REFRESH_INTERVAL, start + (k + 1) * REFRESH_INTERVAL
        if high > until:
            break
        counts.append(sum(1 for a in arrivals if low <= a < high))
    return counts


# -- 5. responsiveness -------------------------------------------------------------------

SCROLL_LATENCY_MS = 100.0
SETTLE_AFTER_FRAME = 0.02  # a held key repeats about every 30-40 ms


def _snapshot(term: Terminal, body: tuple[int, int]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(term.display), tuple(term.background(y) for y in range(body[0], body[1] + 1))


def responsiveness(bench: Bench) -> list[Figure]:
    """PageUp through 100,000 sites from the end, with j and k between: a new page comes
    into view every two or three PageUps and loads while the next keys are pressed.

    For each key: the first frame that changed anything, and the frame with the cursor
    where the key put it (each key moves the highlight to another screen line).
    """
    section = "5"
    bench.customer_only()
    top = bench.body[0]
    steps = [("pageup", top), ("j", top + 1), ("k", top), ("j", top + 1)]
    with bench.server(100_000, SCROLL_LATENCY_MS) as server:
        shown = names_shown(server.site_names()[: bench.visible_rows])
        p50: list[float] = []
        p95: list[float] = []
        p95_first: list[float] = []
        p95_starting: list[float] = []
        p95_in_flight: list[float] = []
        total = starting_total = in_flight_total = 0
        for run in range(bench.runs):
            term = bench.app(server)
            # (pressed, first changed frame, cursor in place)
            presses: list[tuple[float, float, float]] = []
            try:
                term.wait_for(shown, what="the first page of sites")
                term.settle(0.3)
                bg = term.background(top)
                pressed = term.press("end")
                term.wait_for(
                    cursor_on(bg, bench.body[1], bench.body),
                    after=pressed,
                    what="the cursor on the last row",
                )
                term.settle(0.3)
                began = time.time()
                for key, y in itertools.islice(itertools.cycle(steps), bench.presses):
                    pressed = term.press(key)
                    changed = term.wait_for_change(
                        lambda t: _snapshot(t, bench.body),
                        after=pressed,
                        timeout=10,
                        what=f"any change after {key}",
                    )
                    placed = term.wait_for(
                        cursor_on(bg, y, bench.body),
                        after=pressed,
                        timeout=10,
                        what=f"the cursor on line {y} after {key}",
                    )
                    presses.append((pressed, changed - pressed, placed - pressed))
                    time.sleep(SETTLE_AFTER_FRAME)
            finally:
                term.close()
            time.sleep(0.3)
            loads = [r for r in server.requests(began) if r.path == "/v1/sites"]
            every = [placed for _, _, placed in presses]
            # Presses that sent a page request, and presses made while one was out.
            starting = [
                placed
                for at, _, placed in presses
                if any(at <= r.arrived <= at + placed for r in loads)
            ]
            in_flight = [
                placed
                for at, _, placed in presses
                if any(r.arrived < at < r.answered for r in loads)
            ]
            total += len(every)
            starting_total += len(starting)
            in_flight_total += len(in_flight)
            p50.append(percentile(every, 50))
            p95.append(percentile(every, 95))
            p95_first.append(percentile([first for _, first, _ in presses], 95))
            p95_starting.append(percentile(starting, 95))
            p95_in_flight.append(percentile(in_flight, 95))
            bench.say(
                f"run {run + 1}: {len(every)} presses, {len(loads)} pages loaded: "
                f"p50 {ms1(p50[-1])}, p95 {ms1(p95[-1])}; p95 of the {len(starting)} that "
                f"sent a request {ms1(p95_starting[-1])}, of the {len(in_flight)} made while "
                f"one was out {ms1(p95_in_flight[-1])}"
            )
    return [
        Figure(section, "key → cursor moved on screen, p50", p50, ms1, note=f"{total} presses"),
        Figure(section, "key → cursor moved on screen, p95", p95, ms1).met(
            lambda v: v <= 0.033, "≤ 33 ms"
        ),
        Figure(
            section,
            "· p95, presses that sent a page request",
            p95_starting,
            ms1,
            note=f"{starting_total} presses",
        ),
        Figure(
            section,
            "· p95, presses while a page request was out",
            p95_in_flight,
            ms1,
            note=f"{in_flight_total} presses",
        ),
        Figure(section, "· p95, key → first changed frame (any change)", p95_first, ms1),
    ]


SCENARIOS: dict[str, tuple[str, Callable[[Bench], list[Figure]]]] = {
    "1": ("time to first rows against the floor", first_rows),
    "2": ("scale: 100, 10,000 and 100,000 sites", scale),
    "3": (f"concurrency: enter on a site with {LATENCY_MS:g} ms latency", concurrency),
    "4": ("idle cost on a site detail", idle),
    "5": (
        f"responsiveness: cursor keys while pages load ({SCROLL_LATENCY_MS:g} ms latency)",
        responsiveness,
    ),
}
