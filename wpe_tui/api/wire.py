"""`Wire`: what both API clients share below their endpoints.

- GETs are retried on 5xx and network errors with capped, jittered backoff. A 429 is
  raised at once with its Retry-After: the app's scheduler waits it out in one place
  and holds background work meanwhile. Writes are sent exactly once.
- Every request can wait for a pacer first (an API that publishes no limits), and is
  written to the request log (`--log FILE`): method, path, status, milliseconds.
- The listener hears "online" (any answer), "offline" (no answer after the retries)
  and "unauthorized" (a 401), wherever the user is.
- A credential a server echoes back in an error never reaches the message.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, SecretStr
from pydantic import ValidationError as PydanticValidationError

from wpe_tui import __version__
from wpe_tui.api.errors import (
    ApiError,
    DecodeError,
    NetworkError,
    OutcomeUnknownError,
    ServerError,
    ValidationError,
)
from wpe_tui.api.models import PLACEHOLDER, START
from wpe_tui.api.request_log import RequestLog

M = TypeVar("M", bound=BaseModel)
Sleep = Callable[[float], Awaitable[None]]
Params = Mapping[str, str | int]
ErrorFor = Callable[[str, httpx.Response], ApiError]
Pace = Callable[[], Awaitable[None]]

USER_AGENT = f"wpe-tui/{__version__}"
# What fails before a connection is made: a write that meets it was not sent.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
UNKNOWN_STATUSES = frozenset({502, 503, 504})
MIN_SECRET = 6


class Wire:
    def __init__(
        self,
        base_url: str,
        *,
        authorization: str,
        secrets: Iterable[str],
        error_for: ErrorFor,
        transport: httpx.AsyncBaseTransport | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 20.0,
        max_retries: int = 3,
        backoff_base: float = 0.5,
        backoff_cap: float = 8.0,
        sleep: Sleep = asyncio.sleep,
        request_log: RequestLog | None = None,
    ) -> None:
        self.base_url = base_url
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.sleep = sleep
        self.request_log = request_log
        self.pace: Pace | None = None
        self.listener: Callable[[str], None] | None = None
        self.requests_sent = 0
        self._error_for = error_for
        self._random = random.Random()  # jitter only; no security meaning
        # Longest first, so a secret holding a shorter one is replaced whole. One of a
        # few characters is no real credential, and replacing it would garble messages.
        self._secrets = tuple(
            SecretStr(s)
            for s in sorted({s for s in secrets if len(s) >= MIN_SECRET}, key=len, reverse=True)
        )
        self._http = httpx.AsyncClient(
            base_url=base_url + "/",
            transport=transport,
            headers={
                "Authorization": authorization,
                "Accept": "application/json",
                "User-Agent": USER_AGENT,
            },
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            follow_redirects=False,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- requests ---------------------------------------------------------------------

    async def get(self, path: str, params: Params | None = None) -> Any:
        attempt = 0
        while True:
            try:
                return await self._send("GET", path, params=params)
            except (ServerError, NetworkError) as error:
                if attempt >= self.max_retries:
                    if isinstance(error, NetworkError):
                        self._tell("offline")
                    raise
                ceiling = min(self.backoff_cap, self.backoff_base * 2**attempt)
                attempt += 1
                await self.sleep(self._random.uniform(ceiling / 2, ceiling))

    async def write(self, method: str, path: str, body: Mapping[str, Any] | None) -> Any:
        # Never retried: the caller decides, with the user, whether to try again.
        try:
            return await self._send(method, path, json_body=body, write=True)
        except OutcomeUnknownError:
            raise
        except NetworkError:
            self._tell("offline")
            raise

    def parse(self, model: type[M], payload: Any, *, placeholder: str = "", start: int = 0) -> M:
        """`payload` as a `model`, or a `DecodeError`. A list page is read item by item
        (see `wpe_tui.api.models.read_item`): its unreadable items without an ID of
        their own are called ``<placeholder>-<start + n>``."""
        if isinstance(payload, dict) and "unreadable" in payload:
            payload = {k: v for k, v in payload.items() if k != "unreadable"}  # ours to say
        context = {PLACEHOLDER: placeholder, START: start} if placeholder else None
        try:
            return model.model_validate(payload, context=context)
        except PydanticValidationError as error:
            detail = error.errors()[0]
            where = ".".join(str(part) for part in detail["loc"]) or "body"
            raise DecodeError(
                f"Unexpected response shape from the API ({where}: {detail['msg']})"
            ) from None

    def _tell(self, event: str) -> None:
        if self.listener is not None:
            self.listener(event)

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json_body: Mapping[str, Any] | None = None,
        write: bool = False,
    ) -> Any:
        label = f"{method} /{path}"
        if self.pace is not None:
            await self.pace()  # an API that publishes no limits: a steady pace
        self.requests_sent += 1
        request = self._http.build_request(method, path, params=params, json=json_body)
        started, clock = datetime.now(UTC), time.perf_counter()
        status: int | None = None
        try:
            response = await self._http.send(request)
            status = response.status_code
        except NOT_SENT as error:
            # No connection was made: nothing reached the server.
            reason = type(error).__name__
            raise NetworkError(f"{label}: could not reach {self.base_url} ({reason})") from None
        except httpx.TimeoutException:
            if write:
                raise OutcomeUnknownError(
                    f"{label}: sent, and the API did not answer in time"
                ) from None
            raise NetworkError(f"{label}: the API did not answer in time") from None
        except httpx.TransportError as error:
            reason = type(error).__name__
            if write:
                raise OutcomeUnknownError(
                    f"{label}: sent, and the connection was lost before an answer ({reason})"
                ) from None
            raise NetworkError(f"{label}: could not reach {self.base_url} ({reason})") from None
        finally:
            if self.request_log is not None:
                target = request.url.raw_path.decode("ascii", "replace")
                ms = (time.perf_counter() - clock) * 1000
                self.request_log.write(method, target, status, started, ms)
        self._tell("online")  # any answer at all means the network is back
        if response.status_code == 401:
            self._tell("unauthorized")
        if response.is_success:
            if not response.content.strip() and response.status_code in (202, 204):
                return None  # accepted, and nothing more to say
            try:
                return response.json()
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise DecodeError(
                    f"{label}: the API answered {response.status_code} with something "
                    "that is not JSON",
                    status=response.status_code,
                ) from None
        if write and response.status_code in UNKNOWN_STATUSES:
            # A gateway's answer: the work may be going on behind it.
            raise self._redacted(
                OutcomeUnknownError(
                    f"{label}: sent, and a gateway answered {response.status_code} "
                    f"{response.reason_phrase or ''}".rstrip(),
                    status=response.status_code,
                )
            )
        raise self._redacted(self._error_for(label, response))

    def _redacted(self, failure: ApiError) -> ApiError:
        """A server that echoes the credentials back must not make them leak."""
        failure.message = self.redact(failure.message)
        failure.args = (failure.message,)
        if isinstance(failure, ValidationError):
            failure.fields = {k: [self.redact(m) for m in v] for k, v in failure.fields.items()}
        return failure

    def secret_values(self) -> list[str]:
        """The credentials this wire sends, for a crash report to hide (never to show)."""
        return [secret.get_secret_value() for secret in self._secrets]

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret.get_secret_value(), "[redacted]")
        return text


def error_body(response: httpx.Response) -> tuple[str | None, dict[str, list[str]]]:
    """The message and the field errors of an error answer, in either API's shape:
    ``{message, errors: {field: [messages]}}`` or ``{message, errors: [{field, message}]}``."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None, {}
    if isinstance(body, str):
        return body, {}
    if not isinstance(body, dict):
        return None, {}
    message = next(
        (body[k] for k in ("message", "detail", "error") if isinstance(body.get(k), str)), None
    )
    fields: dict[str, list[str]] = {}
    errors = body.get("errors")
    if isinstance(errors, dict):
        for name, value in errors.items():
            items = value if isinstance(value, list) else [value]
            fields[str(name)] = [str(item) for item in items]
    elif isinstance(errors, list):
        for item in errors:
            if isinstance(item, dict) and item.get("field") is not None:
                text = item.get("message")
                fields.setdefault(str(item["field"]), []).append(str(text or "is not valid"))
    return message, fields


def retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None  # an HTTP date: rare enough to leave to the scheduler's own pause
