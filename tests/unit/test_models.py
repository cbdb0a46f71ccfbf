"""Every example response of the spec, and drifted variants of them, as a user would see them.

The fixtures in `fixtures/` are the spec's example responses copied verbatim. The
drift tests serve mutated copies through `httpx.MockTransport` (httpx's own test
transport) to the real `WpeClient`, so the whole parsing path is exercised: a
payload either becomes a model or a `DecodeError`, never anything else.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from wpe_tui.api import (
    Backup,
    DecodeError,
    Deletion,
    Deployment,
    DeploymentSource,
    Page,
    Restore,
    Site,
    WpeClient,
    is_final,
    parse_size,
)
from wpe_tui.api.models import FINAL_STATUSES

FIXTURES = Path(__file__).parent / "fixtures"
KEY = "models-test-key"
BASE_URL = "https://api.example.test/v1"


def example(name: str) -> Any:
    """The spec's example response saved as fixtures/<name>.json."""
    return json.loads((FIXTURES / f"{name}.json").read_text())


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


GB = 1024**3
MB = 1024**2

# ---------------------------------------------------------------------------
# The spec's examples parse into what a user sees
# ---------------------------------------------------------------------------


def test_every_example_response_of_the_spec_has_a_fixture() -> None:
    spec = Path("/work/shared/spec/api-endpoints.md")
    if not spec.exists():
        pytest.skip("the spec is not beside the project here")
    count = spec.read_text().count("**Example Response:**")
    assert len(list(FIXTURES.glob("*.json"))) == count == len(ENDPOINTS)


def test_list_sites_example() -> None:
    page = Page[Site].model_validate(example("list_sites"))

    assert [s.id for s in page.results] == ["site_12345", "site_67890"]
    first = page.results[0]
    assert first.name == "My WordPress Site"
    assert first.environment == "production"
    assert first.url == "https://mysite.wpengine.com"
    assert first.status == "active"
    assert is_final(first.status)
    assert first.created_at == utc(2023, 1, 15, 12, 0)
    assert first.created_at is not None and first.created_at.utcoffset() == timedelta(0)
    assert page.results[1].created_at == utc(2023, 2, 20, 14, 30)
    # Fields only the detail view has are simply absent from a list row.
    assert first.disk_usage is None
    assert first.environments == []
    assert page.pagination.total == 15
    assert page.pagination.count == 2
    assert page.pagination.per_page == 2
    assert page.pagination.current_page == 1
    assert page.pagination.total_pages == 8


def test_get_site_example() -> None:
    site = Site.model_validate(example("get_site"))

    assert site.id == "site_12345"
    assert site.php_version == "8.1"
    assert site.wordpress_version == "6.2"
    assert site.updated_at == utc(2023, 3, 10, 9, 45)
    assert site.disk_usage is not None
    assert site.disk_usage.used == 2.5
    assert site.disk_usage.total == 10
    assert site.disk_usage.unit == "GB"
    assert site.disk_usage.percent == 25.0
    assert site.bandwidth is not None
    assert site.bandwidth.current_month == 15.7
    assert site.bandwidth.unit == "GB"
    assert [(e.name, e.url) for e in site.environments] == [
        ("production", "https://mysite.wpengine.com"),
        ("staging", "https://stagingmysite.wpengine.com"),
        ("development", "https://devmysite.wpengine.com"),
    ]


def test_create_site_example_is_in_flight() -> None:
    site = Site.model_validate(example("create_site"))

    assert site.id == "site_54321"
    assert site.name == "New WordPress Site"
    assert site.status == "provisioning"
    assert not is_final(site.status)
    assert site.estimated_completion_time == utc(2023, 4, 1, 10, 45)
    assert site.updated_at is None


def test_update_site_example() -> None:
    site = Site.model_validate(example("update_site"))

    assert site.name == "Updated WordPress Site"
    assert site.php_version == "8.2"
    assert site.updated_at == utc(2023, 4, 1, 11, 30)
    assert is_final(site.status)


def test_delete_site_example() -> None:
    deletion = Deletion.model_validate(example("delete_site"))

    assert deletion.id == "site_12345"
    assert deletion.status == "deleting"
    assert not is_final(deletion.status)
    assert deletion.estimated_completion_time == utc(2023, 4, 1, 12, 15)


def test_list_backups_example() -> None:
    page = Page[Backup].model_validate(example("list_backups"))

    first, second = page.results
    assert first.id == "backup_54321"
    assert first.site_id == "site_12345"
    assert first.description == "Pre-update backup"
    assert first.type == "full"
    assert first.status == "completed"
    assert is_final(first.status)
    assert first.size == "1.2GB"
    assert first.size_bytes == int(1.2 * GB)
    assert second.size_bytes == int(1.1 * GB)
    assert first.completed_at is not None and first.created_at is not None
    assert first.completed_at - first.created_at == timedelta(minutes=15)
    assert page.pagination.total == 10
    assert page.pagination.total_pages == 5


def test_get_backup_example() -> None:
    backup = Backup.model_validate(example("get_backup"))

    assert backup.download_url == (
        "https://wpengineapi.com/v1/sites/site_12345/backups/backup_54321/download"
    )
    assert backup.contents is not None
    assert backup.contents.selected() == ["database", "files", "plugins", "themes"]
    assert backup.size_bytes == int(1.2 * GB)


def test_create_backup_example_is_in_flight() -> None:
    backup = Backup.model_validate(example("create_backup"))

    assert backup.id == "backup_54323"
    assert backup.status == "in_progress"
    assert not is_final(backup.status)
    assert backup.completed_at is None
    assert backup.size is None
    assert backup.size_bytes is None
    assert backup.contents is None
    assert backup.estimated_completion_time == utc(2023, 4, 1, 12, 45)


def test_restore_backup_example() -> None:
    restore = Restore.model_validate(example("restore_backup"))

    assert restore.id == "restore_98765"
    assert restore.backup_id == "backup_54321"
    assert restore.site_id == "site_12345"
    assert restore.environment == "staging"
    assert restore.status == "in_progress"
    assert not is_final(restore.status)
    assert restore.created_at == utc(2023, 4, 1, 13, 30)
    assert restore.contents is not None
    assert restore.contents.selected() == ["database", "files"]
    assert (restore.contents.plugins, restore.contents.themes) == (False, False)


def test_delete_backup_example() -> None:
    deletion = Deletion.model_validate(example("delete_backup"))

    assert deletion.id == "backup_54321"
    assert deletion.status == "deleting"
    assert deletion.estimated_completion_time == utc(2023, 4, 1, 14, 0)


def test_list_deployments_example() -> None:
    page = Page[Deployment].model_validate(example("list_deployments"))

    first, second = page.results
    assert first.id == "deploy_12345"
    assert first.environment == "production"
    assert first.duration == timedelta(minutes=5)
    assert second.duration == timedelta(minutes=4)
    assert first.source is not None and second.source is not None
    assert first.source.describe() == "github.com/username/repo@main (a1b2c3d)"
    assert second.source.describe() == "github.com/username/repo@develop (f6e5d4c)"
    assert page.pagination.total == 8
    assert page.pagination.total_pages == 4


def test_get_deployment_example() -> None:
    deployment = Deployment.model_validate(example("get_deployment"))

    assert deployment.duration == timedelta(minutes=5)
    assert deployment.logs is not None
    lines = deployment.logs.splitlines()
    assert lines[0] == "Deployment started at 2023-03-20T15:30:00Z"
    assert lines[-1] == "Deployment completed at 2023-03-20T15:35:00Z"
    assert len(lines) == 7
    assert deployment.changes is not None
    assert (deployment.changes.added, deployment.changes.modified, deployment.changes.deleted) == (
        5,
        10,
        2,
    )
    assert deployment.source is not None
    assert deployment.source.commit == "a1b2c3d4e5f6"


def test_create_deployment_example_is_in_flight() -> None:
    deployment = Deployment.model_validate(example("create_deployment"))

    assert deployment.status == "in_progress"
    assert not is_final(deployment.status)
    assert deployment.duration is None
    assert deployment.completed_at is None
    assert deployment.estimated_completion_time == utc(2023, 4, 1, 15, 35)
    assert deployment.source is not None
    # No commit yet: the description leaves it out rather than printing "None".
    assert deployment.source.describe() == "github.com/username/repo@develop"


# ---------------------------------------------------------------------------
# Helpers of the models a screen relies on
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.2GB", int(1.2 * GB)),
        ("850MB", 850 * MB),
        ("512 KiB", 512 * 1024),
        ("12 bytes", 12),
        ("2 TB", 2 * 1024**4),
        ("", None),
        (None, None),
        ("unknown", None),
        ("-1GB", None),
    ],
)
def test_parse_size(text: str | None, expected: int | None) -> None:
    assert parse_size(text) == expected


def test_an_absurd_size_is_unknown_rather_than_a_crash() -> None:
    backup = Backup.model_validate({"id": "b", "size": "9" * 400 + "GB"})
    assert backup.size_bytes is None


@given(st.text(alphabet="0123456789.KMGTPiBbytes ", max_size=40) | st.text(max_size=40))
def test_any_size_text_gives_bytes_or_unknown(text: str) -> None:
    size = Backup.model_validate({"id": "b", "size": text}).size_bytes
    assert size is None or size >= 0


@pytest.mark.parametrize(
    ("source", "described"),
    [
        (
            {"type": "zip", "zip_url": "https://example.com/site.zip"},
            "https://example.com/site.zip",
        ),
        ({"zip_url": "https://example.com/a.zip"}, "https://example.com/a.zip"),
        ({"type": "git", "repository": "github.com/u/r"}, "github.com/u/r@?"),
        ({"type": "git"}, "git"),
        ({}, "—"),
    ],
)
def test_source_describe_for_partial_sources(source: dict[str, str], described: str) -> None:
    assert DeploymentSource.model_validate(source).describe() == described


def test_disk_usage_percent_is_unknown_without_a_quota() -> None:
    site = Site.model_validate({"id": "s", "disk_usage": {"used": 3, "total": 0}})
    assert site.disk_usage is not None and site.disk_usage.percent is None
    site = Site.model_validate({"id": "s", "disk_usage": {"used": None, "total": 10}})
    assert site.disk_usage is not None and site.disk_usage.percent is None


def test_naive_and_offset_timestamps_become_aware_utc_instants() -> None:
    naive = Site.model_validate({"id": "s", "created_at": "2023-01-15T12:00:00"})
    offset = Site.model_validate({"id": "s", "created_at": "2023-01-15T14:00:00+02:00"})

    assert naive.created_at == utc(2023, 1, 15, 12, 0)
    assert naive.created_at is not None and naive.created_at.tzinfo is not None
    assert offset.created_at == utc(2023, 1, 15, 12, 0)
    assert offset.created_at is not None
    assert offset.created_at.utcoffset() == timezone(timedelta(hours=2)).utcoffset(None)


def test_duration_across_a_naive_and_an_aware_timestamp() -> None:
    deployment = Deployment.model_validate(
        {"id": "d", "created_at": "2023-03-20T15:30:00", "completed_at": "2023-03-20T15:35:00Z"}
    )
    assert deployment.duration == timedelta(minutes=5)


def test_null_name_and_description_show_as_empty_text() -> None:
    assert Site.model_validate({"id": "s", "name": None}).name == ""
    assert Backup.model_validate({"id": "b", "description": None}).description == ""


def test_is_final() -> None:
    assert is_final("completed")
    assert is_final("Active")
    assert not is_final("in_progress")
    assert not is_final("provisioning")
    assert not is_final("deleting")
    assert not is_final("migrating_to_mars")
    assert not is_final(None)


# ---------------------------------------------------------------------------
# Drift, served through the real client over httpx.MockTransport
# ---------------------------------------------------------------------------

Call = Callable[[WpeClient], Awaitable[BaseModel]]

# fixture name -> (the model it must become, the client call that receives it)
ENDPOINTS: dict[str, tuple[type[BaseModel], Call]] = {
    "list_sites": (Page[Site], lambda c: c.list_sites()),
    "get_site": (Site, lambda c: c.get_site("site_12345")),
    "create_site": (Site, lambda c: c.create_site("New WordPress Site")),
    "update_site": (Site, lambda c: c.update_site("site_12345", name="Updated")),
    "delete_site": (Deletion, lambda c: c.delete_site("site_12345")),
    "list_backups": (Page[Backup], lambda c: c.list_backups("site_12345")),
    "get_backup": (Backup, lambda c: c.get_backup("site_12345", "backup_54321")),
    "create_backup": (Backup, lambda c: c.create_backup("site_12345")),
    "restore_backup": (Restore, lambda c: c.restore_backup("site_12345", "backup_54321")),
    "delete_backup": (Deletion, lambda c: c.delete_backup("site_12345", "backup_54321")),
    "list_deployments": (Page[Deployment], lambda c: c.list_deployments("site_12345")),
    "get_deployment": (Deployment, lambda c: c.get_deployment("site_12345", "deploy_12345")),
    "create_deployment": (
        Deployment,
        lambda c: c.create_deployment(
            "site_12345",
            environment="staging",
            source={"type": "git", "repository": "github.com/u/r", "branch": "develop"},
        ),
    ),
}
EXAMPLES = {name: example(name) for name in ENDPOINTS}


async def _serve(payload: Any, call: Call) -> BaseModel:
    """Answer every request with `payload` (200, JSON) and run `call` on a real client."""

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.dumps(payload).encode()  # json=None would send an empty body, not null
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    async with WpeClient(KEY, BASE_URL, transport=httpx.MockTransport(handler)) as client:
        return await call(client)


def serve(payload: Any, call: Call) -> BaseModel:
    return asyncio.run(_serve(payload, call))


def outcome(payload: Any, call: Call) -> BaseModel | DecodeError:
    try:
        return serve(payload, call)
    except DecodeError as error:
        return error


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
async def test_each_example_served_by_the_client_parses_into_its_model(name: str) -> None:
    model, call = ENDPOINTS[name]
    result = await _serve(EXAMPLES[name], call)
    assert type(result) is model
    assert result == model.model_validate(EXAMPLES[name])


def _paths(value: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every location inside a JSON value, the root included."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _parent(root: Any, path: tuple[str | int, ...]) -> Any:
    node = root
    for part in path[:-1]:
        node = node[part]
    return node


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**40), max_value=2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
MUTATIONS = ("remove", "null", "extra", "wrong_type", "status")


@st.composite
def drifted(draw: st.DrawFn) -> tuple[str, Any]:
    """An example response with a few random mutations applied to it."""
    name = draw(st.sampled_from(sorted(ENDPOINTS)))
    payload = copy.deepcopy(EXAMPLES[name])
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(MUTATIONS))
        locations = list(_paths(payload))
        if kind == "status":
            rows = payload.get("results") if isinstance(payload, dict) else None
            targets = [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []
            if isinstance(payload, dict):
                targets.append(payload)
            if targets:
                draw(st.sampled_from(targets))["status"] = draw(st.text(max_size=30))
            continue
        if kind == "extra":
            dicts = [p for p in locations if isinstance(_get(payload, p), dict)]
            if dicts:
                target = _get(payload, draw(st.sampled_from(dicts)))
                target["x_" + draw(st.text(max_size=10))] = draw(json_values)
            continue
        inner = [p for p in locations if p]
        if not inner:
            payload = None if kind == "null" else draw(json_values)
            continue
        where = draw(st.sampled_from(inner))
        parent = _parent(payload, where)
        if kind == "remove":
            del parent[where[-1]]
        elif kind == "null":
            parent[where[-1]] = None
        else:
            parent[where[-1]] = draw(json_values)
    return name, payload


def _get(root: Any, path: tuple[str | int, ...]) -> Any:
    node = root
    for part in path:
        node = node[part]
    return node


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drifted())
def test_drifted_payloads_parse_or_raise_decode_error(case: tuple[str, Any]) -> None:
    name, payload = case
    model, call = ENDPOINTS[name]
    result = outcome(payload, call)
    if isinstance(result, DecodeError):
        assert result.message.startswith("Unexpected response shape")
    else:
        assert type(result) is model


def _unknown_status() -> st.SearchStrategy[str]:
    return st.text(min_size=1, max_size=30).filter(lambda s: s.lower() not in FINAL_STATUSES)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(ENDPOINTS)), _unknown_status())
def test_an_unknown_status_is_kept_verbatim_and_shown_as_in_flight(name: str, status: str) -> None:
    _, call = ENDPOINTS[name]
    payload = copy.deepcopy(EXAMPLES[name])
    rows = payload.get("results", [payload])
    for row in rows:
        row["status"] = status

    result = serve(payload, call)

    items: list[Any] = list(result.results) if isinstance(result, Page) else [result]
    assert items
    for item in items:
        assert item.status == status
        assert not is_final(item.status)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(ENDPOINTS)), json_values, st.text(min_size=1, max_size=12))
def test_unknown_fields_change_nothing(name: str, value: Any, field: str) -> None:
    model, call = ENDPOINTS[name]
    payload = copy.deepcopy(EXAMPLES[name])
    assume(field not in payload)
    payload[field] = value
    for row in payload.get("results", []):
        row["x_" + field] = value

    assert serve(payload, call) == model.model_validate(EXAMPLES[name])


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("list_sites", []),
        ("list_sites", {"results": {"id": "site_1"}}),
        ("get_site", None),
        ("get_site", "site_12345"),
        ("get_site", {"id": "s", "created_at": "last tuesday"}),
        ("get_site", {"id": "s", "disk_usage": "2.5 of 10 GB"}),
        ("get_backup", {"id": "b", "contents": {"database": "maybe"}}),
        ("list_deployments", {"results": [], "pagination": {"total": "many"}}),
        ("get_deployment", {"id": "d", "source": ["git"]}),
    ],
)
def test_shapes_that_cannot_be_shown_raise_decode_error(name: str, payload: Any) -> None:
    _, call = ENDPOINTS[name]
    with pytest.raises(DecodeError) as caught:
        serve(payload, call)
    assert KEY not in str(caught.value)
    assert KEY not in repr(caught.value)


@pytest.mark.parametrize(
    ("name", "drop"),
    [("get_site", "disk_usage"), ("get_backup", "size"), ("get_deployment", "source")],
)
def test_missing_optional_fields_show_as_unknown(name: str, drop: str) -> None:
    _, call = ENDPOINTS[name]
    payload = copy.deepcopy(EXAMPLES[name])
    del payload[drop]
    payload["status"] = None

    result = serve(payload, call)

    assert getattr(result, drop) is None
    assert result.status is None  # type: ignore[attr-defined]
    assert not is_final(result.status)  # type: ignore[attr-defined]


def test_null_results_is_an_empty_page() -> None:
    payload = {"results": None, "pagination": example("list_sites")["pagination"]}
    page = serve(payload, ENDPOINTS["list_sites"][1])
    assert isinstance(page, Page)
    assert page.results == []
    assert page.pagination.total == 15


def test_missing_pagination_defaults_to_a_single_page() -> None:
    page = serve({"results": [{"id": "site_1"}]}, ENDPOINTS["list_sites"][1])
    assert isinstance(page, Page)
    assert [s.id for s in page.results] == ["site_1"]
    assert page.pagination.current_page == 1


def test_numeric_ids_are_read_as_text() -> None:
    site = serve({"id": 12345, "name": 2024}, ENDPOINTS["get_site"][1])
    assert isinstance(site, Site)
    assert (site.id, site.name) == ("12345", "2024")
