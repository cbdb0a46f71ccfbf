"""Every scenario of `python -m tests.bench`, by the number `--only` takes."""

from __future__ import annotations

from collections.abc import Callable

from tests.bench.account_scale import account_scale
from tests.bench.concurrency import LATENCY_MS, concurrency
from tests.bench.far_end import LATENCY_MS as FAR_LATENCY_MS
from tests.bench.far_end import SITES as FAR_SITES
from tests.bench.far_end import far_end
from tests.bench.harness import Bench
from tests.bench.idle import idle
from tests.bench.palette import LATENCY_MS as PALETTE_LATENCY_MS
from tests.bench.palette import SITES as PALETTE_SITES
from tests.bench.palette import palette
from tests.bench.report import Figure
from tests.bench.responsiveness import SCROLL_LATENCY_MS, responsiveness
from tests.bench.startup import first_rows, scale
from tests.bench.tab_switch import tab_switch

SCENARIOS: dict[str, tuple[str, Callable[[Bench], list[Figure]]]] = {
    "1": ("time to first rows against the floor", first_rows),
    "2": ("scale: 100, 10,000 and 100,000 sites", scale),
    "3": (f"concurrency: enter on a site with {LATENCY_MS:g} ms latency", concurrency),
    "4": ("idle cost on a site detail", idle),
    "5": (
        f"responsiveness: cursor keys while pages load ({SCROLL_LATENCY_MS:g} ms latency)",
        responsiveness,
    ),
    "6": ("account scale: 10,000 sites, 1 in 6 stuck in flight, 100 ms latency", account_scale),
    "7": (
        f"palette: a site of {PALETTE_SITES:,} by name ({PALETTE_LATENCY_MS:g} ms latency)",
        palette,
    ),
    "8": (
        f"the far end: End at {FAR_SITES:,} sites, {FAR_LATENCY_MS:g} ms latency; RSS vs floor",
        far_end,
    ),
    "9": ("tab switch on a site detail: key → the tab on screen", tab_switch),
}
