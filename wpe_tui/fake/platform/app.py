"""The fake Hosting Platform API as a Starlette app, mounted under ``/v1``.

Requests go through the Customer fake's `FaultMiddleware` (recording, latency,
injected 5xx, 429 and dropped connections) and then through HTTP Basic auth of this
API, so faults come before the credentials are checked, as they do on the Customer
fake. FaultMiddleware only knows ``ApiKey`` headers: `_BasicBridge` in front of it
stands in for the Basic header, and the log notes whether one was sent.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
from dataclasses import dataclass
from typing import Unpack

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from wpe_tui.fake.faults import (
    FaultMiddleware,
    FaultOptions,
    FaultSettings,
    HttpMiddleware,
    RecordedRequest,
)
from wpe_tui.fake.platform.account import PlatformAccount
from wpe_tui.fake.platform.records import PlatformError
from wpe_tui.fake.platform.routes import ROUTES

_MARK = b"x-wpe-fake-basic"  # "present" or "absent": what the client sent, for the log
_STATE = "wpe_fake_platform_auth"  # in the ASGI scope: "ok", "missing" or "bad"
_WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})


class RequestLog(list[RecordedRequest]):
    """``app.state.requests``: FaultMiddleware appends each request; this notes whether it
    carried Basic credentials (never the credentials themselves)."""

    def append(self, record: RecordedRequest) -> None:
        mark = record.headers.pop(_MARK.decode(), "absent")
        record.has_auth = mark == "present"
        record.headers.pop("authorization", None)
        super().append(record)


def _credentials(header: str) -> tuple[str, str] | None:
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "basic" or not token.strip():
        return None
    try:
        user, sep, password = base64.b64decode(token.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if sep and user and password else None


class _BasicBridge(HttpMiddleware):
    """Checks the Basic credentials, then hides them from everything inside."""

    def __init__(self, app: ASGIApp, users: dict[str, str] | None) -> None:
        super().__init__(app)
        self.users = users

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(k, val) for k, val in scope["headers"] if k.lower() != b"authorization"]
        sent = next((val for k, val in scope["headers"] if k.lower() == b"authorization"), None)
        state = "missing" if sent is None else self._check(sent.decode("latin-1"))
        headers.append((_MARK, b"absent" if sent is None else b"present"))
        headers.append((b"authorization", b"ApiKey platform-fake"))  # FaultMiddleware wants one
        await self.app({**scope, "headers": headers, _STATE: state}, receive, send)

    def _check(self, header: str) -> str:
        credentials = _credentials(header)
        if credentials is None:
            return "bad"
        if self.users is None:
            return "ok"
        user, password = credentials
        expected = self.users.get(user)
        ok = expected is not None and hmac.compare_digest(password.encode(), expected.encode())
        return "ok" if ok else "bad"


@dataclass
class WriteLatency:
    """``app.state.write_latency``: extra milliseconds on POST, PATCH and DELETE only."""

    ms: float = 0.0


class _AuthAndWrites(HttpMiddleware):
    """401 without good credentials (except GET /status), then the write latency."""

    def __init__(self, app: ASGIApp, write_latency: WriteLatency) -> None:
        super().__init__(app)
        self.write_latency = write_latency

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"].rstrip("/") != "/v1/status" and scope.get(_STATE) != "ok":
            response = JSONResponse(
                {"message": "Bad Credentials"},
                status_code=401,
                headers={"WWW-Authenticate": 'Basic realm="WP Engine API"'},
            )
            await response(scope, receive, send)
            return
        if scope["method"] in _WRITES and self.write_latency.ms > 0:
            await asyncio.sleep(self.write_latency.ms / 1000)
        await self.app(scope, receive, send)


async def _platform_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PlatformError)
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers or None)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = "Not Found" if exc.status_code == 404 else str(exc.detail)
    return JSONResponse({"message": message}, status_code=exc.status_code, headers=exc.headers)


def create_platform_app(
    account: PlatformAccount | None = None,
    *,
    users: dict[str, str] | None = None,
    seed: int = 1,
    write_latency_ms: float = 0.0,
    link_origin: str | None = None,
    **faults: Unpack[FaultOptions],
) -> Starlette:
    """The fake API; its base URL is ``<origin>/v1``.

    ``users`` maps API user IDs to passwords (None: any Basic credentials work). Without
    an account, a `PlatformAccount` of ``seed`` is made (give one for other sizes or
    options). ``app.state.account`` is the PlatformAccount, ``app.state.faults`` the
    FaultSettings (``faults``: latency, failures, 429s, drops),
    ``app.state.write_latency`` the extra delay of writes and ``app.state.requests``
    every request received, in order.
    """
    if account is None:
        account = PlatformAccount(seed=seed)
    settings = FaultSettings(seed=seed, **faults)
    requests = RequestLog()
    write_latency = WriteLatency(write_latency_ms)

    app = Starlette(
        routes=[Mount("/v1", routes=ROUTES)],
        middleware=[
            Middleware(_BasicBridge, users=users),
            Middleware(FaultMiddleware, faults=settings, requests=requests, api_key=None),
            Middleware(_AuthAndWrites, write_latency=write_latency),
        ],
        exception_handlers={PlatformError: _platform_error, HTTPException: _http_error},
    )
    app.state.account = account
    app.state.faults = settings
    app.state.requests = requests
    app.state.write_latency = write_latency
    app.state.link_origin = link_origin.rstrip("/") if link_origin else None
    return app
