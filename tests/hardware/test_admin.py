from __future__ import annotations

import re

import pytest

from hardware.models import Device, PrintJob, PrintJobKind, PrintJobStatus
from hardware.services.devices import device_for_token, store_device_ensure
from hardware.services.print_jobs import print_job_create_document

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

    assert "Nothing printed on this device yet." in response.content.decode()


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


def test_staff_add_a_kitchen_printer_of_the_stores_own(admin_client, menu):
    response = admin_client.post(
        "/admin/hardware/device/add/",
        {"kiosk": "", "store": menu.store.pk, "name": "Kitchen printer"},
    )

    assert response.status_code == 302
    device = Device.objects.get(store=menu.store)
    assert (device.kiosk_id, device.name) == (None, "Kitchen printer")
    listing = admin_client.get("/admin/hardware/device/").content.decode()
    assert "Kitchen printer · Burger Test" in listing


@pytest.mark.parametrize(
    ("owner", "error"),
    [
        ({"kiosk": "", "store": "", "name": ""}, "Choose a kiosk, or a store"),
        ({"kiosk": "", "store": "store", "name": ""}, "Give the store"),
        (
            {"kiosk": "kiosk", "store": "store", "name": "x"},
            "Choose a kiosk, or a store",
        ),
    ],
)
def test_a_device_needs_a_kiosk_or_a_named_store(admin_client, menu, owner, error):
    ids = {"kiosk": menu.kiosk.pk, "store": menu.store.pk, "": ""}
    data = {field: ids.get(value, value) for field, value in owner.items()}

    response = admin_client.post("/admin/hardware/device/add/", data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Device.objects.exists()


def test_a_kitchen_printers_page_lists_its_tickets(
    admin_client, menu, paid_order, receipt
):
    device = store_device_ensure(store=menu.store, name="Kitchen printer")
    print_job_create_document(
        order_id=paid_order.pk, device=device, key="kitchen-ticket-9", receipt=receipt
    )

    content = admin_client.get(
        f"/admin/hardware/device/{device.pk}/change/"
    ).content.decode()

    assert 'alt="Receipt preview"' in content
    assert content.count("Waiting for the printer") == 1  # the ticket, not the receipt
