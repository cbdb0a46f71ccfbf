"""Scenario 9: a tab switch on a site detail, key → the tab on screen (issue #13).

The site's three tabs are loaded first; then 1, 2 and 3 are pressed in turn and each
press waits for the frame where its tab's content shows and the last tab's is gone.
The footer changes with the tab (R and D are the Backups tab's), so that frame
includes the footer's rebuild. Target: p95 ≤ 33 ms, the budget of a cursor key.

Beside it, a bare Textual app with the same three tabs (`floor_tabs_app.py`: Textual's
TabbedContent and DataTable, no footer), measured the same way in the same run: what
the plainest Textual version of this screen costs on this machine. It is slower than
wpe-tui (its focus moves a frame later), so it is context, not a floor.
"""

from __future__ import annotations

import itertools
import time

from tests.bench.harness import Bench, enter_and_load, names_shown
from tests.bench.paths import FLOOR_TABS_APP, PYTHON, app_env
from tests.bench.report import Figure, ms1, percentile, ratio
from tests.bench.terminal import Predicate, Terminal

SETTLE_AFTER_FRAME = 0.02
SWITCHES = 60  # per run
ORDER = ("2", "3", "1")  # every switch leaves one tab for another
ROWS = {"2": "backup_", "3": "deploy_"}


def _shows_only(tab: str) -> Predicate:
    """The tab's rows are on screen and the other table's are not (the overview: neither)."""

    def check(term: Terminal) -> bool:
        starts = {
            prefix
            for prefix in ROWS.values()
            for line in term.display
            if line.lstrip().startswith(prefix)
        }
        return starts == ({ROWS[tab]} if tab in ROWS else set())

    return check


def _switch(term: Terminal) -> list[float]:
    for tab in ORDER:  # each table shown once, so what follows only switches
        pressed = term.press(tab)
        term.wait_for(_shows_only(tab), after=pressed, what=f"tab {tab}")
    term.settle(0.3)
    times: list[float] = []
    for tab in itertools.islice(itertools.cycle(ORDER), SWITCHES):
        pressed = term.press(tab)
        seen = term.wait_for(_shows_only(tab), after=pressed, timeout=10, what=f"tab {tab}")
        times.append(seen - pressed)
        time.sleep(SETTLE_AFTER_FRAME)
    return times


def tab_switch(bench: Bench) -> list[Figure]:
    section = "9"
    bench.customer_only()
    p50: list[float] = []
    p95: list[float] = []
    floor_p50: list[float] = []
    floor_p95: list[float] = []
    with bench.server(100) as server:
        sites = server.sites()
        shown = names_shown([s["name"] for s in sites][: bench.visible_rows])
        env = app_env(server.base_url, bench.home, bench.api.app_env())
        for run in range(bench.runs):
            with Terminal(
                [str(PYTHON), str(FLOOR_TABS_APP)], env, columns=bench.columns, lines=bench.lines
            ) as floor:
                floor.settle(0.5)
                times = _switch(floor)
            floor_p50.append(percentile(times, 50))
            floor_p95.append(percentile(times, 95))
            term = bench.app(server)
            try:
                term.wait_for(shown, what="the first page of sites")
                term.settle(0.3)
                enter_and_load(bench, term, server, sites[0], 0)
                times = _switch(term)
            finally:
                term.close()
            p50.append(percentile(times, 50))
            p95.append(percentile(times, 95))
            bench.say(
                f"run {run + 1}: p50 {ms1(p50[-1])}, p95 {ms1(p95[-1])}; "
                f"floor p50 {ms1(floor_p50[-1])}, p95 {ms1(floor_p95[-1])}"
            )
    ratios = [a / f for a, f in zip(p95, floor_p95, strict=True)]
    total = SWITCHES * bench.runs
    return [
        Figure(section, "tab switch → the tab on screen, bare Textual, p50", floor_p50, ms1),
        Figure(section, "tab switch → the tab on screen, bare Textual, p95", floor_p95, ms1),
        Figure(
            section,
            "tab switch → the tab on screen, wpe-tui, p50",
            p50,
            ms1,
            note=f"{total} switches",
        ),
        Figure(section, "tab switch → the tab on screen, wpe-tui, p95", p95, ms1).met(
            lambda v: v <= 0.033, "≤ 33 ms"
        ),
        Figure(section, "· wpe-tui / bare Textual, p95", ratios, ratio),
    ]
