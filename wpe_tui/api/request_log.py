"""`RequestLog`: `wpe-tui --log FILE` writes one line per request.

``2026-12-01T14:03:10.123Z GET /v1/sites?page=1&per_page=50 200 41ms``: when it was
sent (UTC), the method, the path and query, the status (``-`` when no answer came)
and how long it took. Never a header, a body or a credential: support can read it,
and a user can check for themselves that an idle app sends nothing.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO


class RequestLog:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._file: TextIO = os.fdopen(fd, "a", encoding="utf-8", buffering=1)

    def write(
        self, method: str, target: str, status: int | None, started: datetime, ms: float
    ) -> None:
        stamp = started.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        line = f"{stamp} {method} {target} {status if status is not None else '-'} {ms:.0f}ms\n"
        with self._lock:
            if not self._file.closed:
                self._file.write(line)

    def close(self) -> None:
        with self._lock:
            self._file.close()
