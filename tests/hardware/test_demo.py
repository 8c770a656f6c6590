from __future__ import annotations

import stat

import pytest

from hardware.demo import (
    hardware_demo_devices,
    hardware_demo_instructions,
    hardware_demo_processes,
    hardware_demo_setup,
)
from hardware.services.devices import device_for_token, store_device_ensure
from kiosk.demo.loader import demo_load
from kiosk.models import Store


@pytest.fixture
def demo_kiosks(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"
    demo_load(with_images=False)


@pytest.mark.usefixtures("demo_kiosks")
def test_each_demo_kiosk_gets_a_working_token_only_its_user_can_read(settings):
    devices = hardware_demo_setup()

    assert [device.kiosk.code for device in devices] == [
        "brasserie-borne-1",
        "burger-kiosk-1",
    ]
    for device in devices:
        assert device.token_file.parent == settings.DATA_DIR / "hardware"
        assert stat.S_IMODE(device.token_file.stat().st_mode) == 0o600
        found = device_for_token(device.token_file.read_text())
        assert found is not None
        assert found.kiosk == device.kiosk


@pytest.mark.usefixtures("demo_kiosks")
def test_each_demo_kiosk_gets_a_printer_a_scanner_and_an_agent(settings):
    specs = hardware_demo_processes(host="0.0.0.0", port=8000)

    names = [spec.name.split("-")[0] for spec in specs]
    assert names == ["printer", "scanner", "agent"] * 2
    agent = specs[5].command
    assert agent[2:6] == [
        "hardware_agent",
        "--server",
        "ws://127.0.0.1:8000/ws/device/",
        "--token-file",
    ]
    assert agent[agent.index("--printer") + 1] == "tcp://127.0.0.1:9101"
    assert agent[agent.index("--scanner") + 1] == str(
        settings.DATA_DIR / "hardware" / "scanner-burger-kiosk-1"
    )
    assert specs[3].command[-2:] == ["--port", "9101"]
    assert specs[4].command[-2:] == ["--control-port", "9191"]


@pytest.mark.usefixtures("demo_kiosks")
def test_each_demo_printer_has_its_control_endpoint_80_ports_above_it():
    specs = hardware_demo_processes(host="127.0.0.1", port=8000)

    printer = specs[3].command
    assert printer[2:5] == ["virtual_printer", "--control-port", "9181"]
    assert hardware_demo_devices()[1].printer_control_port == 9181


@pytest.mark.usefixtures("demo_kiosks")
def test_the_demo_says_how_to_scan_and_where_the_receipts_are():
    lines = hardware_demo_instructions(hardware_demo_devices())

    assert (
        "    “Burger Démo · Kiosk 1”: python manage.py virtual_scanner "
        "--control-port 9191 --send 3017620422003"
    ) in lines
    assert (
        "    “Burger Démo · Kiosk 1”: python manage.py virtual_printer --port 9101 "
        "--receipts   (or --fault paper_out)"
    ) in lines


@pytest.mark.usefixtures("demo_kiosks")
def test_a_stores_own_printer_gets_a_printer_and_an_agent_but_no_scanner(settings):
    store = Store.objects.get(slug="burger-demo")
    kitchen = store_device_ensure(store=store, name="Kitchen printer")

    devices = hardware_demo_setup()
    specs = hardware_demo_processes(host="127.0.0.1", port=8000)

    assert [device.label for device in devices][-1] == "Kitchen printer · Burger Démo"
    found = device_for_token(devices[-1].token_file.read_text())
    assert found is not None
    assert found.pk == kitchen.pk
    names = [spec.name for spec in specs[-2:]]
    assert names == [f"printer-device-{kitchen.pk}", f"agent-device-{kitchen.pk}"]
    agent = specs[-1].command
    assert "--scanner" not in agent
    assert agent[agent.index("--printer") + 1] == "tcp://127.0.0.1:9102"
    lines = hardware_demo_instructions(devices)
    assert (
        "    “Kitchen printer · Burger Démo”: python manage.py virtual_printer "
        "--port 9102 --receipts   (or --fault paper_out)"
    ) in lines
    assert not any("Kitchen printer" in line and "scanner" in line for line in lines)
