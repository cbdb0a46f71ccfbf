"""Someone else at work on the account, server side: never through the app."""

from __future__ import annotations

import random
from collections.abc import Iterable

from wpe_tui.api.platform.mapping import orphan_install_id
from wpe_tui.fake import FakeAccount
from wpe_tui.fake.platform import PlatformAccount
from wpe_tui.fake.platform.records import PlatformError
from wpe_tui.fake.records import ApiError as FakeApiError


class Churn:
    """Someone else at work on the same account (a colleague, a cron job): backups and
    deployments start, sites are renamed, created, switched off and deleted. Done
    through the fake's own methods, server side: none of it is sent by the app. It
    keeps items in progress for the live refresh, and lists changing between the
    requests of their pages."""

    ACTIONS: tuple[tuple[str, int], ...] = (
        ("backup started", 30),
        ("deployment started", 20),
        ("site renamed", 12),
        ("site status changed", 8),
        ("site created", 10),
        ("backup deleted", 10),
        ("site deleted", 4),
    )

    def __init__(self, account: FakeAccount, rng: random.Random) -> None:
        self.account = account
        self.rng = rng

    def act(self, near: list[str]) -> str:
        account = self.account
        rng = self.rng
        what = weighted(rng, self.ACTIONS)
        if near and rng.random() < 0.7:
            site_id = rng.choice(near)
        else:
            site_id = account.site_id(rng.randrange(account.total_indices))
        try:
            if what == "backup started":
                kind = rng.choice(("full", "database"))
                account.create_backup(site_id, description="Backup by a colleague", type=kind)
            elif what == "deployment started":
                environment = rng.choice(account.site_record(site_id).environment_names())
                source = {"type": "git", "repository": "github.com/acme/site", "branch": "main"}
                account.create_deployment(site_id, environment=environment, source=source)
            elif what == "site renamed":
                name = f"{rng.choice(('Acme', 'Zephyr', 'Mango', 'Bolt'))} {rng.randint(1, 999)}"
                account.update_site(site_id, name=name)
            elif what == "site status changed":
                account.update_site(site_id, status=rng.choice(("active", "inactive")))
            elif what == "site created":
                account.create_site(f"Colleague site {rng.randint(1, 9999)}")
            elif what == "backup deleted":
                backups = [
                    b.id
                    for b in account.backup_records(site_id).values()
                    if b.status_at(account.now()) in ("completed", "failed")
                ]
                if not backups:
                    return "nothing to delete"
                account.delete_backup(site_id, rng.choice(backups))
            else:
                account.delete_site(site_id)
        except FakeApiError:
            return "refused by the fake (busy site)"
        return what


def weighted(rng: random.Random, choices: Iterable[tuple[str, int]]) -> str:
    keys = [key for key, _ in choices]
    weights = [weight for _, weight in choices]
    return rng.choices(keys, weights=weights)[0]


class PlatformChurn:
    """Someone else at work on a Hosting Platform account: backups started on the
    installs of the sites in view (the API lets a customer do little else to a site),
    server side, so something is in flight for the follower."""

    def __init__(self, account: PlatformAccount, rng: random.Random) -> None:
        self.account = account
        self.rng = rng

    def act(self, near: list[str]) -> str:
        account, rng = self.account, self.rng
        if near and rng.random() < 0.7:
            site_id = rng.choice(near)
        else:
            index = rng.choice(account.site_ids())
            site_id = account.site_record(index).id
        try:
            install_id = orphan_install_id(site_id)
            if install_id is None:
                installs = account.get_site(site_id)["installs"]
                if not installs:
                    return "a site with no install"
                install_id = rng.choice(installs)["id"]
            account.create_backup(install_id, "Backup by a colleague", [])
        except PlatformError:
            return "refused by the fake (busy install)"
        return "backup started"
