"""Command palette (`ctrl+p`): jump to a site by name, at any account size.

The names come from the site list's sweep (the same one `/` uses): the ones read so
far at once, the rest as they arrive — the palette shows it is still searching
until the sweep is over.

Of Textual's own system commands, only Theme and Quit are the user's business; the
others ("Keys", "Screenshot", "Maximize"...) and Textual's own keys ("Scroll Left",
"Focus Next"...) are left out (`textual_commands_kept`, `palette_binding`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.binding import ActiveBinding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from wpe_tui.api import Site
from wpe_tui.modals.help import is_ours
from wpe_tui.text import as_markup, clean  # prompts and help are markup; names are data

if TYPE_CHECKING:
    from wpe_tui.screens.site_list import SiteListScreen

MAX_HITS = 60
# Textual's CommandPalette redraws its list when a hit comes this long after the last
# redraw (its _RESULT_BATCH_TIME, 0.25 s in Textual 8), and at the end of a search.
BATCH_TIME = 0.3
NOTE_SCORE = 0.0001  # below any name's: a note sorts after the sites found
WAIT_FOR_NAMES = 0.5  # seconds between looks at the names a running sweep has read

# Textual 8's system commands (App.get_system_commands) worth a user's while.
KEPT_TEXTUAL_COMMANDS = frozenset({"Theme", "Quit"})


def textual_commands_kept(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's system commands without its internals: Theme and Quit only."""
    for command in commands:
        if command.title in KEPT_TEXTUAL_COMMANDS:
            yield command


# Keys that move a cursor: pressed again and again, never looked up (Down, First...).
MOVES = frozenset({"cursor_up", "cursor_down", "page_up", "page_down", "first", "last", "scroll"})


def palette_binding(active: ActiveBinding) -> bool:
    """Whether a key of the view is one of the app's, to be a palette command too;
    False for Textual's own ("Scroll Left", "Focus Next", "Copy selected text") and
    for the moves of a cursor ("Down", "First")."""
    action = active.binding.action.split("(", 1)[0].rsplit(".", 1)[-1]
    return is_ours(active) and action not in MOVES


class SiteJumpProvider(Provider):
    """Fuzzy over site names: the loaded ones at once, the rest as they are fetched."""

    def _site_list(self) -> SiteListScreen | None:
        from wpe_tui.screens.site_list import SiteListScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, SiteListScreen):
                return screen
        return None

    def _open(self, site: Site) -> None:
        from wpe_tui.screens.site_detail import SiteDetailScreen
        from wpe_tui.screens.site_list import SiteListScreen

        site_list = self._site_list()
        if site_list is None:
            return
        # Back to the list first, so escape from the site returns there.
        while len(self.app.screen_stack) > 2 and not isinstance(self.app.screen, SiteListScreen):
            self.app.pop_screen()
        self.app.push_screen(SiteDetailScreen(site_list.session, site))

    def _hit(self, score: float, entry: Any, matcher: Any) -> Hit:
        site = entry if isinstance(entry, Site) else entry.site()
        return Hit(
            score,
            _highlighted(clean(site.name), matcher),
            partial(self._open, site),
            text=f"Open site {site.name}",
            help=as_markup(clean(site.url or site.id)),
        )

    async def search(self, query: str) -> Hits:
        site_list = self._site_list()
        if site_list is None:
            return
        matcher = self.matcher(query)
        sweep = site_list.load_everything()
        shown: set[str] = set()
        seen_pages: set[int] = set()
        candidates: list[Any] = [row.data for row in site_list.table.loaded_rows()]
        told = False
        while True:
            candidates += sweep.new_entries(seen_pages)
            found: list[Hit] = []
            for entry in candidates:
                if entry.id in shown or len(shown) >= MAX_HITS:
                    continue
                score = matcher.match(clean(entry.name))
                if score > 0:
                    shown.add(entry.id)
                    found.append(self._hit(score, entry, matcher))
            candidates = []
            over = not sweep.running or len(shown) >= MAX_HITS
            if not found and not told and not over:
                # The palette keeps its last list until a hit comes: without this line
                # the sites listed before the query stay, and enter opens one of them.
                told = True
                found.append(self._note(f"Matches{self._among(sweep)} join this list"))
            # Textual draws what was yielded only when a hit comes more than
            # BATCH_TIME after its last redraw: the last of a batch comes after a
            # pause, so the batch is drawn now, not when the next match is read.
            for hit in found[:-1]:
                yield hit
            if found:
                if not over:
                    await asyncio.sleep(BATCH_TIME)
                yield found[-1]
            if over:
                if not shown:  # said once the search is over, in place of Textual's own line
                    yield self._note(f"No site name matches {query!r}{self._among(sweep)}")
                elif len(shown) >= MAX_HITS:
                    yield self._note(f"The first {MAX_HITS} matches: type more to narrow them")
                elif sweep.total:
                    # Its spinner says it is searching; this line, listed last, that it
                    # is over: no other match will join.
                    yield self._note(f"All {sweep.total:,} sites searched")
                return
            await sweep.progress(WAIT_FOR_NAMES)  # the palette shows it is still searching

    @staticmethod
    def _among(sweep: Any) -> str:
        return f" among all {sweep.total:,} sites" if sweep.total else ""

    def _note(self, text: str) -> Hit:
        """A line of the palette that is not a site; enter on it opens nothing."""

        def nothing() -> None:
            self.app.notify("Pick a site from the palette's list (ctrl+p)", timeout=4)

        return Hit(NOTE_SCORE, Content(text), nothing, text=text)

    async def discover(self) -> Hits:
        site_list = self._site_list()
        if site_list is None:
            return
        for row in list(site_list.table.loaded_rows())[:10]:
            site = row.data
            if isinstance(site, Site):
                yield DiscoveryHit(
                    Content(f"Open site {clean(site.name)}"),
                    partial(self._open, site),
                    text=f"Open site {clean(site.name)}",
                    help=as_markup(clean(site.url or site.id)),
                )


def _highlighted(name: str, matcher: Any) -> Content:
    """`name` as plain text, its letters that match the query in the matcher's style
    (Textual's `Matcher.highlight` reads the name as markup)."""
    content = Content(name)
    score, offsets = matcher.fuzzy_search.match(matcher.query, name)
    if score:
        for offset in offsets:
            if not name[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
