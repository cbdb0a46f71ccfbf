"""Serve the fake API over loopback: in a background thread (tests) or the foreground."""

from __future__ import annotations

import logging
import socket
import sys
import threading
import time
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wpe_tui.fake.account import FakeAccount
from wpe_tui.fake.app import create_app
from wpe_tui.fake.control import TestControl
from wpe_tui.fake.faults import DroppedConnection, HttpMiddleware

if TYPE_CHECKING:
    # Imported when a server starts: `wpe-tui --demo` runs in-process and never needs it.
    import uvicorn


class _HideDroppedConnections(logging.Filter):
    """Injected connection drops are intended; keep them out of the error log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], DroppedConnection))


def _quiet_drops() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _HideDroppedConnections) for f in logger.filters):
        logger.addFilter(_HideDroppedConnections())


class AccessLog(HttpMiddleware):
    """ASGI middleware: one line per request, written when its answer has been sent.

    ``2025-01-31T12:00:00.123456Z GET /v1/sites?page=1 200 1.8ms``: the time the
    request arrived (UTC), the method, the path and query, the status (``-`` when the
    connection was dropped) and how long the answer took, injected latency included.
    """

    def __init__(self, app: ASGIApp, stream: TextIO | None = None) -> None:
        super().__init__(app)
        self.stream = stream

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        arrived = datetime.now(UTC)
        started = time.perf_counter()
        status: int | None = None

        async def noting_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_send)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            query = scope.get("query_string", b"").decode("latin-1")
            target = scope["path"] + (f"?{query}" if query else "")
            stamp = arrived.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            line = f"{stamp} {scope['method']} {target} {status or '-'} {elapsed:.1f}ms"
            print(line, file=self.stream or sys.stdout, flush=True)


class FakeServer:
    """uvicorn in a background thread on 127.0.0.1 and a free port.

    ``with FakeServer() as server: httpx.get(server.base_url + "/sites", ...)``.
    Either pass an ``app`` or the keyword arguments of ``create_app`` (with ``account``).
    With ``controls``, it also serves the demo server's test controls (see control.py).
    """

    def __init__(
        self,
        app: Starlette | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        controls: bool = False,
        **app_options: Any,
    ) -> None:
        self.app: Starlette = app if app is not None else create_app(**app_options)
        self.controls = TestControl(self.app, self.app.state.faults) if controls else None
        self.host = host
        self._requested_port = port
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def account(self) -> FakeAccount:
        account: FakeAccount = self.app.state.account
        return account

    @property
    def base_url(self) -> str:
        if not self.port:
            raise RuntimeError("FakeServer is not running")
        return f"http://{self.host}:{self.port}/v1"

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("FakeServer is already running")
        import uvicorn

        _quiet_drops()
        # Binding ourselves gives the port before uvicorn starts and avoids a race for it.
        # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only then, and without it every
        # answer waits ~40 ms for a delayed ACK (Nagle).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self._requested_port))
        sock.listen(128)
        self._socket = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.controls or self.app,
            log_level="warning",
            lifespan="off",
            loop="asyncio",
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(config)
        self._server = server
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="fake-wpe-api", daemon=True
        )
        self._thread = thread
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive():
                self._cleanup()
                raise RuntimeError("the fake API server failed to start")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the fake API server did not start in time")
            time.sleep(0.002)

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is not None and thread is not None:
            server.should_exit = True
            thread.join(timeout=5)
            if thread.is_alive():  # a client holding a request open: stop waiting for it
                server.force_exit = True
                thread.join(timeout=5)
        self._cleanup()

    def _cleanup(self) -> None:
        if self._socket is not None:
            self._socket.close()
        self._socket = None
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def demo_app(access_log: bool = False, **app_options: Any) -> ASGIApp:
    """What `wpe-tui demo-server` serves: the fake API (``create_app`` and its options)
    with the test controls, and the access log outermost so that it sees them too."""
    api = create_app(**app_options)
    app: ASGIApp = TestControl(api, api.state.faults)
    if access_log:
        app = AccessLog(app)
    return app


def run_demo_server(
    host: str = "127.0.0.1",
    port: int = 8765,
    sites: int = 120,
    latency_ms: float = 0,
    fail_rate: float = 0.0,
    seed: int = 1,
    access_log: bool = False,
    *,
    stuck_rate: float = 0.0,
    odd_status_rate: float = 0.0,
    backup_seconds: float | None = None,
    bad_record_rate: float = 0.0,
    write_latency_ms: float = 0.0,
    rate_limit_rate: float = 0.0,
    retry_after: float = 1.0,
) -> None:
    """Serve a demo account in the foreground until interrupted (Ctrl+C).

    With ``access_log``, one line per request goes to stdout (see `AccessLog`).
    """
    account = FakeAccount(
        sites=sites,
        seed=seed,
        stuck_rate=stuck_rate,
        odd_status_rate=odd_status_rate,
        backup_seconds=backup_seconds,
        bad_record_rate=bad_record_rate,
    )
    app = demo_app(
        access_log,
        account=account,
        latency_ms=latency_ms,
        fail_rate=fail_rate,
        rate_limit_rate=rate_limit_rate,
        retry_after=retry_after,
        write_latency_ms=write_latency_ms,
        seed=seed,
    )
    banner = f"Fake WP Engine API on http://{host}:{port}/v1 (any API key works; Ctrl+C stops)"
    serve_in_foreground(app, host, port, banner)


def serve_in_foreground(
    app: ASGIApp, host: str, port: int, banner: str, *, access_log: bool = False
) -> None:
    """Serve `app` with uvicorn until interrupted (Ctrl+C), once `banner` is printed;
    with ``access_log``, one line per request goes to stdout (see `AccessLog`)."""
    import uvicorn

    if access_log:
        app = AccessLog(app)
    _quiet_drops()
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    print(banner, flush=True)
    uvicorn.Server(config).run()
