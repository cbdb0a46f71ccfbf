"""Scenario 5 of issue #5: cursor keys while pages load."""

from __future__ import annotations

import itertools
import time

from tests.bench.harness import (
    Bench,
    cursor_on,
    names_shown,
)
from tests.bench.report import (
    Figure,
    ms1,
    percentile,
)
from tests.bench.terminal import Terminal

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
