from __future__ import annotations

import pytest
from asgiref.testing import ApplicationCommunicator

from config.asgi import application


async def _get(path: str) -> dict[str, str]:
    """The status and headers of a GET, read off the ASGI messages (files stream)."""
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "path": path,
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1")],
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 50000),
    }
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(timeout=10)
    while True:
        message = await communicator.receive_output(timeout=10)
        if not message.get("more_body", False):
            break
    await communicator.wait(timeout=10)
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    headers[":status"] = str(start["status"])
    return headers


@pytest.mark.asyncio
@pytest.mark.django_db
async def test_a_static_file_carries_the_pages_security_headers():
    headers = await _get("/static/kiosk/css/kiosk.css")

    assert headers[":status"] == "200"
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"


@pytest.mark.asyncio
@pytest.mark.django_db
async def test_a_missing_static_file_is_a_plain_404_with_the_headers():
    headers = await _get("/static/kiosk/css/nothing-here.css")

    assert headers[":status"] == "404"
    assert headers["x-content-type-options"] == "nosniff"
