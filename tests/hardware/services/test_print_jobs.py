from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.utils import timezone

from hardware.broadcast import kiosk_device_group_name
from hardware.models import Device, PrintJob, PrintJobKind, PrintJobStatus
from hardware.services.devices import AgentReport, device_connect
from hardware.services.print_jobs import (
    print_job_claim,
    print_job_create,
    print_job_messages,
    print_job_record_result,
    print_job_reprint,
    print_jobs_expire,
    print_jobs_to_send,
)
from kiosk.models import Order

OK = AgentReport("connected", "", "ok", "")


def test_print_job_create_queues_the_receipt_for_the_orders_kiosk(menu, draft_order):
    job = print_job_create(order=draft_order)

    assert (job.order, job.kiosk, job.kind, job.status, job.attempts) == (
        draft_order,
        menu.kiosk,
        PrintJobKind.RECEIPT,
        PrintJobStatus.PENDING,
        0,
    )
    assert PrintJob.objects.count() == 1


def test_print_job_create_twice_returns_the_same_job(menu, draft_order):
    first = print_job_create(order=draft_order)

    second = print_job_create(order=draft_order)

    assert second.pk == first.pk
    assert PrintJob.objects.count() == 1


def test_print_job_create_for_an_order_without_kiosk_has_no_kiosk(menu):
    order = Order.objects.create(store=menu.store, language="en", currency="EUR")

    job = print_job_create(order=order)

    assert (job.kiosk, job.kind) == (None, PrintJobKind.RECEIPT)


@pytest.mark.django_db(transaction=True)
async def test_a_new_job_is_announced_to_the_kiosks_agent_after_commit(
    menu, draft_order
):
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(kiosk_device_group_name(kiosk_id=menu.kiosk.pk), channel)

    await database_sync_to_async(print_job_create)(order=draft_order)

    message = await asyncio.wait_for(layer.receive(channel), 2)
    assert message == {"type": "device.send_jobs"}


# --- Print jobs ----------------------------------------------------------------------------


def test_a_waiting_job_is_granted_once(menu, paid_order):
    job = PrintJob.objects.get(order=paid_order)

    assert print_job_claim(job_id=job.pk, kiosk_id=menu.kiosk.pk) is True
    assert print_job_claim(job_id=job.pk, kiosk_id=menu.kiosk.pk) is False

    job.refresh_from_db()
    assert (job.status, job.attempts) == (PrintJobStatus.SENT, 1)
    assert job.sent_at is not None


def test_a_job_of_another_kiosk_is_not_granted(menu, other, paid_order):
    job = PrintJob.objects.get(order=paid_order)

    assert print_job_claim(job_id=job.pk, kiosk_id=other.kiosk.pk) is False
    assert PrintJob.objects.get(pk=job.pk).status == PrintJobStatus.PENDING


def test_an_expired_job_is_not_granted(menu, paid_order, settings):
    settings.HARDWARE_PRINT_JOB_EXPIRY_SECONDS = 3600
    job = PrintJob.objects.get(order=paid_order)
    PrintJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(seconds=3601)
    )

    assert print_job_claim(job_id=job.pk, kiosk_id=menu.kiosk.pk) is False
    assert PrintJob.objects.get(pk=job.pk).status == PrintJobStatus.EXPIRED


def test_old_waiting_jobs_expire_and_are_not_sent(menu, paid_order, settings):
    settings.HARDWARE_PRINT_JOB_EXPIRY_SECONDS = 60
    job = PrintJob.objects.get(order=paid_order)
    PrintJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(seconds=61)
    )

    assert print_jobs_to_send(kiosk_id=menu.kiosk.pk) == []
    job.refresh_from_db()
    assert (job.status, job.last_error) == (
        PrintJobStatus.EXPIRED,
        "not printed in time",
    )


def test_recent_jobs_do_not_expire(menu, paid_order):
    assert print_jobs_expire(kiosk_id=menu.kiosk.pk) == 0
    assert [job.order for job in print_jobs_to_send(kiosk_id=menu.kiosk.pk)] == [
        paid_order
    ]


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        ("printed", PrintJobStatus.PRINTED),
        ("printed_unconfirmed", PrintJobStatus.PRINTED_UNCONFIRMED),
        ("failed", PrintJobStatus.FAILED),
    ],
)
def test_the_outcome_of_a_claimed_job_is_recorded(menu, paid_order, outcome, status):
    job = PrintJob.objects.get(order=paid_order)
    print_job_claim(job_id=job.pk, kiosk_id=menu.kiosk.pk)

    print_job_record_result(
        job_id=job.pk, kiosk_id=menu.kiosk.pk, outcome=outcome, reason="why"
    )

    job.refresh_from_db()
    assert (job.status, job.last_error) == (status, "why")
    assert (job.printed_at is not None) is (outcome != "failed")


def test_a_job_not_printed_keeps_waiting(menu, paid_order):
    job = PrintJob.objects.get(order=paid_order)

    print_job_record_result(
        job_id=job.pk, kiosk_id=menu.kiosk.pk, outcome="not_printed", reason="paper_out"
    )

    job.refresh_from_db()
    assert (job.status, job.last_error, job.attempts) == (
        PrintJobStatus.PENDING,
        "paper_out",
        0,
    )


def test_a_result_for_a_job_never_claimed_changes_nothing(menu, paid_order):
    job = PrintJob.objects.get(order=paid_order)

    print_job_record_result(
        job_id=job.pk, kiosk_id=menu.kiosk.pk, outcome="printed", reason=""
    )

    assert PrintJob.objects.get(pk=job.pk).status == PrintJobStatus.PENDING


def test_reconnecting_flags_the_job_that_was_printing(menu, paid_order):
    device = Device.objects.create(kiosk=menu.kiosk)
    job = PrintJob.objects.get(order=paid_order)
    print_job_claim(job_id=job.pk, kiosk_id=menu.kiosk.pk)

    device_connect(device=device, channel_name="again", agent={}, report=OK)

    job.refresh_from_db()
    assert job.status == PrintJobStatus.UNKNOWN
    assert print_jobs_to_send(kiosk_id=menu.kiosk.pk) == []
    assert print_job_claim(job_id=job.pk, kiosk_id=menu.kiosk.pk) is False


def test_a_reprint_is_a_new_job_by_staff(menu, paid_order, admin_user):
    job = PrintJob.objects.get(order=paid_order)
    PrintJob.objects.filter(pk=job.pk).update(status=PrintJobStatus.PRINTED)

    reprint = print_job_reprint(job=job, user=admin_user)
    again = print_job_reprint(job=job, user=admin_user)

    assert (reprint.kind, reprint.status, reprint.requested_by, reprint.kiosk) == (
        PrintJobKind.REPRINT,
        PrintJobStatus.PENDING,
        admin_user,
        menu.kiosk,
    )
    assert again.pk != reprint.pk
    assert PrintJob.objects.filter(order=paid_order).count() == 3


def test_the_message_of_a_waiting_job_carries_its_receipt(menu, paid_order):
    [message] = print_job_messages(kiosk_id=menu.kiosk.pk)

    data = json.loads(message)
    assert (data["type"], data["job"]) == (
        "print_receipt",
        PrintJob.objects.get(order=paid_order).pk,
    )
    assert data["receipt"]["store_name"] == "Burger Test"
    assert data["receipt"]["totals"][-1] == {
        "label": "Total",
        "amount": "€18.50",
        "is_total": True,
    }


def test_a_job_the_agent_cannot_lay_out_fails_without_being_sent(menu, paid_order):
    job = PrintJob.objects.get(order=paid_order)

    print_job_record_result(
        job_id=job.pk,
        kiosk_id=menu.kiosk.pk,
        outcome="failed",
        reason="invalid receipt: lines must be a list",
    )

    job.refresh_from_db()
    assert (job.status, job.attempts, job.printed_at) == (
        PrintJobStatus.FAILED,
        0,
        None,
    )
    assert print_jobs_to_send(kiosk_id=menu.kiosk.pk) == []


# --- Receipts that wait for the loyalty programme's text (RBI guest sales) ---

RBI_TEXT = "Earn points on this order: scan it in the BK app"


def _sent(order):
    assert order.kiosk_id is not None
    return [job.pk for job in print_jobs_to_send(kiosk_id=order.kiosk_id)]


def test_a_guest_receipt_waits_for_the_programmes_text_then_carries_it(
    burger_order, rbi_sandbox, settings
):
    from hardware.receipt import ReceiptProgrammeText
    from hardware.selectors import receipt_for_job
    from loyalty.services.worker import outbox_run_once
    from tests.hardware.conftest import guest_paid_by_card

    before = timezone.now()
    order = guest_paid_by_card(burger_order)
    job = PrintJob.objects.get(order=order)
    assert job.hold_until is not None

    assert order.number is not None  # on screen at once
    assert (
        before + timedelta(seconds=3)
        <= job.hold_until
        <= timezone.now() + timedelta(seconds=3)
    )
    assert _sent(order) == []
    outbox_run_once()
    assert _sent(order) == [job.pk]
    remote = order.loyalty_outbox.get().result["remote"]
    assert receipt_for_job(job).programme_text == ReceiptProgrammeText(
        header="Burger King France",
        lines=[RBI_TEXT, f"Transaction ID: {remote}"],
        footer="Thank you for your visit",
    )


def test_a_receipt_whose_text_does_not_come_in_time_goes_without_it(
    burger_order, rbi_sandbox
):
    from hardware.selectors import receipt_for_job
    from tests.hardware.conftest import guest_paid_by_card

    rbi_sandbox.faults(down=True)
    order = guest_paid_by_card(burger_order)
    PrintJob.objects.filter(order=order).update(
        hold_until=timezone.now() - timedelta(seconds=1)
    )

    [job] = print_jobs_to_send(kiosk_id=burger_order.kiosk.pk)

    assert receipt_for_job(job).programme_text is None


def test_a_receipt_goes_at_once_when_the_sale_is_left_unconfirmed(
    burger_order, rbi_sandbox
):
    from loyalty.services.worker import outbox_run_once
    from tests.hardware.conftest import guest_paid_by_card

    rbi_sandbox.faults(
        rules=[
            {
                "method": "POST",
                "path": "/loyalty/transaction/pos",
                "action": "commit_then_drop",
            }
        ]
    )
    order = guest_paid_by_card(burger_order)
    outbox_run_once()

    assert _sent(order) == [PrintJob.objects.get(order=order).pk]


def test_a_members_receipt_does_not_wait(burger_order, rbi_sandbox):
    from loyalty.providers.base import IdentifierKind
    from loyalty.services.identification import loyalty_identify
    from tests.hardware.conftest import guest_paid_by_card

    loyalty_identify(order=burger_order, identifier="111111", kind=IdentifierKind.CODE)
    order = guest_paid_by_card(burger_order)

    job = PrintJob.objects.get(order=order)
    assert (job.hold_until, _sent(order)) == (None, [job.pk])


def test_a_receipt_prints_once_however_often_it_is_looked_at(burger_order, rbi_sandbox):
    from loyalty.services.worker import outbox_run_once
    from tests.hardware.conftest import guest_paid_by_card

    order = guest_paid_by_card(burger_order)
    outbox_run_once()
    job = PrintJob.objects.get(order=order)

    kiosk_id = burger_order.kiosk.pk
    assert print_job_claim(job_id=job.pk, kiosk_id=kiosk_id) is True
    assert print_job_claim(job_id=job.pk, kiosk_id=kiosk_id) is False
    assert _sent(order) == []
