"""`python -m tests.soak`: the long soak from the command line (`make soak`)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from tests.soak.report import SoakOptions
from tests.soak.run import run_soak


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.soak", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--minutes", type=float, default=None, help="default 10 (without --steps)")
    parser.add_argument("--steps", type=int, default=None, help="stop after this many keys")
    parser.add_argument("--seed", type=int, default=None, help="default: from the time")
    parser.add_argument("--sites", type=int, default=400)
    parser.add_argument("--api", choices=("customer", "platform"), default="customer")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    minutes = args.minutes if args.minutes is not None or args.steps is not None else 10.0
    seed = args.seed if args.seed is not None else int(time.time()) % 100_000
    with tempfile.TemporaryDirectory(prefix="wpe-tui-soak-home-") as home:
        # Nothing the app saves (a crash report, a config) lands in the user's home.
        os.environ["XDG_CONFIG_HOME"] = str(Path(home) / ".config")
        os.environ["XDG_STATE_HOME"] = str(Path(home) / ".state")
        for name in ("WPE_API_KEY", "WPE_API_URL", "WPE_PROFILE", "WPE_API", "WPE_API_USER"):
            os.environ.pop(name, None)
        options = SoakOptions(
            seed=seed,
            steps=args.steps,
            minutes=minutes,
            sites=args.sites,
            api=args.api,
            progress=lambda line: print(line, flush=True),
        )
        until = f"{minutes:g} minutes" if minutes is not None else f"{args.steps} keys"
        print(
            f"wpe-tui fault soak: seed {seed}, until {until}; {options.faults.describe()}",
            flush=True,
        )
        report = asyncio.run(run_soak(options))
    print(report.summary(), flush=True)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
