"""Where the programs under test are, and the environment they run in."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent.parent
PYTHON = Path(sys.executable)
WPE_TUI = PYTHON.parent / "wpe-tui"  # the console script pip installed: what users run
FLOOR_APP = BENCH_DIR / "floor_app.py"
FLOOR_TABS_APP = BENCH_DIR / "floor_tabs_app.py"


def base_env() -> dict[str, str]:
    """A small, fixed environment: nothing of the caller's terminal or config leaks in."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "xterm-256color",
    }
    for name in ("TMPDIR",):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def app_env(base_url: str, home: Path, api: Mapping[str, str]) -> dict[str, str]:
    """What a user's shell gives the app: the API's credentials and URL in the
    environment (`BenchApi.app_env`), no config file, and a state file of its own
    each start: what one run remembers (the last tab, a sort order) would change
    what the next one measures."""
    env = base_env()
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_STATE_HOME=tempfile.mkdtemp(prefix="state-", dir=home),
        WPE_API_URL=base_url,
        **api,
    )
    return env
