"""The `asrcheck` command line: argument parsing, dispatch, and the last resort that turns
what escapes a command into a message and an exit code (`runner.exit_codes`)."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn

from runner import exit_codes
from runner.errors import PlanError, UsageError

_EPILOG = """\
examples (one command per line):
  asrcheck run a2a --var source_region=japaneast --var target_region=japanwest
  asrcheck run a2a --var target_region=westeurope --var storage_account=mycache
  asrcheck run h2a --var region=westeurope --proxy http://10.0.0.4:3128
  asrcheck run a2a --var target_region=westus --enable keyvault --var key_vault=adekv
  asrcheck run my-a2a.yaml --var source_region=japaneast --var target_region=japanwest --json r.json
  asrcheck validate my-a2a.yaml
  asrcheck show a2a --var source_region=eastus --var target_region=westus
  asrcheck diff a2a ./my-a2a.yaml --var source_region=eastus --var target_region=westus

exit codes:
  0    every required check passed (warnings allowed; not with --strict)
  1    a required check failed
  2    invalid plan, variable or command-line value
  3    internal error (see the log file), or an output could not be written
  130  interrupted (Ctrl+C or SIGTERM); the log and JSON report say so

environment:
  HTTPS_PROXY, NO_PROXY   proxy route, honored as curl does (--no-proxy to ignore)
  ASRCHECK_PROXY_PASSWORD password of --proxy-user (asked for when not set)
  SSL_CERT_FILE           CA bundle to verify TLS against (--ca-bundle wins)
  NO_COLOR                no colors on the console (as --no-color; wins over FORCE_COLOR)
  FORCE_COLOR             colors even when the console is not a terminal
  TERM=dumb               no colors
"""


def _add_plan_inputs(parser: argparse.ArgumentParser) -> None:
    """Options that resolve a plan: variables and sections."""
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a plan variable (repeatable; list variables take commas or repeats)",
    )
    parser.add_argument(
        "--var-file",
        action="append",
        default=[],
        metavar="FILE",
        help="YAML file of variable values (repeatable; --var wins)",
    )
    parser.add_argument(
        "--enable",
        action="append",
        default=[],
        metavar="SECTION",
        help="turn an optional section on (repeatable)",
    )
    parser.add_argument(
        "--disable",
        action="append",
        default=[],
        metavar="SECTION",
        help="turn an optional section off (repeatable)",
    )


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 86400:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 86400 seconds: {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 1024:
        raise argparse.ArgumentTypeError(f"must be between 1 and 1024: {text!r}")
    return value


def _add_run(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = sub.add_parser(
        "run",
        help="run a plan's checks and write the support log",
        description="Run a plan: check every endpoint over every proxy route, collect "
        "machine information, and write the support log.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("plan", help="built-in plan name (a2a, h2a) or a plan file")
    _add_plan_inputs(run)
    net = run.add_argument_group("network")
    net.add_argument(
        "--proxy",
        metavar="URL",
        help="check through this HTTP proxy (instead of HTTPS_PROXY or direct; the ASR "
        "agent's own proxy is checked as well)",
    )
    net.add_argument(
        "--proxy-user",
        metavar="USER[:PASSWORD]",
        help="proxy user (USER:PASSWORD as curl takes it; else the password comes from "
        "ASRCHECK_PROXY_PASSWORD or a prompt); the password is masked in every output",
    )
    net.add_argument("--no-proxy", action="store_true", help="check directly only")
    net.add_argument(
        "--dns-server",
        action="append",
        default=[],
        metavar="IP[:PORT]",
        help="query this DNS server instead of the system resolver (repeatable)",
    )
    net.add_argument("--ca-bundle", metavar="FILE", help="verify TLS against this CA bundle")
    timing = run.add_argument_group("timing")
    timing.add_argument(
        "--timeout",
        type=_positive_float,
        metavar="SECONDS",
        help="timeout of every stage (default: the plan's; a2a, h2a: 5)",
    )
    timing.add_argument(
        "--deadline",
        type=_positive_float,
        metavar="SECONDS",
        help="hard limit for the whole run (default: the plan's; a2a, h2a: 90)",
    )
    timing.add_argument(
        "--concurrency",
        type=_positive_int,
        metavar="N",
        help="checks run at once (default: the plan's; a2a, h2a: 16)",
    )
    out = run.add_argument_group("output")
    out.add_argument("--json", metavar="FILE", help="write the JSON report to FILE")
    out.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="console format; json prints the report to stdout",
    )
    out.add_argument(
        "--log",
        metavar="FILE",
        help="support log path (default: named as "
        "Microsoft support expects, in the current directory)",
    )
    out.add_argument("--output-dir", metavar="DIR", help="directory for the support log")
    out.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    out.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also print what each check observed (facts) and debug messages",
    )
    out.add_argument(
        "--no-color",
        action="store_true",
        help="no colors (also NO_COLOR or TERM=dumb; FORCE_COLOR forces them)",
    )
    out.add_argument(
        "--strict",
        action="store_true",
        help="warnings count as failures for the exit code (for pipelines)",
    )


def _add_plan_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    validate = sub.add_parser(
        "validate",
        help="check plan files and report every problem",
        description="Check plans; print every problem as FILE:LINE:COLUMN: path: message.",
    )
    validate.add_argument("plans", nargs="+", metavar="PLAN")
    _add_plan_inputs(validate)

    show = sub.add_parser(
        "show",
        help="print a fully resolved plan and its endpoints",
        description="Print the plan after extends, variables and sections, then the "
        "endpoints that will be checked.",
    )
    show.add_argument("plan")
    _add_plan_inputs(show)
    show.add_argument("--format", choices=("text", "json"), default="text")

    sub.add_parser("list", help="list the built-in plans")

    schema = sub.add_parser("schema", help="print the plan JSON Schema")
    schema.add_argument(
        "--report",
        action="store_true",
        help="print the JSON report's schema instead",
    )

    diff = sub.add_parser(
        "diff",
        help="compare the endpoints of two plans",
        description="List endpoints added, removed and changed between two resolved plans. "
        "Exit 0 when identical, 1 when they differ.",
    )
    diff.add_argument("old")
    diff.add_argument("new")
    _add_plan_inputs(diff)

    sub.add_parser("kinds", help="list the check kinds plans can use")
    _add_report_commands(sub)


def _add_report_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser(
        "report",
        help="show JSON reports of runs (one machine or a fleet)",
        description="Read JSON reports (files, or result directories with one subdirectory "
        "per machine) and show them. Exit 0 every required check passed on every machine, "
        "1 a failure, an interrupted run or a machine without report, 2 an unusable file.",
    )
    report.add_argument("files", nargs="+", metavar="FILE")
    report.add_argument(
        "--format", choices=("text", "markdown", "html", "csv", "junit"), default="text"
    )
    report.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")

    compare = sub.add_parser(
        "compare",
        help="compare two JSON reports of a machine (before and after a change)",
        description="Per endpoint, route and stage: newly failing, fixed, still failing, "
        "not compared and unchanged; plan version, variable and section changes. Exit 0 "
        "when nothing newly fails (and AFTER was not interrupted), 1 otherwise, 2 when a "
        "file cannot be read or is not an asrcheck report.",
    )
    compare.add_argument("before", metavar="BEFORE.json")
    compare.add_argument("after", metavar="AFTER.json")
    compare.add_argument("--format", choices=("text", "json"), default="text")
    compare.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")


class _ArgumentError(Exception):
    """A command-line syntax error found by argparse."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2 (returned, not exited)."""

    def error(self, message: str) -> NoReturn:
        raise _ArgumentError(f"{self.prog}: {message} (see {self.prog} --help)")


class _Version(argparse.Action):
    """--version: asrcheck's, the plans' and the dependencies' versions (read on demand)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        from runner.commands.version import version_text

        print(version_text())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = _Parser(
        prog="asrcheck",
        description="Check that this machine can reach what Azure Site Recovery needs.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show versions and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_run(sub)
    _add_plan_commands(sub)
    return parser


#: Command name -> module in runner/commands; each module has `main(args) -> int`.
_COMMANDS = {
    "run": "run",
    "validate": "validate",
    "show": "show",
    "list": "list_plans",
    "schema": "schema",
    "diff": "diff",
    "kinds": "kinds",
    "report": "report",
    "compare": "compare",
}


def _dispatch(args: argparse.Namespace) -> int:
    # Imported on demand so that `asrcheck --version` and `--help` stay fast.
    module = importlib.import_module(f"runner.commands.{_COMMANDS[args.command]}")
    command: Callable[[argparse.Namespace], int] = module.main
    return command(args)


@contextmanager
def _last_resort(result: list[int]) -> Iterator[None]:
    """The command line's last resort: what escapes a command becomes one-line messages
    and its exit code (`exit_codes.for_error`); an internal error keeps its traceback."""
    try:
        yield
    except (Exception, KeyboardInterrupt) as error:
        for line in _error_lines(error):
            print(f"asrcheck: {line}", file=sys.stderr)
        result.append(exit_codes.for_error(error))


def _error_lines(error: BaseException) -> list[str]:
    if isinstance(error, PlanError):
        return [_masked(str(problem)) for problem in error.problems]
    if isinstance(error, UsageError):
        return [_masked(str(error))]
    if isinstance(error, KeyboardInterrupt):
        return ["interrupted"]
    from runner.outputs import tracebacks  # a bug: checks have their own catch-all

    kept = tracebacks.write_crash(error, "the command")
    where = f" (traceback in {kept})" if kept else ""
    return [f"internal error: {_masked(f'{type(error).__name__}: {error}')}{where}"]


def _masked(text: str) -> str:
    """An error line with secret-looking text (`sig=...`, passwords in URLs) masked."""
    from runner.redact import Redactor

    return Redactor().mask(text)


def entry() -> None:
    """The `asrcheck` command and the bundle: `main()` for the whole process, which exits
    after it (a signal after the run's outputs are written is ignored until then)."""
    if sys.argv[1:2] == ["run"]:
        from runner.engine import early_signals

        early_signals.arm(for_process=True)
    raise SystemExit(main())


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] != ["run"]:
        return _main(words)
    # Before argparse and the run command's imports: no signal may be lost (see early_signals).
    from runner.engine import early_signals

    armed = early_signals.arm()
    try:
        return _main(words)
    finally:
        if armed:
            early_signals.disarm()


def _main(argv: Sequence[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _ArgumentError as error:
        print(error, file=sys.stderr)
        return exit_codes.USAGE
    if args.command is None:
        parser.print_help()
        return exit_codes.USAGE
    result: list[int] = []
    with _last_resort(result):
        result.append(_dispatch(args))
    return result[-1]


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
