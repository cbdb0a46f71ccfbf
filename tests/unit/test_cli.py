"""The command line: errors as sentences, never a traceback, never the key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from wpe_tui import __version__


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
