"""What a client starts: new sites, backups, restores and deployments, and the spec's
answers to the POSTs that start them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from wpe_tui.fake import generate as gen
from wpe_tui.fake.generate_deployments import deployment_log, random_changes
from wpe_tui.fake.records import (
    JSON,
    BackupRecord,
    DeploymentRecord,
    RestoreRecord,
    SiteRecord,
    iso,
)

PROVISION_SECONDS = 15.0

Seconds = Callable[[int], float]  # the drawn duration, or the one the account imposes


def new_site(
    index: int,
    name: str,
    slug: str,
    environment: str,
    php_version: str | None,
    wordpress_version: str | None,
    now: datetime,
) -> SiteRecord:
    environments = [
        ("production", f"https://{slug}.wpengine.com"),
        ("staging", f"https://staging{slug}.wpengine.com"),
    ]
    if environment == "development":
        environments.append(("development", f"https://dev{slug}.wpengine.com"))
    return SiteRecord(
        index=index,
        id=gen.site_id(index),
        name=name,
        url=environments[0][1],
        environment=environment,
        created_at=now,
        updated_at=now,
        status="active",
        php_version=php_version or gen.LATEST_PHP,
        wordpress_version=wordpress_version or gen.LATEST_WORDPRESS,
        disk_used=0.05,
        disk_total=10.0,
        bandwidth=0.0,
        environments=environments,
        provisioned_at=now + timedelta(seconds=PROVISION_SECONDS),
        backups={},
        deployments={},
    )


def created_site(site: SiteRecord, now: datetime) -> JSON:
    return {
        "id": site.id,
        "name": site.name,
        "environment": site.environment,
        "created_at": iso(site.created_at),
        "url": site.url,
        "status": site.status_at(now),
        "php_version": site.php_version,
        "wordpress_version": site.wordpress_version,
        "estimated_completion_time": iso(site.provisioned_at or now),
    }


def new_backup(
    seed: int,
    site: SiteRecord,
    seq: int,
    now: datetime,
    *,
    description: str | None,
    type: str,
    seconds: Seconds,
) -> BackupRecord:
    rng = gen.rng_for(seed, gen.SALT_NEW, site.index * 100_003 + seq)
    return BackupRecord(
        id=gen.backup_id(site, seq),
        site_id=site.id,
        description=description if description is not None else "Manual backup",
        type=type,
        created_at=now,
        finished_at=now + timedelta(seconds=seconds(rng.randint(8, 20))),
        outcome="completed",
        size=gen.backup_size(rng, site, type),
        contents=gen.backup_contents(type),
    )


def created_backup(backup: BackupRecord, now: datetime) -> JSON:
    body = backup.summary(now)
    return {
        "id": body["id"],
        "site_id": body["site_id"],
        "description": body["description"],
        "type": body["type"],
        "status": body["status"],
        "created_at": body["created_at"],
        "estimated_completion_time": iso(backup.finished_at),
    }


def new_restore(
    seed: int,
    seq: int,
    backup: BackupRecord,
    environment: str,
    contents: dict[str, bool] | None,
    now: datetime,
    seconds: Seconds,
) -> RestoreRecord:
    rng = gen.rng_for(seed, gen.SALT_NEW, 7_000_000 + seq)
    return RestoreRecord(
        id=f"restore_{90000 + seq}",
        backup_id=backup.id,
        site_id=backup.site_id,
        environment=environment,
        created_at=now,
        finished_at=now + timedelta(seconds=seconds(rng.randint(15, 30))),
        contents=dict(contents) if contents is not None else dict(backup.contents),
    )


def new_deployment(
    seed: int, site: SiteRecord, seq: int, now: datetime, environment: str, source: dict[str, str]
) -> DeploymentRecord:
    rng = gen.rng_for(seed, gen.SALT_NEW, 3_000_000 + site.index * 100_003 + seq)
    finished = now + timedelta(seconds=rng.randint(12, 30))
    # Predictable for client tests: only a source that names "fail" fails.
    marker = source.get("branch", "") + source.get("zip_url", "")
    outcome = "failed" if "fail" in marker.lower() else "completed"
    return DeploymentRecord(
        id=gen.deployment_id(site, seq),
        site_id=site.id,
        environment=environment,
        source=dict(source),
        created_at=now,
        finished_at=finished,
        outcome=outcome,
        log_lines=deployment_log(source, environment, now, finished, outcome, rng),
        changes=random_changes(rng),
    )


def created_deployment(deployment: DeploymentRecord, now: datetime) -> JSON:
    return {
        "id": deployment.id,
        "site_id": deployment.site_id,
        "environment": deployment.environment,
        "source": dict(deployment.source),
        "status": deployment.status_at(now),
        "created_at": iso(now),
        "estimated_completion_time": iso(deployment.finished_at),
    }
