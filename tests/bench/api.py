"""Which API the benchmark runs against: the Customer API (the default) or the
Hosting Platform API (`wpe-tui demo-server --api platform`, once that fake exists).

Everything the harness asks the server for itself, and everything it reads from the
server's log, goes through here: how a list is paged, how to authenticate, and which
environment makes the app speak that API.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

API_KEY = "bench-key"
API_USER = "bench-user"
API_PASSWORD = "bench-password"


class Skipped(Exception):
    """A scenario that cannot run here (said why, in one sentence)."""


@dataclass(frozen=True)
class BenchApi:
    name: str  # "customer" or "platform"

    @property
    def platform(self) -> bool:
        return self.name == "platform"

    def headers(self) -> dict[str, str]:
        if self.platform:
            token = base64.b64encode(f"{API_USER}:{API_PASSWORD}".encode()).decode()
            return {"Authorization": f"Basic {token}"}
        return {"Authorization": f"ApiKey {API_KEY}"}

    def app_env(self) -> dict[str, str]:
        """What a user's shell gives the app, besides WPE_API_URL."""
        if self.platform:
            return {
                "WPE_API": "platform",
                "WPE_API_USER": API_USER,
                "WPE_API_PASSWORD": API_PASSWORD,
            }
        return {"WPE_API_KEY": API_KEY}

    def server_options(self) -> list[str]:
        return ["--api", "platform"] if self.platform else []

    def site_page(self, page: int, per_page: int) -> dict[str, Any]:
        """Query of one page of sites in the order the app lists them.

        The Customer API sorts by name on the server, as the app asks. The Hosting
        Platform API has no sort: the app is assumed to list sites in the API's order.
        """
        if self.platform:
            return {"limit": per_page, "offset": (page - 1) * per_page}
        return {"page": page, "per_page": per_page, "sort": "name", "order": "asc"}

    def results(self, body: Mapping[str, Any]) -> tuple[list[dict[str, Any]], int]:
        """A list answer's items and the total behind them."""
        items: list[dict[str, Any]] = list(body.get("results") or [])
        if self.platform:
            return items, int(body.get("count") or 0)
        return items, int((body.get("pagination") or {}).get("total") or 0)

    def child_lists(self, site: Mapping[str, Any]) -> list[str]:
        """Paths of the lists whose items can be in flight for this site."""
        if self.platform:
            paths: list[str] = []
            for install in site.get("installs") or []:
                paths += [f"/installs/{install['id']}", f"/installs/{install['id']}/backups"]
            return paths
        return [f"/sites/{site['id']}/backups", f"/sites/{site['id']}/deployments"]

    def first_items(self, count: int) -> dict[str, int]:
        """Query of the first `count` items of a list, in its default order."""
        return {"limit": count} if self.platform else {"per_page": count}

    def covered(self, target: str) -> range | None:
        """The offsets of the site list that a logged request (path and query) asked
        for, or None if it is not a plain page of the site list (a status filter, say)."""
        path, _, query = target.partition("?")
        if path != "/v1/sites":
            return None
        params = dict(parse_qsl(query))
        if params.get("status") or params.get("account_id"):
            return None
        try:
            if self.platform:
                limit = int(params.get("limit", 100))
                offset = int(params.get("offset", 0))
                return range(offset, offset + limit)
            per_page = int(params.get("per_page", 10))
            page = int(params.get("page", 1))
        except ValueError:
            return None
        return range((page - 1) * per_page, page * per_page)


CUSTOMER = BenchApi("customer")
PLATFORM = BenchApi("platform")


def covered_share(api: BenchApi, targets: list[str], total: int) -> float:
    """How much of a site list of `total` the requests' pages cover, 0 to 1."""
    if total <= 0:
        return 1.0
    seen = bytearray(total)
    for target in targets:
        span = api.covered(target)
        if span is not None:
            low, high = max(span.start, 0), min(span.stop, total)
            if high > low:
                seen[low:high] = b"\x01" * (high - low)
    return sum(seen) / total
