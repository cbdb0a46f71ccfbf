"""The command line: errors as sentences, never a traceback, never the key."""

from __future__ import annotations

import contextlib
import importlib.util
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from wpe_tui import __version__
from wpe_tui.cli import build_parser

AUTH = {"Authorization": "ApiKey cli-test"}
DEMO_OPTIONS = (
    "--api",
    "--host",
    "--port",
    "--access-log",
    "--sites",
    "--stuck-rate",
    "--odd-status-rate",
    "--bad-record-rate",
    "--backup-seconds",
    "--latency-ms",
    "--write-latency-ms",
    "--fail-rate",
    "--rate-limit-rate",
    "--retry-after",
)


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wpe_tui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"wpe-tui {__version__}"


def test_help_names_every_option() -> None:
    result = run("--help")
    for option in ("--demo", "--profile", "--api-url", "--read-only", "--version", "demo-server"):
        assert option in result.stdout


def test_broken_config_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "wpe-tui").mkdir()
    (tmp_path / "wpe-tui" / "config.toml").write_text("[ui]\npage_size = = 3\n")
    env = {"XDG_CONFIG_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = run(env=env)
    assert result.returncode == 2
    assert "config.toml" in result.stderr and "line 2" in result.stderr
    assert "Traceback" not in result.stderr


def test_insecure_url_is_refused_without_showing_the_key(tmp_path: Path) -> None:
    env = {
        "XDG_CONFIG_HOME": str(tmp_path),
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "WPE_API_KEY": "s3cret-key-value",
        "WPE_API_URL": "http://example.com/v1",
    }
    result = run(env=env)
    assert result.returncode == 2
    assert "plain http" in result.stderr
    assert "s3cret-key-value" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_demo_server_refuses_a_public_host() -> None:
    result = run("demo-server", "--host", "0.0.0.0")
    assert result.returncode == 2
    assert "loopback" in result.stderr


# -- demo-server ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def demo_server(*options: str) -> Iterator[tuple[httpx.Client, list[str]]]:
    """`wpe-tui demo-server` with these options; yields a client and, once it has
    stopped, its stdout lines (the list is filled after the block)."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "wpe_tui", "demo-server", "--port", str(port), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=AUTH) as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    client.get("/__fake__/stats")
                    break
                except httpx.TransportError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            yield client, lines
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
        lines += out.splitlines()
        assert "Traceback" not in err


def test_demo_server_help_names_every_option_and_the_controls() -> None:
    result = run("demo-server", "--help")
    assert result.returncode == 0
    for option in DEMO_OPTIONS:
        assert option in result.stdout
    assert "/__fake__/rate-limit?next=N&retry_after=S" in result.stdout
    assert "/__fake__/stats" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_demo_server_options_parse() -> None:
    args = build_parser().parse_args(
        shlex.split(
            "demo-server --stuck-rate 0.17 --odd-status-rate 0.05 --bad-record-rate 0.01 "
            "--backup-seconds 900 --write-latency-ms 2500 --rate-limit-rate 0.1 "
            "--retry-after 20 --api customer"
        )
    )
    assert (args.stuck_rate, args.odd_status_rate, args.bad_record_rate) == (0.17, 0.05, 0.01)
    assert (args.backup_seconds, args.write_latency_ms) == (900, 2500)
    assert (args.rate_limit_rate, args.retry_after, args.api) == (0.1, 20, "customer")
    defaults = build_parser().parse_args(["demo-server"])
    assert (defaults.stuck_rate, defaults.backup_seconds, defaults.retry_after) == (0, None, 1)
    assert (defaults.api, defaults.write_latency_ms, defaults.access_log) == ("customer", 0, False)


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--stuck-rate", "1.5"], "--stuck-rate"),
        (["--odd-status-rate", "-1"], "--odd-status-rate"),
        (["--bad-record-rate", "2"], "--bad-record-rate"),
        (["--rate-limit-rate", "7"], "--rate-limit-rate"),
        (["--backup-seconds", "0"], "--backup-seconds"),
        (["--write-latency-ms", "-5"], "--write-latency-ms"),
        (["--retry-after", "inf"], "--retry-after"),
        (["--sites", "-1"], "--sites"),
    ],
)
def test_demo_server_refuses_bad_options_in_one_sentence(options: list[str], named: str) -> None:
    result = run("demo-server", *options)
    assert result.returncode == 2
    assert named in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(
    importlib.util.find_spec("wpe_tui.fake.platform") is not None,
    reason="the Hosting Platform API fake is in this build",
)
def test_demo_server_platform_without_its_fake_is_one_sentence() -> None:
    result = run("demo-server", "--api", "platform")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "wpe-tui: this build has no fake of the Hosting Platform API yet; use --api customer"
    )


def test_the_platform_demo_server_has_the_test_controls_too() -> None:
    with demo_server("--api", "platform", "--sites", "5") as (client, _):
        queued = client.post("/__fake__/rate-limit", params={"next": 1, "retry_after": 7})
        basic = ("any-user", "any-password")
        limited = client.get("/v1/sites", auth=basic)
        after = client.get("/v1/sites", auth=basic)
        stats = client.get("/__fake__/stats").json()
    assert queued.status_code == 200
    assert (limited.status_code, limited.headers["retry-after"]) == (429, "7")
    assert after.status_code == 200 and after.json()["count"] == 5
    assert stats["by_status"]["429"] == 1


def test_demo_server_serves_an_unkind_account_with_an_access_log() -> None:
    options = ["--sites", "30", "--stuck-rate", "1", "--backup-seconds", "42", "--access-log"]
    with demo_server(*options) as (client, log):
        stuck = client.get("/v1/sites", params={"status": "provisioning"}).json()
        created = client.post("/v1/sites/site_10001/backups", json={}).json()
        queued = client.post("/__fake__/rate-limit", params={"next": 1, "retry_after": 7})
        limited = client.get("/v1/sites")
        after = client.get("/v1/sites")
    # All but the first site (always active) and the newest (done after 30 s).
    assert stuck["pagination"]["total"] == 29
    started = datetime.fromisoformat(created["created_at"])
    done = datetime.fromisoformat(created["estimated_completion_time"])
    assert (done - started).total_seconds() == 42
    assert queued.status_code == 200
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "7")
    assert after.status_code == 200
    requests = [line.split(" ", 1)[1] for line in log if line.startswith("20")]
    assert any(r.startswith("GET /v1/sites?status=provisioning 200 ") for r in requests)
    assert any(r.startswith("POST /v1/sites/site_10001/backups 201 ") for r in requests)
    assert any(r.startswith("GET /v1/sites 429 ") for r in requests)


def test_demo_server_rate_limits_and_delays_writes() -> None:
    options = ["--sites", "5", "--rate-limit-rate", "1", "--retry-after", "3"]
    with demo_server(*options, "--write-latency-ms", "1500") as (client, _):
        limited = client.get("/v1/sites")
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "3")
    with demo_server("--sites", "5", "--write-latency-ms", "1500") as (client, _):
        with pytest.raises(httpx.ReadTimeout):
            client.post("/v1/sites/site_10002/backups", json={}, timeout=httpx.Timeout(5, read=0.3))
        backups = client.get("/v1/sites/site_10002/backups", params={"status": "in_progress"})
    assert backups.json()["pagination"]["total"] == 1
