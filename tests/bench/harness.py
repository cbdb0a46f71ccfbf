"""What every scenario shares: the `Bench` (how to start the app, the floor and a
server), what the screen must show, and the helpers that open a site.

Every run starts the real `wpe-tui` console script in a fresh pseudo-terminal, with
no config file and the key and URL in the environment, as a user's shell would.
Nothing in the app knows it is being measured.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.bench.api import CUSTOMER, BenchApi, Skipped
from tests.bench.demo_server import DemoServer, Request
from tests.bench.paths import FLOOR_APP, PYTHON, WPE_TUI, app_env
from tests.bench.terminal import Predicate, Terminal
from wpe_tui.api import is_final
from wpe_tui.config import UiPrefs

LOADING = "loading…"
REFRESH_INTERVAL = UiPrefs().refresh_interval  # the default a user gets
PAGE_SIZE = UiPrefs().page_size


@dataclass
class Bench:
    runs: int  # runs behind each quick figure
    idle_runs: int
    idle_seconds: float
    presses: int  # key presses per responsiveness run
    home: Path  # HOME and XDG_* of every program started: empty, so no config is read
    columns: int = 80
    lines: int = 24
    app_path: Path | None = None  # a patched copy of wpe_tui to run instead (before/after)
    api: BenchApi = CUSTOMER
    quick: bool = False
    scale_runs: int = 3  # runs of each account-scale figure (scenario 6)

    def say(self, text: str) -> None:
        print(f"  {text}", file=sys.stderr, flush=True)

    def server(
        self, sites: int, latency_ms: float = 0.0, options: Sequence[str] = ()
    ) -> DemoServer:
        return DemoServer(sites, latency_ms, options=options, api=self.api)

    def customer_only(self) -> None:
        """For scenarios that need the Customer API's server-side sort or its lists."""
        if self.api.platform:
            raise Skipped("it needs the Customer API (sort by name, backup and deployment lists)")

    def app(self, server: DemoServer) -> Terminal:
        env = app_env(server.base_url, self.home, self.api.app_env())
        if self.app_path is not None:
            env["PYTHONPATH"] = str(self.app_path)
        return Terminal([str(WPE_TUI)], env, columns=self.columns, lines=self.lines)

    def floor(self, server: DemoServer) -> Terminal:
        env = app_env(server.base_url, self.home, self.api.app_env())
        return Terminal([str(PYTHON), str(FLOOR_APP)], env, columns=self.columns, lines=self.lines)

    def warm_up(
        self, start: Callable[[DemoServer], Terminal], server: DemoServer, shown: Predicate
    ) -> None:
        """One uncounted start: the OS caches the files, Python its bytecode."""
        term = start(server)
        try:
            term.wait_for(shown, what="the first page of sites (warm-up)")
        finally:
            term.close()

    @property
    def visible_rows(self) -> int:
        """Rows of sites both the app and the floor show at this terminal size."""
        return self.lines - 5

    @property
    def body(self) -> tuple[int, int]:
        """First and last screen line of the site list's rows (title, header above; footer)."""
        return 2, self.lines - 2


# -- predicates ------------------------------------------------------------------------


def names_shown(names: Sequence[str]) -> Predicate:
    """Every name (its first 12 characters: columns truncate) on screen, nothing loading."""
    needles = [name[:12] for name in names]

    def check(term: Terminal) -> bool:
        text = term.text
        return LOADING not in text and all(needle in text for needle in needles)

    return check


def cursor_on(bg: str, y: int, body: tuple[int, int]) -> Predicate:
    def check(term: Terminal) -> bool:
        return term.rows_with_background(bg, *body) == [y]

    return check


_PHP = re.compile(r"PHP \d")
_DISK = re.compile(r"\(\d+ %\)")


def overview_ready(term: Terminal) -> bool:
    """The site's own GET is in: versions, environments and disk usage."""
    text = term.text
    return bool(_PHP.search(text) and _DISK.search(text)) and "production " in text


def _table_ready(prefix: str) -> Predicate:
    def check(term: Terminal) -> bool:
        lines = term.display
        return LOADING not in term.text and any(line.startswith(prefix) for line in lines)

    return check


TAB_READY: dict[str, Predicate] = {
    "1": overview_ready,
    "2": _table_ready("backup_"),
    "3": _table_ready("deploy_"),
}


def detail_shown(term: Terminal) -> bool:
    return "sites ›" in term.text


# -- helpers ---------------------------------------------------------------------------


def first_list_request(server: DemoServer, since: float, until: float) -> Request | None:
    deadline = time.time() + 2
    while True:
        for request in server.requests(since, until, path="/v1/sites"):
            if request.path == "/v1/sites" and request.method == "GET":
                return request
        if time.time() > deadline:
            return None
        time.sleep(0.02)


def open_site(bench: Bench, term: Terminal, index: int) -> float:
    """Move the cursor to the index-th row of the first screen and press enter."""
    bg = term.background(bench.body[0])
    if index:
        sent = term.press("j" * index)
        term.wait_for(cursor_on(bg, bench.body[0] + index, bench.body), after=sent)
    return term.press("enter")


def eta(body: dict[str, Any]) -> float:
    return datetime.fromisoformat(body["estimated_completion_time"]).timestamp()


def settled(server: DemoServer, site: dict[str, Any]) -> bool:
    """Nothing of this site is in progress (so its detail screen has nothing to poll)."""
    api = server.api
    if not api.platform and not is_final(site.get("status")):
        return False
    for path in api.child_lists(site):
        one_item = api.platform and not path.endswith("/backups")  # an install
        body = server.get(path) if one_item else server.get(path, **api.first_items(100))
        if "results" not in body:  # one item (an install): its own status
            if not is_final(body.get("status")):
                return False
            continue
        items, total = api.results(body)
        if total > len(items) or not all(is_final(item.get("status")) for item in items):
            return False
    return True


def enter_and_load(
    bench: Bench, term: Terminal, server: DemoServer, site: dict[str, Any], index: int
) -> float:
    """Open the site; return when its overview is on screen and both lists are answered."""
    pressed = open_site(bench, term, index)
    wait_loaded(term, server, site, pressed)
    return pressed


def wait_loaded(term: Terminal, server: DemoServer, site: dict[str, Any], pressed: float) -> None:
    """After enter on a site: its overview is on screen and both lists are answered."""
    if server.api.platform:  # its detail screen is another app's: wait for the requests
        term.wait_for(detail_shown, after=pressed, what=f"the detail of {site['name']}")
        time.sleep(0.5)
        server.wait_quiet(0.5)
        return
    term.wait_for(overview_ready, after=pressed, what=f"the overview of {site['name']}")
    deadline = time.time() + 10
    while time.time() < deadline:
        paths = {r.path for r in server.requests(pressed)}
        if {f"/v1/sites/{site['id']}/backups", f"/v1/sites/{site['id']}/deployments"} <= paths:
            break
        time.sleep(0.05)
