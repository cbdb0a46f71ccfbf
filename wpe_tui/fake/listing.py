"""Pages of a list endpoint: its parameters, the pagination envelope and child lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wpe_tui.fake.records import JSON, BackupRecord, DeploymentRecord

Spoil = Callable[[JSON], JSON]  # a list entry, or a copy that does not parse (see world.py)

GONE = "gone"  # a status that is never shown: the item is deleted


@dataclass(frozen=True)
class ListParams:
    page: int = 1
    per_page: int = 10
    sort: str = "created_at"
    order: str = "asc"
    status: str | None = None


def paginate(items: Sequence[Any], params: ListParams) -> tuple[Sequence[Any], JSON]:
    total = len(items)
    start = (params.page - 1) * params.per_page
    chunk = items[start : start + params.per_page]
    pagination = {
        "total": total,
        "count": len(chunk),
        "per_page": params.per_page,
        "current_page": params.page,
        "total_pages": -(-total // params.per_page),
    }
    return chunk, pagination


def list_rows(
    rows: list[tuple[BackupRecord, str]] | list[tuple[DeploymentRecord, str]],
    params: ListParams,
    now: datetime,
    spoil: Spoil,
) -> JSON:
    """One page of a site's backups or deployments, given each with its status now."""
    live: list[tuple[Any, str]] = [row for row in rows if row[1] != GONE]
    if params.status is not None:
        live = [row for row in live if row[1] == params.status]
    # Ties break by id (sequence order) so every page is stable.
    if params.sort == "status":
        live.sort(key=lambda row: (row[1], row[0].created_at, row[0].id))
    else:
        live.sort(key=lambda row: (row[0].created_at, row[0].id))
    if params.order == "desc":
        live.reverse()
    chunk, pagination = paginate(live, params)
    results = [spoil(record.summary(now)) for record, _ in chunk]
    return {"results": results, "pagination": pagination}
