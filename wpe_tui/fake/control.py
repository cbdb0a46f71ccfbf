"""Test controls of the demo server, outside ``/v1``: for benchmarks and soak tests.

- ``POST /__fake__/rate-limit?next=N&retry_after=S``: the next N requests to the API
  answer 429 with ``Retry-After: S`` (N defaults to 1, S to the server's
  ``--retry-after``).
- ``GET /__fake__/stats``: what the API has been asked since the server started:
  ``{"requests", "writes", "by_method", "by_status", "rate_limits_pending",
  "uptime_seconds"}``.

No API key is needed, and only loopback clients are served: it is not part of the
API, and nothing a real server has.
"""

from __future__ import annotations

import ipaddress
import re
import threading
import time
from collections import Counter
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wpe_tui.fake.faults import WRITE_METHODS, FaultSettings, HttpMiddleware, send_json

PREFIX = "/__fake__"
MAX_NEXT = 100_000


def _is_loopback(scope: Scope) -> bool:
    client = scope.get("client")
    if not client:
        return False
    try:
        return ipaddress.ip_address(client[0]).is_loopback
    except ValueError:
        return False


class TestControl(HttpMiddleware):
    """ASGI middleware: serves ``/__fake__/…`` and counts every other request."""

    __test__ = False  # not a pytest class, whatever its name says

    def __init__(self, app: ASGIApp, faults: FaultSettings) -> None:
        super().__init__(app)
        self.faults = faults
        self.started = time.monotonic()
        self._lock = threading.Lock()
        self._methods: Counter[str] = Counter()
        self._statuses: Counter[str] = Counter()

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        if path == PREFIX or path.startswith(PREFIX + "/"):
            await self._control(scope, send)
            return
        method: str = scope["method"]
        with self._lock:
            self._methods[method] += 1

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                with self._lock:
                    self._statuses[str(message["status"])] += 1
            await send(message)

        await self.app(scope, receive, counting_send)

    def stats(self) -> dict[str, Any]:
        with self._lock:
            methods = dict(self._methods)
            statuses = dict(self._statuses)
        return {
            "requests": sum(methods.values()),
            "writes": sum(n for m, n in methods.items() if m in WRITE_METHODS),
            "by_method": methods,
            "by_status": statuses,
            "rate_limits_pending": self.faults.pending,
            "uptime_seconds": round(time.monotonic() - self.started, 3),
        }

    async def _control(self, scope: Scope, send: Send) -> None:
        if not _is_loopback(scope):
            await send_json(send, 403, {"error": "forbidden", "message": "loopback only"})
            return
        path, method = scope["path"], scope["method"]
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if path == PREFIX + "/stats" and method == "GET":
            await send_json(send, 200, self.stats())
        elif path == PREFIX + "/rate-limit" and method == "POST":
            await self._rate_limit(query, send)
        elif path in (PREFIX + "/stats", PREFIX + "/rate-limit"):
            await send_json(send, 405, {"error": "method_not_allowed", "message": method})
        else:
            await send_json(send, 404, {"error": "not_found", "message": f"No control {path}"})

    async def _rate_limit(self, query: dict[str, str], send: Send) -> None:
        errors: dict[str, list[str]] = {}
        raw_next = query.get("next", "1")
        if not re.fullmatch(r"\d{1,6}", raw_next) or not 1 <= int(raw_next) <= MAX_NEXT:
            errors["next"] = [f"must be a whole number from 1 to {MAX_NEXT:,}"]
        retry_after = self.faults.retry_after
        if "retry_after" in query:
            try:
                retry_after = float(query["retry_after"])
            except ValueError:
                retry_after = -1.0
            if not 0 <= retry_after <= 86_400:
                errors["retry_after"] = ["must be a number of seconds from 0 to 86400"]
        if errors:
            invalid = {"error": "validation_error", "message": "Invalid control", "errors": errors}
            await send_json(send, 400, invalid)
            return
        count = int(raw_next)
        self.faults.rate_limit_next(count, retry_after=retry_after)
        body = {"next": count, "retry_after": retry_after, "pending": self.faults.pending}
        await send_json(send, 200, body)
