"""The terminal's certificate, in local mode: signed by Adyen's terminal root,
and naming this terminal.

Adyen's terminals present a certificate whose Common Name is
`<POIID>.<test|live>.terminal.adyen.com` (or, on older terminals,
`legacy-terminal-certificate.<test|live>.terminal.adyen.com`), not their
address: the chain is verified against Adyen's root (the file the operator
installs, `root_certificate`), the usual host-name check is off, and the
Common Name is checked once the handshake is done, before any byte of a
message is sent.
"""

from __future__ import annotations

import functools
import os
import ssl
from typing import Any

from kiosk.payments.base import TerminalEnvironment

LEGACY = "legacy-terminal-certificate"


def terminal_names(poiid: str, environment: TerminalEnvironment) -> frozenset[str]:
    """The Common Names a terminal with this POIID may present."""
    suffix = f".{environment.value}.terminal.adyen.com"
    return frozenset({f"{poiid}{suffix}", f"{LEGACY}{suffix}"})


def common_names(certificate: dict[str, Any]) -> list[str]:
    """The Common Names of a certificate as `SSLSocket.getpeercert()` reads it."""
    return [
        value
        for entry in certificate.get("subject", ())
        for name, value in entry
        if name == "commonName"
    ]


class TerminalCertificateError(ssl.SSLCertVerificationError):
    """The certificate is Adyen's, but not this terminal's."""


class _TerminalSocket(ssl.SSLSocket):
    def do_handshake(self, block: bool = False) -> None:
        super().do_handshake(block)
        expected: frozenset[str] = getattr(self.context, "terminal_names", frozenset())
        names = common_names(self.getpeercert() or {})
        if not expected.intersection(names):
            raise TerminalCertificateError(
                f"the terminal presented {', '.join(names) or 'no name'}, "
                f"not {' or '.join(sorted(expected))}"
            )


class TerminalContext(ssl.SSLContext):
    """TLS to one terminal: Adyen's root only, the terminal's name checked."""

    sslsocket_class = _TerminalSocket
    terminal_names: frozenset[str]


def terminal_context(
    *, root_certificate: str, poiid: str, environment: TerminalEnvironment
) -> TerminalContext:
    """Raises OSError or ssl.SSLError when the root cannot be read.

    Made once per terminal and root file (read again when the file changes):
    the payment screen asks a terminal every second."""
    changed = os.stat(root_certificate).st_mtime_ns
    return _context(root_certificate, changed, poiid, environment)


@functools.lru_cache(maxsize=64)
def _context(
    root_certificate: str,
    _changed: int,
    poiid: str,
    environment: TerminalEnvironment,
) -> TerminalContext:
    context = TerminalContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = False
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(cafile=root_certificate)
    context.terminal_names = terminal_names(poiid, environment)
    return context
