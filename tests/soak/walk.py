"""The seeded random walk of keys, and what it checks after each."""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any

from textual.command import CommandPalette
from textual.pilot import Pilot, WaitForScreenTimeout
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input

from tests.soak.churn import Churn, PlatformChurn, weighted
from tests.soak.instruments import Recorder, SoakApp
from tests.soak.report import SoakOptions, SoakReport
from wpe_tui.app import WpeApp
from wpe_tui.fake import FaultSettings, ManualClock
from wpe_tui.modals.form import FormModal
from wpe_tui.screens.setup import SetupScreen
from wpe_tui.screens.site_list import SiteListScreen
from wpe_tui.widgets import OfflineBanner, PagedTable

# Worker groups that end by opening a screen (a form, for `e` on the site list): the
# walk presses only safe keys until they are done.
OPENING_GROUPS = frozenset({"edit", "open"})

NAVIGATION = ("j", "k", "up", "down", "pageup", "pagedown", "home", "end", "g", "G")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Letters that are frequent in the fake's site names, so filters match something.
FILTER_LETTERS = "aceilmnorst"

# (key, weight) in a view: a table, a detail, help or the activity panel.
VIEW_KEYS: tuple[tuple[str, int], ...] = (
    *((key, 4) for key in NAVIGATION),
    ("enter", 8),
    ("escape", 5),
    ("q", 2),
    ("1", 3),
    ("2", 4),
    ("3", 3),
    ("r", 8),
    ("slash", 3),
    ("question_mark", 3),
    ("a", 3),
    ("s", 2),
    ("o", 2),
    ("f", 2),
    ("R", 4),
    ("n", 3),
    ("b", 2),
    ("e", 2),
    ("D", 3),
    ("C", 2),  # copy an environment (Hosting Platform API)
    ("P", 2),  # purge a cache (Hosting Platform API)
    ("y", 1),
    ("tab", 1),
    ("ctrl+p", 1),
)
# In the site list's filter box.
FILTER_KEYS: tuple[tuple[str, int], ...] = (
    *((letter, 6) for letter in FILTER_LETTERS),
    ("backspace", 8),
    ("escape", 12),
    ("enter", 4),
    ("down", 3),
    ("tab", 2),
)
# In a form, the setup screen or the palette: nothing here submits anything.
FORM_KEYS: tuple[tuple[str, int], ...] = (
    *((letter, 2) for letter in LETTERS),
    ("1", 3),
    ("2", 3),
    ("3", 3),
    ("4", 3),
    ("tab", 10),
    ("shift+tab", 4),
    ("up", 4),
    ("down", 4),
    ("space", 6),
    ("backspace", 4),
    ("question_mark", 1),
    ("escape", 16),
)
NEVER = frozenset({"ctrl+q", "ctrl+s", "ctrl+c"})


def _crash_screen_open(app: WpeApp) -> bool:
    return any(type(screen).__name__ == "CrashScreen" for screen in app.screen_stack)


class Walk:
    def __init__(
        self,
        pilot: Pilot[None],
        app: SoakApp,
        report: SoakReport,
        recorder: Recorder,
        options: SoakOptions,
        clock: ManualClock,
        faults: FaultSettings,
        churn: Churn | PlatformChurn,
    ) -> None:
        self.pilot = pilot
        self.app = app
        self.report = report
        self.recorder = recorder
        self.options = options
        self.clock = clock
        self.faults = faults
        self.rng = random.Random(options.seed)
        self.churn = churn
        self.last_screen: Screen[Any] | None = None
        self.was_offline = False
        self.crashes_seen = 0
        self.last_key = ""
        self.last_view = ""

    # -- what may be pressed now ----------------------------------------------------

    def forms_open(self) -> bool:
        """A form, the setup screen or the palette is open, or a form is about to."""
        app = self.app
        for screen in app.screen_stack:
            if isinstance(screen, FormModal | SetupScreen | CommandPalette):
                return True
        return any(w.group in OPENING_GROUPS and not w.is_finished for w in app.workers)

    def choose(self) -> str:
        app = self.app
        screen = app.screen
        focused = app.focused
        if _crash_screen_open(app):
            return "escape"
        if self.forms_open():
            key = weighted(self.rng, FORM_KEYS)
            if key == "space" and isinstance(focused, Button):
                key = "tab"  # space presses a button: maybe Submit
        elif isinstance(focused, Input) and isinstance(screen, SiteListScreen):
            key = weighted(self.rng, FILTER_KEYS)
        else:
            key = weighted(self.rng, VIEW_KEYS)
        if key == "q" and isinstance(screen, SiteListScreen) and not isinstance(focused, Input):
            key = "escape"  # q quits from the site list (also while a form is on its way)
        if key == "escape" and isinstance(screen, SetupScreen):
            key = "tab"  # escape quits from the setup screen
        return key

    # -- one step ---------------------------------------------------------------------

    def alive(self) -> bool:
        app = self.app
        if app.return_code is not None or not app.is_running:
            self.report.fail(
                f"step {self.recorder.step}: the app exited (return code {app.return_code}) "
                f"after the key {self.last_key!r} on {self.last_view}"
            )
            return False
        return True

    def check_crash(self) -> None:
        app = self.app
        reports = getattr(app, "crash_reports", None)
        if reports:
            for crash in list(reports):
                self.report.fail(
                    f"step {self.recorder.step}: crash report after {self.last_key!r} on "
                    f"{self.last_view}:\n{getattr(crash, 'text', crash)}"
                )
            reports.clear()  # seen and reported; the session goes on
            self.crashes_seen += 1
        elif _crash_screen_open(app):
            self.report.fail(f"step {self.recorder.step}: the crash screen is showing")

    def check_offline(self) -> None:
        app = self.app
        if app.session.connection.offline and not self.was_offline:
            self.report.offline_spells += 1
        self.was_offline = app.session.connection.offline
        if not app.session.connection.offline:
            return
        view = next((s for s in reversed(app.screen_stack) if not isinstance(s, ModalScreen)), None)
        if view is None:
            return
        banners = view.query(OfflineBanner)
        if banners and not banners.first().display:
            self.report.fail(
                f"step {self.recorder.step}: offline, but the banner of "
                f"{type(view).__name__} is hidden"
            )

    def note_placeholders(self) -> None:
        """Counts the steps where a table in front shows "could not load: r to retry"."""
        for table in self.app.screen.query(PagedTable):
            failed = table._state.failed
            if not failed or not table.is_on_screen:
                continue
            whole = table.total is None and table.row_count == 0
            if whole or any(page in failed for page in table.visible_pages()):
                self.report.placeholder_steps += 1
                return

    def note_view(self) -> None:
        screen = self.app.screen
        if screen is not self.last_screen:
            self.last_screen = screen
            self.report.views[type(screen).__name__] += 1

    async def _press_and_land(self, key: str) -> None:
        """Press, then wait until the key has landed: a key typed ahead may wait for its
        screen, and the next key is chosen for the screen it lands on."""
        await self.pilot.press(key)
        while self.app.typing_ahead and self.app.is_running:
            await self.pilot.pause(0.02)

    async def press(self, key: str) -> bool:
        assert key not in NEVER
        self.last_key = key
        self.last_view = self.recorder.view()
        started = time.perf_counter()
        try:
            await asyncio.wait_for(self._press_and_land(key), self.options.hang_seconds)
        except (TimeoutError, WaitForScreenTimeout):
            self.report.fail(
                f"step {self.recorder.step}: the key {key!r} on {self.last_view} was not "
                f"processed within {self.options.hang_seconds:g} s: the app hangs"
            )
            return False
        except Exception as error:
            if not self.alive():
                return False
            self.report.fail(
                f"step {self.recorder.step}: pressing {key!r} on {self.last_view} raised "
                f"{type(error).__name__}: {error}"
            )
            return False
        took = time.perf_counter() - started
        self.report.step_times.append(took)
        slowest = self.report.slowest
        if len(slowest) < 5 or took > slowest[-1][0]:
            slowest.append((took, key, self.last_view))
            slowest.sort(reverse=True)
            del slowest[5:]
        self.report.keys += 1
        self.report.key_counts[key] += 1
        return True

    def think(self) -> float:
        """A pause before the next key: mostly quick, sometimes long enough for the
        pages in flight to land and the live refresh to tick."""
        roll = self.rng.random()
        if roll < 0.85:
            pause = self.rng.uniform(0.0, 0.08)
        elif roll < 0.97:
            pause = self.rng.uniform(0.2, 1.0)
        else:
            pause = self.rng.uniform(1.5, 3.0)
        return pause * self.options.think_scale

    def maybe_jump_clock(self) -> None:
        if self.rng.random() < self.options.clock_jump_chance:
            self.clock.advance(self.rng.uniform(1, 15))
            self.faults.retry_after = round(self.rng.uniform(*self.options.faults.retry_after), 2)
            self.report.clock_jumps += 1

    def maybe_outage(self) -> None:
        """A burst of faults in a row: enough for one load to fail for good after the
        client's retries, or for the app to go offline."""
        if self.rng.random() >= self.options.outage_chance:
            return
        kind = self.rng.choice(("5xx", "429", "dropped"))
        count = self.rng.randint(4, 12)
        if kind == "5xx":
            self.faults.fail_next(count, status=self.rng.choice((500, 502, 503)))
        elif kind == "429":
            self.faults.rate_limit_next(count)
        else:
            self.faults.drop_next(count)
        self.report.outages[kind] += 1

    def maybe_churn(self) -> None:
        if self.rng.random() < self.options.churn_chance:
            what = self.churn.act(self.sites_in_view())
            self.report.churn[what] += 1

    def sites_in_view(self) -> list[str]:
        """The site open in front, if any, else the sites the list has loaded."""
        for screen in reversed(self.app.screen_stack):
            site = getattr(screen, "site", None)
            if site is not None and isinstance(getattr(site, "id", None), str):
                return [site.id]
            if isinstance(screen, SiteListScreen):
                return [row.key for row in screen.table.loaded_rows()]
        return []

    async def run(self) -> None:
        options = self.options
        deadline = time.monotonic() + options.minutes * 60 if options.minutes else None
        started = time.monotonic()
        next_progress = started + options.progress_every
        await self.pilot.pause()
        self.note_view()
        while True:
            if options.steps is not None and self.report.keys >= options.steps:
                break
            if deadline is not None and time.monotonic() >= deadline:
                break
            if not self.alive():
                return
            self.check_crash()
            if self.crashes_seen > 20:
                self.report.fail("more than 20 crash reports: the walk stops")
                return
            self.recorder.step += 1
            if not await self.press(self.choose()):
                return
            if not self.alive():
                return
            self.check_crash()
            self.check_offline()
            self.note_placeholders()
            self.note_view()
            self.maybe_jump_clock()
            self.maybe_outage()
            self.maybe_churn()
            await asyncio.sleep(self.think())
            self.report.seconds = time.monotonic() - started
            if options.progress is not None and time.monotonic() >= next_progress:
                next_progress += options.progress_every
                options.progress(self.progress_line())

    def progress_line(self) -> str:
        report = self.report
        faults = " ".join(f"{k} {report.faults[k]}" for k in ("5xx", "429", "dropped"))
        return (
            f"[{int(report.seconds // 60)}m{int(report.seconds % 60):02d}s] "
            f"keys {report.keys} · faults {faults} · loads failed {len(report.failed_loads)}"
            f" · errors shown {report.errors_shown} · writes {report.writes_attempted}"
            f" · p95 {report.percentile(0.95):.3f} s · max {report.percentile(1.0):.3f} s"
            f" · on {self.recorder.view()} · failures {len(report.failures)}"
        )
