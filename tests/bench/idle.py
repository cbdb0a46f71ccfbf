"""Scenario 4 of issue #5: what an idle app costs, on a site detail."""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Sequence
from typing import Any

from tests.bench.demo_server import DemoServer
from tests.bench.harness import (
    REFRESH_INTERVAL,
    Bench,
    enter_and_load,
    eta,
    names_shown,
    settled,
)
from tests.bench.report import (
    Figure,
    count,
    percent,
)
from tests.bench.terminal import Predicate

# -- 4. idle cost -----------------------------------------------------------------------


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
                eta(
                    server.post(
                        f"/sites/{site['id']}/backups", {"description": "bench", "type": "full"}
                    )
                ),
            ] + [
                eta(
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
            # Only what is in view is followed: the Deployments tab, where 2 of the 3 are.
            term.press("3")
            time.sleep(0.3)
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
            f"requests per refresh interval ({interval}), 3 in progress, Deployments tab in view",
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
