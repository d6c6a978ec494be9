"""The measured scenarios (a)-(f) and their reference limits, on the simulated network."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench import genplan
from bench.asrcheck import Asrcheck, enabled_hosts, off_machine_steps, run_args, var_args
from bench.chain import chain_seconds
from bench.imports import measure_imports
from bench.proc import Measured
from bench.resolver import system_resolver_ms
from bench.serial import SerialNet, run_serial
from bench.simnet import SimNet
from bench.stats import Sample

DEFAULT_VARS = (
    ("source_region", "japaneast"),
    ("target_region", "japanwest"),
    ("storage_account", "benchcache1,benchcache2,benchcache3"),
)


@dataclass(frozen=True)
class Settings:
    """What to run; see `python -m bench --help`."""

    python: str
    repeat: int = 5
    baseline_repeat: int = 1
    #: Per-stage timeout for (b) and (c); None = the plan's own.
    timeout: float | None = None
    rtts: tuple[float, ...] = (0.0, 0.05)
    generated: int = 500
    plan: str = "a2a"
    variables: tuple[tuple[str, str], ...] = DEFAULT_VARS
    baseline: bool = True
    #: When set, one extra run of (a) and of (d) under cProfile writes a.prof, d.prof here.
    profile_dir: Path | None = None


@dataclass
class Results:
    """Everything measured, by key (see bench/report.py for the keys)."""

    samples: dict[str, Sample] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)

    def add(
        self, key: str, name: str, values: Sequence[float], unit: str = "s", ok: bool = True
    ) -> None:
        self.samples[key] = Sample(name, tuple(values), unit, ok)


def plan_file(plan: str) -> Path:
    """A built-in plan name or a path, as an absolute file path."""
    path = Path(plan)
    if path.suffix in (".yaml", ".yml"):
        return path.resolve()
    from bench.asrcheck import REPO

    return REPO / "plans" / f"{plan}.yaml"


#: The dependencies a run of a user's plan with `--dns-server` needs: jsonschema to validate
#: the plan, dnspython to ask the given server, h11 for the http stage, loguru for the log.
RUN_DEPENDENCIES = "asyncio, ssl, yaml, jsonschema, h11, loguru, dns.asyncresolver"


def startup(ax: Asrcheck, s: Settings, res: Results) -> None:
    """(e) `asrcheck --version` and `asrcheck validate PLAN`."""
    target = str(plan_file(s.plan))
    version = [_checked(ax.measure("--version"), res, "--version") for _ in range(s.repeat)]
    validate = [_checked(ax.measure("validate", target), res, "validate") for _ in range(s.repeat)]
    res.add("e_version", "(e) asrcheck --version", _secs(version), ok=_good(version, 0))
    res.add("e_validate", f"(e) asrcheck validate {s.plan}", _secs(validate), ok=_good(validate, 0))
    bare = [ax.measure_python("-c", "pass") for _ in range(s.repeat)]
    res.add("python_bare", "python -c pass (the interpreter alone)", _secs(bare))
    floor = [ax.measure_python("-c", f"import {RUN_DEPENDENCIES}") for _ in range(s.repeat)]
    res.add(
        "floor_imports",
        f"python -c 'import {RUN_DEPENDENCIES}' (what a run of a user's plan with"
        " --dns-server imports that is not ours)",
        _secs(floor),
        ok=_good(floor, 0),
    )
    for module, times in measure_imports(s.python, s.repeat).items():
        res.add(f"import_{module}", f"import {module} (fresh interpreter)", times)
    stage, plain = system_resolver_ms()
    res.add("dns_stage", "dns stage, system resolver, localhost (one lookup)", stage, "ms")
    res.add("dns_gai", "socket.getaddrinfo alone, localhost (one lookup)", plain, "ms")


def _checked(done: Measured, res: Results, what: str, expect: int | None = 0) -> Measured:
    if done.timed_out:
        res.notes.append(f"{what}: killed after its timeout")
    elif expect is not None and done.returncode != expect:
        tail = done.output.strip().splitlines()[-3:]
        res.notes.append(f"{what}: exit {done.returncode} (expected {expect}): {tail}")
    return done


class A2aRuns:
    """Scenarios (a), (b), (c) on the A2A plan pointed at the simulated network."""

    def __init__(self, ax: Asrcheck, s: Settings, workdir: Path) -> None:
        self.ax = ax
        self.s = s
        self.workdir = workdir
        self.plan_args = var_args(s.variables)
        shown = ax.show(str(plan_file(s.plan)), self.plan_args)
        self.hosts = enabled_hosts(shown)
        self.remove = off_machine_steps(shown)
        timeouts = [float(e["timeout"]) for e in shown["endpoints"] if e.get("enabled", True)]
        self.timeout = s.timeout if s.timeout is not None else max(timeouts)

    def child(self, port: int) -> str:
        path = self.workdir / "bench-a2a.yaml"
        defaults: dict[str, object] = {"port": port, "timeout": self.timeout}
        text = genplan.child_plan(
            str(plan_file(self.s.plan)), defaults=defaults, remove=self.remove
        )
        path.write_text(text, encoding="utf-8")
        return str(path)

    def run(
        self, net: SimNet, what: str, res: Results, expect: int, profile: str | None = None
    ) -> Measured:
        args = run_args(self.child(net.port), net, self.workdir / "out", "a2a")
        argv = [*args[:2], *self.plan_args, *args[2:]]
        return _checked(self.ax.measure(*argv, profile=profile), res, what, expect)

    def healthy(self, res: Results) -> None:
        """(a) every endpoint healthy, at each RTT; (f) its RSS; the single-chain limit."""
        for rtt in self.s.rtts:
            tag = f"{rtt * 1000:g}ms"
            with SimNet(self.hosts, self.workdir, rtt=rtt) as net:
                runs = [self.run(net, f"(a) rtt {tag}", res, 0) for _ in range(self.s.repeat)]
                limit = [self.slowest_chain(net) for _ in range(self.s.repeat)]
                single = [self.single(net, res) for _ in range(self.s.repeat)]
                serial = self.serial_healthy(net, res)
                if self.s.profile_dir is not None and rtt == self.s.rtts[0]:
                    self.run(net, "(a) profiled", res, 0, str(self.s.profile_dir / "a.prof"))
            ok = _good(runs, 0)
            res.add(f"a_dns_{tag}", f"(a) dns stage (A and AAAA), RTT {tag}", self.dns_times())
            res.add(f"a_{tag}", f"(a) run {self.s.plan}, healthy, RTT {tag}", _secs(runs), ok=ok)
            res.add(f"a_rss_{tag}", f"(f) peak RSS of (a), RTT {tag}", _rss(runs), "MB", ok)
            res.add(f"cpu_a_{tag}", f"CPU time of (a), RTT {tag}", _cpu(runs), ok=ok)
            res.add(f"limit_{tag}", f"slowest single chain alone, RTT {tag}", limit)
            res.add(
                f"single_{tag}",
                f"asrcheck run, one endpoint, no steps, RTT {tag}",
                _secs(single),
                ok=_good(single, 0),
            )
            if serial:
                res.add(
                    f"c_healthy_{tag}", f"(c) serial nslookup/nc/curl, healthy, RTT {tag}", serial
                )

    def dns_times(self) -> list[float]:
        """How long each endpoint's dns stage took in the last run (its JSON report)."""
        report = json.loads((self.workdir / "out" / "a2a.json").read_text(encoding="utf-8"))
        results = report["results"]
        return [r["duration_s"] for r in results if r["check"] == "dns" and r["status"] == "pass"]

    def serial_healthy(self, net: SimNet, res: Results) -> list[float]:
        """The serial baseline on the healthy network (for comparison; no target)."""
        if not self.s.baseline:
            return []
        serial = SerialNet(net.dns, net.addresses, net.port, net.ca_file)
        return self.serial(serial, 3, 0, res)

    def serial(self, net: SerialNet, repeat: int, failures: int, res: Results) -> list[float]:
        """Runs the serial baseline; notes runs with other than `failures` failed steps."""
        times = []
        for _ in range(repeat):
            seconds, failed = run_serial(self.hosts, net, self.timeout)
            if failed != failures:
                res.notes.append(f"serial baseline: {failed} failed steps, expected {failures}")
            times.append(seconds)
        return times

    def single(self, net: SimNet, res: Results) -> Measured:
        """asrcheck on a plan of one endpoint (the first host) and no steps."""
        path = self.workdir / "bench-single.yaml"
        path.write_text(genplan.generated_plan(self.hosts[:1], port=net.port, timeout=5), "utf-8")
        args = run_args(str(path), net, self.workdir / "out", "single")
        return _checked(self.ax.measure(*args), res, "one endpoint")

    def slowest_chain(self, net: SimNet) -> float:
        return max(chain_seconds(h, net.port, net.dns, net.ca_file) for h in self.hosts)

    def outage(self, res: Results) -> None:
        """(b) TCP silently dropped everywhere, one name never answers; (c) serially."""
        silent = self.hosts[:1]
        res.facts["silent name"] = silent[0]
        res.facts["per-step timeout"] = f"{self.timeout:g} s"
        res.facts["A2A hosts"] = ", ".join(self.hosts)
        with SimNet(self.hosts, self.workdir, outage=True, silent=silent) as net:
            runs = [self.run(net, "(b) outage", res, 1) for _ in range(self.s.repeat)]
            res.add("b", f"(b) run {self.s.plan}, outage", _secs(runs), ok=_good(runs, 1))
            if self.s.baseline:
                serial = SerialNet(net.dns, net.addresses, net.port, net.ca_file)
                # The silent name fails its nslookup; every other host fails nc and curl.
                expected = len(silent) + 2 * (len(self.hosts) - len(silent))
                times = self.serial(serial, self.s.baseline_repeat, expected, res)
                res.add("c", "(c) serial nslookup/nc/curl, outage", times)


def generated(ax: Asrcheck, s: Settings, workdir: Path, res: Results) -> None:
    """(d) a generated plan with `s.generated` endpoints, all healthy; (f) its RSS."""
    hosts = genplan.generated_hosts(s.generated)
    with SimNet(hosts, workdir, cert_names=[f"*.{genplan.GENERATED_DOMAIN}"]) as net:
        path = workdir / "bench-generated.yaml"
        path.write_text(genplan.generated_plan(hosts, port=net.port, timeout=5), "utf-8")
        args = run_args(str(path), net, workdir / "out", "generated")
        runs, per_endpoint = [], []
        for _ in range(s.repeat):
            before = _accepted(net)
            runs.append(_checked(ax.measure(*args), res, "(d)"))
            per_endpoint.append((_accepted(net) - before) / len(hosts))
        floor = [_floor(ax, net, hosts) for _ in range(s.repeat)]
        if s.profile_dir is not None:
            _checked(ax.measure(*args, profile=str(s.profile_dir / "d.prof")), res, "(d) prof")
    ok = _good(runs, 0)
    res.add("d", f"(d) run generated plan, {s.generated} endpoints", _secs(runs), ok=ok)
    res.add(
        "d_floor",
        f"(d) floor: the same {s.generated} TLS chains by a minimal Python client (bench/floor.py)",
        [seconds for seconds in floor if seconds is not None],
        ok=all(seconds is not None for seconds in floor),
    )
    res.add("d_rss", "(f) peak RSS of (d)", _rss(runs), "MB", ok)
    res.add("cpu_d", "CPU time of (d)", _cpu(runs), ok=ok)
    res.add("conn_d", "(d) TCP connections per endpoint, at the TLS server", per_endpoint, "", ok)


def _floor(ax: Asrcheck, net: SimNet, hosts: Sequence[str]) -> float | None:
    """Seconds bench/floor.py takes for `hosts` on `net` (None when it failed)."""
    done = ax.measure_python("-m", "bench.floor", str(net.port), net.ca_file, *hosts)
    try:
        return float(done.output.strip().splitlines()[-1]) if done.returncode == 0 else None
    except (IndexError, ValueError):
        return None


#: Endpoints of the proxied plan: enough to count, few enough for a one-threaded proxy.
PROXIED = 50


def proxied(ax: Asrcheck, s: Settings, workdir: Path, res: Results) -> None:
    """A generated plan checked through a CONNECT proxy: CONNECTs and connections, each
    counted at its peer, per endpoint."""
    hosts = genplan.generated_hosts(PROXIED)
    names = [f"*.{genplan.GENERATED_DOMAIN}"]
    with SimNet(hosts, workdir, cert_names=names, proxy=True) as net:
        assert net.proxy is not None
        path = workdir / "bench-proxied.yaml"
        path.write_text(genplan.generated_plan(hosts, port=net.port, timeout=5), "utf-8")
        args = run_args(str(path), net, workdir / "out", "proxied")
        args[args.index("--no-proxy")] = f"--proxy={net.proxy.url}"
        runs, connects, accepted = [], [], []
        for _ in range(s.repeat):
            seen, before = len(net.proxy.seen), _accepted(net)
            runs.append(_checked(ax.measure(*args), res, "proxied"))
            connects.append((len(net.proxy.seen) - seen) / len(hosts))
            accepted.append((_accepted(net) - before) / len(hosts))
    ok = _good(runs, 0)
    res.add("p", f"run generated plan through a proxy, {PROXIED} endpoints", _secs(runs), ok=ok)
    res.add("conn_p_connect", "proxied: CONNECTs per endpoint, at the proxy", connects, "", ok)
    res.add("conn_p", "proxied: tunnels per endpoint, at the TLS server", accepted, "", ok)


def _accepted(net: SimNet) -> int:
    assert net.tls is not None
    return net.tls.accepted


#: Chains for the per-stage cost of (d): each adds one stage to the one before.
STAGE_CHAINS = (("dns",), ("dns", "tcp"), ("dns", "tcp", "tls"), ("dns", "tcp", "tls", "http"))


def stage_costs(ax: Asrcheck, s: Settings, workdir: Path, res: Results) -> None:
    """(d) with its chain cut after each stage: what each stage adds (no target)."""
    hosts = genplan.generated_hosts(s.generated)
    repeat = min(s.repeat, 3)
    with SimNet(hosts, workdir, cert_names=[f"*.{genplan.GENERATED_DOMAIN}"]) as net:
        for chain in STAGE_CHAINS:
            path = workdir / "bench-stages.yaml"
            text = genplan.generated_plan(hosts, port=net.port, timeout=5, chain=chain)
            path.write_text(text, "utf-8")
            args = run_args(str(path), net, workdir / "out", "stages")
            runs = [_checked(ax.measure(*args), res, f"stages {chain}") for _ in range(repeat)]
            name = "+".join(chain)
            ok = _good(runs, 0)
            res.add(f"stage_wall_{name}", f"(d) chain {name}: wall", _secs(runs), ok=ok)
            res.add(f"stage_cpu_{name}", f"(d) chain {name}: CPU", _cpu(runs), ok=ok)


def _good(runs: Sequence[Measured], expect: int) -> bool:
    return all(not m.timed_out and m.returncode == expect for m in runs)


def _secs(runs: Sequence[Measured]) -> list[float]:
    return [m.seconds for m in runs]


def _cpu(runs: Sequence[Measured]) -> list[float]:
    return [m.cpu_seconds for m in runs]


def _rss(runs: Sequence[Measured]) -> list[float]:
    return [m.max_rss_mb for m in runs]
