"""The real app and wire, instrumented: each failed GET, toast, worker error and injected
fault is noted for the judge."""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
from typing import Any

from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import NoActiveWorker, Worker, WorkerState, get_current_worker
from textual.worker_manager import WorkerManager

from tests.soak.report import REPLACED_WITHIN, FailedLoad, SoakReport, Toast
from wpe_tui.api import ApiError, RateLimitError
from wpe_tui.api.wire import Wire
from wpe_tui.app import WpeApp
from wpe_tui.fake import FaultSettings
from wpe_tui.fake.faults import Fault
from wpe_tui.screens.site_list import SiteListScreen
from wpe_tui.widgets import PagedTable

# Worker groups whose failures are silent by design: they poll again at the next
# interval, and the offline banner speaks for the network.
BACKGROUND_GROUPS = frozenset({"live", "activity", "reconnect"})


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


def instrument(wire: Wire, recorder: Recorder) -> None:
    """Wraps the wire's GET and write, on this one instance (both APIs' clients send
    every request through their `Wire`): each GET that still fails after the wire's
    retries is noted, and any write attempted fails the run."""
    get, write = wire.get, wire.write

    async def noted_get(path: str, params: Any = None) -> Any:
        worker: Worker[Any] | None
        try:
            worker = get_current_worker()
        except NoActiveWorker:
            worker = None
        table = _table_of(worker)
        generation = table._state.generation if table is not None else None
        try:
            return await get(path, params)
        except ApiError as error:
            _note(recorder, path, error, worker, table, generation)
            raise

    async def refused_write(method: str, path: str, body: Any) -> Any:
        recorder.report.writes_attempted += 1
        recorder.report.fail(
            f"step {recorder.step}: the client tried to send {method} /{path} on {recorder.view()}"
        )
        return await write(method, path, body)

    setattr(wire, "get", noted_get)  # noqa: B010 - this instance's method, on purpose
    setattr(wire, "write", refused_write)  # noqa: B010


def _note(
    recorder: Recorder,
    path: str,
    error: ApiError,
    worker: Worker[Any] | None,
    table: PagedTable | None,
    generation: int | None,
) -> None:
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
    elif table is not None:
        # The error travels back through the scheduler before the table sees it; if the
        # query is replaced meanwhile (`f`, `s`, `r`), the table drops it, rightly.
        asyncio.get_running_loop().call_later(REPLACED_WITHIN, _replaced, failed, table, generation)
    recorder.report.failed_loads.append(failed)


def _replaced(failed: FailedLoad, table: PagedTable, generation: int | None) -> None:
    if failed.excuse is None and table._state.generation != generation:
        failed.excuse = "answers to a replaced query"


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

    def draw(self, method: str | None = None, path: str | None = None) -> Fault | None:
        queued = self._faults.pending > 0
        fault = self._draw(method, path)
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
