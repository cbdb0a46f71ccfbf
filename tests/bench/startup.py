"""Scenarios 1 and 2 of issue #5: time to first rows against the floor, and at scale."""

from __future__ import annotations

import time
from dataclasses import dataclass

from tests.bench.demo_server import DemoServer
from tests.bench.harness import (
    PAGE_SIZE,
    Bench,
    first_list_request,
    names_shown,
)
from tests.bench.report import (
    Figure,
    count,
    median,
    megabytes,
    ms,
    ratio,
)
from tests.bench.terminal import Predicate

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
                request = first_list_request(server, term.started_at, seen)
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
