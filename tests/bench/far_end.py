"""Scenario 8: the far end of a large account against the floor, as issue #13 asks.

At 100,000 sites with 100 ms of latency, in one run: the floor app's first rows (its
answer → rows on screen and its peak RSS), then wpe-tui's first rows, End, and its
peak RSS once the last site shows. Targets: End → last site within one request's
latency plus the floor's answer → rows; peak RSS within 15 MB of the floor's.
"""

from __future__ import annotations

import time

from tests.bench.harness import PAGE_SIZE, Bench, first_list_request, names_shown
from tests.bench.report import Figure, count, median, megabytes, ms

SITES = 100_000
LATENCY_MS = 100.0
RSS_MARGIN = 15e6  # bytes above the floor's peak


def far_end(bench: Bench) -> list[Figure]:
    section = "8"
    bench.customer_only()
    with bench.server(SITES, LATENCY_MS) as server:
        total = server.get("/sites", per_page=1)["pagination"]["total"]
        last_page = -(-total // PAGE_SIZE)
        first = names_shown(server.site_names()[: bench.visible_rows])
        last = names_shown([server.site_names(page=last_page, per_page=PAGE_SIZE)[-1]])
        floor_render: list[float] = []
        floor_rss: list[float] = []
        end: list[float] = []
        end_requests: list[float] = []
        app_rss: list[float] = []
        bench.warm_up(bench.floor, server, first)
        bench.warm_up(bench.app, server, first)
        for run in range(bench.runs):
            term = bench.floor(server)
            try:
                seen = term.wait_for(first, what="the floor's first page of sites")
                request = first_list_request(server, term.started_at, seen)
                if request is not None:
                    floor_render.append(seen - request.answered)
                time.sleep(0.5)
                floor_rss.append(term.peak_rss())
            finally:
                term.close()
            term = bench.app(server)
            try:
                term.wait_for(first, what="the first page of sites")
                term.settle(0.3)
                server.wait_quiet(0.2)
                pressed = term.press("end")
                shown = term.wait_for(last, after=pressed, what="the last site after End")
                end.append(shown - pressed)
                time.sleep(0.3)  # a request sent before the frame is logged when answered
                end_requests.append(len(server.requests(pressed, shown)))
                time.sleep(0.5)
                app_rss.append(term.peak_rss())
            finally:
                term.close()
            bench.say(
                f"run {run + 1}: End {ms(end[-1])} ({end_requests[-1]:g} req), "
                f"floor answer → rows {ms(floor_render[-1]) if floor_render else 'n/a'}; "
                f"RSS {megabytes(app_rss[-1])}, floor {megabytes(floor_rss[-1])}"
            )
    budget = LATENCY_MS / 1000 + median(floor_render) if floor_render else None
    above = [a - f for a, f in zip(app_rss, floor_rss, strict=True)]
    end_figure = Figure(section, f"End → last site on screen, {SITES:,} sites", end, ms)
    if budget is not None:
        end_figure.met(lambda v: v <= budget, f"≤ {ms(budget)} (latency + floor render)")
    return [
        Figure(section, "· floor: answer → rows on screen", floor_render, ms),
        end_figure,
        Figure(section, "· requests until then", end_requests, count).met(lambda v: v <= 3, "≤ 3"),
        Figure(section, f"peak RSS, first page then End, {SITES:,} sites", app_rss, megabytes),
        Figure(section, "· floor app's peak RSS, first page", floor_rss, megabytes),
        Figure(section, "· wpe-tui above the floor", above, megabytes).met(
            lambda v: v <= RSS_MARGIN, "≤ 15 MB"
        ),
    ]
