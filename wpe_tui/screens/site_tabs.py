"""The tabs of a site's detail, and the keys every tab's table shares (`/ s o f`).

A part of `SiteDetailScreen` (split off by feature): switching tabs (the focus moves
at once, so a key typed next goes to the new tab), and the filter, sort, order and
status of the tab in view, each tab keeping its own.
"""

from __future__ import annotations

from textual import on
from textual.widget import Widget
from textual.widgets import Input

from wpe_tui.screens.list_view import ListView
from wpe_tui.screens.site_changes import SiteChanges
from wpe_tui.widgets import PagedTable, TabBar


class SiteTabs(SiteChanges):
    """The screen gives it its tabs' kinds, views and tables, and its title."""

    views: dict[str, ListView]
    _active: str
    tab_bar: TabBar  # set as the screen is composed
    overview_body: Widget

    def _show_title(self) -> None:
        raise NotImplementedError

    def _pane_kind(self, pane: str) -> str | None:
        raise NotImplementedError

    def action_back(self) -> None:
        raise NotImplementedError

    # -- the same keys on every table: / s o f ----------------------------------

    def _active_view(self) -> ListView | None:
        active = self._active_kind()
        return self.views.get(active) if active else None

    def action_filter(self) -> None:
        self.open_filter_box()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        view = self._active_view()
        if view is not None:
            view.filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        view = self._active_view()
        if view is not None:
            view.table.focus()

    def action_escape(self) -> None:
        """Clear the filter first, if there is one; else back."""
        if self.close_filter_box():
            for each in self.views.values():
                each.filter(None)
            active = self._active_view()
            if active is not None:
                active.table.focus()
            return
        self.action_back()

    def action_clear_filter(self) -> None:
        self.action_escape()

    def action_cycle_sort(self) -> None:
        view = self._active_view()
        if view is not None:
            view.cycle_sort()

    def action_toggle_order(self) -> None:
        view = self._active_view()
        if view is not None:
            view.toggle_order()

    def action_cycle_status(self) -> None:
        view = self._active_view()
        if view is not None:
            view.cycle_status()

    # -- tabs ----------------------------------------------------------------

    def action_tab(self, tab: str) -> None:
        if tab != "overview" and not self._has_tab(tab):
            self.unavailable(f"tab('{tab}')")
            return
        if tab == self._active:
            return
        shown, leaving = self._pane(tab), self._pane(self._active)
        self.tab_bar.active = tab
        self._active = tab
        shown.display = True
        # Focus before the last pane hides: a widget left focused on a hidden pane
        # would be blurred later, restyling a table nobody sees. A key typed next
        # goes to the new tab.
        if self.focused is not shown:
            self.set_focus(shown)
        leaving.display = False
        self.session.set_prefs(tab=tab)
        if self.filter_box_open():
            self.action_escape()  # a filter belongs to the tab it was typed on
        if isinstance(shown, PagedTable):
            shown.load_page(1)  # the first visit loads it (already loaded: no-op)
        self._show_title()  # the count and order are the tab's own
        self.refresh_bindings()
        self.refollow()

    def _pane(self, tab: str) -> Widget:
        """What a tab shows: its kind's table, or the overview's body."""
        listed = self._pane_kind(tab)
        table = self.table(listed) if listed is not None else None
        return table if table is not None else self.overview_body

    def on_tab_bar_picked(self, event: TabBar.Picked) -> None:
        self.action_tab(event.pane)
