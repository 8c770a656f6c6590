"""HTTP on the loopback interface: what every sandbox's server is made of.

`LoopbackServer` is a threading HTTP server that binds without a DNS lookup,
shrugs at clients that hang up first, and serves from a thread of its own;
`RequestHandler` turns the bytes of a request into a `SandboxRequest` and a
`SandboxResponse` back into bytes. The emulators' server (`server`) is made
of them, and so is `ControlServer`, the small JSON control endpoint of the
virtual devices (scanner, printer): tests, the demo and the `--send`/`--fault`
options of their commands call it to type codes, inject faults and read
printed receipts.

None of it has authentication: it listens on 127.0.0.1 only.
"""

from __future__ import annotations

import json
import logging
import socket
import socketserver
import sys
import threading
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from sandboxes.core.web import SandboxRequest, SandboxResponse, json_response

logger = logging.getLogger(__name__)

IDLE_CONNECTION_TIMEOUT_S = 60.0
SHUTDOWN_POLL_S = 0.05


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    # Handlers that hang (a `timeout` fault) must never hold up the shutdown.
    block_on_close = False

    _thread: threading.Thread | None = None

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host name, which can stall for
        # seconds without DNS; a loopback server does not need it.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        # A client that hangs up first (after its own timeout, say) is routine
        # here, not worth a traceback.
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            logger.debug("client went away", extra={"client": str(client_address)})
            return
        super().handle_error(request, client_address)

    @property
    def base_url(self) -> str:
        return f"http://{self.server_name}:{self.server_port}"

    def serve_in_thread(self, name: str) -> None:
        self._thread = threading.Thread(
            target=self.serve_forever,
            # Short polls: shutdown waits for the loop to look at its flag.
            args=(SHUTDOWN_POLL_S,),
            name=name,
            daemon=True,
        )
        self._thread.start()

    def serving_stop(self) -> None:
        """Stop the loop started by `serve_in_thread`, and close the socket."""
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
        self.server_close()


class RequestHandler(BaseHTTPRequestHandler):
    """Reads each request whole and hands it to `serve`, whatever its method."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY a
    # keep-alive client waits ~40 ms on every answer (Nagle + delayed ACK).
    disable_nagle_algorithm = True
    server_version = "sandbox"
    sys_version = ""
    timeout = IDLE_CONNECTION_TIMEOUT_S

    def do_GET(self) -> None:
        request = self.request_read()
        if request is not None:
            self.serve(request)

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def serve(self, request: SandboxRequest) -> None:
        raise NotImplementedError

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def request_read(self) -> SandboxRequest | None:
        """The request, or None once a 400 went out for a body it cannot read."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.send_error(400, "Invalid Content-Length")
            return None
        body = self.rfile.read(length) if length > 0 else b""
        parts = urlsplit(self.path)
        return SandboxRequest(
            method=self.command,
            path=unquote(parts.path),
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )

    def response_send(self, response: SandboxResponse, request: SandboxRequest) -> None:
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if request.method != "HEAD":
            self.wfile.write(response.body)


# A control route: the JSON object of the request's body in, JSON out.
ControlRoute = Callable[[dict[str, Any]], Any]


class ControlServer(LoopbackServer):
    """Serves `routes`, keyed by (method, path), on 127.0.0.1:`port` in a thread.

    An unknown route answers 404, and a route that raises `ValueError` or
    `KeyError` (a body it cannot use) 400, both with `{"error": …}`.
    """

    def __init__(
        self, port: int, routes: Mapping[tuple[str, str], ControlRoute]
    ) -> None:
        self.routes = dict(routes)
        super().__init__(("127.0.0.1", port), ControlRequestHandler)
        self.port = self.server_port

    def start(self) -> None:
        self.serve_in_thread("control")

    def stop(self) -> None:
        self.serving_stop()

    def answer(self, request: SandboxRequest) -> SandboxResponse:
        route = self.routes.get((request.method, request.path))
        if route is None:
            return json_response({"error": "no such endpoint"}, 404)
        try:
            body = json.loads(request.body or b"{}")
            if not isinstance(body, dict):
                raise ValueError("expected a JSON object")
            return json_response(route(body))
        except (ValueError, KeyError) as error:
            return json_response({"error": str(error)}, 400)


class ControlRequestHandler(RequestHandler):
    server: ControlServer

    def serve(self, request: SandboxRequest) -> None:
        self.response_send(self.server.answer(request), request)
