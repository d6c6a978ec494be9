"""Builds the one-file bundle `dist/asrcheck-<version>.pyz`.

    python3 packaging/build_pyz.py            # from the repository's root, needs PyPI once

The bundle holds asrcheck (runner/), its plans and schemas (as runner/_data/, like the
wheel) and the pure-Python parts of the dependency set pinned in packaging/bundle-lock.txt,
plus runner/_bundle.json (versions, for `asrcheck --version`). The downloads are kept in
build/bundle-wheels/ (or --wheels DIR) and checked against the lock's hashes, so a second
build needs no network. The same commit and lock give the same bytes: sorted entries,
fixed timestamps and permissions. A compiled file (.so, .pyd, .dll, .dylib) is never
written: the build fails instead.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "packaging" / "bundle-lock.txt"
COMPILED = (".so", ".pyd", ".dll", ".dylib")
DATE = (2000, 1, 1, 0, 0, 0)
SHEBANG = b"#!/usr/bin/env python3\n"
MAIN = ROOT / "packaging" / "pyz_main.py"


def version() -> str:
    text = (ROOT / "runner" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if not found:
        raise SystemExit("no __version__ in runner/__init__.py")
    return found.group(1)


def locked() -> list[tuple[str, str, str]]:
    """(name, version, sha256) of each line of the lock."""
    entries = []
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        found = re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)\s+--hash=sha256:([0-9a-f]{64})", line)
        if not found:
            raise SystemExit(f"{LOCK}: cannot read line {line!r}")
        entries.append((found.group(1), found.group(2), found.group(3)))
    return entries


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wheels(cache: Path) -> dict[str, Path]:
    """The locked wheels by hash, downloaded into `cache` unless already there."""
    want = {digest for _, _, digest in locked()}
    cache.mkdir(parents=True, exist_ok=True)
    have = {_sha256(path): path for path in cache.glob("*.whl")}
    if not want <= set(have):
        command = [
            sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check",
            "--no-deps", "--require-hashes", "--only-binary", ":all:",
            # PyYAML's only wheels are compiled ones; this picks one, whose _yaml is dropped.
            "--platform", "manylinux2014_x86_64", "--python-version", "3.9",
            "--implementation", "cp", "--dest", str(cache), "-r", str(LOCK),
        ]  # fmt: skip
        subprocess.run(command, check=True)
        have = {_sha256(path): path for path in cache.glob("*.whl")}
    missing = want - set(have)
    if missing:
        raise SystemExit(f"downloads do not match the lock: missing {sorted(missing)}")
    return {digest: have[digest] for digest in want}


def _keep(name: str) -> bool:
    """Whether a wheel's entry goes into the bundle: no compiled code, no install data,
    no RECORD (it would list what was left out)."""
    if name.endswith("/") or name.lower().endswith(COMPILED):
        return False
    top = name.split("/", 1)[0]
    if top.endswith(".data"):
        return False
    return not (top.endswith(".dist-info") and name.endswith("/RECORD"))


#: Source edits, each (file, old, new): jsonschema 4.17 calls joinpath() with two parts,
#: which Python 3.9's zipfile.Path (what importlib.resources gives inside a zip) refuses.
PATCHES = (
    (
        "jsonschema/validators.py",
        b'package.joinpath("schemas", "vocabularies")',
        b'package.joinpath("schemas").joinpath("vocabularies")',
    ),
)


def dependency_entries(cache: Path) -> dict[str, bytes]:
    entries: dict[str, bytes] = {}
    for path in sorted(wheels(cache).values()):
        with zipfile.ZipFile(path) as wheel:
            for name in wheel.namelist():
                if _keep(name):
                    entries[name] = wheel.read(name)
    for name, old, new in PATCHES:
        if entries.get(name, b"").count(old) != 1:
            raise SystemExit(f"{name}: the expected text to patch is not there; lock changed?")
        entries[name] = entries[name].replace(old, new)
    return entries


def own_entries() -> dict[str, bytes]:
    entries: dict[str, bytes] = {}
    for path in sorted((ROOT / "runner").rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "_data" in relative.parts or "__pycache__" in relative.parts:
            continue
        entries[relative.as_posix()] = path.read_bytes()
    for kind, pattern in (("plans", "*.yaml"), ("schemas", "*.json")):
        for path in sorted((ROOT / kind).glob(pattern)):
            entries[f"runner/_data/{kind}/{path.name}"] = path.read_bytes()
    return entries


def main_module(entries: dict[str, bytes]) -> bytes:
    """packaging/pyz_main.py with the version and a digest of every other entry."""
    digest = hashlib.sha256()
    for name in sorted(entries):
        digest.update(name.encode() + b"\0" + hashlib.sha256(entries[name]).digest())
    text = MAIN.read_text(encoding="utf-8")
    text = text.replace("@VERSION@", version()).replace("@DIGEST@", digest.hexdigest()[:16])
    return text.encode()


def plan_versions() -> dict[str, str]:
    found = {}
    for path in sorted((ROOT / "plans").glob("*.yaml")):
        match = re.search(r"^version:\s*['\"]?([^'\"\s#]+)", path.read_text("utf-8"), re.M)
        found[path.stem] = match.group(1) if match else "?"
    return found


def manifest() -> bytes:
    data = {
        "asrcheck": version(),
        "plans": plan_versions(),
        "dependencies": {name.lower(): ver for name, ver, _ in locked()},
    }
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode()


def write(entries: dict[str, bytes], output: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(entries):
            if name.lower().endswith(COMPILED):
                raise SystemExit(f"refusing to bundle compiled code: {name}")
            info = zipfile.ZipInfo(name, DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, entries[name])
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(output.name + ".tmp")
    temporary.write_bytes(SHEBANG + buffer.getvalue())
    temporary.chmod(0o755)
    temporary.replace(output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheels", type=Path, default=ROOT / "build" / "bundle-wheels")
    parser.add_argument("--output", type=Path, help="default: dist/asrcheck-<version>.pyz")
    args = parser.parse_args(argv)
    output = args.output or ROOT / "dist" / f"asrcheck-{version()}.pyz"
    entries = dependency_entries(args.wheels)
    entries.update(own_entries())
    entries["runner/_bundle.json"] = manifest()
    entries["__main__.py"] = main_module(entries)
    write(entries, output)
    print(f"{output} ({output.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
