"""Fault injection and request recording for the fake API (an outer ASGI middleware)."""

from __future__ import annotations

import asyncio
import hmac
import json
import random
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any, TypedDict
from urllib.parse import parse_qsl

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_AUTH = re.compile(r"ApiKey\s+(\S+)")


class DroppedConnection(httpx.RemoteProtocolError):
    """Raised to cut a connection mid-answer.

    Over uvicorn the socket is closed after the headers, so the client sees an
    incomplete response; through httpx.ASGITransport the exception reaches the client
    as it is, and being an httpx.TransportError it looks like the network failing.
    """

    def __init__(self) -> None:
        super().__init__("fake API dropped the connection")


@dataclass
class RecordedRequest:
    """One request as the fake received it (the API key itself is never kept)."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    headers: dict[str, str]
    has_auth: bool
    body: bytes = b""
    status: int | None = None  # status answered; None when the connection was dropped


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Fault:
    kind: str  # "error", "rate_limit", "drop" or "drop_after" (done, then dropped)
    status: int = 500
    retry_after: float = 1.0
    writes_only: bool = False  # waits in the queue for the next POST, PUT, PATCH or DELETE
    path: str | None = None  # waits for the next request whose path contains this

    def fits(self, method: str | None, path: str | None) -> bool:
        if self.writes_only and (method or "").upper() not in WRITE_METHODS:
            return False
        return self.path is None or self.path in (path or "")


@dataclass
class FaultSettings:
    """Faults to inject; tests change them at runtime through ``app.state.faults``."""

    latency_ms: float = 0.0
    jitter_ms: float | None = None  # None: a quarter of latency_ms
    # Added to the answer of a write once it has taken effect: a slow gateway, so a
    # client that gives up early sees a timeout while the backup exists.
    write_latency_ms: float = 0.0
    fail_rate: float = 0.0
    rate_limit_rate: float = 0.0
    retry_after: float = 1.0
    drop_rate: float = 0.0
    seed: int = 1
    _queue: deque[Fault] = field(default_factory=deque, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def fail_next(
        self, n: int = 1, status: int = 500, *, writes: bool = False, path: str | None = None
    ) -> None:
        """Answer the next ``n`` requests (or writes; or those whose path contains
        ``path``) with ``status`` (and a JSON body)."""
        with self._lock:
            self._queue.extend(
                Fault("error", status=status, writes_only=writes, path=path) for _ in range(n)
            )

    def rate_limit_next(self, n: int = 1, retry_after: float | None = None) -> None:
        """Answer the next ``n`` requests with 429 and a Retry-After header."""
        wait = self.retry_after if retry_after is None else retry_after
        with self._lock:
            self._queue.extend(Fault("rate_limit", 429, wait) for _ in range(n))

    def drop_next(self, n: int = 1, *, writes: bool = False) -> None:
        """Drop the connection of the next ``n`` requests (or writes), before they run."""
        with self._lock:
            self._queue.extend(Fault("drop", writes_only=writes) for _ in range(n))

    def drop_after_next(self, n: int = 1) -> None:
        """Do the next ``n`` writes, then drop the connection before the answer: a write
        that took effect, with no answer to say so."""
        with self._lock:
            self._queue.extend(Fault("drop_after", writes_only=True) for _ in range(n))

    def clear(self) -> None:
        """Forget queued faults and turn every random fault and delay off."""
        with self._lock:
            self._queue.clear()
            self.fail_rate = self.rate_limit_rate = self.drop_rate = 0.0
            self.latency_ms = self.write_latency_ms = 0.0

    @property
    def pending(self) -> int:
        return len(self._queue)

    def draw(self, method: str | None = None, path: str | None = None) -> Fault | None:
        with self._lock:
            if self._queue and self._queue[0].fits(method, path):
                return self._queue.popleft()
            if not (self.drop_rate or self.fail_rate or self.rate_limit_rate):
                return None  # no draw, so the random stream only moves when faults are on
            roll = self._rng.random()
            if roll < self.drop_rate:
                return Fault("drop")
            roll -= self.drop_rate
            if roll < self.fail_rate:
                return Fault("error", status=self._rng.choice((500, 502, 503)))
            roll -= self.fail_rate
            if roll < self.rate_limit_rate:
                return Fault("rate_limit", 429, self.retry_after)
            return None

    def delay_seconds(self) -> float:
        if self.latency_ms <= 0:
            return 0.0
        with self._lock:
            jitter = self.latency_ms / 4 if self.jitter_ms is None else self.jitter_ms
            delay = self.latency_ms + self._rng.uniform(-jitter, jitter)
        return max(delay, 0.0) / 1000


_ERROR_NAMES = {
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}


class FaultOptions(TypedDict, total=False):
    """The faults either fake takes as keywords (see `FaultSettings`)."""

    latency_ms: float
    jitter_ms: float | None
    fail_rate: float
    rate_limit_rate: float
    retry_after: float
    drop_rate: float


class HttpMiddleware:
    """An ASGI middleware of HTTP requests: anything else (lifespan) passes through to
    `app` untouched; subclasses handle a request in `http`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


async def send_json(
    send: Send,
    status: int,
    body: dict[str, Any],
    headers: tuple[tuple[bytes, bytes], ...] = (),
) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class FaultMiddleware(HttpMiddleware):
    """Records each request, then delays, injects a fault or checks the API key."""

    def __init__(
        self,
        app: ASGIApp,
        faults: FaultSettings,
        requests: list[RecordedRequest],
        api_key: str | None,
    ) -> None:
        super().__init__(app)
        self.faults = faults
        self.requests = requests
        self.api_key = api_key

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await _read_body(receive)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        authorization = headers.pop("authorization", "")
        record = RecordedRequest(
            method=scope["method"],
            path=scope["path"],
            query=dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)),
            json=_maybe_json(body),
            headers=headers,
            has_auth=bool(authorization.strip()),
            body=body,
        )
        self.requests.append(record)

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
            await send(message)

        delay = self.faults.delay_seconds()
        if delay:
            await asyncio.sleep(delay)
        fault = self.faults.draw(record.method, record.path)
        if fault is not None and fault.kind == "drop_after":
            await self.app(scope, _replay(body, receive), _swallow)
            await _inject(Fault("drop"), send)  # done; now the answer is cut
            return
        if fault is not None:
            # A dropped connection has no status to record.
            await _inject(fault, send if fault.kind == "drop" else recording_send)
            return
        if not self._authorised(authorization):
            await send_json(
                recording_send,
                401,
                {"error": "unauthorized", "message": "Missing or invalid API key"},
                ((b"www-authenticate", b"ApiKey"),),
            )
            return
        answer: Send = recording_send
        if record.method in WRITE_METHODS and self.faults.write_latency_ms > 0:
            answer = _late(recording_send, self.faults.write_latency_ms / 1000)
        await self.app(scope, _replay(body, receive), answer)

    def _authorised(self, authorization: str) -> bool:
        match = _AUTH.fullmatch(authorization.strip())
        if match is None:
            return False
        if self.api_key is None:
            return True
        return hmac.compare_digest(match.group(1), self.api_key)


def _replay(body: bytes, receive: Receive) -> Receive:
    """`receive` giving the body already read, once, then what follows."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _swallow(message: Message) -> None:
    """Where the answer of a dropped connection goes: nowhere."""


def _late(send: Send, seconds: float) -> Send:
    """`send`, holding the answer back: the handler has done its work by the time it
    starts the answer, so the write has taken effect however long the client waits."""

    async def late_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            await asyncio.sleep(seconds)
        await send(message)

    return late_send


async def _inject(fault: Fault, send: Send) -> None:
    if fault.kind == "rate_limit":
        wait = f"{fault.retry_after:g}"
        await send_json(
            send,
            429,
            {"error": "rate_limited", "message": f"Too many requests; retry after {wait} s"},
            ((b"retry-after", wait.encode()),),
        )
    elif fault.kind == "error":
        name = _ERROR_NAMES.get(fault.status, "server_error")
        await send_json(send, fault.status, {"error": name, "message": "Simulated server error"})
    else:
        # Promise a body, then die: the client sees a connection cut mid-response.
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
            }
        )
        raise DroppedConnection()


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _maybe_json(body: bytes) -> Any:
    if not body.strip():
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None
