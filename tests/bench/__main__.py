"""`python -m tests.bench [--quick] [--only 1,6] [--api platform] [--json PATH]`: run the
scenarios and print the table."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import traceback
from dataclasses import asdict
from pathlib import Path

from tests.bench.api import BenchApi, Skipped
from tests.bench.harness import Bench
from tests.bench.report import Figure, machine, table
from tests.bench.scenarios import SCENARIOS


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="2 runs and 10 s of idle: for development only"
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=None,
        help="runs per figure (default 7; 5 of 60 s idle; 3 in scenario 6)",
    )
    parser.add_argument("--idle-seconds", type=float, default=None, help="default 60")
    parser.add_argument("--presses", type=int, default=160, help="key presses per run of 5")
    parser.add_argument("--only", default="", help="comma-separated scenarios, e.g. 1,3")
    parser.add_argument("--size", default="80x24", help="terminal COLUMNSxLINES")
    parser.add_argument(
        "--app-path",
        type=Path,
        help="run the wpe_tui package in this folder (a patched copy) instead of the "
        "installed one, for before/after figures",
    )
    parser.add_argument(
        "--api",
        choices=("customer", "platform"),
        default="customer",
        help="the API the app and `demo-server --api` speak; scenarios 2, 3 and 5 need "
        "the Customer API, and with platform the rest runs once that fake exists",
    )
    parser.add_argument("--json", type=Path, help="also write every sample here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    sys.setswitchinterval(0.0005)  # the pty reader thread stamps chunks promptly
    args = parse_args(argv)
    runs = args.runs or (2 if args.quick else 7)
    idle_runs = args.runs or (2 if args.quick else 5)
    idle_seconds = args.idle_seconds or (10.0 if args.quick else 60.0)
    columns, _, lines = args.size.partition("x")
    chosen = [s.strip() for s in args.only.split(",") if s.strip()] or list(SCENARIOS)
    unknown = [key for key in chosen if key not in SCENARIOS]
    if unknown:
        print(
            f"no scenario {', '.join(unknown)}; there are {', '.join(SCENARIOS)}", file=sys.stderr
        )
        return 2
    began = time.time()
    description = machine(int(columns), int(lines), args.app_path)
    figures: list[Figure] = []
    failures: list[str] = []
    skipped: list[str] = []
    with tempfile.TemporaryDirectory(prefix="wpe-tui-bench-") as home:
        bench = Bench(
            runs=runs,
            idle_runs=idle_runs,
            idle_seconds=idle_seconds,
            presses=args.presses,
            home=Path(home),
            columns=int(columns),
            lines=int(lines),
            app_path=args.app_path.resolve() if args.app_path else None,
            api=BenchApi(args.api),
            quick=args.quick,
            scale_runs=args.runs or (2 if args.quick else 3),
        )
        for key in chosen:
            title, scenario = SCENARIOS[key]
            print(f"[{key}] {title}", file=sys.stderr, flush=True)
            started = time.time()
            try:
                figures += scenario(bench)
            except Skipped as why:
                skipped.append(f"[{key}] {title}: skipped with --api {args.api}: {why}")
                print(f"    {skipped[-1]}", file=sys.stderr, flush=True)
            except Exception as error:
                traceback.print_exc()
                failures.append(f"[{key}] {title}: {type(error).__name__}: {error}")
            print(f"    ({time.time() - started:.0f} s)", file=sys.stderr, flush=True)
    elapsed = time.time() - began
    print()
    print("wpe-tui benchmark" + (" (--quick: not a full run)" if args.quick else ""))
    for line in description:
        print(f"- {line}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"- Medians of {runs} runs ({idle_runs} for the idle figures) unless the runs column "
        "says otherwise; "
        f"took {elapsed / 60:.1f} min; load average at the end {load}"
    )
    print()
    print(table(figures))
    missed = [f for f in figures if f.ok is False]
    print()
    print(
        f"{sum(1 for f in figures if f.ok)} targets met, {len(missed)} missed"
        + (f", {len(failures)} scenarios failed" if failures else "")
    )
    for failure in failures:
        print(f"FAILED {failure}")
    for skip in skipped:
        print(f"SKIPPED {skip}")
    if args.json:
        data = {
            "machine": description,
            "runs": runs,
            "figures": [{k: v for k, v in asdict(f).items() if k != "show"} for f in figures],
        }
        args.json.write_text(json.dumps(data, indent=2))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
