"""The print jobs the printers owe: receipts and documents (kitchen tickets).

A receipt job is written in the same transaction that marks an order paid
(`kiosk.services.orders.order_mark_paid`) and goes to its kiosk's device; a
document names the device that prints it (a kitchen printer of the store's
own, or a kiosk's). The device's hardware agent claims a job just before
printing it and reports what became of it; a job is printed at most once on
its own, and staff reprint from admin.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrintJobKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    REPRINT = "reprint", _("Reprint by staff")
    # A document laid out by another app (a kitchen ticket), kept in `document`.
    DOCUMENT = "document", _("Ticket")


class PrintJobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the printer")
    SENT = "sent", _("Sent to the printer")
    PRINTED = "printed", _("Printed")
    PRINTED_UNCONFIRMED = (
        "printed_unconfirmed",
        _("Sent, but the printer did not confirm"),
    )
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Outcome unknown: check the printer")
    EXPIRED = "expired", _("Not printed: expired")


# Jobs not finished yet: waiting for the printer, or being printed.
WAITING_JOB_STATUSES = frozenset({PrintJobStatus.PENDING, PrintJobStatus.SENT})


class PrintJob(models.Model):
    order = models.ForeignKey(
        "kiosk.Order", on_delete=models.CASCADE, related_name="print_jobs"
    )
    kiosk = models.ForeignKey(
        "kiosk.Kiosk",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="print_jobs",
    )
    # The device that prints a document; a receipt (none here) goes to its
    # kiosk's device, whichever that is when it prints.
    device = models.ForeignKey(
        "hardware.Device",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="print_jobs",
        verbose_name=_("device"),
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=PrintJobKind.choices,
        default=PrintJobKind.RECEIPT,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PrintJobStatus.choices,
        default=PrintJobStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # A paid order's receipt waits until then for the loyalty programme's
    # text (a guest's code to claim points), and leaves as soon as it came.
    hold_until = models.DateTimeField(
        _("waits for loyalty until"), null=True, blank=True
    )
    # A document's content, as `hardware.receipt.receipt_to_dict` gives it:
    # printed as it is, never recomputed from the order.
    document = models.JSONField(_("document"), null=True, blank=True, editable=False)
    # A document's own key ("kitchen-ticket-12"): one job per key.
    key = models.CharField(_("key"), max_length=80, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    printed_at = models.DateTimeField(_("printed"), null=True, blank=True)

    class Meta:
        verbose_name = _("print job")
        verbose_name_plural = _("print jobs")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["kiosk", "status"]),
            models.Index(fields=["device", "status"]),
        ]
        constraints = [
            # One receipt per order: a paid order is never printed twice by accident.
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(kind="receipt"),
                name="print_job_one_receipt_per_order",
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=~models.Q(key=""),
                name="print_job_unique_document_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.order} · {self.get_status_display()}"

    @property
    def is_printed(self) -> bool:
        return self.status in {
            PrintJobStatus.PRINTED,
            PrintJobStatus.PRINTED_UNCONFIRMED,
        }
