"""A printer of the store's own (a kitchen printer): a device with no kiosk,
to which documents are addressed and which no kiosk's receipt reaches."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hardware.broadcast import device_group_name
from hardware.models import Device, PrintJob, PrintJobKind, PrintJobStatus
from hardware.services.devices import (
    AgentReport,
    device_connect,
    device_for_token,
    device_token_rotate,
    kiosk_device_token_rotate,
    store_device_ensure,
)
from hardware.services.print_jobs import (
    print_job_claim,
    print_job_create_document,
    print_job_record_result,
    print_job_reprint,
    print_jobs_to_send,
)
from kiosk.models import Order

OK = AgentReport("not_configured", "", "ok", "")


@pytest.fixture
def kitchen_printer(menu) -> Device:
    return store_device_ensure(store=menu.store, name="Kitchen printer")


def _document(order: Order, device: Device, receipt, key: str = "ticket-1") -> PrintJob:
    return print_job_create_document(
        order_id=order.pk, device=device, key=key, receipt=receipt
    )


def test_a_store_device_is_named_after_its_store_and_made_once(menu, kitchen_printer):
    again = store_device_ensure(store=menu.store, name="Kitchen printer")

    assert again.pk == kitchen_printer.pk
    assert (kitchen_printer.kiosk_id, str(kitchen_printer)) == (
        None,
        "Kitchen printer · Burger Test",
    )
    assert kitchen_printer.owner_store_id == menu.store.pk


def test_a_device_belongs_to_a_kiosk_or_a_store_never_both_nor_neither(menu):
    with pytest.raises(ValidationError):
        Device(kiosk=menu.kiosk, store=menu.store, name="Both").full_clean()
    with pytest.raises(ValidationError):
        Device().full_clean()
    with pytest.raises(ValidationError) as error:
        Device(store=menu.store, name=" ").full_clean()
    assert "name" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Device.objects.create()


def test_a_store_devices_token_finds_it(menu, kitchen_printer):
    token = device_token_rotate(device=kitchen_printer)

    found = device_for_token(token)

    assert found is not None
    assert found.pk == kitchen_printer.pk
    assert device_for_token(token + "x") is None


def test_a_document_goes_to_its_device_only(menu, paid_order, kitchen_printer, receipt):
    job = _document(paid_order, kitchen_printer, receipt)

    assert (job.kiosk_id, job.device_id) == (None, kitchen_printer.pk)
    assert print_jobs_to_send(device_id=kitchen_printer.pk) == [job]
    # The kiosk's own agent gets its receipt, never the kitchen's ticket.
    kiosk_jobs = print_jobs_to_send(kiosk_id=menu.kiosk.pk)
    assert [j.kind for j in kiosk_jobs] == [PrintJobKind.RECEIPT]
    assert print_job_claim(job_id=job.pk, kiosk_id=menu.kiosk.pk) is False
    receipt_job = kiosk_jobs[0]
    assert print_job_claim(job_id=receipt_job.pk, device_id=kitchen_printer.pk) is False


def test_the_store_device_claims_and_reports_its_document(
    menu, paid_order, kitchen_printer, receipt
):
    job = _document(paid_order, kitchen_printer, receipt)

    assert print_job_claim(job_id=job.pk, device_id=kitchen_printer.pk) is True
    print_job_record_result(
        job_id=job.pk, device_id=kitchen_printer.pk, outcome="printed", reason=""
    )

    job.refresh_from_db()
    assert job.status == PrintJobStatus.PRINTED
    assert print_jobs_to_send(device_id=kitchen_printer.pk) == []


def test_a_document_on_a_kiosks_printer_goes_to_that_kiosks_agent(
    menu, paid_order, receipt
):
    kiosk_device_token_rotate(kiosk=menu.kiosk)
    device = Device.objects.get(kiosk=menu.kiosk)

    job = _document(paid_order, device, receipt)

    assert (job.kiosk_id, job.device_id) == (menu.kiosk.pk, device.pk)
    assert job in print_jobs_to_send(kiosk_id=menu.kiosk.pk, device_id=device.pk)


def test_a_reprint_of_a_document_goes_to_the_same_device(
    menu, paid_order, kitchen_printer, receipt, admin_user
):
    job = _document(paid_order, kitchen_printer, receipt)

    copy = print_job_reprint(job=job, user=admin_user)

    assert (copy.device_id, copy.kiosk_id, copy.document) == (
        kitchen_printer.pk,
        None,
        job.document,
    )
    assert copy in print_jobs_to_send(device_id=kitchen_printer.pk)


def test_reconnecting_flags_the_document_that_was_printing(
    menu, paid_order, kitchen_printer, receipt
):
    job = _document(paid_order, kitchen_printer, receipt)
    print_job_claim(job_id=job.pk, device_id=kitchen_printer.pk)

    device_connect(device=kitchen_printer, channel_name="c2", agent={}, report=OK)

    assert PrintJob.objects.get(pk=job.pk).status == PrintJobStatus.UNKNOWN


@pytest.mark.django_db(transaction=True)
async def test_a_new_document_is_announced_to_its_devices_agent_after_commit(
    menu, paid_order, receipt
):
    printer = await database_sync_to_async(store_device_ensure)(
        store=menu.store, name="Kitchen printer"
    )
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(device_group_name(device_id=printer.pk), channel)

    await database_sync_to_async(_document)(paid_order, printer, receipt)

    message = await asyncio.wait_for(layer.receive(channel), 2)
    assert message == {"type": "device.send_jobs"}
