"""The fault soak: random keys against a fake API that fails, throttles, drops and lags.

`python -m tests.soak [--api platform] [--minutes M] [--steps N] [--seed S]` (`make
soak`: 10 minutes, Customer API) serves a fake API over real loopback HTTP (uvicorn in
a thread), the Customer API's or the Hosting Platform API's, with, by default, 10 %
5xx answers, 5 % 429 with a Retry-After of 0.2-1 s, 5 % dropped connections and
0-800 ms of latency on every request, and drives the real app and backend (`WpeApp`
with `WpeClient` or `PlatformBackend`, 80x24, Pilot) with a seeded random walk of
keys: navigation, enter, escape, q, tabs, refresh, `/` filter, sort/order/status,
help, the activity panel, the palette, and every modal opened and cancelled.

Meanwhile, on the server side (never through the app): the fake's clock jumps
1-15 s now and then, so what is in progress finishes; someone else works on the
account (backups and deployments started, sites created, renamed, switched off or
deleted; on the Hosting Platform API, backups started), so there is always something
in flight for the live refresh and lists change between the requests of their pages;
and now and then an outage queues 4-12 faults in a row, more than the client's retries
absorb, so loads fail for good and the app goes offline and comes back.

The walk never asks for a change: while a form (`FormModal`), the setup screen or
the palette is open, or a form is about to open, it presses only letters, digits,
tab, arrows, space (not on a button), backspace and escape; never enter, never
`ctrl+s`. It never presses `ctrl+q`, nor `q` on the site list (quit).

What it asserts (each broken promise is collected; the run fails at the end):

- the app never exits, never shows the crash screen, never records a crash report,
  and no worker ends with an unexpected exception (one started with
  `exit_on_error=False` would otherwise fail silently);
- it stays responsive: every key press is processed (a 30 s hang detector, not a
  performance threshold; the step times are reported as figures);
- it shows every error: every GET that finally failed (after the client's retries)
  for something the user asked to see gets a toast of its own within 30 s: an error
  toast quoting the error, or for a 404 one saying in the view's words that the item is
  gone. Exempt, and counted apart: the background polls that are silent by design
  (`live`, `activity`, `reconnect`: they retry at the next interval and the offline
  banner speaks for the network), answers to a table query that was replaced
  meanwhile (a new sort or a refresh), loads of a view already closed, and the
  requests a site detail makes ahead while it is built (judged where they are
  awaited). Besides, every page a table reports as failed (`PagedTable.LoadFailed`)
  gets an error toast quoting the error, and while the app is offline the banner
  of the view in front is showing;
- it never sends a write: the fake received no POST, PUT or DELETE, and the
  client attempted none;
- the fake API itself raised nothing (a 5xx it did not inject would be a bug of
  the fake, and would blur the figures);
- once the faults stop (and the clock, the churn and the outages with them), one
  `r` on the site list shows exactly the server's state: the count, and the rows in
  view (key, name, status at their place, none twice, no placeholder), no offline
  banner; then a sweep from the first row to the last, page by page, finds every
  row equal to the server's (pages loaded before the refresh and out of view are
  fetched again as they come into view); then the site under the cursor opens with
  exactly the server's backups and deployments (both tabs swept), and again after
  `r`.

Reported as warnings, which do not fail the run: what asyncio logs about the app's
tasks (a task destroyed while pending), and toast storms (the same error toast 4
times or more within 5 s).
"""

from __future__ import annotations

from tests.soak.report import SoakOptions, SoakReport
from tests.soak.run import run_soak

__all__ = ["SoakOptions", "SoakReport", "run_soak"]
