"""Which routes each endpoint (and each routed step, such as the blob upload) is checked
over: direct, the CLI/env proxy, the agent's proxy."""

from __future__ import annotations

from dataclasses import dataclass, replace

from runner.context import Context, ProxySetting
from runner.kinds.net.proxy_rules import bypass_entry, stage_url
from runner.model import Endpoint
from runner.redact import mask_url
from runner.results import Route


@dataclass(frozen=True)
class RoutePlan:
    """A route and the proxy (with credentials) to use on it."""

    route: Route
    proxy: ProxySetting | None = None


def _proxy_route(setting: ProxySetting, why: str, agent: bool = False) -> RoutePlan:
    shown = setting.url if "://" in setting.url else f"http://{setting.url}"
    setting = replace(setting, url=stage_url(setting.url))
    route = Route(kind="proxy", proxy=mask_url(shown), source=setting.source, why=why)
    return RoutePlan(replace(route, agent=agent), setting)


def _direct(source: str, why: str, agent: bool = False) -> RoutePlan:
    return RoutePlan(Route(kind="direct", source=source, why=why, agent=agent))


def _default(host: str, ctx: Context) -> RoutePlan:
    if ctx.cli_proxy is not None:
        return _proxy_route(ctx.cli_proxy, "--proxy given on the command line")
    if ctx.env_proxy is not None:
        entry = bypass_entry(host, ctx.env_proxy)
        if entry is not None:
            return _direct("no-proxy", f"host matches NO_PROXY entry {entry}")
        return _proxy_route(ctx.env_proxy, "HTTPS_PROXY is set in this shell")
    return _direct("default", "no proxy configured")


def _agent(host: str, ctx: Context) -> RoutePlan:
    setting = ctx.agent_proxy
    if setting is None:
        return _direct("default", "the ASR agent has no proxy configured", agent=True)
    entry = bypass_entry(host, setting)
    if entry is not None:
        why = f"the agent's bypass list ({setting.source}) matches {entry}"
        return _direct(setting.source, why, agent=True)
    return _proxy_route(setting, f"the ASR agent's proxy from {setting.source}", agent=True)


def _same(a: RoutePlan, b: RoutePlan) -> bool:
    url_a = a.proxy.url if a.proxy else None
    url_b = b.proxy.url if b.proxy else None
    return a.route.kind == b.route.kind and url_a == url_b


def routes_for(endpoint: Endpoint, families: tuple[str, ...], ctx: Context) -> list[RoutePlan]:
    """The routes to check `endpoint` over, the agent's route marked `agent=True`."""
    return routes_to(endpoint.host, families, ctx)


def routes_to(host: str, families: tuple[str, ...], ctx: Context) -> list[RoutePlan]:
    """The routes to `host`, by the same rules for endpoints and routed steps."""
    if ctx.force_direct:
        return [_direct("no-proxy", "--no-proxy: checked directly only", agent=True)]
    routes: list[RoutePlan] = []
    if "default" in families or not families:
        routes.append(_default(host, ctx))
    if "agent" in families:
        agent = _agent(host, ctx)
        same = next((i for i, r in enumerate(routes) if _same(r, agent)), None)
        if same is None:
            routes.append(agent)
        else:
            route = replace(routes[same].route, agent=True)
            routes[same] = RoutePlan(route, routes[same].proxy)
    return routes
