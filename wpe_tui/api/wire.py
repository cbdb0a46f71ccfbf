"""`Wire`: what both API clients share below their endpoints.

- GETs are retried on 5xx and network errors with capped, jittered backoff. A 429 is
  raised at once with its Retry-After: the app's scheduler waits it out in one place
  and holds background work meanwhile. Writes are sent exactly once.
- Every request can wait for a pacer first (an API that publishes no limits), and is
  written to the request log (`--log FILE`): method, path, status, milliseconds.
- The listener hears "online" (any answer), "offline" (no answer after the retries)
  and "unauthorized" (a 401), wherever the user is.
- A credential a server echoes back in an error never reaches the message.
- `WireClient` is what both clients build on (listener, pacer, closing, requests),
  `ErrorWords` how each turns an error answer into an `ApiError`, and `WireOptions`
  the keywords either takes for its Wire.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self, TypedDict, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, SecretStr
from pydantic import ValidationError as PydanticValidationError

from wpe_tui import __version__, tls
from wpe_tui.api.errors import (
    ApiError,
    AuthError,
    ConflictError,
    DecodeError,
    NetworkError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitError,
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


def segment(value: str) -> str:
    """A path segment: IDs come from the server or the user, and quoting keeps a hostile
    one from changing the path."""
    return quote(value, safe="")


def check_count(name: str, value: int, low: int, high: int | None = None) -> None:
    """Refuse a count out of its range, before anything is sent."""
    if high is not None and not low <= value <= high:
        raise ValidationError(
            f"{name} must be between {low} and {high}, not {value}",
            fields={name: [f"must be between {low} and {high}"]},
        )
    if value < low:
        raise ValidationError(
            f"{name} must be {low} or more, not {value}", fields={name: [f"must be {low} or more"]}
        )


def check_page(page: int, per_page: int, most: int) -> None:
    """The app's page and page size, whichever way the API pages."""
    check_count("per_page", per_page, 1, most)
    check_count("page", page, 1)


class WireOptions(TypedDict, total=False):
    """How a client's `Wire` sends: given to either client as keywords."""

    transport: httpx.AsyncBaseTransport | None
    connect_timeout: float
    read_timeout: float
    max_retries: int
    backoff_base: float
    backoff_cap: float
    sleep: Sleep
    request_log: RequestLog | None


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
            # A transport of its own (the fakes in-process) makes its own context.
            verify=tls.context() if transport is None else True,
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


@dataclass(frozen=True)
class ErrorWords:
    """One API's error answers as the app's `ApiError` classes: the same mapping for
    both APIs, but for what each says when it refuses the credentials."""

    unauthorized: str  # 401
    forbidden: str  # 403

    def __call__(self, label: str, response: httpx.Response) -> ApiError:
        status = response.status_code
        server_message, fields = error_body(response)
        reason = server_message or response.reason_phrase or "no message"
        message = f"{label}: {status} {reason}"
        if status in (401, 403):
            text = self.unauthorized if status == 401 else self.forbidden
            return AuthError(f"{label}: {status} {text} ({reason})", status=status)
        if status == 404:
            return NotFoundError(message, status=status)
        if status == 409:
            return ConflictError(message, status=status)
        if status in (400, 422):
            return ValidationError(message, status=status, fields=fields)
        if status == 429:
            return RateLimitError(message, status=status, retry_after=retry_after(response))
        if status >= 500:
            return ServerError(message, status=status)
        return ApiError(message, status=status)


class WireClient:
    """What both API clients (and the Hosting Platform session) share around their
    `Wire`: the listener and the pacer, the count of requests, closing, and the
    requests themselves. An async context manager."""

    def __init__(self, wire: Wire) -> None:
        self.wire = wire
        self.base_url = wire.base_url

    # Told "online", "offline" (no answer after the retries) and "unauthorized" (a 401),
    # so an app can show a banner or ask for new credentials wherever it is.
    @property
    def listener(self) -> Callable[[str], None] | None:
        return self.wire.listener

    @listener.setter
    def listener(self, listener: Callable[[str], None] | None) -> None:
        self.wire.listener = listener

    @property
    def pace(self) -> Pace | None:
        return self.wire.pace

    @pace.setter
    def pace(self, pace: Pace | None) -> None:
        self.wire.pace = pace

    @property
    def requests_sent(self) -> int:
        return self.wire.requests_sent

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.wire.aclose()

    def _parse(self, model: type[M], payload: Any, *, placeholder: str = "", start: int = 0) -> M:
        return self.wire.parse(model, payload, placeholder=placeholder, start=start)

    async def _get(self, path: str, params: Params | None = None) -> Any:
        return await self.wire.get(path, params)

    async def _write(self, method: str, path: str, body: Mapping[str, Any] | None) -> Any:
        # Never retried: a restore or a copy must not run twice because an answer was lost.
        return await self.wire.write(method, path, body)
