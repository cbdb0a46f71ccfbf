"""`SiteDirectory`: the site list of every account, and what the adapter has learnt of
sites and installs along the way.

The list is the sites of ``GET /sites`` (all accounts, in the API's order) followed
by the installs that belong to no site. Those can only be found by reading
``GET /installs`` (its ``site`` is null), so they are found lazily: every call for a
page of the list reads at most one more page of installs, until all were read.
A page of the list therefore costs at most 3 requests, wherever it is:
``GET /sites?limit&offset`` and, while the install scan is unfinished,
``GET /installs?limit=100&offset`` (twice when the scan stops within the page's sites,
but for the first page). The trade-off: an account whose installs fill
more pages than the user asks list pages for shows its site-less installs only once
the scan got to them (older installs come first on the real API as on the fake, so
legacy ones tend to be found by the first call).

Statuses come the same way: a site has none, its installs do, and only ``GET
/installs`` says them in bulk. A site with an install not read yet has no status
(not "active") unless another is pending; a status filter or sort asks
`scan_statuses` for the rest. A page of the list built while another call reads a
page of installs waits for that answer (likely its own installs: they come in about
the sites' order). `r` forgets the statuses read (`forget_statuses`): they are read
again from the first page of installs, rather than shown as they were.

An item of either list that could not be read shows as a row marked unreadable and
teaches nothing: what its answer says of its installs is not believed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from wpe_tui.api import models as app
from wpe_tui.api.errors import ApiError
from wpe_tui.api.platform import mapping
from wpe_tui.api.platform import models as wire
from wpe_tui.api.platform.client import MAX_LIMIT, PlatformClient

PAGE_FRESH = 1.0  # seconds: the rows following one page of installs share its answer


@dataclass
class _InstallScan:
    offset: int = 0
    done: bool = False
    total: int | None = None  # installs there are, once a page said
    orphans: list[str] = field(default_factory=list)  # install IDs, in the order found
    told: set[str] = field(default_factory=set)  # sites whose installs it read, for the rows
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class SiteDirectory:
    """Pages of the site list, and the installs of each site the adapter has seen."""

    def __init__(self, client: PlatformClient) -> None:
        self.client = client
        self.installs: dict[str, mapping.InstallFacts] = {}
        self._site_installs: dict[str, list[str]] = {}
        # What a site's row needs besides its installs (not the whole answer: a sweep of
        # 100,000 sites passes through here).
        self._sites: dict[str, tuple[str, str | None, datetime | None]] = {}
        self._site_count: int | None = None
        self._scan = _InstallScan()
        # Where the scan saw each install in GET /installs: following the pending sites
        # in view asks for those pages again, one request for many installs.
        self._install_offsets: dict[str, int] = {}
        self._pages: dict[int, tuple[float, asyncio.Future[None]]] = {}
        # Statuses read before the last `forget_statuses` are not known any more: each
        # install's is of the generation it was read in.
        self._generation = 0
        self._status_read: dict[str, int] = {}

    # -- what answers taught us ------------------------------------------------------

    def learn_site(self, site: wire.Site) -> list[mapping.InstallFacts]:
        facts = [self._learn(mapping.InstallFacts.from_site(i, site)) for i in site.installs]
        self._site_installs[site.id] = [f.id for f in facts]
        self._sites[site.id] = (site.name or "", site.account.id, site.created_at)
        return facts

    def learn_install(self, install: wire.Installation) -> mapping.InstallFacts:
        if install.status is not None:
            self._status_read[install.id] = self._generation
        return self._learn(mapping.InstallFacts.from_install(install))

    def _learn(self, facts: mapping.InstallFacts) -> mapping.InstallFacts:
        known = self.installs.get(facts.id)
        merged = known.merged(facts) if known is not None else facts
        self.installs[facts.id] = merged
        return merged

    def facts(self, install_id: str) -> mapping.InstallFacts:
        known = self.installs.get(install_id)
        if known is None:
            return mapping.InstallFacts(install_id, None, None)
        if known.status is not None and self._status_read.get(install_id) != self._generation:
            return replace(known, status=None)  # read before `r`: not known now
        return known

    def forget_statuses(self) -> None:
        """`r`: the statuses read so far may have changed (a pending install is active
        by now), so they are read again, from the first page of installs."""
        self._generation += 1
        self._scan = _InstallScan(orphans=list(self._scan.orphans))
        self._pages.clear()

    async def installs_of(self, site_id: str) -> list[mapping.InstallFacts]:
        """The site's installs: from what was learnt, else one ``GET /sites/{id}``
        (or ``GET /installs/{id}`` for an install that belongs to no site)."""
        orphan = mapping.orphan_install_id(site_id)
        if orphan is not None:
            known = self.installs.get(orphan)
            if known is None or known.name is None:
                known = self.learn_install(await self.client.get_install(orphan))
            return [known]
        ids = self._site_installs.get(site_id)
        if ids is None:
            return self.learn_site(await self.client.get_site(site_id))
        return [self.facts(i) for i in ids]

    # -- the list --------------------------------------------------------------------

    async def page(
        self, page: int, per_page: int, account_names: Mapping[str, str]
    ) -> app.Page[app.Site]:
        offset = (page - 1) * per_page
        listed: wire.Page[wire.Site] | None = None
        if self._site_count is None or offset < self._site_count:
            scan = asyncio.ensure_future(self._scan_step())
            try:
                listed = await self.client.list_sites(limit=per_page, offset=offset)
            except BaseException:
                # A 429 (or any failure) for the sites: the page is not shown, so its
                # installs are not asked for either (paced, that request would leave
                # after the 429 came back, into the Retry-After).
                scan.cancel()
                raise
            await scan
        else:  # a page of site-less installs only: no site to ask for
            await self._scan_step()
        rows: list[app.Site] = []
        if listed is not None:
            self._site_count = listed.count if listed.count is not None else len(listed.results)
            for item in listed.results:
                if item.unreadable is None:
                    self.learn_site(item)
            if offset > 0 and self._scan_stops_within(listed.results):
                # The next page of installs has the rest (not for the first page: its rows
                # go out first; the list asks `listed_rows` for them later).
                await self._scan_step()
            rows = [self.site_row(item, account_names) for item in listed.results]
        count = self._site_count or 0
        if offset + per_page > count:
            start = max(0, offset - count)
            for install_id in self._scan.orphans[start : start + per_page - len(rows)]:
                rows.append(self.orphan_row(self.facts(install_id), account_names))
        total = count + len(self._scan.orphans)
        return app.Page[app.Site](
            results=rows,
            pagination=app.Pagination(
                total=total,
                count=len(rows),
                per_page=per_page,
                current_page=page,
                total_pages=-(-total // per_page),
            ),
        )

    def _scan_stops_within(self, sites: list[wire.Site]) -> bool:
        """Whether the scan got as far as these sites but not past them: the first one's
        installs were read, a later one's not (a site has about two installs, so a page
        of sites can hold more installs than the one page of them its call read)."""
        if self._scan.done:
            return False
        read = [
            all(self.facts(i.id).status is not None for i in site.installs)
            for site in sites
            if site.unreadable is None and site.installs
        ]
        return bool(read) and read[0] and not all(read)

    # -- following statuses ------------------------------------------------------------

    def status_row(self, site_id: str, account_names: Mapping[str, str]) -> app.Site | None:
        """The row of a site listed before, with what is known now of its installs."""
        listed, ids = self._sites.get(site_id), self._site_installs.get(site_id)
        if listed is None or ids is None:
            return None
        name, account_id, created = listed
        return mapping.site(
            site_id=site_id,
            name=name,
            installs=[self.facts(i) for i in ids],
            account_id=account_id,
            account_names=account_names,
            created_at=created,
        )

    def listed_rows(self, site_ids: list[str], account_names: Mapping[str, str]) -> list[app.Site]:
        """The rows of these listed sites as what was learnt since makes them (no
        request): a row made before its installs were read gets its status."""
        return [row for s in site_ids if (row := self.status_row(s, account_names)) is not None]

    def install_ids(self, site_id: str) -> list[str]:
        return list(self._site_installs.get(site_id, ()))

    async def refresh_installs(self, install_ids: list[str], now: float) -> list[str]:
        """Ask again for the ``GET /installs`` pages the scan saw these installs on, each
        page once however many installs (and sites following them) need it: a page
        asked for less than `PAGE_FRESH` seconds ago is not asked for again. Returns
        the installs no page holds (not scanned yet), for the caller to ask one by one."""
        offsets = {self._install_offsets[i] for i in install_ids if i in self._install_offsets}
        waits = []
        for offset in sorted(offsets):
            kept = self._pages.get(offset)
            if kept is None or now - kept[0] >= PAGE_FRESH or kept[1].cancelled():
                kept = (now, asyncio.ensure_future(self._read_installs(offset)))
                self._pages[offset] = kept
            waits.append(kept[1])
        if waits:
            await asyncio.gather(*(asyncio.shield(w) for w in waits))
        return [i for i in install_ids if i not in self._install_offsets]

    async def _read_installs(self, offset: int) -> None:
        listed = await self.client.list_installs(limit=MAX_LIMIT, offset=offset)
        for install in listed.results:
            if install.unreadable is None:
                self.learn_install(install)

    def site_row(self, item: wire.Site, account_names: Mapping[str, str]) -> app.Site:
        return mapping.site(
            site_id=item.id,
            name=item.name or "",
            installs=[self.facts(i.id) for i in item.installs],
            account_id=item.account.id,
            account_names=account_names,
            created_at=item.created_at,
            unreadable=item.unreadable,
        )

    def orphan_row(self, facts: mapping.InstallFacts, account_names: Mapping[str, str]) -> app.Site:
        return mapping.site(
            site_id=mapping.orphan_site_id(facts.id),
            name=facts.name or facts.id,
            installs=[facts],
            account_id=facts.account_id,
            account_names=account_names,
            unreadable=facts.unreadable,
        )

    def _unreadable_orphan(self, install: wire.Installation) -> bool:
        """Whether an install that could not be read is to be listed as one of no site:
        it names none (or its ``site`` is what could not be read) and no site listed it."""
        known = self.installs.get(install.id)
        return install.site_id is None and (known is None or known.site_id is None)

    async def scan_statuses(self, account_names: Mapping[str, str]) -> app.StatusScan:
        """One more page of ``GET /installs``, for a status filter or sort that needs
        every site's status (a site's is its installs'; the site list says none): the
        rows of the listed sites whose installs it held. Its failure is the caller's."""
        scan = self._scan
        async with scan.lock:  # after the page another call is reading, if one is
            if not scan.done:
                await self._read_scan_page()
        # Also the sites of the pages the list's own calls read meanwhile.
        sites, scan.told = scan.told, set()
        rows = self.listed_rows(list(sites), account_names)
        return app.StatusScan(rows=rows, read=scan.offset, total=scan.total, done=scan.done)

    async def _scan_step(self) -> None:
        """Read the next page of ``GET /installs``, noting the installs of no site. Best
        effort: a failure only means the next call tries again (a 401 still counts)."""
        scan = self._scan
        if scan.done:
            return
        if scan.lock.locked():
            # Another call is reading a page: its answer is likely this page's too (the
            # installs come in about the sites' order), and is waited for, not doubled.
            async with scan.lock:
                return
        async with scan.lock:
            try:
                await self._read_scan_page()
            except ApiError as error:
                if error.status == 401:
                    raise

    async def _read_scan_page(self) -> None:
        """The scan's next page (its lock held)."""
        scan = self._scan
        listed = await self.client.list_installs(limit=MAX_LIMIT, offset=scan.offset)
        for install in listed.results:
            if install.unreadable is not None and not self._unreadable_orphan(install):
                continue  # a site's install: its site lists it
            facts = self.learn_install(install)
            if facts.site_id is not None:
                scan.told.add(facts.site_id)
            self._install_offsets[install.id] = scan.offset
            if install.site_id is None and install.id not in scan.orphans:
                scan.orphans.append(install.id)
        scan.offset += len(listed.results)
        end = listed.count if listed.count is not None else None
        scan.total = end if end is not None else scan.total
        scan.done = (
            not listed.results
            or (end is not None and scan.offset >= end)
            or (end is None and listed.next is None)
        )
