"""The device websocket, driven with the Channels communicator."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from config.asgi import application
from hardware import protocol
from hardware.models import Device, PrintJob, PrintJobKind
from hardware.services.devices import (
    device_token_rotate,
    kiosk_device_token_rotate,
    store_device_ensure,
)
from hardware.services.print_jobs import print_job_create_document, print_job_reprint
from kiosk.devices import device_cookie_value
from tests.hardware.conftest import paid_order_of

PAGE_ORIGIN = (b"origin", b"http://127.0.0.1")
SCAN_FORM = (
    '<form id="scan-event" hx-swap-oob="true" hx-post="/scan/" hx-trigger="load" '
    'hx-swap="none" hx-include="#current-screen" hidden>\n'
    '  <input type="hidden" name="code" value="{code}">\n'
    "</form>\n"
)


def _hello(
    token: str, *, printer: str = "ok", scanner: str = "connected"
) -> dict[str, Any]:
    return {
        "type": "hello",
        "token": token,
        "agent": {
            "version": "1",
            "hostname": "kiosk-box-1",
            "scanner": "/dev/serial/by-id/usb-Scanner-if00",
            "printer": "tcp://192.168.1.50:9100",
            "printer_profile": "TM-T88V",
        },
        "scanner": {"state": scanner, "detail": ""},
        "printer": {"state": printer, "detail": ""},
    }


async def _agent(token: str, **states: str) -> WebsocketCommunicator:
    """A connected, authenticated agent; its welcome already read."""
    communicator = WebsocketCommunicator(application, "/ws/device/")
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to(_hello(token, **states))
    welcome = await communicator.receive_json_from()
    assert welcome["type"] == "welcome"
    return communicator


async def _page(kiosk) -> WebsocketCommunicator:
    cookie = f"{settings.KIOSK_DEVICE_COOKIE}={device_cookie_value(kiosk)}"
    communicator = WebsocketCommunicator(
        application, "/ws/kiosk/", headers=[PAGE_ORIGIN, (b"cookie", cookie.encode())]
    )
    connected, _ = await communicator.connect()
    assert connected
    return communicator


@pytest.fixture
def token(menu) -> str:
    return kiosk_device_token_rotate(kiosk=menu.kiosk)


async def _device(menu) -> Device:
    return await Device.objects.aget(kiosk=menu.kiosk)


async def _job(order) -> PrintJob:
    return await PrintJob.objects.aget(order=order, kind=PrintJobKind.RECEIPT)


# --- Authentication ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
async def test_an_agent_with_its_token_is_welcomed_and_recorded(menu, token):
    communicator = WebsocketCommunicator(application, "/ws/device/")
    await communicator.connect()

    await communicator.send_json_to(_hello(token, printer="paper_near_end"))

    assert await communicator.receive_json_from() == {
        "type": "welcome",
        "kiosk": "burger-test-1",
        "device": "Burger Test · Kiosk 1",
    }
    device = await _device(menu)
    assert (
        device.is_agent_connected,
        device.agent_hostname,
        device.printer_address,
        device.printer_profile,
        device.scanner_state,
        device.printer_state,
    ) == (
        True,
        "kiosk-box-1",
        "tcp://192.168.1.50:9100",
        "TM-T88V",
        "connected",
        "paper_near_end",
    )
    await communicator.disconnect()
    device = await _device(menu)
    assert device.is_agent_connected is False


@pytest.mark.django_db(transaction=True)
async def test_a_wrong_token_is_refused_with_a_clear_log_line(menu, token, caplog):
    caplog.set_level(logging.WARNING, logger="hardware.consumers")
    communicator = WebsocketCommunicator(application, "/ws/device/")
    await communicator.connect()

    await communicator.send_json_to(_hello(token[:-4] + "AAAA"))

    assert await communicator.receive_output() == {
        "type": "websocket.close",
        "code": protocol.CLOSE_TOKEN_REFUSED,
    }
    assert (
        "device websocket refused: wrong device token from an unknown address"
        in caplog.messages
    )
    device = await _device(menu)
    assert device.is_agent_connected is False


@pytest.mark.django_db(transaction=True)
async def test_a_token_of_a_switched_off_kiosk_is_refused(menu, token):
    menu.kiosk.is_active = False
    await menu.kiosk.asave()
    communicator = WebsocketCommunicator(application, "/ws/device/")
    await communicator.connect()

    await communicator.send_json_to(_hello(token))

    closed = await communicator.receive_output()
    assert (closed["type"], closed["code"]) == (
        "websocket.close",
        protocol.CLOSE_TOKEN_REFUSED,
    )


@pytest.mark.django_db(transaction=True)
async def test_a_browser_origin_is_refused_even_with_the_token(menu, token, caplog):
    caplog.set_level(logging.WARNING, logger="hardware.consumers")
    communicator = WebsocketCommunicator(
        application, "/ws/device/", headers=[PAGE_ORIGIN]
    )

    connected, code = await communicator.connect()

    assert (connected, code) == (False, protocol.CLOSE_BROWSER_ORIGIN)
    assert (
        "device websocket refused: a browser page (Origin http://127.0.0.1) tried to connect"
        in caplog.messages
    )


@pytest.mark.django_db(transaction=True)
async def test_an_agent_that_sends_no_token_in_time_is_closed(menu, settings):
    settings.HARDWARE_AGENT_HELLO_SECONDS = 0.1
    communicator = WebsocketCommunicator(application, "/ws/device/")
    await communicator.connect()

    closed = await communicator.receive_output(timeout=2)

    assert (closed["type"], closed["code"]) == (
        "websocket.close",
        protocol.CLOSE_TOKEN_REFUSED,
    )


@pytest.mark.django_db(transaction=True)
async def test_a_first_message_other_than_hello_is_refused(menu, token):
    communicator = WebsocketCommunicator(application, "/ws/device/")
    await communicator.connect()

    await communicator.send_json_to({"type": "scan", "code": "42"})

    closed = await communicator.receive_output()
    assert closed["code"] == protocol.CLOSE_BAD_MESSAGE


@pytest.mark.django_db(transaction=True)
async def test_garbage_is_refused(menu, token):
    communicator = await _agent(token)

    await communicator.send_to(text_data="\x00\x01 not json")

    closed = await communicator.receive_output()
    assert closed["code"] == protocol.CLOSE_BAD_MESSAGE


@pytest.mark.django_db(transaction=True)
async def test_a_second_agent_with_the_same_token_replaces_the_first(menu, token):
    first = await _agent(token)

    second = await _agent(token)

    closed = await first.receive_output()
    assert closed["code"] == protocol.CLOSE_REPLACED
    await first.wait()
    device = await _device(menu)
    assert device.is_agent_connected is True
    await second.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_rotating_the_token_disconnects_the_agent(menu, token):
    communicator = await _agent(token)

    await database_sync_to_async(kiosk_device_token_rotate)(kiosk=menu.kiosk)

    closed = await communicator.receive_output()
    assert closed["code"] == protocol.CLOSE_TOKEN_ROTATED


# --- Scans and status ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
async def test_a_scan_reaches_the_kiosk_page_as_the_scan_form(menu, token):
    page = await _page(menu.kiosk)
    agent = await _agent(token)

    await agent.send_json_to({"type": "scan", "code": "3017620422003"})

    assert await page.receive_from() == SCAN_FORM.format(code="3017620422003")
    await agent.disconnect()
    await page.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_scanned_code_is_escaped_in_the_page(menu, token):
    page = await _page(menu.kiosk)
    agent = await _agent(token)

    await agent.send_json_to({"type": "scan", "code": '"><script>x</script>'})

    html = await page.receive_from()
    assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html
    assert "<script>" not in html


@pytest.mark.django_db(transaction=True)
async def test_a_scan_reaches_only_its_own_kiosk(menu, token, other):
    other_page = await _page(other.kiosk)
    agent = await _agent(token)

    await agent.send_json_to({"type": "scan", "code": "42"})

    assert await other_page.receive_nothing(timeout=0.2)


@pytest.mark.django_db(transaction=True)
async def test_a_flood_of_scans_is_cut_to_the_rate_limit(menu, token, caplog):
    caplog.set_level(logging.WARNING, logger="hardware.consumers")
    page = await _page(menu.kiosk)
    agent = await _agent(token)

    for number in range(25):
        await agent.send_json_to({"type": "scan", "code": f"code-{number}"})

    received = [await page.receive_from() for _ in range(10)]
    assert await page.receive_nothing(timeout=0.3)
    assert 'value="code-9"' in received[-1]
    assert (
        f"scans dropped: more than 10 a second (1 so far, kiosk {menu.kiosk.code})"
        in caplog.messages
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("code", ["", "\x1b[2J", "a\nb", "9" * 257])
async def test_a_code_that_is_not_printable_text_is_not_relayed(menu, token, code):
    page = await _page(menu.kiosk)
    agent = await _agent(token)

    await agent.send_json_to({"type": "scan", "code": code})

    assert await page.receive_nothing(timeout=0.2)


@pytest.mark.django_db(transaction=True)
async def test_a_status_report_is_saved(menu, token):
    agent = await _agent(token)

    await agent.send_json_to(
        {
            "type": "status",
            "scanner": {"state": "disconnected", "detail": "unplugged"},
            "printer": {"state": "paper_out", "detail": ""},
        }
    )
    await agent.send_json_to({"type": "status", "scanner": {"state": "x"}})

    await agent.receive_output()  # the close after the second, invalid report
    device = await _device(menu)
    assert (
        device.scanner_state,
        device.scanner_detail,
        device.printer_state,
        device.last_error,
    ) == ("disconnected", "unplugged", "paper_out", "printer paper_out")


# --- Print jobs ------------------------------------------------------------------------


async def _print_message(agent: WebsocketCommunicator) -> dict[str, Any]:
    message: dict[str, Any] = await agent.receive_json_from()
    assert message["type"] == "print_receipt"
    return message


@pytest.mark.django_db(transaction=True)
async def test_a_paid_order_is_pushed_claimed_and_acknowledged_once(menu, token):
    agent = await _agent(token)

    order = await database_sync_to_async(paid_order_of)(menu)

    message = await _print_message(agent)
    job = await _job(order)
    assert message["job"] == job.pk
    assert (message["receipt"]["order_number"], message["receipt"]["qr_code"]) == (
        "1",
        str(order.uuid),
    )
    await agent.send_json_to({"type": "job_claim", "job": job.pk})
    assert await agent.receive_json_from() == {
        "type": "job_claim_answer",
        "job": job.pk,
        "is_granted": True,
    }
    await agent.send_json_to(
        {"type": "job_result", "job": job.pk, "outcome": "printed", "reason": ""}
    )
    await agent.send_json_to({"type": "job_claim", "job": job.pk})
    assert await agent.receive_json_from() == {
        "type": "job_claim_answer",
        "job": job.pk,
        "is_granted": False,
    }
    job = await _job(order)
    assert (job.status, job.attempts) == ("printed", 1)
    assert job.printed_at is not None


@pytest.mark.django_db(transaction=True)
async def test_without_an_agent_the_job_waits_and_goes_out_on_connect(menu, token):
    order = await database_sync_to_async(paid_order_of)(menu)

    agent = await _agent(token)

    message = await _print_message(agent)
    assert message["job"] == (await _job(order)).pk


@pytest.mark.django_db(transaction=True)
async def test_a_job_the_printer_could_not_take_waits_for_the_printer_to_recover(
    menu, token
):
    page = await _page(menu.kiosk)
    agent = await _agent(token, printer="paper_out")
    order = await database_sync_to_async(paid_order_of)(menu)
    message = await _print_message(agent)
    job = await _job(order)

    await agent.send_json_to(
        {
            "type": "job_result",
            "job": job.pk,
            "outcome": "not_printed",
            "reason": "paper_out",
        }
    )
    await agent.send_json_to(
        {
            "type": "status",
            "scanner": {"state": "connected", "detail": ""},
            "printer": {"state": "ok", "detail": ""},
        }
    )

    again = await _print_message(agent)
    assert again == message
    job = await _job(order)
    assert (job.status, job.last_error, job.attempts) == ("pending", "paper_out", 0)
    pushed = [await page.receive_from() for _ in range(4)]
    assert any(
        f'id="receipt-status-{order.uuid.hex}"' in html
        and "Receipt unavailable: please note your number 1." in html
        for html in pushed
    )


@pytest.mark.django_db(transaction=True)
async def test_a_job_printing_when_the_agent_went_is_flagged_not_reprinted(menu, token):
    agent = await _agent(token)
    order = await database_sync_to_async(paid_order_of)(menu)
    job_id = (await _print_message(agent))["job"]
    await agent.send_json_to({"type": "job_claim", "job": job_id})
    await agent.receive_json_from()
    await agent.disconnect()

    again = await _agent(token)

    assert await again.receive_nothing(timeout=0.3)
    job = await _job(order)
    assert (job.status, job.last_error) == (
        "unknown",
        "the agent went away while printing: check the printer",
    )
    await again.send_json_to(
        {"type": "job_result", "job": job_id, "outcome": "printed", "reason": ""}
    )
    await again.send_json_to({"type": "job_claim", "job": job_id})
    await again.receive_json_from()
    job = await _job(order)
    assert job.status == "printed"


@pytest.mark.django_db(transaction=True)
async def test_a_reprint_is_pushed_as_a_copy(menu, token, admin_user):
    order = await database_sync_to_async(paid_order_of)(menu)
    job = await _job(order)
    await PrintJob.objects.filter(pk=job.pk).aupdate(status="printed")
    agent = await _agent(token)

    reprint = await database_sync_to_async(print_job_reprint)(job=job, user=admin_user)

    message = await _print_message(agent)
    assert (message["job"], message["receipt"]["is_copy"]) == (reprint.pk, True)


@pytest.mark.django_db(transaction=True)
async def test_an_agent_cannot_claim_another_kiosks_job(menu, token, other):
    other_token = await database_sync_to_async(kiosk_device_token_rotate)(
        kiosk=other.kiosk
    )
    order = await database_sync_to_async(paid_order_of)(menu)
    job = await _job(order)
    intruder = await _agent(other_token)

    await intruder.send_json_to({"type": "job_claim", "job": job.pk})

    assert (await intruder.receive_json_from())["is_granted"] is False
    job = await _job(order)
    assert job.status == "pending"


@pytest.mark.django_db(transaction=True)
async def test_a_guest_receipt_is_pushed_with_rbis_text_once_it_came(
    burger_order, rbi_sandbox
):
    from loyalty.services.worker import outbox_run_once
    from tests.hardware.conftest import guest_paid_by_card

    token = await database_sync_to_async(kiosk_device_token_rotate)(
        kiosk=burger_order.kiosk
    )
    agent = await _agent(token)
    order = await database_sync_to_async(guest_paid_by_card)(burger_order)

    assert await agent.receive_nothing(timeout=0.6)  # waiting for RBI's answer
    await database_sync_to_async(outbox_run_once)()
    message = await _print_message(agent)

    assert message["job"] == (await _job(order)).pk
    text = message["receipt"]["programme_text"]
    assert (text["header"], text["lines"][0], text["footer"]) == (
        "Burger King France",
        "Earn points on this order: scan it in the BK app",
        "Thank you for your visit",
    )
    assert await agent.receive_nothing(timeout=0.6)  # sent once
    await agent.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_guest_receipt_goes_without_rbis_text_when_it_does_not_come(
    burger_order, rbi_sandbox, settings
):
    from tests.hardware.conftest import guest_paid_by_card

    settings.HARDWARE_RECEIPT_LOYALTY_WAIT_SECONDS = 0.5
    rbi_sandbox.faults(down=True)
    token = await database_sync_to_async(kiosk_device_token_rotate)(
        kiosk=burger_order.kiosk
    )
    agent = await _agent(token)
    order = await database_sync_to_async(guest_paid_by_card)(burger_order)

    message = await agent.receive_json_from(timeout=5)

    assert (message["type"], message["job"]) == (
        "print_receipt",
        (await _job(order)).pk,
    )
    assert message["receipt"]["programme_text"] is None
    await agent.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_store_printers_agent_prints_its_documents_and_no_receipt(
    menu, receipt, caplog
):
    caplog.set_level(logging.WARNING, logger="hardware.consumers")
    order = await database_sync_to_async(paid_order_of)(menu)
    printer = await database_sync_to_async(store_device_ensure)(
        store=menu.store, name="Kitchen printer"
    )
    token = await database_sync_to_async(device_token_rotate)(device=printer)
    communicator = WebsocketCommunicator(application, "/ws/device/")
    await communicator.connect()
    await communicator.send_json_to(_hello(token, scanner="not_configured"))

    assert await communicator.receive_json_from() == {
        "type": "welcome",
        "kiosk": "",
        "device": "Kitchen printer · Burger Test",
    }
    # The kiosk's receipt waits for the kiosk's own agent.
    assert await communicator.receive_nothing(timeout=0.3)

    ticket = await database_sync_to_async(print_job_create_document)(
        order_id=order.pk, device=printer, key="kitchen-ticket-1", receipt=receipt
    )
    message = await _print_message(communicator)
    assert message["job"] == ticket.pk
    assert message["receipt"]["order_number"] == receipt.order_number

    # A store's device has no kiosk page to send codes to.
    await communicator.send_json_to({"type": "scan", "code": "3017620422003"})
    await communicator.send_json_to({"type": "job_claim", "job": ticket.pk})
    answer = await communicator.receive_json_from()
    assert answer == {"type": "job_claim_answer", "job": ticket.pk, "is_granted": True}
    assert (
        "scan dropped: device "
        f"{printer.pk} (Kitchen printer) belongs to no kiosk" in caplog.messages
    )
    await communicator.disconnect()
