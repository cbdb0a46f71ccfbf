"""The command line: `wpe-tui [--demo] ...` and `wpe-tui demo-server ...`."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence

from wpe_tui import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wpe-tui",
        description="A keyboard-driven terminal app for WP Engine sites, backups and deployments.",
        epilog="Environment: WPE_API_KEY, WPE_API_URL and WPE_PROFILE override the config file.",
    )
    parser.add_argument("--demo", action="store_true", help="open on the embedded demo account")
    parser.add_argument("--profile", metavar="NAME", help="use this profile of the config file")
    parser.add_argument("--api-url", metavar="URL", help="the API's base URL")
    parser.add_argument("--read-only", action="store_true", help="hide and refuse every change")
    parser.add_argument("--version", action="version", version=f"wpe-tui {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    server = commands.add_parser("demo-server", help="serve the fake WP Engine API on loopback")
    server.add_argument("--host", default="127.0.0.1")
    server.add_argument("--port", type=int, default=8765)
    server.add_argument("--sites", type=int, default=120, help="sites in the account")
    server.add_argument("--latency-ms", type=float, default=0.0, help="added to every answer")
    server.add_argument("--fail-rate", type=float, default=0.0, help="share of 5xx answers, 0-1")
    server.add_argument(
        "--access-log", action="store_true", help="print one line per request on stdout"
    )
    server.add_argument("--seed", type=int, default=1, help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "demo-server":
        return _demo_server(args)
    from wpe_tui.launch import launch  # Textual is imported only when the app runs

    return launch(
        demo=args.demo, profile=args.profile, api_url=args.api_url, read_only=args.read_only
    )


def _demo_server(args: argparse.Namespace) -> int:
    from wpe_tui.api.client import is_loopback_host
    from wpe_tui.fake import run_demo_server

    if not is_loopback_host(args.host):
        print(
            f"wpe-tui: the demo server listens on loopback only, not {args.host}", file=sys.stderr
        )
        return 2
    if not 0.0 <= args.fail_rate <= 1.0 or args.sites < 0 or args.latency_ms < 0:
        print(
            "wpe-tui: --fail-rate is 0 to 1; --sites and --latency-ms are 0 or more",
            file=sys.stderr,
        )
        return 2
    with contextlib.suppress(KeyboardInterrupt):  # ctrl+c is how it is meant to stop
        run_demo_server(
            host=args.host,
            port=args.port,
            sites=args.sites,
            latency_ms=args.latency_ms,
            fail_rate=args.fail_rate,
            seed=args.seed,
            access_log=args.access_log,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
