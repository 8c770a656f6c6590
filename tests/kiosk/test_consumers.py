from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from config.asgi import application
from kiosk.broadcast import kiosk_send_html
from kiosk.consumers import CLOSE_UNPROVISIONED
from kiosk.devices import device_cookie_value
from kiosk.models import Kiosk, PaymentChannel, PaymentMethod
from kiosk.services.cart import cart_line_add
from kiosk.services.checkout import order_checkout
from kiosk.services.orders import order_confirm_payment, order_start
from kiosk.services.selections import LineSelection

ORIGIN = (b"origin", b"http://127.0.0.1")


def _headers(
    kiosk: Kiosk | None, origin: tuple[bytes, bytes] = ORIGIN
) -> list[tuple[bytes, bytes]]:
    headers = [origin]
    if kiosk is not None:
        cookie = f"{settings.KIOSK_DEVICE_COOKIE}={device_cookie_value(kiosk)}"
        headers.append((b"cookie", cookie.encode()))
    return headers


@pytest.mark.django_db(transaction=True)
async def test_it_relays_html_sent_to_its_kiosk(menu):
    communicator = WebsocketCommunicator(
        application, "/ws/kiosk/", headers=_headers(menu.kiosk)
    )
    connected, _ = await communicator.connect()
    assert connected

    await sync_to_async(kiosk_send_html)(
        kiosk_id=menu.kiosk.pk, html='<div id="x">hello</div>'
    )

    assert await communicator.receive_from() == '<div id="x">hello</div>'
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_it_does_not_hear_other_kiosks(menu):
    other = await sync_to_async(Kiosk.objects.create)(
        store=menu.store, name="Other", code="other"
    )
    communicator = WebsocketCommunicator(
        application, "/ws/kiosk/", headers=_headers(menu.kiosk)
    )
    await communicator.connect()

    await sync_to_async(kiosk_send_html)(kiosk_id=other.pk, html="<p>not for you</p>")

    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_it_refuses_a_browser_without_device_cookie(menu):
    communicator = WebsocketCommunicator(
        application, "/ws/kiosk/", headers=_headers(None)
    )

    connected, code = await communicator.connect()

    assert (connected, code) == (False, CLOSE_UNPROVISIONED)


@pytest.mark.django_db(transaction=True)
async def test_it_refuses_a_cookie_of_an_earlier_provisioning(menu):
    headers = _headers(menu.kiosk)
    await sync_to_async(Kiosk.objects.filter(pk=menu.kiosk.pk).update)(
        device_generation=5
    )
    communicator = WebsocketCommunicator(application, "/ws/kiosk/", headers=headers)

    connected, code = await communicator.connect()

    assert (connected, code) == (False, CLOSE_UNPROVISIONED)


@pytest.mark.django_db(transaction=True)
async def test_it_refuses_a_foreign_origin(menu):
    headers = _headers(menu.kiosk, origin=(b"origin", b"http://evil.example"))
    communicator = WebsocketCommunicator(application, "/ws/kiosk/", headers=headers)

    connected, _ = await communicator.connect()

    assert connected is False


def _counter_order(menu):
    order = order_start(kiosk=menu.kiosk, language="en")
    order.service_mode = "eat_in"
    order.save()
    cart_line_add(order=order, selection=LineSelection(product_id=menu.fries.pk))
    return order_checkout(order=order, method=PaymentMethod.COUNTER).order


@pytest.mark.django_db(transaction=True)
async def test_a_counter_payment_updates_the_confirmation_screen(menu):
    order = await sync_to_async(_counter_order)(menu)
    communicator = WebsocketCommunicator(
        application, "/ws/kiosk/", headers=_headers(menu.kiosk)
    )
    await communicator.connect()

    await sync_to_async(order_confirm_payment)(
        order=order, channel=PaymentChannel.COUNTER
    )

    html = await communicator.receive_from()
    assert f'id="order-status-{order.uuid.hex}"' in html
    assert 'hx-swap-oob="true"' in html
    assert "Thank you! Your order number is" in html
    assert '<p class="order-number" id="order-number" aria-label="1">1</p>' in html
    await communicator.disconnect()


def _draft(menu):
    order = order_start(kiosk=menu.kiosk, language="en")
    cart_line_add(order=order, selection=LineSelection(product_id=menu.fries.pk))
    return order


@pytest.mark.django_db(transaction=True)
async def test_a_draft_left_behind_pushes_nothing_to_the_next_customer(menu):
    left = await sync_to_async(_draft)(menu)
    communicator = WebsocketCommunicator(
        application, "/ws/kiosk/", headers=_headers(menu.kiosk)
    )
    await communicator.connect()

    # The next customer starts: the draft left behind is cancelled.
    await sync_to_async(order_start)(kiosk=menu.kiosk, language="en")

    assert await communicator.receive_nothing(timeout=0.3)
    await sync_to_async(left.refresh_from_db)()
    assert left.state == "cancelled"
    await communicator.disconnect()
