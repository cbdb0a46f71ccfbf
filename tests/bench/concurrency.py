"""Scenario 3 of issue #5: enter on a site, its three requests at 100 ms latency."""

from __future__ import annotations

import time

from tests.bench.harness import (
    TAB_READY,
    Bench,
    detail_shown,
    first_list_request,
    names_shown,
)
from tests.bench.report import (
    Figure,
    median,
    ms,
    ms1,
)

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
            request = first_list_request(server, term.started_at, seen)
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
