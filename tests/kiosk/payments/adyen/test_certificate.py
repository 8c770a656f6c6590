"""A local terminal on HTTPS: its certificate must be signed by Adyen's terminal
root and name this terminal (`<POIID>.test.terminal.adyen.com`).

The Adyen sandbox speaks plain HTTP; here it sits behind a TLS relay that
presents a certificate made for the test, as a terminal on the store's
network presents Adyen's.
"""

from __future__ import annotations

import datetime
import select
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.payments.adyen import AdyenTerminal
from kiosk.payments.adyen.certificate import common_names, terminal_names
from kiosk.payments.base import TerminalEnvironment
from tests.kiosk.payments.adyen.conftest import POIID, local_config

NOW = datetime.datetime.now(datetime.UTC)


@dataclass
class Authority:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    def issue(
        self, common_name: str
    ) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = (
            x509.CertificateBuilder()
            .subject_name(
                x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
            )
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - datetime.timedelta(days=1))
            .not_valid_after(NOW + datetime.timedelta(days=1))
            .sign(self.key, hashes.SHA256())
        )
        return certificate, key


def authority(name: str) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - datetime.timedelta(days=1))
        .not_valid_after(NOW + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return Authority(key, certificate)


def pem(path: Path, *parts: x509.Certificate | ec.EllipticCurvePrivateKey) -> Path:
    data = b""
    for part in parts:
        if isinstance(part, x509.Certificate):
            data += part.public_bytes(serialization.Encoding.PEM)
        else:
            data += part.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
    path.write_bytes(data)
    return path


class TlsRelay:
    """Accepts TLS with a certificate, passes the bytes on to a plain HTTP port."""

    def __init__(self, upstream: int, certificate: Path) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(certificate)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.upstream = upstream
        self.stopping = threading.Event()
        self.acceptor = threading.Thread(target=self._accept, daemon=True)
        self.acceptor.start()

    def _accept(self) -> None:
        self.listener.settimeout(0.2)
        while not self.stopping.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:  # the listener was closed: the relay stops
                return
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        try:
            secure = self.context.wrap_socket(client, server_side=True)
        except (ssl.SSLError, OSError):
            client.close()
            return
        with secure, socket.create_connection(("127.0.0.1", self.upstream)) as plain:
            ends = {secure: plain, plain: secure}
            for _ in range(10_000):
                readable, _, _ = select.select(list(ends), [], [], 5)
                if not readable:
                    return
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    ends[source].sendall(data)

    def stop(self) -> None:
        self.stopping.set()
        self.acceptor.join(timeout=2)
        self.listener.close()


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> tuple[Authority, Path]:
    adyen = authority("Adyen terminal root (test stand-in)")
    return adyen, pem(tmp_path_factory.mktemp("root") / "root.pem", adyen.certificate)


def serve(
    adyen_sandbox, tmp_path: Path, issuer: Authority, common_name: str
) -> TlsRelay:
    certificate, key = issuer.issue(common_name)
    chain = pem(tmp_path / "terminal.pem", certificate, key)
    return TlsRelay(int(adyen_sandbox.base_url.rsplit(":", 1)[1]), chain)


def terminal_at(
    adyen_sandbox, relay: TlsRelay, root_file: Path | None
) -> AdyenTerminal:
    config = local_config(adyen_sandbox)
    options = dict(config.options)
    if root_file is not None:
        options["root_certificate"] = str(root_file)
    return AdyenTerminal(
        config=config.__class__(
            **{
                **config.__dict__,
                "endpoint": f"https://127.0.0.1:{relay.port}",
                "options": options,
            }
        )
    )


@pytest.fixture
def relays() -> Iterator[list[TlsRelay]]:
    started: list[TlsRelay] = []
    yield started
    for relay in started:
        relay.stop()


@pytest.mark.parametrize(
    "common_name",
    [
        f"{POIID}.test.terminal.adyen.com",
        "legacy-terminal-certificate.test.terminal.adyen.com",
    ],
    ids=["poiid", "legacy"],
)
def test_a_terminal_with_adyens_certificate_for_its_name_is_reached(
    adyen_sandbox, root, tmp_path, relays, common_name
):
    adyen, root_file = root
    relays.append(serve(adyen_sandbox, tmp_path, adyen, common_name))

    check = terminal_at(adyen_sandbox, relays[0], root_file).check()

    assert check.ok is True, check.detail


@pytest.mark.parametrize(
    "common_name",
    [
        "S1F2-000158999999999.test.terminal.adyen.com",  # another terminal
        f"{POIID}.live.terminal.adyen.com",  # a live terminal on a test account
        "127.0.0.1",
    ],
    ids=["other-terminal", "other-environment", "address"],
)
def test_a_certificate_for_another_name_is_refused_before_anything_is_sent(
    adyen_sandbox, root, tmp_path, relays, common_name
):
    adyen, root_file = root
    relays.append(serve(adyen_sandbox, tmp_path, adyen, common_name))
    before = len(adyen_sandbox.requests())

    check = terminal_at(adyen_sandbox, relays[0], root_file).check()

    assert check.ok is False
    assert "certificate" in check.detail
    assert len(adyen_sandbox.requests()) == before


def test_a_certificate_not_signed_by_adyens_root_is_refused(
    adyen_sandbox, root, tmp_path, relays
):
    _adyen, root_file = root
    impostor = authority("Someone else's root")
    relays.append(
        serve(adyen_sandbox, tmp_path, impostor, f"{POIID}.test.terminal.adyen.com")
    )

    check = terminal_at(adyen_sandbox, relays[0], root_file).check()

    assert check.ok is False
    assert "certificate" in check.detail


def test_without_adyens_root_a_local_https_terminal_is_not_called(
    adyen_sandbox, root, tmp_path, relays
):
    adyen, _root_file = root
    relays.append(
        serve(adyen_sandbox, tmp_path, adyen, f"{POIID}.test.terminal.adyen.com")
    )

    check = terminal_at(adyen_sandbox, relays[0], None).check()

    assert check.ok is False
    assert "root_certificate" in check.detail


def test_the_names_a_terminal_may_present():
    assert terminal_names("V400m-324688179", TerminalEnvironment.LIVE) == {
        "V400m-324688179.live.terminal.adyen.com",
        "legacy-terminal-certificate.live.terminal.adyen.com",
    }
    assert common_names(
        {"subject": ((("countryName", "NL"),), (("commonName", "x.test"),))}
    ) == ["x.test"]
