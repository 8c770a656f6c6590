from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from hardware.models import Device
from kiosk.broadcast import kiosk_group_name
from kiosk.customer_session import ORDER_KEY
from tests.hardware.conftest import paid_order_of


@pytest.mark.django_db(transaction=True)
async def test_the_development_scan_pushes_the_scan_form(settings, kiosk_client, menu):
    settings.HARDWARE_DEVELOPMENT_CONTROLS = True
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(kiosk_group_name(kiosk_id=menu.kiosk.pk), channel)

    response = await database_sync_to_async(kiosk_client.post)(
        "/hardware/development/scan/", {"code": " 3017620422003 "}
    )

    assert response.status_code == 204
    message = await asyncio.wait_for(layer.receive(channel), 2)
    assert message["type"] == "kiosk.html"
    assert '<input type="hidden" name="code" value="3017620422003">' in message["html"]


def test_the_development_scan_is_off_by_default(kiosk_client):
    response = kiosk_client.post("/hardware/development/scan/", {"code": "42"})

    assert response.status_code == 404


def test_the_development_scan_needs_a_kiosk_browser(settings, client, menu):
    settings.HARDWARE_DEVELOPMENT_CONTROLS = True

    response = client.post("/hardware/development/scan/", {"code": "42"})

    assert response.status_code == 400


def test_kiosk_pages_show_the_development_control_only_when_on(settings, kiosk_client):
    assert 'id="development-scan"' not in kiosk_client.get("/").content.decode()

    settings.HARDWARE_DEVELOPMENT_CONTROLS = True

    assert 'id="development-scan"' in kiosk_client.get("/").content.decode()


def test_kiosk_pages_carry_the_scan_placeholder_and_their_screen(kiosk_client):
    content = kiosk_client.get("/").content.decode()

    assert '<form id="scan-event" hidden></form>' in content
    assert (
        '<input type="hidden" id="current-screen" name="screen" value="attract">'
        in content
    )
    assert 'class="screen screen-attract"' in content


def test_the_confirmation_says_to_note_the_number_when_the_printer_is_out(
    kiosk_client, menu
):
    order = paid_order_of(menu)
    Device.objects.create(
        kiosk=menu.kiosk, is_agent_connected=True, printer_state="paper_out"
    )
    session = kiosk_client.session
    session[ORDER_KEY] = str(order.uuid)
    session.save()

    content = kiosk_client.get("/done/").content.decode()

    assert '<p class="order-number" id="order-number" aria-label="1">1</p>' in content
    assert "Receipt unavailable: please note your number 1." in content
