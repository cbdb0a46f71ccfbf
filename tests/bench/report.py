"""Figures, the machine they were measured on, and the table that shows them."""

from __future__ import annotations

import math
import os
import platform
import statistics
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import psutil

from tests.bench.paths import ROOT


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear between the closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ms(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds * 1000:,.0f} ms"


def ms1(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds * 1000:,.1f} ms"


def megabytes(size: float) -> str:
    return "n/a" if math.isnan(size) else f"{size / 1e6:,.1f} MB"


def ratio(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.2f}"


def count(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:g}"


def percent(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.2f} %"


@dataclass
class Figure:
    """One line of the table: a median over runs, maybe held against a target."""

    section: str
    label: str
    samples: list[float]
    show: Callable[[float], str]
    target: str = ""
    ok: bool | None = None  # None: no target, shown for context
    runs: int | None = None  # runs behind the figure, when samples are not one per run
    note: str = ""
    value: float = field(init=False)

    def __post_init__(self) -> None:
        self.value = median(self.samples)

    def met(self, check: Callable[[float], bool], target: str) -> Figure:
        self.target = target
        self.ok = not math.isnan(self.value) and check(self.value)
        return self

    @property
    def spread(self) -> str:
        clean = [s for s in self.samples if not math.isnan(s)]
        if len(clean) < 2:
            return ""
        return f"{self.show(min(clean))} – {self.show(max(clean))}"

    def row(self) -> list[str]:
        verdict = {None: "", True: "met", False: "**missed**"}[self.ok]
        runs = self.runs if self.runs is not None else len(self.samples)
        label = self.label + (f" ({self.note})" if self.note else "")
        shown = self.show(self.value)
        return [self.section, label, shown, self.spread, str(runs), self.target, verdict]


def table(figures: Sequence[Figure]) -> str:
    header = ["#", "figure", "median", "min – max", "runs", "target", ""]
    rows = [header, ["---"] * len(header)] + [figure.row() for figure in figures]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for row in rows:
        if row[0] == "---":
            cells = ["-" * width for width in widths]
        else:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _revision(folder: Path) -> str:
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return "unknown"
    return result.stdout.strip() or "unknown"


def machine(columns: int, lines: int, app_path: Path | None = None) -> list[str]:
    cores = os.cpu_count() or 0
    physical = psutil.cpu_count(logical=False) or cores
    memory = psutil.virtual_memory().total / 2**30
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"CPU: {_cpu_model()}, {cores} logical cores ({physical} physical), "
        f"{memory:.1f} GiB RAM, load average at start {load}",
        f"OS: {platform.platform()}",
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"Textual {_version('textual')}, httpx {_version('httpx')}, "
        f"wpe-tui {_version('wpe-tui')} at {_revision(ROOT)}"
        + (f", wpe_tui package from {app_path}" if app_path else ""),
        f"Terminal: pexpect pty {columns}x{lines}, TERM=xterm-256color, rendered by pyte "
        f"{_version('pyte')}; API: wpe-tui demo-server on 127.0.0.1",
    ]
