"""The short fault soak: 500 random keys against a fake API that fails, throttles, drops
connections and lags (0-800 ms), over real loopback HTTP, on each API. `make soak` runs
the long one.

What it asserts is in `tests/soak/`: the app never exits, crashes or hangs, shows
every error, sends no write, and once the faults stop one refresh shows exactly the
server's state.
"""

from __future__ import annotations

import pytest

from tests.soak import SoakOptions, run_soak

SHORT_STEPS = 500


@pytest.mark.parametrize("api", ["customer", "platform"])
async def test_random_keys_under_faults_break_nothing(api: str) -> None:
    # The same faults as the long form; shorter pauses between keys keep it near a minute.
    options = SoakOptions(api=api, seed=6, steps=SHORT_STEPS, think_scale=0.2)
    report = await run_soak(options)
    summary = report.summary()
    assert report.ok, summary
    assert report.keys == SHORT_STEPS, summary
    # The walk met what it is there to meet: faults, forms opened and cancelled, and the
    # final check compared the site list and a site's tables with the server's.
    assert sum(report.faults.values()) + sum(report.outage_faults.values()) > 0, summary
    assert any(name.endswith("Modal") for name in report.views), summary
    assert report.writes_received == 0 and report.writes_attempted == 0, summary
    assert len(report.final) >= 3, summary
