"""The whole run: the fake served on loopback, the app driven, then judged."""

from __future__ import annotations

import logging
import random
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from starlette.applications import Starlette

from tests.soak.churn import Churn, PlatformChurn
from tests.soak.final import CustomerState, PlatformState, final_check
from tests.soak.instruments import FaultTally, LogErrors, Recorder, SoakApp, instrument
from tests.soak.judge import check_errors_shown
from tests.soak.report import SIZE, SoakOptions, SoakReport
from tests.soak.walk import Walk
from wpe_tui.api import WpeClient
from wpe_tui.api.platform import PlatformBackend
from wpe_tui.config import Settings, UiPrefs
from wpe_tui.core.backend import Backend
from wpe_tui.fake import FakeAccount, FakeServer, FaultSettings, ManualClock, create_app
from wpe_tui.fake.platform import PlatformAccount, create_platform_app

START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
API_KEY = "soak-key"
API_USER, API_PASSWORD = "soak-user", "soak-password"
# The Hosting Platform API is paced at 5 requests a second in real use; the soak paces
# it too, faster, so that 500 keys and the final sweep fit in a few minutes.
PLATFORM_PACE = 25.0


@dataclass
class World:
    """The fake of one API: its account, its ASGI app, and how the app reaches it."""

    api: str
    account: FakeAccount | PlatformAccount
    asgi: Starlette
    churn: Churn | PlatformChurn


def _world(options: SoakOptions, clock: ManualClock) -> World:
    spec = options.faults
    faults: dict[str, Any] = {
        "latency_ms": spec.latency_ms,
        "jitter_ms": spec.jitter_ms,
        "fail_rate": spec.fail_rate,
        "rate_limit_rate": spec.rate_limit_rate,
        "retry_after": spec.retry_after[1],
        "drop_rate": spec.drop_rate,
    }
    rng = random.Random(options.seed + 1)
    if options.api == "platform":
        platform = PlatformAccount(sites=options.sites, seed=options.seed, clock=clock)
        asgi = create_platform_app(
            platform, users={API_USER: API_PASSWORD}, seed=options.seed, **faults
        )
        return World("platform", platform, asgi, PlatformChurn(platform, rng))
    account = FakeAccount(sites=options.sites, seed=options.seed, clock=clock)
    asgi = create_app(account, seed=options.seed, **faults)
    return World("customer", account, asgi, Churn(account, rng))


async def run_soak(options: SoakOptions) -> SoakReport:
    if options.steps is None and options.minutes is None:
        raise ValueError("give steps, minutes or both")
    report = SoakReport(options)
    recorder = Recorder(report)
    clock = ManualClock(START)
    world = _world(options, clock)
    api = world.asgi
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
            await _drive(options, report, recorder, clock, world, faults, server, Path(home))
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


def _app(
    options: SoakOptions, recorder: Recorder, world: World, base_url: str, home: Path
) -> SoakApp:
    """The real app and backend of the world's API, its wire instrumented."""
    platform = world.api == "platform"
    settings = Settings(
        profile_name="soak",
        api_key=None if platform else SecretStr(API_KEY),
        base_url=base_url,
        read_only=False,
        ui=UiPrefs(refresh_interval=options.refresh_interval, page_size=options.page_size),
        config_path=home / "config.toml",
        **(
            {
                "api": "platform",
                "api_user": API_USER,
                "api_password": SecretStr(API_PASSWORD),
                "requests_per_second": PLATFORM_PACE,
            }
            if platform
            else {}
        ),
    )

    def make_backend(key: str, url: str, user: str | None = None) -> Backend:
        backend: PlatformBackend | WpeClient = (
            PlatformBackend(user or API_USER, key, url) if platform else WpeClient(key, url)
        )
        instrument(backend.wire, recorder)
        return backend

    backend = make_backend(API_PASSWORD if platform else API_KEY, base_url, API_USER)
    return SoakApp(recorder, settings, backend, make_backend=make_backend)


async def _drive(
    options: SoakOptions,
    report: SoakReport,
    recorder: Recorder,
    clock: ManualClock,
    world: World,
    faults: FaultSettings,
    server: FakeServer,
    home: Path,
) -> None:
    app = _app(options, recorder, world, server.base_url, home)
    began = time.monotonic()
    try:
        async with app.run_test(size=SIZE, notifications=True, message_hook=recorder.hook) as pilot:
            walk = Walk(pilot, app, report, recorder, options, clock, faults, world.churn)
            await walk.run()
            report.seconds = time.monotonic() - began
            if app.is_running and app.return_code is None:
                checking = time.monotonic()
                state = (
                    PlatformState(world.account)
                    if isinstance(world.account, PlatformAccount)
                    else CustomerState(world.account)
                )
                await final_check(pilot, app, state, faults, report)
                report.final_seconds = time.monotonic() - checking
                walk.check_crash()
                reports = getattr(app, "crash_reports", None)
                if reports:
                    reports.clear()
    except Exception as error:
        text = "".join(traceback.format_exception(error)).rstrip()
        report.fail(f"the app ended with an exception (a traceback):\n{text}")
    report.seconds = max(report.seconds, time.monotonic() - began)
