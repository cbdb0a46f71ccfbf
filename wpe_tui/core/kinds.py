"""Resource kinds: what the core knows of a site, a backup, a deployment, a restore...

One object per kind, registered once (`wpe_tui.core.registry`). The follower, the
activity panel, the store and the screens ask the kind instead of branching on the
model's class: how to read one item and a page of them, which statuses are final,
what `y` copies and what the item is called. The UI half of a kind (its columns,
facts, modals and actions) lives in `wpe_tui.kinds`.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, TypedDict

from wpe_tui.api.capabilities import Capabilities
from wpe_tui.api.errors import NotFoundError
from wpe_tui.api.models import Backup, Deployment, Domain, Page, Restore, Site
from wpe_tui.core.backend import Backend
from wpe_tui.text import clean


@dataclass(frozen=True)
class Ref:
    """Where an item lives: enough to ask the API for it again."""

    kind: str
    id: str
    site_id: str | None = None  # the parent of a backup, deployment or domain
    backup_id: str | None = None  # the parent of a restore

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.id)


@dataclass(frozen=True)
class ListQuery:
    page: int = 1
    per_page: int = 50
    sort: str | None = None
    order: str | None = None
    status: str | None = None

    def options(self) -> ListOptions:
        """The keyword arguments of a backend's ``list_*`` call."""
        return ListOptions(
            page=self.page,
            per_page=self.per_page,
            sort=self.sort,
            order=self.order,
            status=self.status,
        )


class ListOptions(TypedDict):
    page: int
    per_page: int
    sort: str | None
    order: str | None
    status: str | None


class ResourceKind:
    """The core half of a kind. Subclasses fill in the class variables and the calls."""

    name: ClassVar[str]
    title: ClassVar[str]  # "Backup": how a sentence names one
    final_statuses: ClassVar[frozenset[str]]
    statuses: ClassVar[tuple[str, ...]] = ()  # the ones the API documents, for `f`
    sort_fields: ClassVar[tuple[str, ...]] = ("created_at", "status")
    default_order: ClassVar[str] = "desc"
    needs: ClassVar[str | None] = None  # the Capabilities flag that must be on

    def available(self, capabilities: Capabilities) -> bool:
        return self.needs is None or bool(getattr(capabilities, self.needs))

    def followable(self, capabilities: Capabilities) -> bool:
        """Whether an item of this kind has a status the API lets us ask for again."""
        return self.available(capabilities)

    # -- reading ----------------------------------------------------------------

    async def get(self, backend: Backend, ref: Ref) -> Any:
        raise NotImplementedError

    async def follow(self, backend: Backend, ref: Ref) -> Any:
        """The item as a list row shows it, for following its status (default: `get`)."""
        return await self.get(backend, ref)

    async def list(self, backend: Backend, parent: str | None, query: ListQuery) -> Page[Any]:
        raise NotImplementedError

    def ref(self, item: Any, site_id: str | None = None) -> Ref:
        return Ref(self.name, str(item.id), site_id or getattr(item, "site_id", None))

    # -- what an item says ---------------------------------------------------------

    def status(self, item: Any) -> str:
        return clean(getattr(item, "status", None) or "unknown").lower()

    def is_final(self, item: Any) -> bool:
        # An item the app could not read is never asked for again by itself.
        return self.status(item) in self.final_statuses or bool(getattr(item, "unreadable", None))

    def in_flight(self, item: Any) -> bool:
        return item is not None and not self.is_final(item)

    def eta(self, item: Any) -> datetime | None:
        eta: datetime | None = getattr(item, "estimated_completion_time", None)
        return eta

    def created(self, item: Any) -> datetime | None:
        created: datetime | None = getattr(item, "created_at", None)
        return created

    def signature(self, item: Any, *, detailed: bool = False) -> Hashable:
        """What counts as a change for the follower: the status, by default."""
        return self.status(item)

    def label(self, item: Any) -> str:
        """How the item is named on one line: its ID, and its name where it has one."""
        return clean(str(item.id))

    def copy_value(self, item: Any) -> str:
        return str(item.id)


class SiteKind(ResourceKind):
    name = "site"
    title = "Site"
    final_statuses = frozenset({"active", "inactive", "suspended", "deleted"})
    statuses = ("active", "inactive", "provisioning", "deleting")
    sort_fields = ("name", "created_at", "status")
    default_order = "asc"

    async def get(self, backend: Backend, ref: Ref) -> Site:
        return await backend.get_site(ref.id)

    def in_flight(self, item: Any) -> bool:
        # No status (a Hosting Platform site whose installs were not read yet) says
        # nothing is under way: asking for it again would cost a request per install.
        return getattr(item, "status", None) is not None and not self.is_final(item)

    async def follow(self, backend: Backend, ref: Ref) -> Site:
        return await backend.site_status(ref.id)

    async def list(self, backend: Backend, parent: str | None, query: ListQuery) -> Page[Site]:
        return await backend.list_sites(**query.options())

    def ref(self, item: Any, site_id: str | None = None) -> Ref:
        return Ref(self.name, str(item.id), str(item.id))

    def label(self, item: Any) -> str:
        return clean(item.name).strip() or str(item.id)

    def copy_value(self, item: Any) -> str:
        return str(item.url or item.id)


class BackupKind(ResourceKind):
    name = "backup"
    title = "Backup"
    final_statuses = frozenset({"completed", "failed", "aborted", "deleted", "cancelled"})
    statuses = ("completed", "in_progress", "failed", "deleting")

    async def get(self, backend: Backend, ref: Ref) -> Backup:
        return await backend.get_backup(ref.site_id or "", ref.id)

    async def list(self, backend: Backend, parent: str | None, query: ListQuery) -> Page[Backup]:
        return await backend.list_backups(parent or "", **query.options())

    def label(self, item: Any) -> str:
        description = clean(item.description)
        return f"{clean(item.id)} ({description})" if description else clean(item.id)

    def copy_value(self, item: Any) -> str:
        return str(item.download_url or item.id)


class DeploymentKind(ResourceKind):
    name = "deployment"
    title = "Deployment"
    final_statuses = frozenset({"completed", "failed", "cancelled", "canceled"})
    statuses = ("completed", "in_progress", "failed")
    needs = "deployments"

    async def get(self, backend: Backend, ref: Ref) -> Deployment:
        return await backend.get_deployment(ref.site_id or "", ref.id)

    async def list(
        self, backend: Backend, parent: str | None, query: ListQuery
    ) -> Page[Deployment]:
        return await backend.list_deployments(parent or "", **query.options())

    def signature(self, item: Any, *, detailed: bool = False) -> Hashable:
        # While its log is open, a running deployment changes with every new line.
        if detailed:
            return (self.status(item), len(item.logs or ""))
        return self.status(item)


class RestoreKind(ResourceKind):
    name = "restore"
    title = "Restore"
    final_statuses = frozenset({"completed", "failed", "cancelled"})

    def followable(self, capabilities: Capabilities) -> bool:
        return capabilities.follow_restore

    async def get(self, backend: Backend, ref: Ref) -> Restore:
        return await backend.get_restore(ref.site_id or "", ref.backup_id or "", ref.id)

    def ref(self, item: Any, site_id: str | None = None) -> Ref:
        return Ref(self.name, str(item.id), site_id or item.site_id, item.backup_id)


class DomainKind(ResourceKind):
    name = "domain"
    title = "Domain"
    final_statuses = frozenset()  # a domain has no status that settles: never followed
    sort_fields = ("name",)
    default_order = "asc"
    needs = "domains"

    def followable(self, capabilities: Capabilities) -> bool:
        return False

    def in_flight(self, item: Any) -> bool:
        return False

    async def get(self, backend: Backend, ref: Ref) -> Domain:
        # The list has all a domain says (and reading one needs its install): a domain's
        # detail, and `r` on it, read its site's list again.
        page = await backend.list_domains(ref.site_id or "", page=1, per_page=100)
        for domain in page.results:
            if str(domain.id) == ref.id:
                return domain
        raise NotFoundError(f"Domain {ref.id} no longer exists", status=404)

    async def list(self, backend: Backend, parent: str | None, query: ListQuery) -> Page[Domain]:
        return await backend.list_domains(parent or "", page=query.page, per_page=query.per_page)

    def label(self, item: Any) -> str:
        return clean(item.name) or clean(item.id)

    def copy_value(self, item: Any) -> str:
        return str(item.name or item.id)


class InstallKind(ResourceKind):
    """An environment of a site on the Hosting Platform API (an install)."""

    name = "install"
    title = "Environment"
    final_statuses = frozenset({"active"})
    needs = "copy_environment"

    def followable(self, capabilities: Capabilities) -> bool:
        return False  # a copy or a purge has no status to ask for: the API emails

    def label(self, item: Any) -> str:
        return clean(getattr(item, "install_name", None) or getattr(item, "name", "") or "")
