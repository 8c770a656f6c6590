"""A station's ticket printer, as its cooks see it: a printer that cannot
print (paper out, its agent gone) says so on the station's screen, live."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from hardware.models import Device
from hardware.services.devices import (
    AgentReport,
    device_connect,
    device_disconnect,
    device_status_update,
    store_device_ensure,
)
from kitchen.models import Screen, ScreenKind, Station
from kitchen.rendering import station_fragment
from kitchen.services.screens import screen_token_rotate

ORIGIN = (b"origin", b"http://127.0.0.1")
PAPER_OUT = AgentReport("not_configured", "", "paper_out", "")
OK = AgentReport("not_configured", "", "ok", "")


def _printing_grill(kitchen, menu) -> tuple[Station, Device]:
    printer = store_device_ensure(store=menu.store, name="Kitchen printer")
    Station.objects.filter(pk=kitchen.grill.pk).update(printer=printer)
    return Station.objects.get(pk=kitchen.grill.pk), printer


def test_a_station_whose_printer_prints_shows_nothing_of_it(kitchen, menu):
    grill, printer = _printing_grill(kitchen, menu)
    device_connect(device=printer, channel_name="c1", agent={}, report=OK)
    grill.refresh_from_db()

    assert 'id="printer-problem"' not in station_fragment(station=grill)


def test_a_station_without_printer_shows_nothing_of_printers(kitchen):
    assert 'id="printer-problem"' not in station_fragment(station=kitchen.grill)


def test_a_printer_out_of_paper_is_shown_on_its_station(kitchen, menu):
    grill, printer = _printing_grill(kitchen, menu)
    device_connect(device=printer, channel_name="c1", agent={}, report=PAPER_OUT)
    grill.refresh_from_db()

    html = station_fragment(station=grill)

    assert "Ticket printer: Paper out. Tickets wait until it is back." in html


def test_a_printer_whose_agent_is_gone_is_shown_in_the_stores_language(kitchen, menu):
    grill, printer = _printing_grill(kitchen, menu)
    menu.store.default_language = "fr"
    menu.store.save(update_fields=["default_language"])
    grill.refresh_from_db()

    html = station_fragment(station=grill)

    assert "Imprimante de tickets non connectée" in html


@pytest.mark.django_db(transaction=True)
async def test_the_station_screen_hears_its_printer_go_out_of_paper_and_back(
    kitchen, menu
):
    grill, printer = await sync_to_async(_printing_grill)(kitchen, menu)
    await sync_to_async(device_connect)(
        device=printer, channel_name="agent-1", agent={}, report=OK
    )
    screen = await Screen.objects.acreate(
        store=menu.store, kind=ScreenKind.STATION, station=grill, name="Grill"
    )
    token = await sync_to_async(screen_token_rotate)(screen=screen)
    communicator = WebsocketCommunicator(
        application, f"/ws/kitchen/{token}/", headers=[ORIGIN]
    )
    assert (await communicator.connect())[0]
    assert 'id="printer-problem"' not in await communicator.receive_from()

    await sync_to_async(device_status_update)(device_id=printer.pk, report=PAPER_OUT)
    assert "Paper out" in await communicator.receive_from()

    await sync_to_async(device_status_update)(device_id=printer.pk, report=OK)
    assert 'id="printer-problem"' not in await communicator.receive_from()

    await sync_to_async(device_disconnect)(device_id=printer.pk, channel_name="agent-1")
    assert "Ticket printer not connected" in await communicator.receive_from()
    await communicator.disconnect()
