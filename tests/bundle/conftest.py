"""The one-file bundle, built once per test session, and the interpreters it is tried with."""

from __future__ import annotations

import pytest

from tests.helpers.bundle import Bundle, build, interpreters, netns_problem, version_of


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    built = build(tmp_path_factory.mktemp("dist") / "asrcheck.pyz")
    outside = tmp_path_factory.mktemp("elsewhere")
    return Bundle(built, outside, netns_problem())


@pytest.fixture(
    params=interpreters(), ids=lambda path: "py" + ".".join(map(str, version_of(path) or ()))
)
def python(request: pytest.FixtureRequest) -> str:
    return str(request.param)
