"""`python -m bench`: options, setup of the baseline tools, and the run of every scenario."""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench import machine, report, scenarios
from bench.asrcheck import REPO, Asrcheck
from bench.serial import missing_tools
from bench.stats import markdown_table, sample_rows, target_rows

PARTS = ("startup", "healthy", "outage", "generated", "proxied", "stages")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark asrcheck on a simulated loopback network and write "
        "bench/RESULTS.md. Run from the repository root.",
    )
    add = parser.add_argument
    add("--repeat", type=int, default=5, help="runs of each scenario (median is reported)")
    add("--baseline-repeat", type=int, default=1, help="runs of the serial outage baseline")
    add("--timeout", type=float, help="per-step timeout for (b)/(c) (default: the plan's)")
    add("--rtt", type=float, action="append", metavar="MS", help="added RTT for (a), repeatable")
    add("--endpoints", type=int, default=500, help="endpoints of the generated plan (d)")
    add("--plan", default="a2a", help="built-in plan name or file for (a)-(c)")
    add("--var", action="append", default=[], metavar="NAME=VALUE", help="plan variable")
    add("--python", default=sys.executable, help="interpreter that runs asrcheck")
    add("--only", action="append", choices=PARTS, help="run only these parts (repeatable)")
    add("--no-baseline", action="store_true", help="skip the serial baseline (c)")
    add("--setup", action="store_true", help="apt-get install missing baseline tools first")
    add("--output", type=Path, default=REPO / "bench" / "RESULTS.md", help="results file")
    add("--no-write", action="store_true", help="print the figures only")
    add("--profile", type=Path, metavar="DIR", help="also write cProfile data of (a) and (d)")
    return parser


def settings(args: argparse.Namespace) -> scenarios.Settings:
    variables = dict(scenarios.DEFAULT_VARS)
    for item in args.var:
        name, _, value = item.partition("=")
        variables[name] = value
    rtts = tuple(ms / 1000 for ms in (args.rtt if args.rtt else [0.0, 50.0]))
    return scenarios.Settings(
        python=args.python,
        repeat=args.repeat,
        baseline_repeat=args.baseline_repeat,
        timeout=args.timeout,
        rtts=rtts,
        generated=args.endpoints,
        plan=args.plan,
        variables=tuple(variables.items()),
        baseline=not args.no_baseline,
        profile_dir=args.profile.resolve() if args.profile else None,
    )


def ensure_tools(setup: bool) -> str | None:
    """Installs missing baseline tools with --setup; returns a problem or None."""
    missing = missing_tools()
    if missing and setup:
        packages = sorted(set(missing.values()))
        subprocess.run(["apt-get", "install", "-y", "-q", *packages], check=False, timeout=600)
        missing = missing_tools()
    if missing:
        names = ", ".join(f"{tool} ({pkg})" for tool, pkg in missing.items())
        return f"missing for the baseline: {names}; use --setup or --no-baseline"
    return None


def run_all(s: scenarios.Settings, parts: Sequence[str]) -> scenarios.Results:
    res = scenarios.Results()
    ax = Asrcheck(s.python)
    ax.compile_bytecode()
    res.facts["bytecode"] = "runner/ compiled before measuring, as `pip install` leaves it"
    with tempfile.TemporaryDirectory(prefix="asrcheck-bench-") as tmp:
        workdir = Path(tmp)
        if "startup" in parts:
            _say("(e) start-up")
            scenarios.startup(ax, s, res)
        if "healthy" in parts or "outage" in parts:
            a2a = scenarios.A2aRuns(ax, s, workdir)
            res.facts["per-step timeout"] = f"{a2a.timeout:g} s"
            if "healthy" in parts:
                _say("(a) healthy")
                a2a.healthy(res)
            if "outage" in parts:
                _say("(b)/(c) outage")
                a2a.outage(res)
        if "generated" in parts:
            _say("(d) generated plan")
            scenarios.generated(ax, s, workdir, res)
        if "proxied" in parts:
            _say("proxied plan: CONNECTs per endpoint")
            scenarios.proxied(ax, s, workdir, res)
        if "stages" in parts:
            _say("(d) cost of each stage")
            scenarios.stage_costs(ax, s, workdir, res)
    return res


def _say(text: str) -> None:
    print(f"bench: {text}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    s = settings(args)
    parts = args.only or PARTS
    if s.baseline and "outage" in parts:
        problem = ensure_tools(args.setup)
        if problem:
            print(f"bench: {problem}", file=sys.stderr)
            return 2
    if s.profile_dir is not None:
        s.profile_dir.mkdir(parents=True, exist_ok=True)
    load_before = machine.load_average()
    res = run_all(s, parts)
    facts = {
        "load average (1 min) before / after": f"{load_before} / {machine.load_average()}",
        "repetitions": str(s.repeat),
        "plan": s.plan,
        "variables": ", ".join(f"{k}={v}" for k, v in s.variables),
        "added RTT for (a)": ", ".join(f"{r * 1000:g} ms" for r in s.rtts),
        **res.facts,
    }
    timeout = float(res.facts.get("per-step timeout", "0 s").split()[0])
    samples = res.samples
    print(
        markdown_table(
            ["Measurement", "Median", "Min - max", "Runs"], sample_rows(list(samples.values()))
        )
    )
    print(
        markdown_table(
            ["Target", "Measured", "Limit", ""], target_rows(report.targets(samples, timeout))
        )
    )
    for note in res.notes:
        print(f"warning: {note}")
    if not args.no_write:
        command = "python -m bench " + shlex.join(argv if argv is not None else sys.argv[1:])
        text = report.render(
            samples, timeout, machine.describe(s.python), facts, command.strip(), res.notes
        )
        report.write(args.output, text)
        print(f"bench: wrote {args.output}", file=sys.stderr)
    return 0
