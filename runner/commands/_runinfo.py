"""What `asrcheck run` tells its outputs about itself: the command line and the settings."""

from __future__ import annotations

import argparse
import shlex
from typing import Any

from runner.context import Context, ProxySetting
from runner.engine.descriptors import Budget
from runner.model import Plan
from runner.redact import mask_url

_REPEATED = (
    ("var", "--var"),
    ("var_file", "--var-file"),
    ("enable", "--enable"),
    ("disable", "--disable"),
    ("dns_server", "--dns-server"),
)
_SINGLE = (
    ("proxy", "--proxy"),
    ("proxy_user", "--proxy-user"),
    ("ca_bundle", "--ca-bundle"),
    ("timeout", "--timeout"),
    ("deadline", "--deadline"),
    ("concurrency", "--concurrency"),
    ("json", "--json"),
    ("log", "--log"),
    ("output_dir", "--output-dir"),
)


def command_line(args: argparse.Namespace) -> str:
    """The run's options as one shell line (mask it before showing: it may hold secrets)."""
    words = ["asrcheck", "run", str(args.plan)]
    for name, flag in _REPEATED:
        for value in getattr(args, name, None) or ():
            words += [flag, str(value)]
    for name, flag in _SINGLE:
        value = getattr(args, name, None)
        if value is not None:
            words += [flag, mask_url(value) if name == "proxy" else str(value)]
    words += [
        f"--{n.replace('_', '-')}"
        for n in ("no_proxy", "strict", "quiet", "verbose", "no_color")
        if getattr(args, n, False)
    ]
    if getattr(args, "format", "text") != "text":
        words += ["--format", args.format]
    return shlex.join(words)


def settings(
    ctx: Context, args: argparse.Namespace, plan: Plan, limit: Budget | None = None
) -> dict[str, Any]:
    """Run-wide settings for the outputs' headers, secrets masked; `limit` is the
    concurrency the open-file limit allows."""

    def shown(setting: ProxySetting | None) -> str | None:
        return f"{mask_url(setting.url)} ({setting.source})" if setting else None

    wanted = args.concurrency or plan.concurrency
    found = {
        "cli_proxy": shown(ctx.cli_proxy),
        "env_proxy": shown(ctx.env_proxy),
        "agent_proxy": shown(ctx.agent_proxy),
        "no_proxy": ctx.force_direct,
        "dns_servers": [f"{ip}:{port}" for ip, port in ctx.dns_servers] or "system resolver",
        "ca_bundle": ctx.ca_bundle or "system trust store",
        "timeout": ctx.timeout_override or plan.timeout,
        "deadline": args.deadline or plan.deadline,
        "concurrency": limit.concurrency if limit else wanted,
    }
    if limit is not None and limit.note:
        found["concurrency_note"] = limit.note
    return found
