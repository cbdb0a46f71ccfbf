"""The command line: `wpe-tui [--demo] ...` and `wpe-tui demo-server ...`."""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from wpe_tui import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wpe-tui",
        description="A keyboard-driven terminal app for WP Engine sites, backups and deployments.",
        epilog=(
            "Environment: WPE_API, WPE_API_KEY, WPE_API_USER, WPE_API_PASSWORD, WPE_API_URL and "
            "WPE_PROFILE override the config file."
        ),
    )
    parser.add_argument("--demo", action="store_true", help="open on the embedded demo account")
    parser.add_argument("--profile", metavar="NAME", help="use this profile of the config file")
    parser.add_argument("--api-url", metavar="URL", help="the API's base URL")
    parser.add_argument("--read-only", action="store_true", help="hide and refuse every change")
    parser.add_argument(
        "--api",
        metavar="API",
        help="customer (the default) or platform (the WP Engine Hosting Platform API)",
    )
    parser.add_argument(
        "--log",
        metavar="FILE",
        help="write one line per request to FILE (method, path, status, ms; never credentials)",
    )
    parser.add_argument("--version", action="version", version=f"wpe-tui {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_demo_server(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "demo-server":
        return _demo_server(args)
    # Every object start-up makes lives as long as the app, so the cyclic collector
    # has nothing to find in it: it waits until the first screen is drawn, when those
    # objects are frozen out of its reach (`app._freeze_startup_objects`). ~20 ms.
    gc.disable()
    # `import httpx` also imports its command-line client (click, pygments) whenever
    # click is installed (uvicorn brings it): ~25 ms of start-up for nothing. A None
    # entry makes that one import fail, and httpx falls back on its stub `main`.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    # Pydantic looks for plugins in every installed package's metadata at the first
    # model (~10 ms); the app uses none. A user's own setting wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from wpe_tui import tls

    tls.prepare()  # on the other core, while Textual and the rest are imported
    from wpe_tui.launch import launch  # Textual is imported only when the app runs

    try:
        return launch(
            demo=args.demo,
            profile=args.profile,
            api_url=args.api_url,
            read_only=args.read_only,
            api=args.api,
            log=args.log,
        )
    finally:
        gc.enable()  # when no screen came up (a config error, say)


DEMO_SERVER_EPILOG = """\
test controls, for benchmarks and soak tests (not part of any API; loopback
clients only, no key):
  POST /__fake__/rate-limit?next=N&retry_after=S
      the next N requests (default 1) answer 429 with Retry-After: S
  GET /__fake__/stats
      requests since the start, by method and by status
"""


def _add_demo_server(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    server = commands.add_parser(
        "demo-server",
        help="serve the fake WP Engine API on loopback",
        description="A fake WP Engine API on loopback; the same options give the same account.",
        epilog=DEMO_SERVER_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    server.add_argument(
        "--api",
        choices=("customer", "platform"),
        default="customer",
        help="which API to fake (default customer)",
    )
    server.add_argument(
        "--host", default="127.0.0.1", help="a loopback address (default %(default)s)"
    )
    server.add_argument("--port", type=int, default=8765, help="default %(default)s")
    server.add_argument(
        "--access-log", action="store_true", help="print one line per request on stdout"
    )
    server.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    account = server.add_argument_group("the account (shares are 0-1)")
    account.add_argument(
        "--sites", type=int, default=120, metavar="N", help="sites in the account (default 120)"
    )
    account.add_argument(
        "--stuck-rate",
        type=float,
        default=0.0,
        metavar="R",
        help="share of sites provisioning for good, and of running backups and "
        "deployments in progress for good (their estimate long past or 30 days ahead)",
    )
    account.add_argument(
        "--odd-status-rate",
        type=float,
        default=0.0,
        metavar="R",
        help="share of items in a status nobody listed (queued, migrating, paused)",
    )
    account.add_argument(
        "--bad-record-rate",
        type=float,
        default=0.0,
        metavar="R",
        help="share of items that do not parse in list pages",
    )
    account.add_argument(
        "--backup-seconds",
        type=float,
        default=None,
        metavar="N",
        help="how long a new backup or a restore takes (default 8-20 s and 15-30 s)",
    )
    faults = server.add_argument_group("the wire")
    faults.add_argument(
        "--latency-ms", type=float, default=0.0, metavar="X", help="added to every answer"
    )
    faults.add_argument(
        "--write-latency-ms",
        type=float,
        default=0.0,
        metavar="X",
        help="added to the answer of a write, after it has taken effect",
    )
    faults.add_argument(
        "--fail-rate", type=float, default=0.0, metavar="R", help="share of 5xx answers"
    )
    faults.add_argument(
        "--rate-limit-rate",
        type=float,
        default=0.0,
        metavar="R",
        help="share of 429 answers",
    )
    faults.add_argument(
        "--retry-after",
        type=float,
        default=1.0,
        metavar="S",
        help="seconds in the Retry-After of a 429 (default 1)",
    )


def _demo_server_problem(args: argparse.Namespace) -> str | None:
    """The first thing wrong with the options, as one sentence."""
    from wpe_tui.api.client import is_loopback_host

    if not is_loopback_host(args.host):
        return f"the demo server listens on loopback only, not {args.host}"
    shares = ("fail_rate", "rate_limit_rate", "stuck_rate", "odd_status_rate", "bad_record_rate")
    for option in shares:
        value = getattr(args, option)
        if not 0.0 <= value <= 1.0:
            return f"--{option.replace('_', '-')} is a share from 0 to 1, not {value:g}"
    if args.sites < 0:
        return f"--sites is 0 or more, not {args.sites}"
    for option in ("latency_ms", "write_latency_ms", "retry_after"):
        value = getattr(args, option)
        if not 0.0 <= value < float("inf"):
            return f"--{option.replace('_', '-')} is 0 or more, not {value:g}"
    if args.backup_seconds is not None and not 0.0 < args.backup_seconds < float("inf"):
        return f"--backup-seconds is more than 0, not {args.backup_seconds:g}"
    if args.api == "platform" and (args.odd_status_rate or args.bad_record_rate):
        return "--odd-status-rate and --bad-record-rate work with --api customer only"
    return None


def _platform_demo_server() -> Callable[..., None] | None:
    """The Hosting Platform API fake's server, or None in a build without it."""
    try:
        module = importlib.import_module("wpe_tui.fake.platform")
    except ModuleNotFoundError as error:
        if error.name != "wpe_tui.fake.platform":
            raise  # something it needs is missing: a bug to show, not a missing feature
        return None
    run: Callable[..., None] | None = getattr(module, "run_platform_demo_server", None)
    return run


def _demo_server(args: argparse.Namespace) -> int:
    problem = _demo_server_problem(args)
    if problem is not None:
        print(f"wpe-tui: {problem}", file=sys.stderr)
        return 2
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "sites": args.sites,
        "latency_ms": args.latency_ms,
        "fail_rate": args.fail_rate,
        "seed": args.seed,
        "access_log": args.access_log,
        "stuck_rate": args.stuck_rate,
        "backup_seconds": args.backup_seconds,
        "write_latency_ms": args.write_latency_ms,
        "rate_limit_rate": args.rate_limit_rate,
        "retry_after": args.retry_after,
    }
    if args.api == "platform":
        run = _platform_demo_server()
        if run is None:
            print(
                "wpe-tui: this build has no fake of the Hosting Platform API yet; "
                "use --api customer",
                file=sys.stderr,
            )
            return 2
    else:
        from wpe_tui.fake import run_demo_server

        run = run_demo_server
        options["odd_status_rate"] = args.odd_status_rate
        options["bad_record_rate"] = args.bad_record_rate
    with contextlib.suppress(KeyboardInterrupt):  # ctrl+c is how it is meant to stop
        run(**options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
