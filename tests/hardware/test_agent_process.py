"""The whole chain in processes: virtual scanner and printer, the agent, daphne.

The orders are paid over HTTP (the store's POS endpoint), so the "paid" service
runs in the server process, as it does on a kiosk.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from hardware.agent.websocket import ConnectionClosed, connect
from hardware.models import Device, PrintJob
from hardware.services.devices import kiosk_device_token_rotate
from kiosk.devices import device_cookie_value
from kiosk.models import Kiosk, Order
from kiosk.services.cart import cart_line_add
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import order_start
from kiosk.services.provisioning import store_pos_token_rotate
from kiosk.services.selections import LineSelection
from sandboxes.core.control import control_request
from tests.processes import (
    Hardware,
    child_env,
    daphne_start,
    free_port,
    hardware_start,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def server(
    django_db_setup: None, django_db_blocker: object, tmp_path_factory
) -> Iterator[str]:
    process = daphne_start(child_env(), directory=tmp_path_factory.mktemp("daphne"))
    yield process.base
    process.stop()


@pytest.fixture
def hardware(server, menu, tmp_path) -> Iterator[Hardware]:
    token = kiosk_device_token_rotate(kiosk=menu.kiosk)
    with hardware_start(server=server, token=token, directory=tmp_path) as hardware:
        wait_until(lambda: _device(menu).is_agent_connected, what="the agent")
        wait_until(lambda: _device(menu).printer_state == "ok", what="the printer")
        wait_until(
            lambda: _device(menu).scanner_state == "connected", what="the scanner"
        )
        yield hardware


def _device(menu) -> Device:
    return Device.objects.get(kiosk=menu.kiosk)


class PageListener:
    """A kiosk page's websocket to daphne, collecting what is pushed to it."""

    def __init__(self, server: str, kiosk: Kiosk) -> None:
        self.url = server.replace("http://", "ws://") + "/ws/kiosk/"
        self.headers = {
            "Origin": server,
            "Cookie": f"kiosk_device={device_cookie_value(kiosk)}",
        }
        self.messages: queue.Queue[str] = queue.Queue()
        self.ready = threading.Event()
        threading.Thread(
            target=asyncio.run, args=(self._listen(),), daemon=True
        ).start()
        assert self.ready.wait(10)

    async def _listen(self) -> None:
        websocket = await connect(self.url, headers=self.headers)
        self.ready.set()
        with contextlib.suppress(ConnectionClosed):
            while True:
                self.messages.put(await websocket.receive())

    def next_containing(self, text: str, timeout: float = 10.0) -> str:
        while True:
            message = self.messages.get(timeout=timeout)
            if text in message:
                return message


def _counter_order(menu) -> Order:
    order = order_start(kiosk=menu.kiosk, language="en")
    order.service_mode = "eat_in"
    order.save()
    cart_line_add(order=order, selection=LineSelection(product_id=menu.fries.pk))
    return order_checkout(order=order, method="counter").order


def _pay(server: str, menu, order: Order) -> None:
    """The store's POS confirms the payment, in the server process."""
    token = store_pos_token_rotate(store=menu.store)
    response = requests.post(
        f"{server}/api/pos/v1/orders/{order.uuid}/paid/",
        json={"amount": order.total, "reference": "T-1"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def _job(order: Order) -> PrintJob:
    return PrintJob.objects.get(order=order)


def test_a_code_scanned_on_the_serial_line_reaches_the_kiosk_page(
    server, menu, hardware
):
    page = PageListener(server, menu.kiosk)

    hardware.scan("3017620422003")

    html = page.next_containing('id="scan-event"')
    assert '<input type="hidden" name="code" value="3017620422003">' in html


def test_binary_garbage_on_the_line_is_dropped_and_scanning_goes_on(
    server, menu, hardware
):
    page = PageListener(server, menu.kiosk)

    control_request(
        hardware.scanner_control,
        "POST",
        "/raw",
        {"hex": bytes(range(256)).hex() + "0d"},
    )
    hardware.scan("member-42")

    html = page.next_containing('id="scan-event"')
    assert 'value="member-42"' in html
    hardware.agent.wait_for_output("scan rejected: binary data")


def test_a_paid_order_prints_once_with_the_euro_sign_and_accents(
    server, menu, hardware
):
    menu.store.name = "Brasserie Démo"
    menu.store.address = "Müllerstraße 1"
    menu.store.save()
    order = _counter_order(menu)

    _pay(server, menu, order)

    wait_until(lambda: hardware.receipts(), what="the receipt")
    wait_until(lambda: _job(order).status == "printed", what="the acknowledgement")
    [receipt] = hardware.receipts()
    assert receipt["text"].splitlines()[:2] == ["Brasserie Démo", "Müllerstraße 1"]
    assert "1 x Fries                            €3.50" in receipt["text"]
    assert receipt["qr_codes"] == [str(order.uuid)]
    assert (_job(order).attempts, len(hardware.receipts())) == (1, 1)


def test_paper_out_keeps_the_job_until_the_paper_is_back_then_prints_it_once(
    server, menu, hardware
):
    hardware.printer_faults(fault="paper_out")
    wait_until(lambda: _device(menu).printer_state == "paper_out", what="paper out")
    order = _counter_order(menu)

    _pay(server, menu, order)

    wait_until(lambda: _job(order).last_error == "paper_out", what="the refusal")
    assert (_job(order).status, hardware.receipts()) == ("pending", [])
    hardware.printer_faults(fault="none")
    wait_until(lambda: _job(order).status == "printed", what="the receipt")
    assert len(hardware.receipts()) == 1
    assert _job(order).attempts == 1


def test_a_connection_dropped_mid_job_is_reported_failed_and_not_reprinted(
    server, menu, hardware
):
    hardware.printer_faults(transport="drop_mid_job")
    order = _counter_order(menu)

    _pay(server, menu, order)

    wait_until(lambda: _job(order).status == "failed", what="the failure")
    job = _job(order)
    assert job.last_error.endswith("the receipt may be incomplete")
    hardware.printer_faults(transport="none")
    queries = hardware.printer_state()["status_queries"]
    wait_until(
        lambda: hardware.printer_state()["status_queries"] >= queries + 6,
        what="two more status reads with the printer fine again",
    )
    assert (_job(order).status, hardware.receipts()) == ("failed", [])


def test_a_printer_that_never_answers_prints_unconfirmed(server, menu, hardware):
    hardware.printer_faults(transport="no_reply")
    wait_until(lambda: _device(menu).printer_state == "unknown", what="silence")
    order = _counter_order(menu)

    _pay(server, menu, order)

    wait_until(
        lambda: _job(order).status == "printed_unconfirmed", what="an unconfirmed print"
    )
    assert len(hardware.receipts()) == 1


def test_the_scanner_unplugged_and_plugged_back_is_followed(server, menu, hardware):
    page = PageListener(server, menu.kiosk)

    control_request(hardware.scanner_control, "POST", "/unplug", {})
    wait_until(lambda: _device(menu).scanner_state == "disconnected", what="unplug")
    control_request(hardware.scanner_control, "POST", "/plug", {})
    wait_until(lambda: _device(menu).scanner_state == "connected", what="replug")
    hardware.scan("after-replug")

    assert 'value="after-replug"' in page.next_containing('id="scan-event"')


def test_the_agent_reconnects_when_the_server_restarts(menu, tmp_path):
    port = free_port()
    server = f"http://127.0.0.1:{port}"
    first = daphne_start(child_env(), directory=_mkdir(tmp_path / "first"), port=port)
    token = kiosk_device_token_rotate(kiosk=menu.kiosk)
    hardware = hardware_start(server=server, token=token, directory=tmp_path)
    try:
        hardware.agent.wait_for_output("connected to the server as the agent of kiosk")
        first.stop()
        hardware.agent.wait_for_output("server unreachable")
        second = daphne_start(
            child_env(), directory=_mkdir(tmp_path / "second"), port=port
        )
        try:
            wait_until(
                lambda: (
                    hardware.agent.output().count("connected to the server as") == 2
                ),
                what="the reconnection",
            )
            page = PageListener(server, menu.kiosk)
            hardware.scan("after-restart")
            assert 'value="after-restart"' in page.next_containing('id="scan-event"')
        finally:
            second.stop()
    finally:
        hardware.stop()


def test_an_agent_with_a_wrong_token_is_refused_and_says_why(server, menu, tmp_path):
    kiosk_device_token_rotate(kiosk=menu.kiosk)
    hardware = hardware_start(server=server, token="hw.1.wrong", directory=tmp_path)
    try:
        hardware.agent.wait_for_output(
            "the server refused this agent: device token refused"
        )
        assert _device(menu).is_agent_connected is False
    finally:
        hardware.stop()


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
