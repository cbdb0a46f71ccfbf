"""The fake WP Engine Customer API: deterministic, lazily generated, simulated clock.

Never imports Textual: it serves the tests, ``wpe-tui --demo`` (in-process through
httpx.ASGITransport) and ``wpe-tui demo-server`` (uvicorn on loopback).
"""

from wpe_tui.fake.account import FakeAccount
from wpe_tui.fake.app import create_app
from wpe_tui.fake.clock import Clock, ManualClock, SystemClock
from wpe_tui.fake.faults import DroppedConnection, FaultSettings, RecordedRequest
from wpe_tui.fake.server import FakeServer, demo_app, run_demo_server
from wpe_tui.fake.world import World

__all__ = [
    "Clock",
    "DroppedConnection",
    "FakeAccount",
    "FakeServer",
    "FaultSettings",
    "ManualClock",
    "RecordedRequest",
    "SystemClock",
    "World",
    "create_app",
    "demo_app",
    "run_demo_server",
]
