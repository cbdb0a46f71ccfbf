"""The fake WP Engine Hosting Platform API: two accounts, lazily generated, seeded, on a
simulated clock, as strict as its Swagger file. Never imports Textual."""

from wpe_tui.fake.platform.account import PlatformAccount
from wpe_tui.fake.platform.app import RequestLog, WriteLatency, create_platform_app
from wpe_tui.fake.platform.server import platform_demo_transport, run_platform_demo_server

__all__ = [
    "PlatformAccount",
    "RequestLog",
    "WriteLatency",
    "create_platform_app",
    "platform_demo_transport",
    "run_platform_demo_server",
]
