"""Route selection: --proxy, HTTPS_PROXY/NO_PROXY as curl reads them, the agent's proxy."""

from __future__ import annotations

import pytest

from runner.context import Context, ProxySetting
from runner.engine.routing import routes_for
from runner.kinds.net.proxy_rules import bypass_entry, env_proxy
from tests.helpers.engine import endpoint

EP = endpoint("blob", "cache1.blob.core.windows.net")


@pytest.mark.parametrize(
    ("environ", "url", "bypass"),
    [
        ({}, None, None),
        ({"HTTPS_PROXY": "http://p:3128"}, "http://p:3128", ()),
        ({"https_proxy": "http://low:1", "HTTPS_PROXY": "http://up:2"}, "http://low:1", ()),
        ({"ALL_PROXY": "http://all:3"}, "http://all:3", ()),
        (
            {"HTTPS_PROXY": "http://p:1", "NO_PROXY": " .a.com, b.org ,"},
            "http://p:1",
            (".a.com", "b.org"),
        ),
    ],
)
def test_env_proxy(
    environ: dict[str, str], url: str | None, bypass: tuple[str, ...] | None
) -> None:
    setting = env_proxy(environ)
    assert (setting.url if setting else None) == url
    if setting:
        assert setting.bypass == bypass and setting.source == "env"


@pytest.mark.parametrize(
    ("host", "entries", "style", "match"),
    [
        ("x.blob.core.windows.net", ["blob.core.windows.net"], "no_proxy", "blob.core.windows.net"),
        ("x.blob.core.windows.net", [".windows.net"], "no_proxy", ".windows.net"),
        ("X.Blob.Core.Windows.NET", ["*.windows.net"], "no_proxy", "*.windows.net"),
        ("blob.core.windows.net", ["blob.core.windows.net"], "no_proxy", "blob.core.windows.net"),
        ("notwindows.net", ["windows.net"], "no_proxy", None),
        ("10.1.2.3", ["10.0.0.0/8"], "no_proxy", "10.0.0.0/8"),
        ("anything", ["*"], "no_proxy", "*"),
        ("x.blob.core.windows.net", ["BLOB.core.windows.net"], "asr", "BLOB.core.windows.net"),
        ("blob.core.windows.net", ["blob.core.windows.net"], "asr", None),  # needs "." + entry
        ("x.blob.core.windows.net", ["*.blob.core.windows.net"], "asr", None),
        ("x.blob.core.windows.net", ["*.core.windows.net"], "wininet", "*.core.windows.net"),
        ("intranet", ["<local>"], "wininet", "<local>"),
    ],
)
def test_bypass_rules(host: str, entries: list[str], style: str, match: str | None) -> None:
    setting = ProxySetting(url="http://p:1", source="x", bypass=tuple(entries), bypass_style=style)
    assert bypass_entry(host, setting) == match


def test_default_route_order_cli_env_direct() -> None:
    env = ProxySetting(url="http://env:1", source="env")
    cli = ProxySetting(url="http://u:pw@cli:2", source="cli")
    (only,) = routes_for(EP, ("default",), Context(env_proxy=env, cli_proxy=cli))
    assert (only.route.kind, only.route.source, only.route.proxy) == (
        "proxy",
        "cli",
        "http://u:***@cli:2",
    )
    (only,) = routes_for(EP, ("default",), Context(env_proxy=env))
    assert only.route.source == "env"
    (only,) = routes_for(EP, ("default",), Context())
    assert (only.route.kind, only.route.source) == ("direct", "default")


def test_no_proxy_env_sends_host_direct() -> None:
    env = ProxySetting(url="http://env:1", source="env", bypass=(".windows.net",))
    (only,) = routes_for(EP, ("default",), Context(env_proxy=env))
    assert only.route.kind == "direct" and only.route.source == "no-proxy"
    assert ".windows.net" in only.route.why


def test_agent_route_added_or_merged() -> None:
    agent = ProxySetting(url="http://agent:3128", source="/etc/environment")
    default, extra = routes_for(EP, ("default", "agent"), Context(agent_proxy=agent))
    assert (default.route.kind, default.route.agent) == ("direct", False)
    assert (extra.route.kind, extra.route.agent, extra.route.source) == (
        "proxy",
        True,
        "/etc/environment",
    )
    (merged,) = routes_for(EP, ("default", "agent"), Context(agent_proxy=agent, cli_proxy=agent))
    assert merged.route.agent
    (direct,) = routes_for(EP, ("default", "agent"), Context())
    assert direct.route.agent and direct.route.kind == "direct"


def test_agent_bypass_list_and_no_proxy_flag() -> None:
    agent = ProxySetting(
        url="http://a:1", source="ProxyInfo.conf", bypass=("core.windows.net",), bypass_style="asr"
    )
    routes = routes_for(EP, ("default", "agent"), Context(agent_proxy=agent))
    assert [(r.route.kind, r.route.agent) for r in routes] == [("direct", True)]
    (forced,) = routes_for(EP, ("default", "agent"), Context(agent_proxy=agent, force_direct=True))
    assert (forced.route.kind, forced.route.source) == ("direct", "no-proxy")


def test_proxy_without_scheme_is_http() -> None:
    agent = ProxySetting(url="10.0.0.4:3128", source="ProxyInfo.conf")
    _, via = routes_for(EP, ("default", "agent"), Context(agent_proxy=agent))
    assert via.proxy is not None and via.proxy.url == "http://10.0.0.4:3128"
    assert via.route.proxy == "http://10.0.0.4:3128"
