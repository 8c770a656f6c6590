"""The store server behind each shipped TLS proxy (`deploy/proxy/`), run by
Debian's nginx and Caddy as the README's "Production" section installs them.

Two daphne processes with the production settings sit behind the proxy, whose
configuration is the shipped file with only its ports and paths changed; a
client that trusts the store's certificate authority reaches the pages, the
static files and the hardware agent's websocket over TLS by the store's name,
plain HTTP is sent to HTTPS, and a web process that is down is skipped.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from hardware import protocol
from hardware.agent.websocket import connect
from tests.processes import (
    HOST,
    ROOT,
    ChildProcess,
    DaphneServer,
    free_port,
    manage_py_output,
    production_env,
    wait_until,
)

PROXIES = ROOT / "deploy" / "proxy"


@dataclass
class Store:
    directory: Path
    servers: list[DaphneServer]
    device_token: str
    static_file: str


@dataclass
class Proxy:
    http_port: int
    https_port: int
    certificate_authority: Path

    @property
    def base(self) -> str:
        return f"https://{HOST}:{self.https_port}"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    directory = tmp_path_factory.mktemp("tls-store")
    env = production_env(directory, database_url=None)
    manage_py_output("migrate", "--noinput", env=env)
    manage_py_output("collectstatic", "--noinput", env=env)
    token = manage_py_output(
        "shell",
        "-c",
        "from kiosk.models import Kiosk, Store\n"
        "from hardware.services.devices import kiosk_device_token_rotate\n"
        "store = Store.objects.create(name='TLS', slug='tls')\n"
        "kiosk = Kiosk.objects.create(store=store, code='tls-1', name='TLS 1')\n"
        "print(kiosk_device_token_rotate(kiosk=kiosk))\n",
        env=env,
    ).split()[-1]
    static_file = next((directory / "static").rglob("*.css"))
    servers = [
        DaphneServer(free_port(), env=env, directory=directory) for _ in range(2)
    ]
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready(server.is_serving, timeout=60, what="serving")
        yield Store(
            directory,
            servers,
            token,
            "/static/" + static_file.relative_to(directory / "static").as_posix(),
        )
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def store_name_resolves(monkeypatch: pytest.MonkeyPatch) -> None:
    """The store's name is the server on the store's network: here, loopback."""
    resolve = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        return resolve("127.0.0.1" if host == HOST else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def _replace(text: str, old: str, new: str) -> str:
    """`old` must be in the shipped file: the test follows it, or fails."""
    assert old in text, f"{old!r} is no longer in the shipped configuration"
    return text.replace(old, new)


def _certificate_authority(directory: Path) -> tuple[Path, Path, Path]:
    """A store CA and a certificate for the store's name, as an operator's own."""

    def openssl(*arguments: str) -> None:
        subprocess.run(
            ["openssl", *arguments], cwd=directory, capture_output=True, check=True
        )

    (directory / "server.ext").write_text(
        f"subjectAltName=DNS:{HOST}\nextendedKeyUsage=serverAuth\n"
    )
    openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=Store test CA",
    )  # fmt: skip
    openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key",
        "-out", "server.csr", "-subj", f"/CN={HOST}",
    )  # fmt: skip
    openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "2", "-extfile", "server.ext",
        "-out", "server.crt",
    )  # fmt: skip
    return directory / "ca.crt", directory / "server.crt", directory / "server.key"


def _nginx(
    store: Store, directory: Path, http: int, https: int
) -> tuple[list[str], Path]:
    ca, certificate, key = _certificate_authority(directory)
    site = (PROXIES / "nginx.conf").read_text()
    for index, server in enumerate(store.servers):
        site = _replace(
            site, f"server 127.0.0.1:800{index + 1} ", f"server {server.base[7:]} "
        )
    site = _replace(site, "listen 80;", f"listen 127.0.0.1:{http};")
    site = _replace(site, "listen 443 ssl", f"listen 127.0.0.1:{https} ssl")
    site = _replace(site, "/etc/open-kiosk/tls/server.crt", str(certificate))
    site = _replace(site, "/etc/open-kiosk/tls/server.key", str(key))
    site = _replace(site, "/var/lib/open-kiosk/static/", f"{store.directory}/static/")
    (directory / "site.conf").write_text(site)
    temporary = " ".join(
        f"{kind}_temp_path {directory}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # Its workers read the static files from this test's private folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (directory / "nginx.conf").write_text(
        f"daemon off;\n{user}pid {directory}/nginx.pid;\n"
        f"error_log {directory}/error.log;\n"
        "events {}\n"
        f"http {{ include /etc/nginx/mime.types; access_log off; {temporary}\n"
        f"include {directory}/site.conf; }}\n"
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    command = [nginx, "-p", str(directory), "-e", f"{directory}/error.log"]
    command += ["-c", str(directory / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    return command, ca


def _caddy(
    store: Store, directory: Path, http: int, https: int
) -> tuple[list[str], Path]:
    site = (PROXIES / "Caddyfile").read_text()
    site = _replace(
        site, "root * /var/lib/open-kiosk/static", f"root * {store.directory}/static"
    )
    site = _replace(
        site,
        "reverse_proxy 127.0.0.1:8001 127.0.0.1:8002",
        "reverse_proxy " + " ".join(server.base[7:] for server in store.servers),
    )
    options = (
        "{\n\tadmin off\n"
        f"\thttp_port {http}\n\thttps_port {https}\n"
        f"\tstorage file_system {directory}/data\n\tskip_install_trust\n}}\n"
    )
    (directory / "Caddyfile").write_text(options + site)
    caddy = shutil.which("caddy") or "/usr/bin/caddy"
    command = [
        caddy,
        "run",
        "--adapter",
        "caddyfile",
        "--config",
        str(directory / "Caddyfile"),
    ]
    checked = subprocess.run(
        [
            caddy,
            "validate",
            "--adapter",
            "caddyfile",
            "--config",
            str(directory / "Caddyfile"),
        ],
        capture_output=True,
        text=True,
        env={"HOME": str(directory), "PATH": "/usr/bin:/bin"},
    )
    assert checked.returncode == 0, checked.stderr
    return command, directory / "data" / "pki" / "authorities" / "local" / "root.crt"


PROXY_CONFIGURATIONS: dict[
    str, Callable[[Store, Path, int, int], tuple[list[str], Path]]
] = {"nginx": _nginx, "caddy": _caddy}


@pytest.fixture(params=sorted(PROXY_CONFIGURATIONS))
def proxy(
    request: pytest.FixtureRequest,
    store: Store,
    tmp_path: Path,
    store_name_resolves: None,
) -> Iterator[Proxy]:
    http, https = free_port(), free_port()
    command, ca = PROXY_CONFIGURATIONS[request.param](store, tmp_path, http, https)
    process = ChildProcess(
        request.param,
        command[1:],
        program=command[0],
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        directory=tmp_path,
    )
    process.start()
    proxy = Proxy(http, https, ca)
    try:
        process.wait_ready(
            lambda: ca.exists() and _answers(proxy), timeout=30, what="serving TLS"
        )
        yield proxy
    finally:
        process.stop()


def _answers(proxy: Proxy) -> bool:
    try:
        _get(proxy, "/healthz/")
    except requests.RequestException:
        return False
    return True


def _get(proxy: Proxy, path: str) -> requests.Response:
    with requests.Session() as session:
        session.trust_env = False
        return session.get(
            proxy.base + path,
            verify=str(proxy.certificate_authority),
            allow_redirects=False,
            timeout=10,
        )


def _directives(value: str | None) -> set[str]:
    """A header's directives, in any order."""
    return {part.strip() for part in (value or "").split(";") if part.strip()}


def test_pages_are_served_over_tls_with_the_products_headers_once(proxy, store):
    page = _get(proxy, "/admin/login/")

    assert page.status_code == 200
    headers = page.raw.headers
    assert headers.getlist("Strict-Transport-Security") == ["max-age=31536000"]
    # The proxy adds nothing to what the product sends: one policy, its own.
    assert len(headers.getlist("Content-Security-Policy")) == 1
    assert headers.getlist("X-Frame-Options") == ["DENY"]
    assert "Secure" in headers["Set-Cookie"]


def test_static_files_carry_the_same_security_headers(proxy, store):
    page = _get(proxy, "/admin/login/")
    static = _get(proxy, store.static_file)

    assert static.status_code == 200
    for header in (
        "Strict-Transport-Security",
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert _directives(static.headers.get(header)) == _directives(
            page.headers.get(header)
        ), header


def test_plain_http_is_sent_to_https(proxy):
    with requests.Session() as session:
        session.trust_env = False
        answer = session.get(
            f"http://{HOST}:{proxy.http_port}/", allow_redirects=False, timeout=10
        )

    assert answer.status_code in (301, 308)
    assert answer.headers["Location"].startswith(f"https://{HOST}")


def test_a_kiosk_device_agent_connects_over_tls(proxy, store, monkeypatch):
    # The device trusts the store's CA as the README says: in its system store.
    monkeypatch.setenv("SSL_CERT_FILE", str(proxy.certificate_authority))

    async def hello() -> dict[str, Any]:
        socket = await connect(f"wss://{HOST}:{proxy.https_port}/ws/device/")
        try:
            await socket.send(
                protocol.message_encode(
                    protocol.HELLO,
                    token=store.device_token,
                    agent={"version": "test"},
                    scanner={"state": "connected", "detail": "through the proxy"},
                    printer={"state": "ok", "detail": "through the proxy"},
                )
            )
            return protocol.message_decode(await asyncio.wait_for(socket.receive(), 10))
        finally:
            await socket.close()

    assert asyncio.run(hello())["type"] == protocol.WELCOME


def test_a_web_process_that_is_down_is_skipped(proxy, store):
    down = store.servers[0]
    down.kill()
    try:
        answers = [_get(proxy, "/healthz/").status_code for _ in range(10)]
    finally:
        down.start()
        down.wait_ready(down.is_serving, timeout=60, what="serving")
        wait_until(lambda: _answers(proxy), timeout=10, what="the proxy answering")

    assert answers == [200] * 10
