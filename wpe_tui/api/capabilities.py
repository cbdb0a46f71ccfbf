"""`Capabilities`: what one API can and cannot do.

Defined beside the wire (each client states its own) and read by the core and the
screens, which hide or explain a key whose capability is off instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Capabilities:
    """What one API can do. The screens hide or explain a key whose capability is off."""

    name: str  # "Customer API", "Hosting Platform API": said in explanations
    # Sites
    create_site: bool = True
    edit_site: bool = True  # name, PHP, WordPress, status
    delete_site: bool = True
    # Backups
    backup_types: tuple[str, ...] = ("full", "database")  # empty: the API takes no type
    delete_backup: bool = True
    backup_sizes: bool = True  # a backup says how big it is
    restore_environment_choice: bool = True  # restore into another environment
    restore_contents: bool = True  # database, files, plugins, themes chosen one by one
    follow_restore: bool = True  # a restore has a status to follow
    backup_needs_environment: bool = False  # backups belong to one environment (install)
    notification_emails: bool = False  # writes take the addresses to tell when done
    # Deployments
    deployments: bool = True
    # Hosting Platform API only
    domains: bool = False
    purge_cache: bool = False
    copy_environment: bool = False
    accounts: bool = False
    # Lists
    site_statuses: tuple[str, ...] = ("active", "inactive", "provisioning", "deleting")
    # A site list row says its status (else learnt apart: see Backend.scan_site_statuses).
    site_list_statuses: bool = True
    # Rows in flight on one page are followed by asking for that page again; an API
    # whose list page costs a request per environment follows each row instead.
    follow_pages: bool = True
    server_sort: bool = True
    server_status_filter: bool = True
    server_search: bool = False  # no API here searches: `/` sweeps the pages
    max_page_size: int = 100
    # Pacing: requests per second the scheduler allows (None: as fast as answers come).
    requests_per_second: float | None = None


CUSTOMER_CAPABILITIES = Capabilities(name="Customer API")
