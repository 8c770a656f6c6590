"""Hostile frames on the websockets: a clean close or nothing, never a crash.

The device websocket takes anything before and after a valid hello (text
that is not JSON, JSON nested beyond any parser's depth, wrong types, huge
numbers, bytes); the kiosk page's websocket takes frames it never expects.
A consumer that raised would make the communicator raise here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.asgi import application
from hardware.services.devices import kiosk_device_token_rotate
from kiosk.devices import device_cookie_value
from kitchen.models import Screen
from kitchen.services.screens import screen_token_rotate

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats()
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["type", "token", "scan", "job", "state", "printer", "code", "x"]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=15,
)
frames = st.one_of(
    json_values.map(lambda v: ("text", json.dumps(v))),
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(
                ["hello", "scan", "status", "job_done", "job_failed", "ping", "é"]
            )
        },
        optional={
            "code": st.text(max_size=50),
            "job": json_values,
            "token": st.text(max_size=30),
            "printer": json_values,
        },
    ).map(lambda v: ("text", json.dumps(v))),
    st.integers(1, 100_000).map(lambda d: ("text", "[" * d + "]" * d)),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=200).map(
        lambda t: ("text", t)
    ),
    st.binary(min_size=1, max_size=200).map(lambda b: ("bytes", b)),
)
FUZZ = settings(
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


async def _send(communicator: WebsocketCommunicator, frame: tuple[str, Any]) -> None:
    kind, data = frame
    if kind == "text":
        await communicator.send_to(text_data=data)
    else:
        await communicator.send_to(bytes_data=data)


async def _settle(communicator: WebsocketCommunicator) -> None:
    """Read what the consumer answers until it is quiet or closed; re-raises its errors."""
    for _ in range(5):
        # receive_nothing waits without cancelling the consumer, as a timed-out
        # receive_output would.
        if await communicator.receive_nothing(timeout=0.2):
            return
        message = await communicator.receive_output(timeout=1)
        if message["type"] == "websocket.close":
            return


def _hello(token: str) -> dict[str, Any]:
    return {
        "type": "hello",
        "token": token,
        "agent": {
            "version": "1",
            "hostname": "box",
            "scanner": "",
            "printer": "",
            "printer_profile": "",
        },
        "scanner": {"state": "connected", "detail": ""},
        "printer": {"state": "ok", "detail": ""},
    }


@pytest.fixture
def token(menu) -> str:
    return kiosk_device_token_rotate(kiosk=menu.kiosk)


@pytest.mark.django_db(transaction=True)
@FUZZ
@given(frame=frames, authenticated=st.booleans())
def test_the_device_websocket_survives_any_frame(token, frame, authenticated):
    async def scenario() -> None:
        communicator = WebsocketCommunicator(application, "/ws/device/")
        connected, _ = await communicator.connect()
        assert connected
        if authenticated:
            await communicator.send_json_to(_hello(token))
            assert (await communicator.receive_json_from())["type"] == "welcome"
        await _send(communicator, frame)
        await _settle(communicator)
        await communicator.disconnect()

    async_to_sync(scenario)()


@pytest.mark.django_db(transaction=True)
@FUZZ
@given(frame=frames)
def test_the_kiosk_page_websocket_survives_any_frame(menu, frame):
    cookie = f"{django_settings.KIOSK_DEVICE_COOKIE}={device_cookie_value(menu.kiosk)}"

    async def scenario() -> None:
        communicator = WebsocketCommunicator(
            application,
            "/ws/kiosk/",
            headers=[(b"origin", b"http://127.0.0.1"), (b"cookie", cookie.encode())],
        )
        connected, _ = await communicator.connect()
        assert connected
        await _send(communicator, frame)
        await _settle(communicator)
        await communicator.disconnect()

    async_to_sync(scenario)()


@pytest.fixture
def kitchen_screen_token(menu) -> str:
    screen = Screen.objects.create(store=menu.store, kind="board", name="Board")
    return screen_token_rotate(screen=screen)


@pytest.mark.django_db(transaction=True)
@FUZZ
@given(frame=frames)
def test_the_kitchen_screen_websocket_survives_any_frame(kitchen_screen_token, frame):
    async def scenario() -> None:
        communicator = WebsocketCommunicator(
            application,
            f"/ws/kitchen/{kitchen_screen_token}/",
            headers=[(b"origin", b"http://127.0.0.1")],
        )
        connected, _ = await communicator.connect()
        assert connected
        assert 'id="kitchen-live"' in await communicator.receive_from()
        await _send(communicator, frame)
        await _settle(communicator)
        await communicator.disconnect()

    async_to_sync(scenario)()
