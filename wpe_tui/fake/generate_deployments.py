"""Deterministic deployments of the fake account: history, logs and running ones."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from wpe_tui.fake.generate import (
    ALWAYS_DEPLOYING,
    FOREVER,
    SALT_DEPLOYMENTS,
    SALT_ODD_DEPLOYMENT,
    deployment_id,
    has_running_deployment,
    history,
    slugify,
)
from wpe_tui.fake.records import DeploymentRecord, SiteRecord, iso

if TYPE_CHECKING:
    from wpe_tui.fake.world import World


_FAILURES = (
    "composer install failed: package wpackagist-plugin/woocommerce-subscriptions not found",
    "npm run build exited with code 1",
    "rsync: connection unexpectedly closed (code 12)",
    "PHP Fatal error: Uncaught Error: Call to undefined function get_field()",
    "Disk quota exceeded while syncing files",
)


def deployment_log(
    source: dict[str, str],
    environment: str,
    created: datetime,
    finished: datetime,
    outcome: str,
    rng: random.Random,
) -> list[str]:
    if source.get("type") == "zip":
        steps = [
            f"Downloading archive {source.get('zip_url', '')}...",
            "Extracting archive...",
            "Validating WordPress files...",
            f"Syncing files to {environment}...",
            "Clearing caches...",
        ]
    else:
        commit = source.get("commit") or f"{rng.getrandbits(48):012x}"
        steps = [
            f"Cloning repository {source.get('repository', '')}...",
            f"Checking out branch {source.get('branch', '')}...",
            f"HEAD is now at {commit[:7]}",
            "Installing dependencies...",
            "Running composer install --no-dev --optimize-autoloader...",
            "Building assets...",
            f"Syncing files to {environment}...",
            "Clearing caches...",
        ]
    lines = [f"Deployment started at {iso(created)}"]
    if outcome == "failed":
        cut = rng.randint(2, len(steps) - 2)
        lines += steps[:cut]
        lines.append(f"Error: {rng.choice(_FAILURES)}")
        lines.append(f"Deployment failed at {iso(finished)}")
    else:
        lines += steps
        lines.append(f"Deployment completed at {iso(finished)}")
    return lines


def random_changes(rng: random.Random) -> dict[str, int]:
    return {
        "added": rng.randint(0, 30),
        "modified": rng.randint(1, 60),
        "deleted": rng.randint(0, 10),
    }


def _branch_for(rng: random.Random, environment: str) -> str:
    if environment == "production":
        return rng.choice(("main", "main", "master", "release/2.4"))
    if environment == "staging":
        return rng.choice(("develop", "staging", "release/2.5"))
    return rng.choice(("feature/new-header", "feature/checkout-redesign", "bugfix/menu-a11y"))


def generate_deployments(
    seed: int, site: SiteRecord, epoch: datetime, world: World | None = None
) -> list[DeploymentRecord]:
    plan = history(seed, SALT_DEPLOYMENTS, site, epoch, 5, 20, days=5)
    if plan is None:
        return []
    rng, count, spacing = plan
    running = has_running_deployment(seed, site.index)
    slug = slugify(site.name)
    org = rng.choice((slug, "wpe-agency", "northwind-dev", "pixel-and-pine"))
    repository = f"github.com/{org}/{slug}{rng.choice(('', '-theme', '-site', '-wp'))}"
    envs = site.environment_names()
    weights = [5 if env == "production" else 3 if env == "staging" else 2 for env in envs]
    deployments: list[DeploymentRecord] = []
    for k in range(count - 1, -1, -1):
        seq = count - k
        environment = rng.choices(envs, weights=weights)[0]
        source: dict[str, str]
        if rng.random() < 0.1:
            version = f"{rng.randint(1, 3)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}"
            source = {
                "type": "zip",
                "zip_url": f"https://downloads.example.com/{slug}/release-{version}.zip",
            }
        else:
            source = {
                "type": "git",
                "repository": repository,
                "branch": _branch_for(rng, environment),
                "commit": f"{rng.getrandbits(48):012x}",
            }
        stuck = odd = None
        if running and k == 0:
            created = epoch - timedelta(seconds=rng.randint(3, 25))
            finished = epoch + timedelta(seconds=rng.randint(20, 90))
            failed = site.index != ALWAYS_DEPLOYING and rng.random() < 0.2
            stuck = world.stuck_work(seed, site.index * 2 + 1, epoch) if world else None
            if stuck is not None:
                created = stuck.created_at
        else:
            offset = (k + 0.5 + rng.uniform(-0.3, 0.3)) * spacing
            created = epoch - timedelta(seconds=int(offset) + 60)
            finished = created + timedelta(seconds=rng.randint(90, 420))
            failed = rng.random() < 0.1
            if world is not None:
                odd = world.odd_status(seed, SALT_ODD_DEPLOYMENT, site.index * 1000 + seq)
        ended = "failed" if failed else "completed"  # what the log tells, odd status or not
        deployment = DeploymentRecord(
            id=deployment_id(site, seq),
            site_id=site.id,
            environment=environment,
            source=dict(source),
            created_at=created,
            finished_at=finished,
            outcome=odd or ended,
            log_lines=deployment_log(source, environment, created, finished, ended, rng),
            changes=random_changes(rng),
        )
        if stuck is not None:
            # Stuck at a step: the log stops growing and the finish never comes.
            deployment.finished_at = FOREVER
            deployment.estimated_at = stuck.estimated_at
            deployment.stall_at = min(4, len(deployment.log_lines) - 2)
        deployments.append(deployment)
    site.next_deployment_seq = count + 1
    return deployments
