"""The bundle's __main__.py (packaging/build_pyz.py fills in VERSION and DIGEST).

Code imported from a zip is compiled again on every run (zipimport writes no .pyc), which
triples the start-up time. So the first run copies the archive's contents once into
`$XDG_CACHE_HOME/asrcheck/bundle-<version>-<digest>/` (default `~/.cache/asrcheck/...`;
Windows `%LOCALAPPDATA%\\asrcheck\\Cache\\...`) and every run imports from there, where
Python keeps its .pyc files. Where that cannot be written, asrcheck runs from the zip.
"""

import os
import sys

VERSION = "@VERSION@"
DIGEST = "@DIGEST@"
DONE = ".complete"

if sys.version_info < (3, 9):  # noqa: UP036 (the bundle may meet any Python 3)
    sys.exit("asrcheck needs Python 3.9 or newer")


def _cache_root():
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser(r"~\AppData\Local")
        return os.path.join(base, "asrcheck", "Cache")
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "asrcheck")


def _extract(archive, target):
    import shutil
    import tempfile
    import zipfile

    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    work = tempfile.mkdtemp(prefix=".tmp-", dir=parent)
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = [name for name in bundle.namelist() if name != "__main__.py"]
            bundle.extractall(work, members)
        with open(os.path.join(work, DONE), "w") as stamp:
            stamp.write(VERSION + "\n")
        os.replace(work, target)
    except OSError:
        shutil.rmtree(work, ignore_errors=True)


def _use_cache():
    archive = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(_cache_root(), f"bundle-{VERSION}-{DIGEST}")
    try:
        if not os.path.isfile(os.path.join(target, DONE)):
            _extract(archive, target)
    except OSError:
        return
    if os.path.isfile(os.path.join(target, DONE)):
        sys.path = [target if entry == archive else entry for entry in sys.path]


_use_cache()
from runner.cli import entry  # noqa: E402

entry()
