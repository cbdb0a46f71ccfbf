"""Every answer of the fake Hosting Platform API validates against its Swagger file.

The definitions and the operations the app uses are copied from
hosting-platform-api-1.17.0.json into tests/fixtures/platform-swagger-definitions.json,
so the check runs on any clone. A small Swagger 2.0 validator (type, properties,
required, items, enum, $ref, allOf, formats date-time, uuid and int64, and
``x-nullable``: a null is valid only where the file says so) checks each body against
the schema the file gives for that operation and status.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fixtures.platform import new_account
from wpe_tui.fake.platform import PlatformAccount, create_platform_app

FIXTURE = Path(__file__).parents[1] / "fixtures" / "platform-swagger-definitions.json"
SWAGGER = json.loads(FIXTURE.read_text())
DEFINITIONS: dict[str, Any] = SWAGGER["definitions"]
OPERATIONS: dict[str, Any] = SWAGGER["operations"]
# Where the file declares no answer for a status, the body is checked against these.
FALLBACK = {
    400: "BadRequestErrorResponse",
    401: "AuthenticationErrorResponse",
    403: "ForbiddenErrorResponse",
    404: "NotFoundErrorResponse",
    500: "InternalServerErrorResponse",
}
_INT64 = re.compile(r"[+-]?\d{1,19}")


# -- the validator ------------------------------------------------------------------


def _resolve(schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The schema behind any $ref, and whether a null is allowed on the way to it."""
    nullable = schema.get("x-nullable") is True
    while "$ref" in schema:
        schema = DEFINITIONS[schema["$ref"].rsplit("/", 1)[-1]]
        nullable = nullable or schema.get("x-nullable") is True
    return schema, nullable


def _string_format(value: str, fmt: str | None, where: str) -> list[str]:
    try:
        if fmt == "date-time":
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        elif fmt == "uuid":
            uuid.UUID(value)
        elif fmt == "int64" and not _INT64.fullmatch(value):
            raise ValueError
    except ValueError:
        return [f"{where}: {value!r} is not a {fmt}"]
    return []


def validate(value: Any, schema: dict[str, Any], where: str = "body") -> list[str]:
    """Every way ``value`` breaks ``schema`` (an empty list when it fits)."""
    schema, nullable = _resolve(schema)
    if value is None:
        return [] if nullable else [f"{where}: null, and x-nullable is not set"]
    problems: list[str] = []
    for part in schema.get("allOf", []):
        problems += validate(value, part, where)
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} is not one of {schema['enum']}")
    kind = schema.get("type") or ("object" if "properties" in schema else None)
    if kind == "string":
        if not isinstance(value, str):
            return [*problems, f"{where}: {value!r} is not a string"]
        problems += _string_format(value, schema.get("format"), where)
    elif kind == "integer" and (not isinstance(value, int) or isinstance(value, bool)):
        problems.append(f"{where}: {value!r} is not an integer")
    elif kind == "number" and (not isinstance(value, int | float) or isinstance(value, bool)):
        problems.append(f"{where}: {value!r} is not a number")
    elif kind == "boolean" and not isinstance(value, bool):
        problems.append(f"{where}: {value!r} is not a boolean")
    elif kind == "array":
        if not isinstance(value, list):
            return [*problems, f"{where}: {value!r} is not an array"]
        for n, item in enumerate(value):
            problems += validate(item, schema.get("items", {}), f"{where}[{n}]")
    elif kind == "object":
        if not isinstance(value, dict):
            return [*problems, f"{where}: {value!r} is not an object"]
        problems += [f"{where}.{k}: required" for k in schema.get("required", []) if k not in value]
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                problems += validate(value[name], sub, f"{where}.{name}")
    return problems


def answer_schema(operation: str, status: int) -> tuple[dict[str, Any] | None, bool]:
    """The schema of this answer (None: the file gives none), and whether the file
    declares the status for the operation."""
    responses = OPERATIONS[operation]["responses"]
    declared = responses.get(str(status))
    if declared is None and "default" in responses and status >= 400:
        declared = responses["default"]
    if declared is None:
        name = FALLBACK.get(status)
        return ({"$ref": f"#/definitions/{name}"} if name else None), False
    if "schema" not in declared and "$ref" in declared:
        declared = _resolve(declared)[0]
    return declared.get("schema"), True


# -- the validator's own behaviour ---------------------------------------------------


def test_a_null_is_valid_only_where_x_nullable_says_so() -> None:
    backup = {"id": str(uuid.uuid4()), "status": "completed", "description": None}

    assert validate(backup, {"$ref": "#/definitions/Backup"}) == []
    assert validate({**backup, "status": None}, {"$ref": "#/definitions/Backup"}) != []
    assert (
        validate(
            {"count": 1, "next": None}, {"properties": {"next": {"$ref": "#/definitions/NextPage"}}}
        )
        == []
    )
    site = {"id": str(uuid.uuid4()), "name": "x", "account": {"id": str(uuid.uuid4())}}
    assert validate({**site, "group_name": None}, {"$ref": "#/definitions/Site"}) == []
    assert validate({**site, "tags": None}, {"$ref": "#/definitions/Site"}) != []


def test_the_validator_catches_missing_fields_wrong_types_enums_and_formats() -> None:
    def problems(body: dict[str, Any]) -> list[str]:
        return validate(body, {"$ref": "#/definitions/Installation"})

    good = {
        "id": str(uuid.uuid4()),
        "name": "mysite",
        "account": {"id": str(uuid.uuid4())},
        "php_version": "8.2",
        "status": "active",
        "created_at": "2024-01-01T00:00:00.000Z",
    }
    assert problems(good) == []
    assert problems({k: v for k, v in good.items() if k != "php_version"}) == [
        "body.php_version: required"
    ]
    assert problems({**good, "status": "initiated"}) != []
    assert problems({**good, "created_at": "yesterday"}) != []
    assert problems({**good, "id": "site-1"}) != []
    assert problems({**good, "is_multisite": "no"}) != []
    counters = {"$ref": "#/definitions/DailyUsageMetrics"}
    assert validate({"storage_file_bytes": "123"}, counters) == []
    assert validate({"storage_file_bytes": 123}, counters) != []  # int64 travels as a string
    assert validate({"storage_file_bytes": "12 GB"}, counters) != []


def test_the_fixture_is_a_faithful_copy_of_the_swagger_file() -> None:
    here = Path(__file__).resolve()
    candidates = [p / "shared/spec/hosting-platform-api-1.17.0.json" for p in here.parents]
    spec_file = next((p for p in candidates if p.is_file()), None)
    if spec_file is None:
        pytest.skip("the Swagger file is not beside this clone; the fixture is the copy")
    spec = json.loads(spec_file.read_text())
    for key, operation in OPERATIONS.items():
        method, path = key.split(" ", 1)
        assert operation["responses"] == spec["paths"][path][method.lower()]["responses"]
    for name, definition in DEFINITIONS.items():
        assert definition == spec["definitions"][name]


# -- every answer of the fake ---------------------------------------------------------


@dataclass
class Answer:
    operation: str
    status: int
    body: Any
    raw: bytes


@dataclass
class Driver:
    """Sends requests to the fake in-process and keeps each answer with its operation."""

    client: httpx.AsyncClient
    answers: list[Answer] = field(default_factory=list)

    async def call(
        self, operation: str, url: str, *, expect: int, auth: bool = True, **options: Any
    ) -> Any:
        method = operation.split(" ", 1)[0]
        response = await self.client.request(
            method, url, auth=httpx.USE_CLIENT_DEFAULT if auth else None, **options
        )
        assert response.status_code == expect, (operation, url, response.text)
        body = response.json() if response.content else None
        self.answers.append(Answer(operation, response.status_code, body, response.content))
        return body

    async def pages(self, operation: str, url: str, **params: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        offset = 0
        while True:
            body = await self.call(
                operation, url, expect=200, params={"limit": 100, "offset": offset, **params}
            )
            items += body["results"]
            offset += 100
            if body["next"] is None:
                return items


async def _drive(account: PlatformAccount) -> list[Answer]:
    app = create_platform_app(account)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://platform.localhost/v1",
        auth=("user", "password"),
    ) as client:
        d = Driver(client)
        missing = str(uuid.UUID(int=99, version=4))
        emails = {"notification_emails": ["ops@example.com"]}

        await d.call("GET /status", "/status", expect=200, auth=False)
        await d.call("GET /user", "/user", expect=200)
        await d.call("GET /user", "/user", expect=401, auth=False)
        accounts = await d.pages("GET /accounts", "/accounts")
        await d.call("GET /accounts", "/accounts", expect=400, params={"limit": 500})
        await d.call("GET /accounts", "/accounts", expect=401, auth=False)
        for a in accounts:
            await d.call("GET /accounts/{account_id}", f"/accounts/{a['id']}", expect=200)
            await d.call(
                "GET /accounts/{account_id}/limits", f"/accounts/{a['id']}/limits", expect=200
            )
            summary = f"/accounts/{a['id']}/usage/summary"
            await d.call("GET /accounts/{account_id}/usage/summary", summary, expect=200)
            await d.call(
                "GET /accounts/{account_id}/usage/summary",
                summary,
                expect=400,
                params={"first_date": "2024-05-01"},
            )
        await d.call("GET /accounts/{account_id}", f"/accounts/{missing}", expect=404)
        await d.call("GET /accounts/{account_id}/limits", f"/accounts/{missing}/limits", expect=404)
        await d.call(
            "GET /accounts/{account_id}/limits",
            f"/accounts/{accounts[0]['id']}/limits",
            expect=400,
            params={"x": 1},
        )
        await d.call(
            "GET /accounts/{account_id}/usage/summary",
            f"/accounts/{missing}/usage/summary",
            expect=404,
        )

        sites = await d.pages("GET /sites", "/sites")
        await d.pages("GET /sites", "/sites", account_id=accounts[1]["id"])
        await d.call("GET /sites", "/sites", expect=400, params={"limit": 101})
        await d.call("GET /sites", "/sites", expect=401, auth=False)
        for s in sites[:5]:
            await d.call("GET /sites/{site_id}", f"/sites/{s['id']}", expect=200)
        await d.call("GET /sites/{site_id}", f"/sites/{missing}", expect=404)

        installs = await d.pages("GET /installs", "/installs")
        await d.call("GET /installs", "/installs", expect=400, params={"offset": "x"})
        backups: list[tuple[str, dict[str, Any]]] = []
        for i in installs:
            base = f"/installs/{i['id']}"
            await d.call("GET /installs/{install_id}", base, expect=200)
            await d.call("GET /installs/{install_id}/usage", base + "/usage", expect=200)
            domains = await d.pages("GET /installs/{install_id}/domains", base + "/domains")
            for domain in domains[:1]:
                await d.call(
                    "GET /installs/{install_id}/domains/{domain_id}",
                    f"{base}/domains/{domain['id']}",
                    expect=200,
                )
            rows = await d.pages("GET /installs/{install_id}/backups", base + "/backups")
            backups += [(i["id"], b) for b in rows]
        some = installs[len(installs) // 2]["id"]
        base = f"/installs/{some}"
        await d.call("GET /installs/{install_id}", f"/installs/{missing}", expect=404)
        await d.call("GET /installs/{install_id}/usage", f"/installs/{missing}/usage", expect=404)
        await d.call(
            "GET /installs/{install_id}/usage",
            base + "/usage",
            expect=400,
            params={"last_date": "x"},
        )
        await d.call("GET /installs/{install_id}/usage", base + "/usage", expect=401, auth=False)
        await d.call(
            "GET /installs/{install_id}/domains", f"/installs/{missing}/domains", expect=404
        )
        await d.call(
            "GET /installs/{install_id}/domains",
            base + "/domains",
            expect=400,
            params={"limit": 1000},
        )
        await d.call(
            "GET /installs/{install_id}/domains/{domain_id}",
            f"{base}/domains/{missing}",
            expect=404,
        )
        await d.call(
            "GET /installs/{install_id}/backups", f"/installs/{missing}/backups", expect=404
        )
        await d.call(
            "GET /installs/{install_id}/backups", base + "/backups", expect=400, params={"page": 2}
        )

        for status in ("completed", "aborted", "in_progress"):
            install_id, backup = next((i, b) for i, b in backups if b["status"] == status)
            url = f"/installs/{install_id}/backups/{backup['id']}"
            await d.call("GET /installs/{install_id}/backups/{backup_id}", url, expect=200)
        await d.call(
            "GET /installs/{install_id}/backups/{backup_id}",
            f"{base}/backups/{missing}",
            expect=404,
        )
        created = await d.call(
            "POST /installs/{install_id}/backups",
            base + "/backups",
            expect=202,
            json={"description": "swagger", **emails},
        )
        await d.call(
            "GET /installs/{install_id}/backups/{backup_id}",
            f"{base}/backups/{created['id']}",
            expect=200,
        )
        await d.call("POST /installs/{install_id}/backups", base + "/backups", expect=400, json={})
        await d.call(
            "POST /installs/{install_id}/backups",
            f"/installs/{missing}/backups",
            expect=404,
            json={"description": "x", **emails},
        )

        restore = "POST /installs/{install_id}/backups/{backup_id}/restore"
        install_id, done = next((i, b) for i, b in backups if b["status"] == "completed")
        await d.call(
            restore, f"/installs/{install_id}/backups/{done['id']}/restore", expect=202, json=emails
        )
        await d.call(restore, f"{base}/backups/{created['id']}/restore", expect=400, json=emails)
        await d.call(restore, f"{base}/backups/{missing}/restore", expect=404, json=emails)

        purge = "POST /installs/{install_id}/purge_cache"
        await d.call(purge, base + "/purge_cache", expect=202, json={"type": "object"})
        await d.call(purge, base + "/purge_cache", expect=429, json={"type": "object"})
        await d.call(purge, base + "/purge_cache", expect=400, json={"type": "everything"})
        await d.call(purge, f"/installs/{missing}/purge_cache", expect=404, json={"type": "cdn"})

        site = next(s for s in sites if len(s["installs"]) > 1)
        source, destination = (i["id"] for i in site["installs"][:2])
        copy = {"source_environment_id": source, "destination_environment_id": destination}
        await d.call("POST /install_copy", "/install_copy", expect=202, json=copy)
        await d.call(
            "POST /install_copy",
            "/install_copy",
            expect=400,
            json={**copy, "destination_environment_id": source},
        )
        await d.call(
            "POST /install_copy",
            "/install_copy",
            expect=404,
            json={**copy, "source_environment_id": missing},
        )

        app.state.faults.fail_next(1, status=500)
        await d.call("GET /sites", "/sites", expect=500)
        return d.answers


@pytest.fixture(scope="module")
def answers() -> Iterator[list[Answer]]:
    yield asyncio.run(_drive(new_account(sites=30)))


def test_every_answer_validates_against_the_swagger_definitions(answers: list[Answer]) -> None:
    problems = []
    for answer in answers:
        schema, _ = answer_schema(answer.operation, answer.status)
        if schema is not None:
            problems += [
                f"{answer.operation} {answer.status}: {p}" for p in validate(answer.body, schema)
            ]

    assert problems == []
    assert len(answers) > 300  # every install's detail, usage, domains and backups
    assert {a.operation for a in answers} == set(OPERATIONS)


def test_the_answers_without_a_schema_are_the_empty_202s(answers: list[Answer]) -> None:
    bodiless = {
        (a.operation, a.status) for a in answers if answer_schema(a.operation, a.status)[0] is None
    }

    assert bodiless == {
        ("POST /installs/{install_id}/backups/{backup_id}/restore", 202),
        ("POST /installs/{install_id}/purge_cache", 202),
        ("POST /install_copy", 202),
    }
    assert all(a.raw == b"" for a in answers if (a.operation, a.status) in bodiless)


def test_only_statuses_the_file_leaves_out_are_checked_against_the_generic_errors(
    answers: list[Answer],
) -> None:
    undeclared = {
        (a.operation, a.status) for a in answers if not answer_schema(a.operation, a.status)[1]
    }

    # The file declares no 400 on the domain endpoints, and no 500 on the site list.
    assert undeclared == {
        ("GET /installs/{install_id}/domains", 400),
        ("GET /sites", 500),
    }
