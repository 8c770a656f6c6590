from __future__ import annotations

import pytest

from hardware.models import Device
from hardware.services.devices import (
    AgentReport,
    device_connect,
    device_disconnect,
    device_for_token,
    device_status_update,
    kiosk_device_token_rotate,
)
from kiosk.services.provisioning import token_hash

OK = AgentReport("connected", "", "ok", "")
PAPER_OUT = AgentReport("connected", "", "paper_out", "")


# --- Tokens -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_device_token_is_stored_only_as_its_hash(menu):
    token = kiosk_device_token_rotate(kiosk=menu.kiosk)

    device = Device.objects.get(kiosk=menu.kiosk)
    prefix, device_id, secret = token.split(".")
    assert (prefix, device_id) == ("hw", str(device.pk))
    assert len(secret) == 43  # 32 random bytes
    assert device.token_hash == token_hash(token)
    assert token not in device.token_hash
    assert device.token_created_at is not None


@pytest.mark.django_db
def test_the_token_finds_its_device(menu):
    token = kiosk_device_token_rotate(kiosk=menu.kiosk)

    assert device_for_token(token) == Device.objects.get(kiosk=menu.kiosk)


@pytest.mark.django_db
def test_a_rotated_token_stops_working(menu):
    old = kiosk_device_token_rotate(kiosk=menu.kiosk)

    new = kiosk_device_token_rotate(kiosk=menu.kiosk)

    assert device_for_token(old) is None
    assert device_for_token(new) is not None
    assert Device.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "",
        lambda token: "hw.999.secret",
        lambda token: "nothing like a token",
        lambda token: token.replace("hw.", "pos."),
    ],
    ids=["wrong-secret", "empty", "no-such-device", "garbage", "wrong-prefix"],
)
def test_a_wrong_token_finds_nothing(menu, mangle):
    token = kiosk_device_token_rotate(kiosk=menu.kiosk)

    assert device_for_token(mangle(token)) is None


@pytest.mark.django_db
def test_a_device_without_token_accepts_none(menu):
    device = Device.objects.create(kiosk=menu.kiosk)

    assert device_for_token(f"hw.{device.pk}.") is None


# --- What agents report ------------------------------------------------------------------


def test_an_unknown_state_is_refused():
    with pytest.raises(ValueError, match="unknown printer state 'jammed'"):
        AgentReport("connected", "", "jammed", "")


@pytest.mark.django_db
def test_the_printer_coming_back_asks_for_the_waiting_jobs(menu):
    device = Device.objects.create(kiosk=menu.kiosk, printer_state="paper_out")

    assert device_status_update(device_id=device.pk, report=OK) is True
    assert device_status_update(device_id=device.pk, report=OK) is False
    assert device_status_update(device_id=device.pk, report=PAPER_OUT) is False


@pytest.mark.django_db
def test_a_printer_problem_is_kept_as_the_last_error(menu):
    device = Device.objects.create(kiosk=menu.kiosk)

    device_status_update(
        device_id=device.pk,
        report=AgentReport("error", "permission denied", "cover_open", ""),
    )
    device_status_update(device_id=device.pk, report=OK)

    device.refresh_from_db()
    assert device.last_error == "scanner error: permission denied; printer cover_open"
    assert device.last_error_at is not None
    assert (device.scanner_state, device.printer_state) == ("connected", "ok")


@pytest.mark.django_db
def test_a_replaced_connection_leaving_does_not_disconnect_the_device(menu):
    device = Device.objects.create(kiosk=menu.kiosk)
    device_connect(device=device, channel_name="new", agent={}, report=OK)

    device_disconnect(device_id=device.pk, channel_name="old")

    device.refresh_from_db()
    assert (device.is_agent_connected, device.agent_channel) == (True, "new")
    device_disconnect(device_id=device.pk, channel_name="new")
    device.refresh_from_db()
    assert (device.is_agent_connected, device.agent_channel) == (False, "")
