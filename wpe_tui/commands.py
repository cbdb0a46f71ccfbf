"""Command palette (`ctrl+p`): jump to a site by name, run any key's action."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape  # prompts and help are read as markup; names are data

from wpe_tui.api import Site
from wpe_tui.text import clean

if TYPE_CHECKING:
    from wpe_tui.screens.site_list import SiteListScreen

MAX_HITS = 40


class SiteJumpProvider(Provider):
    """Fuzzy over site names: the loaded ones at once, the rest as they are fetched."""

    def _site_list(self) -> SiteListScreen | None:
        from wpe_tui.screens.site_list import SiteListScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, SiteListScreen):
                return screen
        return None

    async def startup(self) -> None:
        site_list = self._site_list()
        if site_list is not None:
            site_list.load_everything()  # names not loaded yet become searchable

    def _sites(self) -> list[Site]:
        site_list = self._site_list()
        if site_list is None:
            return []
        return [cast(Site, row.data) for row in site_list.table.loaded_rows()]

    def _open(self, site: Site) -> None:
        from wpe_tui.screens.site_detail import SiteDetailScreen
        from wpe_tui.screens.site_list import SiteListScreen

        # Back to the list first, so escape from the site returns there.
        while len(self.app.screen_stack) > 2 and not isinstance(self.app.screen, SiteListScreen):
            self.app.pop_screen()
        self.app.push_screen(SiteDetailScreen(site))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        hits: list[tuple[float, Site]] = []
        for site in self._sites():
            score = matcher.match(clean(site.name))
            if score > 0:
                hits.append((score, site))
        hits.sort(key=lambda hit: -hit[0])
        for score, site in hits[:MAX_HITS]:
            yield Hit(
                score,
                matcher.highlight(escape(clean(site.name))),
                partial(self._open, site),
                text=f"Open site {site.name}",
                help=escape(clean(site.url or site.id)),
            )

    async def discover(self) -> Hits:
        for site in self._sites()[:10]:
            yield DiscoveryHit(
                f"Open site {escape(clean(site.name))}",
                partial(self._open, site),
                help=escape(clean(site.url or site.id)),
            )
