"""What a soak run saw, and the options it ran with."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual.notifications import SeverityLevel

# The same toast this many times within this many seconds is a storm (a warning).
STORM_COUNT = 4
STORM_SECONDS = 5.0
# A failure is shown if its toast comes within this many seconds (at once, normally).
SHOWN_WITHIN = 30.0
CLOSED_WITHIN = 1.0  # seconds: a table's failure this close to its screen closing
REPLACED_WITHIN = 1.0  # seconds: a table's failure this close to its query being replaced
_STEP = re.compile(r"step (\d+): (.*)", re.DOTALL)


SIZE = (80, 24)


@dataclass(frozen=True)
class Faults:
    fail_rate: float = 0.10
    rate_limit_rate: float = 0.05
    retry_after: tuple[float, float] = (0.2, 1.0)  # drawn again at every clock jump
    drop_rate: float = 0.05
    latency_ms: float = 400.0
    jitter_ms: float = 400.0  # latency_ms ± jitter_ms: 0-800 ms

    def describe(self) -> str:
        low, high = self.retry_after
        slowest = self.latency_ms + self.jitter_ms
        fastest = max(0.0, self.latency_ms - self.jitter_ms)
        return (
            f"{self.fail_rate:.0%} 5xx, {self.rate_limit_rate:.0%} 429 (Retry-After "
            f"{low:g}-{high:g} s), {self.drop_rate:.0%} dropped connections, "
            f"latency {fastest:g}-{slowest:g} ms"
        )


@dataclass
class SoakOptions:
    seed: int = 1
    api: str = "customer"  # or "platform": the Hosting Platform API's fake and backend
    steps: int | None = None  # stop after this many keys ...
    minutes: float | None = None  # ... or after this long, whichever comes first
    sites: int = 400
    page_size: int = 20  # more page boundaries to cross than the default 50
    refresh_interval: float = 1.0
    faults: Faults = field(default_factory=Faults)
    hang_seconds: float = 30.0  # a key not processed by then: the app hangs
    clock_jump_chance: float = 1 / 15  # per step: the fake's clock jumps 1-15 s
    churn_chance: float = 1 / 12  # per step: someone else changes the account
    outage_chance: float = 1 / 100  # per step: a burst of 4-12 faults in a row
    think_scale: float = 1.0  # pauses between keys: mostly 0-80 ms, sometimes up to 3 s
    progress: Callable[[str], None] | None = None
    progress_every: float = 30.0


@dataclass
class FailedLoad:
    """A GET that still failed after the client's retries."""

    step: int
    at: float
    method_path: str
    message: str
    status: int | None
    group: str
    view: str
    excuse: str | None = None  # why it need not be shown; None: it must be
    shown_by: str | None = None  # the toast that told of it
    screen: int | None = None  # id() of the table's screen, for a table's failed page


@dataclass
class Toast:
    at: float
    step: int
    severity: SeverityLevel
    message: str


@dataclass
class SoakReport:
    options: SoakOptions
    keys: int = 0
    seconds: float = 0.0
    step_times: list[float] = field(default_factory=list)
    slowest: list[tuple[float, str, str]] = field(default_factory=list)  # (s, key, view)
    faults: Counter[str] = field(default_factory=Counter)
    gets: int = 0
    writes_received: int = 0
    writes_attempted: int = 0
    failed_loads: list[FailedLoad] = field(default_factory=list)
    toasts: list[Toast] = field(default_factory=list)
    load_failed_messages: int = 0
    tables_failed: list[FailedLoad] = field(default_factory=list)  # their LoadFailed
    screens_closed: dict[int, float] = field(default_factory=dict)  # id(): when popped
    placeholder_steps: int = 0
    offline_spells: int = 0
    views: Counter[str] = field(default_factory=Counter)
    key_counts: Counter[str] = field(default_factory=Counter)
    clock_jumps: int = 0
    churn: Counter[str] = field(default_factory=Counter)
    outages: Counter[str] = field(default_factory=Counter)
    outage_faults: Counter[str] = field(default_factory=Counter)
    # What asyncio logged about the app's tasks (e.g. one destroyed while pending):
    # reported as a warning, it does not fail the run.
    asyncio_errors: Counter[str] = field(default_factory=Counter)
    final: list[str] = field(default_factory=list)
    final_seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    _seen: dict[str, list[Any]] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.failures

    def fail(self, message: str) -> None:
        """Note a broken promise; the same one again (at another step) is counted."""
        match = _STEP.match(message)
        step, what = (int(match[1]), match[2]) if match else (None, message)
        if what in self._seen:
            self._seen[what][0] += 1
            return
        self._seen[what] = [1, step]
        self.failures.append(what)

    def failure_lines(self) -> list[str]:
        lines = []
        for what in self.failures:
            count, step = self._seen[what]
            where = f"step {step}" if step is not None else ""
            if count > 1:
                where = f"{count} times, first at {where or 'the end'}"
            lines.append(f"{where}: {what}" if where else what)
        return lines

    def toast_storms(self) -> dict[str, tuple[int, int]]:
        """Error toasts repeated STORM_COUNT times or more within STORM_SECONDS: the most
        repeats of each, and the step where they began."""
        storms: dict[str, tuple[int, int]] = {}
        by_message: dict[str, list[Toast]] = {}
        for toast in self.toasts:
            if toast.severity == "error":  # a hint repeated by repeated keys is no storm
                by_message.setdefault(toast.message, []).append(toast)
        for message, toasts in by_message.items():
            start = 0
            for end, toast in enumerate(toasts):
                while toast.at - toasts[start].at > STORM_SECONDS:
                    start += 1
                count = end - start + 1
                if count >= STORM_COUNT and count > storms.get(message, (0, 0))[0]:
                    storms[message] = (count, toasts[start].step)
        return dict(sorted(storms.items(), key=lambda item: -item[1][0]))

    @property
    def errors_shown(self) -> int:
        return sum(1 for toast in self.toasts if toast.severity == "error")

    def percentile(self, fraction: float) -> float:
        if not self.step_times:
            return 0.0
        ordered = sorted(self.step_times)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]

    def summary(self) -> str:
        options = self.options
        minutes = self.seconds / 60
        per_minute = self.keys / minutes if minutes else 0.0
        must = [f for f in self.failed_loads if f.excuse is None]
        excused = Counter(f.excuse for f in self.failed_loads if f.excuse is not None)
        views = " · ".join(f"{name} {count}" for name, count in self.views.most_common())
        lines = [
            f"wpe-tui fault soak: {options.api} API, seed {options.seed}, {SIZE[0]}x{SIZE[1]}, "
            f"{options.sites} sites, page size {options.page_size}, "
            f"refresh every {options.refresh_interval:g} s",
            f"faults             {options.faults.describe()}",
            f"duration           {int(self.seconds // 60)}m{int(self.seconds % 60):02d}s",
            f"keys pressed       {self.keys:,} ({per_minute:,.0f}/min)",
            f"requests           {self.gets:,} GET; writes sent {self.writes_received} "
            f"(attempted by the client {self.writes_attempted})",
            "faults met         "
            + " · ".join(f"{kind} {self.faults[kind]:,}" for kind in ("5xx", "429", "dropped"))
            + f" ({sum(self.faults.values()):,} of {self.gets:,} requests)",
            f"loads failed       {len(self.failed_loads)} after retries: {len(must)} to show"
            + "".join(f", {count} {why}" for why, count in sorted(excused.items())),
            f"errors shown       {self.errors_shown} error toasts "
            f"({self.load_failed_messages} table loads failed; 'could not load: r to retry' "
            f"in view at {self.placeholder_steps} steps; offline {self.offline_spells} times, "
            "banner shown)",
            f"step time          max {self.percentile(1.0):.3f} s · "
            f"p95 {self.percentile(0.95):.3f} s · median {self.percentile(0.5):.3f} s",
            "slowest keys       "
            + " · ".join(f"{key} on {view} {took:.2f} s" for took, key, view in self.slowest[:3]),
            f"fake clock jumps   {self.clock_jumps}",
            "outage bursts      "
            + (" · ".join(f"{k} {n}" for k, n in sorted(self.outages.items())) or "-")
            + f" ({sum(self.outage_faults.values())} faults in a row, apart from the above)",
            "others' changes    "
            + (" · ".join(f"{k} {n}" for k, n in self.churn.most_common()) or "-"),
            f"views opened       {views or '-'}",
        ]
        lines.extend(f"final check        {line}" for line in self.final)
        if self.final:
            lines.append(f"final check        took {self.final_seconds:.1f} s")
        lines.extend(
            f"warning            asyncio logged {count}x: {message}"
            for message, count in self.asyncio_errors.most_common()
        )
        lines.extend(
            f"warning            the same error toast {count} times within {STORM_SECONDS:g} s "
            f"(step {step}): {message[:80]}"
            for message, (count, step) in list(self.toast_storms().items())[:3]
        )
        if self.failures:
            lines.append(f"FAILED ({len(self.failures)}):")
            lines.extend(f"  - {failure}" for failure in self.failure_lines())
        else:
            lines.append("result             OK: nothing broken")
        return "\n".join(lines)
