"""What the site detail can change, and why a key does not apply where it is pressed.

A part of `SiteDetailScreen` (split off by feature): the keys R, n, b, D, e, P and C,
which open their kind's modal through `wpe_tui.kinds`, and the sentences that explain a
key pressed on a tab, or with an API, where it does nothing.
"""

from __future__ import annotations

from typing import Any

from wpe_tui.api import Backup, Deployment, Site
from wpe_tui.kinds.backup import open_delete_backup, open_new_backup, open_restore
from wpe_tui.kinds.deployment import open_new_deployment
from wpe_tui.kinds.install import open_copy_environment, open_purge_cache
from wpe_tui.kinds.site import open_delete_site, open_edit_site
from wpe_tui.screens.base import WpeScreen
from wpe_tui.text import clean, dash
from wpe_tui.widgets import PagedTable


class SiteChanges(WpeScreen):
    """The screen gives it its site, its active tab and its selected rows."""

    site: Site

    def _active_kind(self) -> str | None:
        raise NotImplementedError

    def _selected(self, kind_name: str) -> Any:
        raise NotImplementedError

    def action_tab(self, tab: str) -> None:
        raise NotImplementedError

    def table(self, kind_name: str) -> PagedTable | None:
        raise NotImplementedError

    @property
    def backups(self) -> PagedTable:
        raise NotImplementedError

    @property
    def deployments(self) -> PagedTable:
        raise NotImplementedError

    # -- what applies where ----------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tab" and parameters:
            action = f"tab('{parameters[0]}')"  # which tab: the API may not have it
        return super().check_action(action, parameters)

    def _has_tab(self, pane: str) -> bool:
        raise NotImplementedError

    def _a_backup_to_act_on(self) -> bool:
        """A backup is selected, or the first page is still on its way: the footer keeps
        R and D while the tab loads, and drops them only once it is known to be empty
        (the footer changing as every Backups tab opens is a flicker for nothing)."""
        return self._selected("backup") is not None or self._backups_loading()

    def _backups_loading(self) -> bool:
        # Asked by the footer from the start, before the tab's table is mounted.
        table = self.table("backup")
        return table is None or table.total is None

    def available(self, action: str) -> bool:
        if action.startswith("tab("):
            pane = action[5:-2]
            return pane == "overview" or self._has_tab(pane)
        active = self._active_kind()
        capabilities = self.session.capabilities
        if action == "restore":
            return active == "backup" and self._a_backup_to_act_on()
        if action == "new":
            return active in ("backup", "deployment")
        if action == "delete":
            if active == "backup":
                return capabilities.delete_backup and self._a_backup_to_act_on()
            return active is None and capabilities.delete_site  # the Overview: the site
        if action == "edit":
            return capabilities.edit_site
        if action in ("filter", "cycle_sort", "toggle_order", "cycle_status"):
            return active is not None  # on a tab that lists something
        if action == "clear_filter":
            # esc clears a filter before it goes back: the footer says which it does.
            return self.filter_box_open()
        if action == "purge":
            return capabilities.purge_cache
        if action == "copy_environment":
            return capabilities.copy_environment
        return True

    def unavailable(self, action: str) -> None:
        active = self._active_kind()
        capabilities = self.session.capabilities
        if action.startswith("tab("):
            if "deployments" in action:
                more = "; C copies an environment" if capabilities.copy_environment else ""
                self.notify(f"No deployments on the {capabilities.name}{more}", timeout=5)
            else:
                self.notify(f"The {capabilities.name} has no such tab", timeout=4)
        elif action == "delete" and active == "deployment":
            self.notify("Deployments cannot be deleted through the API", timeout=4)
        elif action == "delete" and active == "backup" and not capabilities.delete_backup:
            self.notify(f"The {self.session.capabilities.name} cannot delete backups", timeout=4)
        elif action in ("restore", "delete") and active == "backup":
            if self._backups_loading():
                self.notify("The backups are still loading", timeout=4)
            else:
                self.notify("No backup here yet: b takes one", timeout=4)
        elif action in ("restore", "delete"):
            self.notify("That works on a backup: 2 opens the Backups tab", timeout=4)
        elif action == "new":
            self.notify("n works in the Backups (2) or Deployments (3) tab", timeout=4)
        elif action == "edit":
            self.notify(f"The {capabilities.name} cannot edit a site", timeout=4)
        elif action in ("purge", "copy_environment"):
            what = "purge a cache" if action == "purge" else "copy an environment"
            self.notify(f"The {capabilities.name} cannot {what}", timeout=4)

    # -- changes -------------------------------------------------------------

    def _no_backup(self) -> None:
        if self._backups_loading():
            self.notify("The backups are still loading", timeout=3)
        else:
            self.notify("No backup selected", severity="warning", timeout=3)

    def action_restore(self) -> None:
        backup = self._selected("backup")
        if not isinstance(backup, Backup):
            self._no_backup()
            return
        open_restore(self, self.session, self.site, backup)

    def action_new(self) -> None:
        if self._active_kind() == "deployment":
            open_new_deployment(self, self.session, self.site, created=self._deployment_created)
        else:
            self.action_new_backup()

    def action_new_backup(self) -> None:
        open_new_backup(self, self.session, self.site, created=self._backup_created)

    def _backup_created(self, backup: Backup) -> None:
        # The newest backup is first: show it there at once, in progress, and follow it.
        self.action_tab("backups")
        self.backups.reset(keep_key=backup.id)

    def _deployment_created(self, deployment: Deployment) -> None:
        self.action_tab("deployments")
        self.deployments.reset(keep_key=deployment.id)

    def action_delete(self) -> None:
        if self._active_kind() is None:
            open_delete_site(self, self.session, self.site, deleted=lambda _: None)
            return
        backup = self._selected("backup")
        if not isinstance(backup, Backup):
            self._no_backup()
            return
        open_delete_backup(self, self.session, self.site, backup, deleted=lambda _: None)

    def action_edit(self) -> None:
        open_edit_site(self, self.session, self.site, saved=lambda _: None)

    def action_purge(self) -> None:
        open_purge_cache(self, self.session, self.site)

    def action_copy_environment(self) -> None:
        open_copy_environment(self, self.session, self.site)

    def command_label(self, action: str, description: str) -> str:
        """The palette names the selection: "Restore backup_1 (Pre-update)"."""
        backup = self._selected("backup") if self._active_kind() == "backup" else None
        if action in ("restore", "delete") and isinstance(backup, Backup):
            verb = "Quick restore" if action == "restore" else "Delete"
            return f"{verb} backup {clean(backup.id)} ({dash(backup.description)})"
        if action in ("edit", "new_backup") or (action == "delete" and backup is None):
            return f"{description} {clean(self.site.name) or self.site.id}"
        return description
