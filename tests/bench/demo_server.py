"""`wpe-tui demo-server --access-log` in a subprocess, its requests counted from its log."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

import httpx

from tests.bench.api import API_KEY, CUSTOMER, BenchApi, Skipped
from tests.bench.paths import WPE_TUI, base_env

__all__ = ["API_KEY", "DemoServer", "Request", "free_port"]
_LINE = re.compile(
    r"^(?P<at>\S+Z) (?P<method>[A-Z]+) (?P<target>\S+) (?P<status>\S+) (?P<ms>[\d.]+)ms$"
)


@dataclass(frozen=True)
class Request:
    """One line of the access log."""

    arrived: float  # time.time() when the server received it
    method: str
    target: str  # path and query
    status: str
    seconds: float  # until the answer was sent, injected latency included

    @property
    def answered(self) -> float:
        return self.arrived + self.seconds

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class DemoServer:
    """The fake API on loopback, as `wpe-tui demo-server` serves it to users."""

    def __init__(
        self,
        sites: int,
        latency_ms: float = 0.0,
        *,
        options: Sequence[str] = (),
        api: BenchApi = CUSTOMER,
    ) -> None:
        self.site_count = sites
        self.latency_ms = latency_ms
        self.options = list(options)  # more `demo-server` options, e.g. --stuck-rate 0.17
        self.api = api
        self.port = free_port()
        self.log: list[Request] = []
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[str] | None = None
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v1"

    def start(self, timeout: float = 60.0) -> DemoServer:
        argv = [
            str(WPE_TUI),
            "demo-server",
            *self.api.server_options(),
            "--port",
            str(self.port),
            "--sites",
            str(self.site_count),
            "--latency-ms",
            f"{self.latency_ms:g}",
            *self.options,
            "--access-log",
        ]
        # What it says on stderr, to explain a server that would not start.
        with tempfile.TemporaryFile(mode="w+") as errors:
            self._proc = subprocess.Popen(
                argv,
                stdout=subprocess.PIPE,
                stderr=errors,
                stdin=subprocess.DEVNULL,
                text=True,
                bufsize=1,
                env=base_env(),
            )
            self._thread = threading.Thread(
                target=self._read_log, args=(self._proc.stdout,), name="access-log", daemon=True
            )
            self._thread.start()
            self._wait_started(argv, errors, time.time() + timeout)
        return self

    def _wait_started(self, argv: list[str], errors: IO[str], deadline: float) -> None:
        assert self._proc is not None
        with self.client() as client:
            while True:
                try:
                    params = self.api.site_page(1, 1)
                    if client.get("/sites", params=params).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                code = self._proc.poll()
                if code is not None:
                    errors.seek(0)
                    said = errors.read().strip()
                    self._proc = None
                    if code == 2:  # a usage error: this build cannot serve what was asked
                        raise Skipped(said or f"demo-server refused {' '.join(argv[1:])}")
                    raise RuntimeError(f"demo-server on port {self.port} exited: {said}")
                if time.time() > deadline:
                    self.stop()
                    raise RuntimeError(f"demo-server on port {self.port} did not start")
                time.sleep(0.05)

    def _read_log(self, stdout: IO[str] | None) -> None:
        assert stdout is not None
        for line in stdout:
            match = _LINE.match(line.strip())
            if match is None:
                continue
            request = Request(
                arrived=datetime.fromisoformat(match["at"]).timestamp(),
                method=match["method"],
                target=match["target"],
                status=match["status"],
                seconds=float(match["ms"]) / 1000,
            )
            with self._lock:
                self.log.append(request)

    def requests(
        self, since: float, until: float | None = None, *, path: str | None = None
    ) -> list[Request]:
        """Requests that arrived in [since, until], optionally only those under `path`."""
        with self._lock:
            found = [r for r in self.log if r.arrived >= since]
        if until is not None:
            found = [r for r in found if r.arrived <= until]
        if path is not None:
            found = [r for r in found if r.path.startswith(path)]
        return found

    def wait_quiet(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until no request has been logged for `quiet` seconds."""
        deadline = time.time() + timeout
        seen = -1
        while time.time() < deadline:
            with self._lock:
                count = len(self.log)
            if count == seen:
                return
            seen = count
            time.sleep(quiet)

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, headers=self.api.headers(), timeout=30.0)

    def get(self, path: str, **params: Any) -> Any:
        with self.client() as client:
            response = client.get(path, params=params)
            response.raise_for_status()
            return response.json()

    def post(self, path: str, body: dict[str, Any]) -> Any:
        with self.client() as client:
            response = client.post(path, json=body)
            response.raise_for_status()
            return response.json()

    def site_names(self, page: int = 1, per_page: int = 50) -> list[str]:
        """Names in the order the app lists them (sort by name, ascending)."""
        return [site["name"] for site in self.sites(page, per_page)]

    def sites(self, page: int = 1, per_page: int = 50) -> list[dict[str, Any]]:
        return self.api.results(self.get("/sites", **self.api.site_page(page, per_page)))[0]

    def total_sites(self) -> int:
        return self.api.results(self.get("/sites", **self.api.site_page(1, 1)))[1]

    def control(self, name: str, **params: Any) -> Any:
        """POST one of the demo server's test controls (`/__fake__/<name>`)."""
        with httpx.Client(base_url=self.origin, timeout=10.0) as client:
            response = client.post(f"/__fake__/{name}", params=params)
            response.raise_for_status()
            return response.json()

    def stop(self) -> None:
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # how a user stops it: ctrl+c
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        if self._thread is not None:
            self._thread.join(timeout=2)
        self._proc = None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
