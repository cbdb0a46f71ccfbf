"""What the site list can change: `n` new, `e` edit, `D` delete, `y` copy.

A part of `SiteListScreen` (split off by feature): the keys that open their modal
through `wpe_tui.kinds.site`, and the sentence that explains one the API cannot do.
"""

from __future__ import annotations

from wpe_tui.api import ApiError, Site
from wpe_tui.core.kinds import ResourceKind
from wpe_tui.kinds.site import open_delete_site, open_edit_site, open_new_site
from wpe_tui.screens.base import WpeScreen
from wpe_tui.widgets import PagedTable


class SiteListChanges(WpeScreen):
    """The screen gives it its table, its kind and its title."""

    kind: ResourceKind

    @property
    def table(self) -> PagedTable:
        raise NotImplementedError

    def _update_title(self) -> None:
        raise NotImplementedError

    # -- changes: new, edit, delete --------------------------------------------

    def available(self, action: str) -> bool:
        caps = self.session.capabilities
        if action == "clear_filter":
            # Shown in the footer only while there is a filter to clear.
            return self.filter_box_open()
        if action == "new":
            return caps.create_site
        if action == "edit":
            return caps.edit_site
        if action == "delete":
            return caps.delete_site
        return True

    def unavailable(self, action: str) -> None:
        what = {"new": "create", "edit": "edit", "delete": "delete"}.get(action)
        if what is not None:
            api = self.session.capabilities.name
            self.notify(f"The {api} cannot {what} a site from here", timeout=4)

    def _selected_site(self) -> Site | None:
        row = self.table.current_row
        return row.data if row is not None and isinstance(row.data, Site) else None

    def action_new(self) -> None:
        open_new_site(self, self.session, created=self._site_created)

    def _site_created(self, site: Site) -> None:
        # The new site lands where the sort puts it; the rows loaded are asked for again,
        # and `/` matches it at once.
        self.session.sweeps.item_created("site", site)
        self.table.reload()
        self._update_title()

    def action_edit(self) -> None:
        site = self._selected_site()
        if site is not None:
            # A list row may lack the versions: the form starts from the whole site.
            self.run_worker(self._edit(site), group="edit", exclusive=True)

    async def _edit(self, site: Site) -> None:
        backend = self.session.backend
        try:
            full = await self.session.read(lambda: backend.get_site(site.id))
        except ApiError as error:
            self.notify(f"{error} — the site could not be opened for editing", severity="error")
            return
        open_edit_site(self, self.session, full, saved=lambda _: None)

    def action_delete(self) -> None:
        site = self._selected_site()
        if site is not None:
            open_delete_site(self, self.session, site, deleted=lambda _: None)

    def action_copy(self) -> None:
        site = self._selected_site()
        if site is not None:
            self.app.copy_to_clipboard(self.kind.copy_value(site))
            self.notify(f"Copied {self.kind.copy_value(site)}", timeout=3)
