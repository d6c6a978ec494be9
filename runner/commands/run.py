"""`asrcheck run PLAN`: load the plan, build the context and sinks, run, map the verdict.

Seams for the support log and the agent-proxy discovery: `execute(plan, args,
agent_proxy=..., extra_sinks=[...])` and `build_context(args, plan, agent_proxy=...)`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import ipaddress
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO, cast
from urllib.parse import SplitResult, quote, urlsplit, urlunsplit

from loguru import logger

from runner import __version__, exit_codes
from runner.commands import _plan_args, _runinfo
from runner.context import Context, ProxySetting
from runner.engine import descriptors, early_signals, signals
from runner.engine.run import now_iso, run_plan
from runner.errors import UsageError
from runner.events import FanOut, RunInfo, RunReport, Sink
from runner.kinds.net import ca_bundle, proxy_rules
from runner.machine import agent_proxy
from runner.machine.identity import machine_identity
from runner.machine.system import LocalSystem
from runner.model import Plan
from runner.outputs import paths, tracebacks
from runner.outputs.color import use_color
from runner.outputs.console import ConsoleSink
from runner.outputs.guarded import Guarded
from runner.outputs.json_report import JsonReportSink
from runner.outputs.supportlog import sink as supportlog
from runner.plan import load_plan
from runner.redact import Redactor, mask_url

PASSWORD_ENV = "ASRCHECK_PROXY_PASSWORD"


def main(args: argparse.Namespace) -> int:
    """`asrcheck run`: load the plan, run it, return the exit code.

    A console that goes away (`| head`) or fills up stops console output only."""
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (cast(TextIO, Guarded(stream)) for stream in streams)
    handler = _console_logging(bool(getattr(args, "verbose", False)))
    try:
        plan = load(args)
        return execute(plan, args, agent_proxy=agent_proxy.discover(LocalSystem()))
    finally:
        logger.remove(handler)
        sys.stdout, sys.stderr = streams


def _console_logging(verbose: bool) -> int:
    """loguru to stderr: DEBUG (tracebacks of internal errors) with -v, else warnings only."""
    with contextlib.suppress(ValueError):
        logger.remove(0)  # loguru's default handler would print DEBUG tracebacks
    level = "DEBUG" if verbose else "WARNING"
    return logger.add(sys.stderr, level=level, format="{time:HH:mm:ss.SSS} {level} {message}")


def load(args: argparse.Namespace) -> Plan:
    """The resolved plan (runner.plan.load is the plan-language module)."""
    plan: Plan = load_plan(
        args.plan,
        kinds=_plan_args.kinds(),
        providers=_plan_args.providers(),
        variables=args.var,
        var_files=args.var_file,
        enable=args.enable,
        disable=args.disable,
        use_providers=True,
        trust_builtin=True,
    )
    return plan


def execute(
    plan: Plan,
    args: argparse.Namespace,
    *,
    agent_proxy: ProxySetting | None = None,
    extra_sinks: Sequence[Sink] = (),
    environ: Mapping[str, str] | None = None,
) -> int:
    """Runs `plan` with the options in `args`; returns the exit code."""
    env = os.environ if environ is None else environ
    ctx = build_context(args, plan, agent_proxy=agent_proxy, environ=env)
    log = supportlog.for_run(args, plan, ctx, _console_stream(args))
    ctx = replace(ctx, traceback_file=str(tracebacks.beside(log.path)))
    sinks = [*build_sinks(args, ctx, env), log, *extra_sinks]
    _refuse_overlaps(args, plan, ctx, log.path)
    limit = descriptors.budget(args.concurrency or plan.concurrency)
    if limit.note:
        _note(f"Note: {limit.note}.", _console_stream(args))
    info = RunInfo(
        plan=plan,
        command_line=ctx.redactor.mask(_runinfo.command_line(args)),
        started_at=now_iso(),
        tool_version=__version__,
        log_path=str(log.path),
        settings=_runinfo.settings(ctx, args, plan, limit),
        machine=machine_identity(LocalSystem()),
        strict=bool(getattr(args, "strict", False)),
    )
    handler, kept = tracebacks.attach(tracebacks.beside(log.path), ctx.redactor)
    console = next(sink for sink in sinks if isinstance(sink, ConsoleSink))
    try:
        report = asyncio.run(_run(plan, ctx, FanOut(sinks), args, info, limit.concurrency, console))
    finally:
        tracebacks.detach(handler, kept)
    lost = _output_lost(sinks)
    code = exit_codes.for_run(report.verdict, strict=info.strict, output_lost=lost)
    if code == exit_codes.INTERNAL:
        with contextlib.suppress(OSError, ValueError):
            print("asrcheck: an output could not be written (see above)", file=sys.stderr)
    return code


def _output_lost(sinks: Sequence[Sink]) -> bool:
    return any(getattr(sink, "failed", False) for sink in sinks)


def _refuse_overlaps(args: argparse.Namespace, plan: Plan, ctx: Context, log_path: Path) -> None:
    """UsageError when an output would overwrite an input of the run or the other output."""
    inputs = [("plan file", str(args.plan)) if Path(str(args.plan)).is_file() else ("", "")]
    inputs += [("--var-file", name) for name in args.var_file]
    inputs += [("plan file", name) for name in plan.files]  # and the plans it extends
    inputs.append(("CA bundle", ctx.ca_bundle or ""))
    log = paths.Target(log_path)
    paths.refuse_inputs(log, "--log", inputs)
    json_path = getattr(args, "json", None)
    if json_path:
        target = paths.check_output(json_path, "--json", in_place_ok=True)
        paths.refuse_inputs(target, "--json", inputs)
        if paths.same(target, log):
            raise UsageError(f"--json {json_path!r} is also the support log: give two paths")


async def _run(
    plan: Plan,
    ctx: Context,
    sink: Sink,
    args: argparse.Namespace,
    info: RunInfo,
    concurrency: int,
    console: ConsoleSink,
) -> RunReport:
    stop = asyncio.Event()
    restore = signals.install(stop, lambda: _interrupt_notice(console))
    report: RunReport | None = None
    try:
        report = await run_plan(
            plan,
            ctx,
            sink,
            stop=stop,
            deadline=args.deadline or plan.deadline,
            concurrency=concurrency,
            info=info,
        )
        return report
    finally:
        restore()
        if report is not None:
            early_signals.outputs_written()  # a later signal must not contradict the log


#: Printed on the first Ctrl+C / SIGTERM, on a line of its own (after the terminal's ^C).
INTERRUPT_NOTICE = (
    "Interrupted: stopping; unfinished checks are reported as interrupted, and the support "
    "log and JSON report are still written. Press Ctrl+C twice more to quit at once."
)


def _interrupt_notice(console: ConsoleSink) -> None:
    console.clear_status()  # the terminal's ^C lands on the status line: it goes with it
    print(f"\n{INTERRUPT_NOTICE}", file=console.stream, flush=True)


def _note(text: str, stream: TextIO) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(text, file=stream, flush=True)


def _console_stream(args: argparse.Namespace) -> TextIO:
    return sys.stderr if getattr(args, "format", "text") == "json" else sys.stdout


def build_sinks(args: argparse.Namespace, ctx: Context, environ: Mapping[str, str]) -> list[Sink]:
    """The console (stderr when stdout carries JSON) and the JSON report."""
    as_json = getattr(args, "format", "text") == "json"
    stream = sys.stderr if as_json else sys.stdout
    console = ConsoleSink(
        stream,
        redactor=ctx.redactor,
        color=use_color(stream, bool(getattr(args, "no_color", False)), environ),
        quiet=bool(getattr(args, "quiet", False)),
        verbose=bool(getattr(args, "verbose", False)),
    )
    sinks: list[Sink] = [console]
    json_path = getattr(args, "json", None)
    target = paths.check_output(json_path, "--json", in_place_ok=True) if json_path else None
    if target is not None or as_json:
        stdout = sys.stdout if as_json else None
        where = str(target.path) if target is not None else None
        in_place = target is not None and target.in_place
        sinks.append(JsonReportSink(where, stdout, redactor=ctx.redactor, in_place=in_place))
    return sinks


def build_context(
    args: argparse.Namespace,
    plan: Plan,
    *,
    agent_proxy: ProxySetting | None = None,
    environ: Mapping[str, str] | None = None,
) -> Context:
    """Settings from the command line, the environment and the plan; secrets registered."""
    env = os.environ if environ is None else environ
    redactor = Redactor(str(plan.variables.get(name) or "") for name in plan.secret_vars)
    cli = _cli_proxy(args, env, redactor)
    from_env = proxy_rules.env_proxy(env)
    if from_env is not None and not _proxy_url_ok(from_env.url):
        if not (args.no_proxy or args.proxy):
            raise UsageError(
                f"HTTPS_PROXY {_masked(from_env.url)!r}: not a valid proxy URL (expected "
                "http://HOST:PORT); fix or unset it, or give --proxy URL or --no-proxy"
            )
        from_env = None  # not used with --proxy or --no-proxy
    for setting in (cli, from_env, agent_proxy):
        if setting is not None:
            redactor.add_url_credentials(setting.url)
    return Context(
        timeout_override=args.timeout,
        dns_servers=tuple(parse_dns_server(text) for text in args.dns_server),
        ca_bundle=_ca_bundle(args.ca_bundle, env),
        cli_proxy=cli,
        env_proxy=from_env,
        agent_proxy=agent_proxy,
        force_direct=bool(args.no_proxy),
        redactor=redactor,
    )


def _proxy_url_ok(url: str) -> bool:
    """An http(s) URL with a host and, if any, a port from 1 to 65535 (`host:port` too)."""
    try:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        return parts.scheme in ("http", "https") and bool(parts.hostname) and _port_ok(parts)
    except ValueError:  # `http://[::1:3128`
        return False


def _masked(url: str) -> str:
    """`url` with any user:password taken out, even when it does not parse."""
    try:
        return mask_url(url)
    except ValueError:
        return re.sub(r"//[^/@]*@", "//***@", url)


def parse_dns_server(text: str) -> tuple[str, int]:
    """`IP`, `IP:PORT`, `IPv6` or `[IPv6]:PORT`; UsageError otherwise."""
    host, port = text, "53"
    if text.startswith("["):
        host, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            raise UsageError(f"--dns-server {text!r}: expected IP, IP:PORT or [IPv6]:PORT")
        port = rest[1:] if rest else "53"
    elif text.count(":") == 1:
        host, port = text.split(":")
    try:
        address = str(ipaddress.ip_address(host))
        number = int(port)
    except ValueError:
        raise UsageError(f"--dns-server {text!r}: expected IP or IP:PORT") from None
    if not 0 < number < 65536:
        raise UsageError(f"--dns-server {text!r}: port must be 1-65535")
    return address, number


def _ca_bundle(given: str | None, env: Mapping[str, str]) -> str | None:
    """`--ca-bundle`, else SSL_CERT_FILE, checked: one that holds no certificates would
    fail every TLS check as if a firewall reset it."""
    if given is not None:
        wrong = ca_bundle.problem(given)
        if wrong:
            raise UsageError(f"--ca-bundle {given!r}: {wrong}")
        return given
    from_env = env.get("SSL_CERT_FILE") or None
    wrong = ca_bundle.problem(from_env) if from_env else None
    if wrong:
        raise UsageError(
            f"SSL_CERT_FILE {from_env!r}: {wrong}; fix or unset it, or give --ca-bundle FILE"
        )
    return from_env


def _port_ok(parts: SplitResult) -> bool:
    """False for a port that is not a number from 1 to 65535 (`host:abc`, `host:0`)."""
    try:
        port = parts.port
    except ValueError:
        return False
    return port is None or 0 < port < 65536


def _cli_proxy(
    args: argparse.Namespace, env: Mapping[str, str], redactor: Redactor
) -> ProxySetting | None:
    if args.proxy and args.no_proxy:
        raise UsageError("--proxy and --no-proxy contradict each other: give one of them")
    if not args.proxy:
        if args.proxy_user:
            raise UsageError("--proxy-user needs --proxy")
        return None
    url = args.proxy if "://" in args.proxy else f"http://{args.proxy}"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or not _port_ok(parts):
        raise UsageError(f"--proxy {mask_url(url)!r}: expected http://HOST:PORT")
    if args.proxy_user:
        # `USER:PASSWORD` as curl takes it; a bare USER gets the password asked for.
        user, colon, password = str(args.proxy_user).partition(":")
        if not colon:
            password = env.get(PASSWORD_ENV) or getpass.getpass(f"Password for proxy user {user}: ")
        redactor.add(password)
        userinfo = f"{quote(user, safe='')}:{quote(password, safe='')}"
        netloc = f"{userinfo}@{parts.netloc.rpartition('@')[2]}"
        url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return ProxySetting(url=url, source="cli")
