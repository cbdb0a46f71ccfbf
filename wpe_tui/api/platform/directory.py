"""`SiteDirectory`: the site list of every account, and what the adapter has learnt of
sites and installs along the way.

The list is the sites of ``GET /sites`` (all accounts, in the API's order) followed
by the installs that belong to no site. Those can only be found by reading
``GET /installs`` (its ``site`` is null), so they are found lazily: every call for a
page of the list reads at most one more page of installs, until all were read.
A page of the list therefore costs at most 2 requests, wherever it is:
``GET /sites?limit&offset`` and, while the install scan is unfinished,
``GET /installs?limit=100&offset``. The trade-off: an account whose installs fill
more pages than the user asks list pages for shows its site-less installs only once
the scan got to them (older installs come first on the real API as on the fake, so
legacy ones tend to be found by the first call).

An item of either list that could not be read shows as a row marked unreadable and
teaches nothing: what its answer says of its installs is not believed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
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
    orphans: list[str] = field(default_factory=list)  # install IDs, in the order found
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

    # -- what answers taught us ------------------------------------------------------

    def learn_site(self, site: wire.Site) -> list[mapping.InstallFacts]:
        facts = [self._learn(mapping.InstallFacts.from_site(i, site)) for i in site.installs]
        self._site_installs[site.id] = [f.id for f in facts]
        self._sites[site.id] = (site.name or "", site.account.id, site.created_at)
        return facts

    def learn_install(self, install: wire.Installation) -> mapping.InstallFacts:
        return self._learn(mapping.InstallFacts.from_install(install))

    def _learn(self, facts: mapping.InstallFacts) -> mapping.InstallFacts:
        known = self.installs.get(facts.id)
        merged = known.merged(facts) if known is not None else facts
        self.installs[facts.id] = merged
        return merged

    def facts(self, install_id: str) -> mapping.InstallFacts:
        return self.installs.get(install_id) or mapping.InstallFacts(install_id, None, None)

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
                rows.append(self.site_row(item, account_names))
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

    async def _scan_step(self) -> None:
        """Read the next page of ``GET /installs``, noting the installs of no site. Best
        effort: a failure only means the next call tries again (a 401 still counts)."""
        scan = self._scan
        if scan.done or scan.lock.locked():
            return  # finished, or another call is reading that page right now
        async with scan.lock:
            try:
                listed = await self.client.list_installs(limit=MAX_LIMIT, offset=scan.offset)
            except ApiError as error:
                if error.status == 401:
                    raise
                return
            for install in listed.results:
                if install.unreadable is not None and not self._unreadable_orphan(install):
                    continue  # a site's install: its site lists it
                self.learn_install(install)
                self._install_offsets[install.id] = scan.offset
                if install.site_id is None and install.id not in scan.orphans:
                    scan.orphans.append(install.id)
            scan.offset += len(listed.results)
            end = listed.count if listed.count is not None else None
            scan.done = (
                not listed.results
                or (end is not None and scan.offset >= end)
                or (end is None and listed.next is None)
            )
