"""The fake Hosting Platform API in-process (``--demo --api platform``) and on loopback
(``demo-server --api platform``)."""

from __future__ import annotations

from typing import Any

import httpx

from wpe_tui.fake.control import TestControl
from wpe_tui.fake.platform.account import PlatformAccount
from wpe_tui.fake.platform.app import create_platform_app
from wpe_tui.fake.server import serve_in_foreground

# The account's own options; every other option goes to create_platform_app.
_ACCOUNT_OPTIONS = ("stuck_rate", "backup_seconds", "clock")


def _split(
    sites: int, seed: int, options: dict[str, Any]
) -> tuple[PlatformAccount, dict[str, Any]]:
    account_options = {k: options.pop(k) for k in _ACCOUNT_OPTIONS if k in options}
    return PlatformAccount(sites=sites, seed=seed, **account_options), options


def platform_demo_transport(sites: int = 120, seed: int = 1, **options: Any) -> httpx.ASGITransport:
    """An httpx transport into a fresh fake account: no socket, no network. Any Basic
    credentials work; give the client any base URL, e.g. ``http://platform.localhost/v1``."""
    account, app_options = _split(sites, seed, dict(options))
    return httpx.ASGITransport(app=create_platform_app(account, seed=seed, **app_options))


def run_platform_demo_server(
    host: str = "127.0.0.1",
    port: int = 8766,
    sites: int = 120,
    latency_ms: float = 0,
    fail_rate: float = 0.0,
    seed: int = 1,
    access_log: bool = False,
    **options: Any,
) -> None:
    """Serve a demo account in the foreground until interrupted (Ctrl+C).

    ``options``: ``stuck_rate``, ``backup_seconds`` (the account's) and any other keyword
    of `create_platform_app` (``write_latency_ms``, ``rate_limit_rate``, ``users``...).
    With ``access_log``, one line per request goes to stdout (see `AccessLog`).
    """
    account, app_options = _split(sites, seed, dict(options))
    app = create_platform_app(
        account, latency_ms=latency_ms, fail_rate=fail_rate, seed=seed, **app_options
    )
    banner = (
        f"Fake WP Engine Hosting Platform API on http://{host}:{port}/v1 "
        "(any API user and password work; Ctrl+C stops)"
    )
    # The same test controls as the Customer fake's demo server (`/__fake__/…`).
    controlled = TestControl(app, app.state.faults)
    serve_in_foreground(controlled, host, port, banner, access_log=access_log)
