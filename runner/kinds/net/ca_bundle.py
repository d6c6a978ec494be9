"""A CA bundle (`--ca-bundle`, `SSL_CERT_FILE`) checked before a run uses it.

A bundle that is missing, empty or holds no certificates would make every TLS check of
the run fail as if a firewall reset the handshake; the run command refuses it up front.
"""

from __future__ import annotations

import os
import ssl
import stat

from runner.kinds.net import tls_context


def problem(path: str) -> str | None:
    """What is wrong with the CA bundle at `path` (None: it holds certificates).

    Only a regular file is read (a FIFO would block); it must load as PEM (or DER) and
    hold at least one certificate.
    """
    try:
        info = os.stat(path)
    except OSError as error:
        return _os_words(error)
    if stat.S_ISDIR(info.st_mode):
        return "is a directory, not a file of PEM certificates"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a device, FIFO or socket)"
    if info.st_size == 0:
        return "is empty: it holds no certificates"
    try:  # the context the run's TLS checks then use, so the file is parsed once
        context = tls_context.verifying_with(path)
    except ssl.SSLError:
        return "holds no certificates (expected PEM blocks '-----BEGIN CERTIFICATE-----')"
    except OSError as error:
        return _os_words(error)
    if not context.cert_store_stats().get("x509"):
        return "holds no certificates (expected PEM blocks '-----BEGIN CERTIFICATE-----')"
    return None


def _os_words(error: OSError) -> str:
    """`no such file`, `permission denied`: the OS's words, lower case."""
    if isinstance(error.errno, int) and error.errno > 0:
        words = os.strerror(error.errno)
    else:
        words = error.strerror or str(error)
    return words[:1].lower() + words[1:]
