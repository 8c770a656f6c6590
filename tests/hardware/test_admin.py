from __future__ import annotations

import re

import pytest

from hardware.models import Device, PrintJob, PrintJobKind, PrintJobStatus
from hardware.services.devices import device_for_token

TOKEN = re.compile(r"device token <code>(hw\.\d+\.[\w-]+)</code>")


@pytest.fixture
def device(menu) -> Device:
    return Device.objects.create(
        kiosk=menu.kiosk,
        is_agent_connected=True,
        printer_state="paper_out",
        printer_detail="",
        printer_profile="TM-T88V",
        scanner_state="connected",
        last_error="printer paper_out",
    )


def test_the_device_list_shows_each_kiosks_state(admin_client, device):
    response = admin_client.get("/admin/hardware/device/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Burger Test · Kiosk 1" in content
    assert "Paper out" in content
    assert "printer paper_out" in content


def test_the_device_page_shows_a_preview_of_the_last_receipt(
    admin_client, device, paid_order
):
    response = admin_client.get(f"/admin/hardware/device/{device.pk}/change/")

    content = response.content.decode()
    assert response.status_code == 200
    assert '<img src="data:image/png;base64,' in content
    assert 'alt="Receipt preview"' in content
    assert "Waiting for the printer" in content


def test_the_device_page_of_a_kiosk_without_receipts_says_so(admin_client, device):
    response = admin_client.get(f"/admin/hardware/device/{device.pk}/change/")

    assert "No receipt printed on this kiosk yet." in response.content.decode()


def test_rotating_the_token_shows_it_once(admin_client, device):
    response = admin_client.post(
        "/admin/hardware/device/",
        {"action": "rotate_token", "_selected_action": [device.pk]},
        follow=True,
    )

    [token] = TOKEN.findall(response.content.decode())
    assert device_for_token(token) == device
    again = admin_client.get("/admin/hardware/device/")
    assert token not in again.content.decode()


def test_a_device_is_added_for_a_kiosk(admin_client, menu):
    response = admin_client.post(
        "/admin/hardware/device/add/", {"kiosk": menu.kiosk.pk}, follow=True
    )

    assert response.status_code == 200
    assert Device.objects.get().kiosk == menu.kiosk


def test_staff_reprint_a_receipt(admin_client, admin_user, paid_order):
    job = PrintJob.objects.get(order=paid_order)

    response = admin_client.post(
        "/admin/hardware/printjob/",
        {"action": "reprint", "_selected_action": [job.pk]},
        follow=True,
    )

    assert "1 copy sent to the printer." in response.content.decode()
    reprint = PrintJob.objects.get(kind=PrintJobKind.REPRINT)
    assert (reprint.order, reprint.status, reprint.requested_by) == (
        paid_order,
        PrintJobStatus.PENDING,
        admin_user,
    )


def test_the_print_job_page_shows_its_receipt(admin_client, paid_order):
    job = PrintJob.objects.get(order=paid_order)

    response = admin_client.get(f"/admin/hardware/printjob/{job.pk}/change/")

    assert '<img src="data:image/png;base64,' in response.content.decode()
