from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from kitchen.consumers import CLOSE_UNKNOWN_SCREEN
from kitchen.models import Screen, ScreenKind
from kitchen.services.bumps import ticket_bump
from kitchen.services.screens import screen_token_rotate
from tests.kitchen.conftest import burger, cola

ORIGIN = (b"origin", b"http://127.0.0.1")


def _screen_token(store, kind, station=None) -> str:
    screen = Screen.objects.create(
        store=store, kind=kind, station=station, name=f"{kind} screen"
    )
    return screen_token_rotate(screen=screen)


async def _connect(token: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(
        application, f"/ws/kitchen/{token}/", headers=[ORIGIN]
    )
    connected, _ = await communicator.connect()
    assert connected
    return communicator


@pytest.mark.django_db(transaction=True)
async def test_a_screen_gets_what_was_paid_while_it_was_away(kitchen, paid_order, menu):
    order = await sync_to_async(paid_order)(burger(menu))
    token = await sync_to_async(_screen_token)(menu.store, "station", kitchen.grill)

    communicator = await _connect(token)

    first = await communicator.receive_from()
    assert f'id="ticket-{order.number}"' in first
    assert "Burger" in first
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_paid_order_reaches_its_stations_only(kitchen, paid_order, menu):
    grill = await _connect(
        await sync_to_async(_screen_token)(menu.store, "station", kitchen.grill)
    )
    fryer = await _connect(
        await sync_to_async(_screen_token)(menu.store, "station", kitchen.fryer)
    )
    await grill.receive_from()
    await fryer.receive_from()

    order = await sync_to_async(paid_order)(burger(menu), cola(menu))

    pushed = await grill.receive_from()
    assert f'id="ticket-{order.number}"' in pushed
    assert "Cola" not in pushed
    assert await fryer.receive_nothing(timeout=0.2)
    await grill.disconnect()
    await fryer.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_bump_on_one_screen_updates_the_others_and_the_board(
    kitchen, paid_order, menu
):
    order = await sync_to_async(paid_order)(burger(menu))
    token = await sync_to_async(_screen_token)(menu.store, "station", kitchen.grill)
    board_token = await sync_to_async(_screen_token)(menu.store, ScreenKind.BOARD)
    other_screen = await _connect(token)
    board = await _connect(board_token)
    await other_screen.receive_from()
    assert f"<li>{order.number}</li>" in await board.receive_from()

    ticket = await sync_to_async(order.kitchen_order.tickets.get)()
    await sync_to_async(ticket_bump)(
        station=kitchen.grill, ticket_id=ticket.pk, bump_id="bump-from-a"
    )

    assert f'id="ticket-{order.number}"' not in await other_screen.receive_from()
    pushed = await board.receive_from()
    assert f'<li class="is-newest">{order.number}</li>' in pushed
    assert f'data-newest="{order.number}"' in pushed
    await other_screen.disconnect()
    await board.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_an_unknown_link_is_refused(kitchen):
    communicator = WebsocketCommunicator(
        application, "/ws/kitchen/ks_not-a-token/", headers=[ORIGIN]
    )

    connected, code = await communicator.connect()

    assert (connected, code) == (False, CLOSE_UNKNOWN_SCREEN)


@pytest.mark.django_db(transaction=True)
async def test_what_a_screen_sends_is_ignored(kitchen, paid_order, menu):
    token = await sync_to_async(_screen_token)(menu.store, "station", kitchen.grill)
    communicator = await _connect(token)
    await communicator.receive_from()

    await communicator.send_to(text_data='{"type": "kitchen.html", "html": "x"}')
    await communicator.send_to(bytes_data=b"\x00\xff" * 100)

    assert await communicator.receive_nothing(timeout=0.2)
    order = await sync_to_async(paid_order)(burger(menu))
    assert f'id="ticket-{order.number}"' in await communicator.receive_from()
    await communicator.disconnect()
