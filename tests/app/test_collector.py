"""The cyclic collector waits while keys are handled, and always runs again after."""

from __future__ import annotations

import gc

from tests.app.conftest import AppFactory, settle, until
from tests.app.test_typeahead import burst
from wpe_tui.screens.site_detail import SiteDetailScreen
from wpe_tui.widgets import PagedTable


async def test_the_collector_waits_for_the_keys_then_runs_again(make_app: AppFactory) -> None:
    app = make_app()
    app.collector_resume_after = 0.5
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert gc.isenabled()
        table = app.screen.query_one("#sites", PagedTable)
        burst(app, "j", "j", "j")
        await until(pilot, lambda: table.cursor == 3)
        assert app.collector_held and not gc.isenabled(), "held while the keys are handled"
        await until(pilot, gc.isenabled)
        assert not app.collector_held


async def test_keys_that_keep_coming_do_not_hold_it_for_long(make_app: AppFactory) -> None:
    app = make_app()
    app.collector_resume_after = 0.3
    app.collector_hold_at_most = 0.5
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "enter")
        await until(pilot, lambda: isinstance(app.screen, SiteDetailScreen))
        ran_again = False
        # Tab switches every 0.1 s, each before the last one's 0.3 s are up, for 2 s:
        # the collector must have been let go in between.
        for number in range(20):
            await pilot.press("2" if number % 2 else "1")
            await pilot.pause(0.1)
            ran_again = ran_again or gc.isenabled()
        assert ran_again


async def test_closing_the_app_lets_the_collector_run(make_app: AppFactory) -> None:
    app = make_app()
    app.collector_resume_after = 60
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sites", PagedTable)
        burst(app, "j")
        await until(pilot, lambda: table.cursor == 1)
        assert not gc.isenabled()
    assert gc.isenabled()
