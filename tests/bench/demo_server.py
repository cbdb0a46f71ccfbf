"""`wpe-tui demo-server --access-log` in a subprocess, its requests counted from its log."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from tests.bench.paths import WPE_TUI, base_env

API_KEY = "bench-key"
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

    def __init__(self, sites: int, latency_ms: float = 0.0) -> None:
        self.site_count = sites
        self.latency_ms = latency_ms
        self.port = free_port()
        self.log: list[Request] = []
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[str] | None = None
        self._thread: threading.Thread | None = None
        self._stderr_path: Path | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, timeout: float = 60.0) -> DemoServer:
        argv = [
            str(WPE_TUI),
            "demo-server",
            "--port",
            str(self.port),
            "--sites",
            str(self.site_count),
            "--latency-ms",
            f"{self.latency_ms:g}",
            "--access-log",
        ]
        stderr_fd = os.open(os.devnull, os.O_WRONLY)
        try:
            self._proc = subprocess.Popen(
                argv,
                stdout=subprocess.PIPE,
                stderr=stderr_fd,
                stdin=subprocess.DEVNULL,
                text=True,
                bufsize=1,
                env=base_env(),
            )
        finally:
            os.close(stderr_fd)
        self._thread = threading.Thread(target=self._read_log, name="access-log", daemon=True)
        self._thread.start()
        deadline = time.time() + timeout
        with self.client() as client:
            while True:
                try:
                    if client.get("/sites", params={"per_page": 1}).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if self._proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"demo-server on port {self.port} did not start")
                time.sleep(0.05)
        return self

    def _read_log(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for line in self._proc.stdout:
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
        return httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"ApiKey {API_KEY}"},
            timeout=30.0,
        )

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
        body = self.get("/sites", page=page, per_page=per_page, sort="name", order="asc")
        return [site["name"] for site in body["results"]]

    def sites(self, page: int = 1, per_page: int = 50) -> list[dict[str, Any]]:
        body = self.get("/sites", page=page, per_page=per_page, sort="name", order="asc")
        results: list[dict[str, Any]] = body["results"]
        return results

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
