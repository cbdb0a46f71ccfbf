"""The fault soak: random keys against a fake API that fails, throttles, drops and lags.

`python -m tests.soak [--minutes M] [--steps N] [--seed S]` (`make soak`: 10 minutes)
serves the fake WP Engine API over real loopback HTTP (uvicorn in a thread) with,
by default, 10 % 5xx answers, 5 % 429 with a Retry-After of 0.2-1 s, 5 % dropped
connections and 0-800 ms of latency on every request, and drives the real app and
client (`WpeApp`, `WpeClient`, 80x24, Pilot) with a seeded random walk of keys:
navigation, enter, escape, q, tabs, refresh, `/` filter, sort/order/status,
help, the activity panel, the palette, and every modal opened and cancelled.

Meanwhile, on the server side (never through the app): the fake's clock jumps
1-15 s now and then, so what is in progress finishes; someone else works on the
account (backups and deployments started, sites created, renamed, switched off or
deleted), so there is always something in flight for the live refresh and lists
change between the requests of their pages; and now and then an outage queues
4-12 faults in a row, more than the client's retries absorb, so loads fail for
good and the app goes offline and comes back.

The walk never asks for a change: while a form (`FormModal`), the setup screen or
the palette is open, or a form is about to open, it presses only letters, digits,
tab, arrows, space (not on a button), backspace and escape; never enter, never
`ctrl+s`. It never presses `ctrl+q`, nor `q` on the site list (quit).

What it asserts (each broken promise is collected; the run fails at the end):

- the app never exits, never shows the crash screen, never records a crash report,
  and no worker ends with an unexpected exception (one started with
  `exit_on_error=False` would otherwise fail silently);
- it stays responsive: every key press is processed (a 30 s hang detector, not a
  performance threshold; the step times are reported as figures);
- it shows every error: every GET that finally failed (after the client's retries)
  for something the user asked to see gets a toast of its own within 30 s: an error
  toast quoting the error, or for a 404 one saying in the view's words that the item is
  gone. Exempt, and counted apart: the background polls that are silent by design
  (`live`, `activity`, `reconnect`: they retry at the next interval and the offline
  banner speaks for the network), answers to a table query that was replaced
  meanwhile (a new sort or a refresh), loads of a view already closed, and the
  requests a site detail makes ahead while it is built (judged where they are
  awaited). Besides, every page a table reports as failed (`PagedTable.LoadFailed`)
  gets an error toast quoting the error, and while the app is offline the banner
  of the view in front is showing;
- it never sends a write: the fake received no POST, PUT or DELETE, and the
  client attempted none;
- the fake API itself raised nothing (a 5xx it did not inject would be a bug of
  the fake, and would blur the figures);
- once the faults stop (and the clock, the churn and the outages with them), one
  `r` on the site list shows exactly the server's state: the count, and the rows in
  view (key, name, status at their place, none twice, no placeholder), no offline
  banner; then a sweep from the first row to the last, page by page, finds every
  row equal to the server's (pages loaded before the refresh and out of view are
  fetched again as they come into view); then the site under the cursor opens with
  exactly the server's backups and deployments (both tabs swept), and again after
  `r`.

Reported as warnings, which do not fail the run: what asyncio logs about the app's
tasks (a task destroyed while pending), and toast storms (the same error toast 4
times or more within 5 s).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import re
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from textual.command import CommandPalette
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.pilot import Pilot, WaitForScreenTimeout
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input
from textual.worker import NoActiveWorker, Worker, WorkerState, get_current_worker
from textual.worker_manager import WorkerManager

from wpe_tui.api import ApiError, RateLimitError, WpeClient
from wpe_tui.app import WpeApp
from wpe_tui.config import Settings, UiPrefs
from wpe_tui.fake import FakeAccount, FakeServer, FaultSettings, ManualClock, create_app
from wpe_tui.fake.account import ListParams
from wpe_tui.fake.faults import Fault
from wpe_tui.fake.records import ApiError as FakeApiError
from wpe_tui.modals.form import FormModal
from wpe_tui.screens.setup import SetupScreen
from wpe_tui.screens.site_detail import SiteDetailScreen
from wpe_tui.screens.site_list import SiteListScreen
from wpe_tui.widgets import OfflineBanner, PagedTable, Row

START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
# The same toast this many times within this many seconds is a storm (a warning).
STORM_COUNT = 4
STORM_SECONDS = 5.0
# A failure is shown if its toast comes within this many seconds (at once, normally).
SHOWN_WITHIN = 30.0
CLOSED_WITHIN = 1.0  # seconds: a table's failure this close to its screen closing
_STEP = re.compile(r"step (\d+): (.*)", re.DOTALL)
API_KEY = "soak-key"
SIZE = (80, 24)

# Worker groups whose failures are silent by design: they poll again at the next
# interval, and the offline banner speaks for the network.
BACKGROUND_GROUPS = frozenset({"live", "activity", "reconnect"})
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


@dataclass(frozen=True)
class Faults:
    fail_rate: float = 0.10
    rate_limit_rate: float = 0.05
    retry_after: tuple[float, float] = (0.2, 1.0)  # drawn again at every clock jump
    drop_rate: float = 0.05
    latency_ms: float = 400.0
    jitter_ms: float = 400.0  # latency_ms ± jitter_ms: 0-800 ms

    def describe(self) -> str:
        low, high = self.retry_after
        slowest = self.latency_ms + self.jitter_ms
        fastest = max(0.0, self.latency_ms - self.jitter_ms)
        return (
            f"{self.fail_rate:.0%} 5xx, {self.rate_limit_rate:.0%} 429 (Retry-After "
            f"{low:g}-{high:g} s), {self.drop_rate:.0%} dropped connections, "
            f"latency {fastest:g}-{slowest:g} ms"
        )


@dataclass
class SoakOptions:
    seed: int = 1
    steps: int | None = None  # stop after this many keys ...
    minutes: float | None = None  # ... or after this long, whichever comes first
    sites: int = 400
    page_size: int = 20  # more page boundaries to cross than the default 50
    refresh_interval: float = 1.0
    faults: Faults = field(default_factory=Faults)
    hang_seconds: float = 30.0  # a key not processed by then: the app hangs
    clock_jump_chance: float = 1 / 15  # per step: the fake's clock jumps 1-15 s
    churn_chance: float = 1 / 12  # per step: someone else changes the account
    outage_chance: float = 1 / 100  # per step: a burst of 4-12 faults in a row
    think_scale: float = 1.0  # pauses between keys: mostly 0-80 ms, sometimes up to 3 s
    progress: Callable[[str], None] | None = None
    progress_every: float = 30.0


@dataclass
class FailedLoad:
    """A GET that still failed after the client's retries."""

    step: int
    at: float
    method_path: str
    message: str
    status: int | None
    group: str
    view: str
    excuse: str | None = None  # why it need not be shown; None: it must be
    shown_by: str | None = None  # the toast that told of it
    screen: int | None = None  # id() of the table's screen, for a table's failed page


@dataclass
class Toast:
    at: float
    step: int
    severity: SeverityLevel
    message: str


@dataclass
class SoakReport:
    options: SoakOptions
    keys: int = 0
    seconds: float = 0.0
    step_times: list[float] = field(default_factory=list)
    slowest: list[tuple[float, str, str]] = field(default_factory=list)  # (s, key, view)
    faults: Counter[str] = field(default_factory=Counter)
    gets: int = 0
    writes_received: int = 0
    writes_attempted: int = 0
    failed_loads: list[FailedLoad] = field(default_factory=list)
    toasts: list[Toast] = field(default_factory=list)
    load_failed_messages: int = 0
    tables_failed: list[FailedLoad] = field(default_factory=list)  # their LoadFailed
    screens_closed: dict[int, float] = field(default_factory=dict)  # id(): when popped
    placeholder_steps: int = 0
    offline_spells: int = 0
    views: Counter[str] = field(default_factory=Counter)
    key_counts: Counter[str] = field(default_factory=Counter)
    clock_jumps: int = 0
    churn: Counter[str] = field(default_factory=Counter)
    outages: Counter[str] = field(default_factory=Counter)
    outage_faults: Counter[str] = field(default_factory=Counter)
    # What asyncio logged about the app's tasks (e.g. one destroyed while pending):
    # reported as a warning, it does not fail the run.
    asyncio_errors: Counter[str] = field(default_factory=Counter)
    final: list[str] = field(default_factory=list)
    final_seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    _seen: dict[str, list[Any]] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.failures

    def fail(self, message: str) -> None:
        """Note a broken promise; the same one again (at another step) is counted."""
        match = _STEP.match(message)
        step, what = (int(match[1]), match[2]) if match else (None, message)
        if what in self._seen:
            self._seen[what][0] += 1
            return
        self._seen[what] = [1, step]
        self.failures.append(what)

    def failure_lines(self) -> list[str]:
        lines = []
        for what in self.failures:
            count, step = self._seen[what]
            where = f"step {step}" if step is not None else ""
            if count > 1:
                where = f"{count} times, first at {where or 'the end'}"
            lines.append(f"{where}: {what}" if where else what)
        return lines

    def toast_storms(self) -> dict[str, tuple[int, int]]:
        """Error toasts repeated STORM_COUNT times or more within STORM_SECONDS: the most
        repeats of each, and the step where they began."""
        storms: dict[str, tuple[int, int]] = {}
        by_message: dict[str, list[Toast]] = {}
        for toast in self.toasts:
            if toast.severity == "error":  # a hint repeated by repeated keys is no storm
                by_message.setdefault(toast.message, []).append(toast)
        for message, toasts in by_message.items():
            start = 0
            for end, toast in enumerate(toasts):
                while toast.at - toasts[start].at > STORM_SECONDS:
                    start += 1
                count = end - start + 1
                if count >= STORM_COUNT and count > storms.get(message, (0, 0))[0]:
                    storms[message] = (count, toasts[start].step)
        return dict(sorted(storms.items(), key=lambda item: -item[1][0]))

    @property
    def errors_shown(self) -> int:
        return sum(1 for toast in self.toasts if toast.severity == "error")

    def percentile(self, fraction: float) -> float:
        if not self.step_times:
            return 0.0
        ordered = sorted(self.step_times)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    def summary(self) -> str:
        options = self.options
        minutes = self.seconds / 60
        per_minute = self.keys / minutes if minutes else 0.0
        must = [f for f in self.failed_loads if f.excuse is None]
        excused = Counter(f.excuse for f in self.failed_loads if f.excuse is not None)
        views = " · ".join(f"{name} {count}" for name, count in self.views.most_common())
        lines = [
            f"wpe-tui fault soak: seed {options.seed}, {SIZE[0]}x{SIZE[1]}, "
            f"{options.sites} sites, page size {options.page_size}, "
            f"refresh every {options.refresh_interval:g} s",
            f"faults             {options.faults.describe()}",
            f"duration           {int(self.seconds // 60)}m{int(self.seconds % 60):02d}s",
            f"keys pressed       {self.keys:,} ({per_minute:,.0f}/min)",
            f"requests           {self.gets:,} GET; writes sent {self.writes_received} "
            f"(attempted by the client {self.writes_attempted})",
            "faults met         "
            + " · ".join(f"{kind} {self.faults[kind]:,}" for kind in ("5xx", "429", "dropped"))
            + f" ({sum(self.faults.values()):,} of {self.gets:,} requests)",
            f"loads failed       {len(self.failed_loads)} after retries: {len(must)} to show"
            + "".join(f", {count} {why}" for why, count in sorted(excused.items())),
            f"errors shown       {self.errors_shown} error toasts "
            f"({self.load_failed_messages} table loads failed; 'could not load: r to retry' "
            f"in view at {self.placeholder_steps} steps; offline {self.offline_spells} times, "
            "banner shown)",
            f"step time          max {self.percentile(1.0):.3f} s · "
            f"p95 {self.percentile(0.95):.3f} s · median {self.percentile(0.5):.3f} s",
            "slowest keys       "
            + " · ".join(f"{key} on {view} {took:.2f} s" for took, key, view in self.slowest[:3]),
            f"fake clock jumps   {self.clock_jumps}",
            "outage bursts      "
            + (" · ".join(f"{k} {n}" for k, n in sorted(self.outages.items())) or "-")
            + f" ({sum(self.outage_faults.values())} faults in a row, apart from the above)",
            "others' changes    "
            + (" · ".join(f"{k} {n}" for k, n in self.churn.most_common()) or "-"),
            f"views opened       {views or '-'}",
        ]
        lines.extend(f"final check        {line}" for line in self.final)
        if self.final:
            lines.append(f"final check        took {self.final_seconds:.1f} s")
        lines.extend(
            f"warning            asyncio logged {count}x: {message}"
            for message, count in self.asyncio_errors.most_common()
        )
        lines.extend(
            f"warning            the same error toast {count} times within {STORM_SECONDS:g} s "
            f"(step {step}): {message[:80]}"
            for message, (count, step) in list(self.toast_storms().items())[:3]
        )
        if self.failures:
            lines.append(f"FAILED ({len(self.failures)}):")
            lines.extend(f"  - {failure}" for failure in self.failure_lines())
        else:
            lines.append("result             OK: nothing broken")
        return "\n".join(lines)


# -- the app and client, instrumented ------------------------------------------------


def _screen_of(node: object) -> Screen[Any] | None:
    while node is not None and not isinstance(node, Screen):
        node = getattr(node, "_parent", None)
    return node


class Recorder:
    """What the instruments saw, and the step the walk is at."""

    def __init__(self, report: SoakReport) -> None:
        self.report = report
        self.step = 0
        self.app: SoakApp | None = None
        self._load_failures: list[PagedTable.LoadFailed] = []

    def hook(self, message: Message) -> None:
        """Sees every message at every pump: counts the tables' failed loads once each
        (a message bubbling from a table to its screen passes twice)."""
        if isinstance(message, PagedTable.LoadFailed) and not any(
            seen is message for seen in self._load_failures[-20:]
        ):
            self._load_failures.append(message)
            del self._load_failures[:-20]
            self.report.load_failed_messages += 1
            table = message.table
            self.report.tables_failed.append(
                FailedLoad(
                    step=self.step,
                    at=time.monotonic(),
                    method_path=f"page {message.page} of table #{table.id}",
                    message=str(message.error),
                    status=getattr(message.error, "status", None),
                    group="-",
                    view=type(_screen_of(table)).__name__,
                    screen=id(_screen_of(table)),
                )
            )

    def view(self) -> str:
        app = self.app
        return type(app.screen).__name__ if app is not None and app.screen_stack else "-"


class SoakClient(WpeClient):
    """The real client; it notes each GET that still fails after its retries."""

    def __init__(self, recorder: Recorder, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recorder = recorder

    async def _get(self, path: str, params: Any = None) -> Any:
        worker: Worker[Any] | None
        try:
            worker = get_current_worker()
        except NoActiveWorker:
            worker = None
        table = _table_of(worker)
        generation = table._state.generation if table is not None else None
        try:
            return await super()._get(path, params)
        except ApiError as error:
            self._note(path, error, worker, table, generation)
            raise

    def _note(
        self,
        path: str,
        error: ApiError,
        worker: Worker[Any] | None,
        table: PagedTable | None,
        generation: int | None,
    ) -> None:
        recorder = self.recorder
        app = recorder.app
        group = worker.group if worker is not None else "-"
        screen = _screen_of(worker.node if worker is not None else None)
        failed = FailedLoad(
            step=recorder.step,
            at=time.monotonic(),
            method_path=f"GET /{path}",
            message=str(error),
            status=error.status,
            group=group,
            view=type(screen).__name__ if screen is not None else "app",
        )
        if isinstance(error, RateLimitError):
            # The scheduler waits its Retry-After out and asks again; a read that still
            # fails after that reaches its table (LoadFailed) or its view's toast.
            failed.excuse = "a 429 the scheduler asks again after"
        elif group in BACKGROUND_GROUPS:
            failed.excuse = "background polls (silent by design)"
        elif worker is None:
            # Asked for ahead of time (the site detail's first requests, while it is
            # built): judged where it is awaited; a table's, by its LoadFailed below.
            failed.excuse = "requests made ahead, judged where awaited"
        elif table is not None and table._state.generation != generation:
            failed.excuse = "answers to a replaced query"
        elif screen is not None and app is not None and screen not in app.screen_stack:
            failed.excuse = "loads of a closed view"
        recorder.report.failed_loads.append(failed)

    async def _write(self, method: str, path: str, body: Any) -> Any:
        self.recorder.report.writes_attempted += 1
        self.recorder.report.fail(
            f"step {self.recorder.step}: the client tried to send {method} /{path} "
            f"on {self.recorder.view()}"
        )
        return await super()._write(method, path, body)


def _table_of(worker: Worker[Any] | None) -> PagedTable | None:
    """The table whose page a worker loads (its own, or the site list's `/` fill)."""
    if worker is None:
        return None
    node = worker.node
    if isinstance(node, PagedTable):
        return node
    if worker.group == "fill" and isinstance(node, SiteListScreen):
        return node.table
    return None


class SoakWorkers(WorkerManager):
    """Notes every worker that ends with an exception (with exit_on_error=False
    Textual keeps it to itself, so the user would see nothing)."""

    def __init__(self, app: SoakApp, recorder: Recorder) -> None:
        super().__init__(app)
        self.recorder = recorder

    def _remove_worker(self, worker: Worker[Any]) -> None:
        super()._remove_worker(worker)
        if worker.state == WorkerState.ERROR and worker.error is not None:
            error = worker.error
            where = type(_screen_of(worker.node)).__name__
            text = "".join(traceback.format_exception(error)).rstrip()
            self.recorder.report.fail(
                f"step {self.recorder.step}: worker {worker.name!r} (group {worker.group!r}) "
                f"on {where} failed with {type(error).__name__}: {error}\n{text}"
            )


class SoakApp(WpeApp):
    """The real app; it notes each toast as it is raised."""

    def __init__(self, recorder: Recorder, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recorder = recorder
        self._workers = SoakWorkers(self, recorder)
        recorder.app = self

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        recorder = self.recorder
        recorder.report.toasts.append(
            Toast(time.monotonic(), recorder.step, severity, str(message))
        )
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def pop_screen(self) -> Any:
        # When each screen closed: a table's page that fails as its screen closes is
        # never told, since the screen's handler does not run any more.
        if self.screen_stack:
            self.recorder.report.screens_closed[id(self.screen)] = time.monotonic()
        return super().pop_screen()


class FaultTally:
    """Counts every fault the fake injects, by kind: drawn at random (the rates), or
    queued by an outage burst."""

    def __init__(self, faults: FaultSettings, report: SoakReport) -> None:
        self._faults = faults
        self._draw = faults.draw
        self.report = report
        setattr(faults, "draw", self.draw)  # noqa: B010 - an instance's method, on purpose

    def draw(self, method: str | None = None) -> Fault | None:
        queued = self._faults.pending > 0
        fault = self._draw(method)
        if fault is not None:
            kind = {"error": "5xx", "rate_limit": "429", "drop": "dropped"}[fault.kind]
            counts = self.report.outage_faults if queued else self.report.faults
            counts[kind] += 1
        return fault


class LogErrors(logging.Handler):
    """Errors logged: by the fake API itself (injected drops are filtered out before
    this), or by asyncio about the app's tasks."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))


class Churn:
    """Someone else at work on the same account (a colleague, a cron job): backups and
    deployments start, sites are renamed, created, switched off and deleted. Done
    through the fake's own methods, server side: none of it is sent by the app. It
    keeps items in progress for the live refresh, and lists changing between the
    requests of their pages."""

    ACTIONS: tuple[tuple[str, int], ...] = (
        ("backup started", 30),
        ("deployment started", 20),
        ("site renamed", 12),
        ("site status changed", 8),
        ("site created", 10),
        ("backup deleted", 10),
        ("site deleted", 4),
    )

    def __init__(self, account: FakeAccount, rng: random.Random) -> None:
        self.account = account
        self.rng = rng

    def act(self, near: list[str]) -> str:
        account = self.account
        rng = self.rng
        what = _weighted(rng, self.ACTIONS)
        if near and rng.random() < 0.7:
            site_id = rng.choice(near)
        else:
            site_id = account.site_id(rng.randrange(account.total_indices))
        try:
            if what == "backup started":
                kind = rng.choice(("full", "database"))
                account.create_backup(site_id, description="Backup by a colleague", type=kind)
            elif what == "deployment started":
                environment = rng.choice(account.site_record(site_id).environment_names())
                source = {"type": "git", "repository": "github.com/acme/site", "branch": "main"}
                account.create_deployment(site_id, environment=environment, source=source)
            elif what == "site renamed":
                name = f"{rng.choice(('Acme', 'Zephyr', 'Mango', 'Bolt'))} {rng.randint(1, 999)}"
                account.update_site(site_id, name=name)
            elif what == "site status changed":
                account.update_site(site_id, status=rng.choice(("active", "inactive")))
            elif what == "site created":
                account.create_site(f"Colleague site {rng.randint(1, 9999)}")
            elif what == "backup deleted":
                backups = [
                    b.id
                    for b in account.backup_records(site_id).values()
                    if b.status_at(account.now()) in ("completed", "failed")
                ]
                if not backups:
                    return "nothing to delete"
                account.delete_backup(site_id, rng.choice(backups))
            else:
                account.delete_site(site_id)
        except FakeApiError:
            return "refused by the fake (busy site)"
        return what


# -- the walk -------------------------------------------------------------------------


def _weighted(rng: random.Random, choices: Iterable[tuple[str, int]]) -> str:
    keys = [key for key, _ in choices]
    weights = [weight for _, weight in choices]
    return rng.choices(keys, weights=weights)[0]


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
        account: FakeAccount,
    ) -> None:
        self.pilot = pilot
        self.app = app
        self.report = report
        self.recorder = recorder
        self.options = options
        self.clock = clock
        self.faults = faults
        self.rng = random.Random(options.seed)
        self.churn = Churn(account, random.Random(options.seed + 1))
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
            key = _weighted(self.rng, FORM_KEYS)
            if key == "space" and isinstance(focused, Button):
                key = "tab"  # space presses a button: maybe Submit
        elif isinstance(focused, Input) and isinstance(screen, SiteListScreen):
            key = _weighted(self.rng, FILTER_KEYS)
        else:
            key = _weighted(self.rng, VIEW_KEYS)
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


# -- after the walk: the faults stop, and a refresh must show the server's state --------


async def wait_quiet(
    pilot: Pilot[None], app: WpeApp, seconds: float = 60.0, checks: int = 3
) -> bool:
    """Until nothing loads, no worker runs and the app is online, `checks` times running
    (0.1 s apart)."""
    deadline = time.monotonic() + seconds
    quiet = 0
    while time.monotonic() < deadline:
        await app.workers.wait_for_complete()
        await pilot.pause(0.1 if checks > 1 else None)
        busy = app.session.connection.offline or any(not w.is_finished for w in app.workers)
        busy = busy or any(t.is_loading for t in app.screen.query(PagedTable))
        quiet = 0 if busy else quiet + 1
        if quiet >= checks:
            return True
    return False


def _server_rows(pages: Callable[[int], dict[str, Any]]) -> tuple[int, list[dict[str, Any]]]:
    first = pages(1)
    total = int(first["pagination"]["total"])
    rows = list(first["results"])
    page = 1
    while len(rows) < total:
        page += 1
        more = pages(page)["results"]
        if not more:
            break
        rows.extend(more)
    return total, rows


def _differs(name: str, index: int, row: Row, rows: list[dict[str, Any]]) -> str | None:
    want = rows[index] if index < len(rows) else None
    if want is None:
        return f"{name}: row {index} ({row.key}) is not on the server"
    have = (row.key, getattr(row.data, "name", None), getattr(row.data, "status", None))
    wanted = (want["id"], want.get("name", have[1]), want.get("status"))
    if have != wanted:
        return f"{name}: row {index} shows {have}, the server has {wanted}"
    return None


def compare_view(name: str, table: PagedTable, rows: list[dict[str, Any]]) -> list[str]:
    """The rows in view: each loaded, each the server's row at its place, none twice."""
    problems: list[str] = []
    first = int(table.scroll_y)
    seen: set[str] = set()
    for index in range(first, min(table.row_count, first + max(1, table.size.height - 1))):
        row = table.row_at(index)
        if row is None:
            problems.append(f"{name}: row {index} in view is a placeholder, not a row")
            continue
        if row.key in seen:
            problems.append(f"{name}: {row.key} shows twice in view")
        seen.add(row.key)
        problem = _differs(name, index, row, rows)
        if problem is not None:
            problems.append(problem)
    return problems


def compare_loaded(name: str, table: PagedTable, rows: list[dict[str, Any]]) -> list[str]:
    """Every row loaded, once the sweep has brought every page into view."""
    problems: list[str] = []
    keys = [row.key for row in table.loaded_rows()]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    if twice:
        problems.append(f"{name}: rows loaded twice: {twice[:5]}")
    stale = sorted(table._state.stale)
    if stale:
        problems.append(f"{name}: pages {stale} are still stale after being in view")
    for index in range(table.row_count):
        row = table.row_at(index)
        problem = _differs(name, index, row, rows) if row is not None else None
        if problem is not None:
            problems.append(problem)
    return problems


async def sweep(
    pilot: Pilot[None],
    app: WpeApp,
    name: str,
    table: PagedTable,
    server: tuple[int, list[dict[str, Any]]],
) -> list[str]:
    """Compares what the table shows with the server's rows: as it is, then page by page
    from the first row to the last (pages loaded before a refresh and out of view are
    fetched again as they come into view), then every row loaded."""
    total, rows = server
    problems: list[str] = []
    if table.total != total:
        problems.append(f"{name}: the count says {table.total} rows, the server has {total}")
    problems += compare_view(name, table, rows)
    table.focus()
    await pilot.press("home")
    await wait_quiet(pilot, app)
    for _ in range(total + 2):
        problems += compare_view(name, table, rows)
        if table.row_count == 0 or table.cursor >= table.row_count - 1:
            break
        await pilot.press("pagedown")
        await wait_quiet(pilot, app, checks=1)
    problems += compare_loaded(name, table, rows)
    if table.total != total:
        problems.append(f"{name}: after the sweep the count says {table.total}, not {total}")
    return list(dict.fromkeys(problems))[:10]


async def final_check(
    pilot: Pilot[None],
    app: SoakApp,
    account: FakeAccount,
    faults: FaultSettings,
    report: SoakReport,
) -> None:
    faults.clear()  # no more faults, no more latency; the clock and the churn stop too
    for _ in range(40):
        screen = app.screen
        if isinstance(screen, SetupScreen):
            report.fail("final check: the setup screen is open (escape there quits)")
            return
        if isinstance(screen, SiteListScreen) and not screen.table.showing_matches:
            box = screen.query_one("#filter", Input)
            if box.has_class("hidden"):
                break
        await pilot.press("escape")
        await pilot.pause(0.05)
        if not app.is_running:
            report.fail("final check: the app exited while going back to the site list")
            return
    screen = app.screen
    if not isinstance(screen, SiteListScreen):
        report.fail(f"final check: 40 escapes did not go back to the site list ({screen})")
        return
    for _ in range(len(app.session.capabilities.site_statuses) + 1):
        if screen.status is None:
            break
        await pilot.press("f")  # back to every site, so the check has rows to check
    await wait_quiet(pilot, app)
    await pilot.press("r")
    if not await wait_quiet(pilot, app):
        report.fail("final check: the site list did not settle within 60 s of r")
    sites = screen.table
    if screen.query_one(OfflineBanner).display:
        report.fail("final check: the offline banner still shows after r")

    def site_page(page: int) -> dict[str, Any]:
        params = ListParams(page, sites.page_size, screen.sort, screen.order, screen.status)
        return account.list_sites(params)

    server = _server_rows(site_page)
    query = f"sort {screen.sort} {screen.order}, status {screen.status or 'all'}"
    name = f"site list ({query})"
    problems = await sweep(pilot, app, name, sites, server)
    report.final.append(
        f"{name} after r: {server[0]} rows, swept top to bottom: "
        + ("equal the server's" if not problems else "DIFFER")
    )
    for problem in problems:
        report.fail(f"final check: {problem}")
    if sites.current_row is None:
        return
    await pilot.press("enter")
    await wait_quiet(pilot, app)
    detail = app.screen
    if not isinstance(detail, SiteDetailScreen):
        report.fail(f"final check: enter on the site list opened {type(detail).__name__}")
        return
    site_id = detail.site.id
    for attempt in ("opened", "after r"):
        if attempt == "after r":
            await pilot.press("r")
            if not await wait_quiet(pilot, app):
                report.fail("final check: the site detail did not settle within 60 s of r")
        problems = []
        if detail.site.status != account.get_site(site_id)["status"]:
            problems.append(f"site {site_id}: the header's status differs from the server's")
        counts = []
        for tab, label, table, lister in (
            ("2", "backups", detail.backups, account.list_backups),
            ("3", "deployments", detail.deployments, account.list_deployments),
        ):

            def child_page(page: int, table: PagedTable = table, lister: Any = lister) -> Any:
                params = ListParams(page, table.page_size, "created_at", "desc", None)
                return lister(site_id, params)

            await pilot.press(tab)
            await wait_quiet(pilot, app)
            server = _server_rows(child_page)
            problems += await sweep(pilot, app, f"site {site_id} {label}", table, server)
            counts.append(f"{server[0]} {label}")
        report.final.append(
            f"site {site_id} {attempt}: {', '.join(counts)}, swept: "
            + ("equal the server's" if not problems else "DIFFER")
        )
        for problem in problems:
            report.fail(f"final check ({attempt}): {problem}")


GONE_WORDS = ("no longer exists", "is gone")


def _quotes(toast: Toast, failed: FailedLoad) -> bool:
    return toast.severity == "error" and failed.message in toast.message


def _tells_gone(toast: Toast, failed: FailedLoad) -> bool:
    return failed.status == 404 and any(words in toast.message for words in GONE_WORDS)


def _match(failures: list[FailedLoad], toasts: list[Toast]) -> dict[int, int]:
    """A toast for as many failures as can have one, each toast told once: a maximum
    matching (augmenting paths), so that a failure never takes the toast another one
    needs while a toast of its own is left over. A toast counts for a failure when it
    comes within SHOWN_WITHIN seconds after it and quotes it (or, for a 404, says the
    item is gone). Returns {failure index: toast index}."""
    candidates = [
        [
            j
            for j, toast in enumerate(toasts)
            if failed.at <= toast.at <= failed.at + SHOWN_WITHIN
            and (_quotes(toast, failed) or _tells_gone(toast, failed))
        ]
        for failed in failures
    ]
    owner: dict[int, int] = {}  # toast: failure

    def assign(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or assign(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(failures)):
        assign(i, set())
    return {i: j for j, i in owner.items()}


def check_errors_shown(report: SoakReport) -> None:
    """Each failed load that must be shown has a toast of its own, raised within
    SHOWN_WITHIN seconds after it: an error toast quoting the error, or for a 404 one
    saying in the view's own words that the item is gone. And each page a table reports
    as failed (its LoadFailed message) has an error toast quoting the error."""
    failures = [failed for failed in report.failed_loads if failed.excuse is None]
    matched = _match(failures, report.toasts)
    waiting: list[FailedLoad] = []
    for i, failed in enumerate(failures):
        if i in matched:
            failed.shown_by = report.toasts[matched[i]].message
            continue
        # An item that is gone is said once: one "no longer exists" tells of every
        # request that found it gone (the detail's, its list's, the follower's).
        gone = next(
            (
                toast
                for toast in report.toasts
                if failed.at <= toast.at <= failed.at + SHOWN_WITHIN and _tells_gone(toast, failed)
            ),
            None,
        )
        if gone is not None:
            failed.shown_by = gone.message
        else:
            waiting.append(failed)
    for table_failed in report.tables_failed:
        closed = report.screens_closed.get(table_failed.screen or 0)
        if closed is not None and 0 <= closed - table_failed.at <= CLOSED_WITHIN:
            table_failed.excuse = "a page of a view closing as it failed"
            continue  # its screen's handler never ran: the user had left it
        # A table said one of its pages failed: an error toast must quote it (the same
        # toast may also count above: one failure, seen at both ends).
        if not any(
            _quotes(toast, table_failed) and toast.at >= table_failed.at for toast in report.toasts
        ):
            waiting.append(table_failed)
    for failed in waiting:
        after = [
            f"{t.severity}: {t.message[:70]}"
            for t in report.toasts
            if failed.at <= t.at <= failed.at + 10
        ]
        near = [
            f"{other.method_path} {other.status} [{other.excuse or other.group}]"
            f" -> {(other.shown_by or 'nothing')[:50]}"
            for other in report.failed_loads
            if other is not failed and abs(other.at - failed.at) <= 10
        ]
        after.append(f"failures within 10 s: {near or 'none'}")
        group = f" (worker group {failed.group!r})" if failed.group != "-" else ""
        report.fail(
            f"step {failed.step}: {failed.method_path} failed for {failed.view}{group} "
            f"and no toast said so: {failed.message} "
            f"(toasts in the 10 s after: {after or 'none'})"
        )


# -- the whole run ---------------------------------------------------------------------


async def run_soak(options: SoakOptions) -> SoakReport:
    if options.steps is None and options.minutes is None:
        raise ValueError("give steps, minutes or both")
    report = SoakReport(options)
    recorder = Recorder(report)
    clock = ManualClock(START)
    account = FakeAccount(sites=options.sites, seed=options.seed, clock=clock)
    spec = options.faults
    api = create_app(
        account,
        latency_ms=spec.latency_ms,
        jitter_ms=spec.jitter_ms,
        fail_rate=spec.fail_rate,
        rate_limit_rate=spec.rate_limit_rate,
        retry_after=spec.retry_after[1],
        drop_rate=spec.drop_rate,
        seed=options.seed,
    )
    faults: FaultSettings = api.state.faults
    FaultTally(faults, report)
    server_errors = LogErrors()
    loop_errors = LogErrors()
    asyncio_log = logging.getLogger("asyncio")
    server_log = logging.getLogger("uvicorn.error")
    with tempfile.TemporaryDirectory(prefix="wpe-tui-soak-") as home, FakeServer(api) as server:
        server_log.addHandler(server_errors)
        asyncio_log.addHandler(loop_errors)
        try:
            await _drive(options, report, recorder, clock, account, faults, server, Path(home))
        finally:
            server_log.removeHandler(server_errors)
            asyncio_log.removeHandler(loop_errors)
    requests = list(api.state.requests)
    report.gets = sum(1 for r in requests if r.method == "GET")
    writes = [r for r in requests if r.method not in ("GET", "HEAD", "OPTIONS")]
    report.writes_received = len(writes)
    for write in writes[:5]:
        report.fail(f"the fake API received a write: {write.method} {write.path} {write.json}")
    for record in server_errors.records[:5]:
        report.fail(f"the fake API raised an error of its own: {record}")
    report.asyncio_errors = Counter(record.split("\n")[0] for record in loop_errors.records)
    check_errors_shown(report)
    return report


async def _drive(
    options: SoakOptions,
    report: SoakReport,
    recorder: Recorder,
    clock: ManualClock,
    account: FakeAccount,
    faults: FaultSettings,
    server: FakeServer,
    home: Path,
) -> None:
    settings = Settings(
        profile_name="soak",
        api_key=SecretStr(API_KEY),
        base_url=server.base_url,
        read_only=False,
        ui=UiPrefs(refresh_interval=options.refresh_interval, page_size=options.page_size),
        config_path=home / "config.toml",
    )

    def make_client(key: str, url: str, user: str | None = None) -> WpeClient:
        return SoakClient(recorder, key, url)

    client = SoakClient(recorder, API_KEY, server.base_url)
    app = SoakApp(recorder, settings, client, make_backend=make_client)
    began = time.monotonic()
    try:
        async with app.run_test(size=SIZE, notifications=True, message_hook=recorder.hook) as pilot:
            walk = Walk(pilot, app, report, recorder, options, clock, faults, account)
            await walk.run()
            report.seconds = time.monotonic() - began
            if app.is_running and app.return_code is None:
                checking = time.monotonic()
                await final_check(pilot, app, account, faults, report)
                report.final_seconds = time.monotonic() - checking
                walk.check_crash()
                reports = getattr(app, "crash_reports", None)
                if reports:
                    reports.clear()
    except Exception as error:
        text = "".join(traceback.format_exception(error)).rstrip()
        report.fail(f"the app ended with an exception (a traceback):\n{text}")
    report.seconds = max(report.seconds, time.monotonic() - began)


# -- command line ------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.soak", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--minutes", type=float, default=None, help="default 10 (without --steps)")
    parser.add_argument("--steps", type=int, default=None, help="stop after this many keys")
    parser.add_argument("--seed", type=int, default=None, help="default: from the time")
    parser.add_argument("--sites", type=int, default=400)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    minutes = args.minutes if args.minutes is not None or args.steps is not None else 10.0
    seed = args.seed if args.seed is not None else int(time.time()) % 100_000
    with tempfile.TemporaryDirectory(prefix="wpe-tui-soak-home-") as home:
        # Nothing the app saves (a crash report, a config) lands in the user's home.
        os.environ["XDG_CONFIG_HOME"] = str(Path(home) / ".config")
        os.environ["XDG_STATE_HOME"] = str(Path(home) / ".state")
        for name in ("WPE_API_KEY", "WPE_API_URL", "WPE_PROFILE"):
            os.environ.pop(name, None)
        options = SoakOptions(
            seed=seed,
            steps=args.steps,
            minutes=minutes,
            sites=args.sites,
            progress=lambda line: print(line, flush=True),
        )
        until = f"{minutes:g} minutes" if minutes is not None else f"{args.steps} keys"
        print(
            f"wpe-tui fault soak: seed {seed}, until {until}; {options.faults.describe()}",
            flush=True,
        )
        report = asyncio.run(run_soak(options))
    print(report.summary(), flush=True)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
