"""The simulators' control endpoints: JSON over HTTP on the loopback interface.

Tests, the demo and the `--send`/`--fault` options of the simulator commands
use them to type codes, inject faults and read printed receipts.
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.request
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

logger = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Any]
Routes = dict[tuple[str, str], Handler]


class ControlError(Exception):
    pass


class ControlServer:
    """Serves `routes`, keyed by (method, path), on 127.0.0.1:`port` in a thread."""

    def __init__(self, port: int, routes: Routes) -> None:
        routes_ = routes

        class _Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                handler = routes_.get((self.command, self.path))
                if handler is None:
                    self._answer(HTTPStatus.NOT_FOUND, {"error": "no such endpoint"})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                    if not isinstance(body, dict):
                        raise ValueError("expected a JSON object")
                    self._answer(HTTPStatus.OK, handler(body))
                except (ValueError, KeyError) as err:
                    self._answer(HTTPStatus.BAD_REQUEST, {"error": str(err)})

            def _answer(self, status: HTTPStatus, data: Any) -> None:
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = _serve
            do_POST = _serve
            do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:
                logger.debug("control: " + format, *args)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(
            target=self.server.serve_forever, name="control", daemon=True
        )

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def control_request(
    port: int, method: str, path: str, body: dict[str, Any] | None = None
) -> Any:
    """Call a simulator's control endpoint on 127.0.0.1; raises ControlError."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return json.loads(response.read())
    except OSError as err:
        raise ControlError(f"control endpoint on port {port}: {err}") from err
