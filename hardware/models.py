"""Each kiosk's devices, and the print jobs its printer owes its customers.

A receipt job is written in the same transaction that marks an order paid
(`kiosk.services.orders.order_mark_paid`). The kiosk's hardware agent claims
a job just before printing it and reports what became of it; a job is printed
at most once on its own, and staff reprint from admin.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrintJobKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    REPRINT = "reprint", _("Reprint by staff")


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
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    printed_at = models.DateTimeField(_("printed"), null=True, blank=True)

    class Meta:
        verbose_name = _("print job")
        verbose_name_plural = _("print jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kiosk", "status"])]
        constraints = [
            # One receipt per order: a paid order is never printed twice by accident.
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(kind="receipt"),
                name="print_job_one_receipt_per_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.order} · {self.get_status_display()}"

    @property
    def is_printed(self) -> bool:
        return self.status in {
            PrintJobStatus.PRINTED,
            PrintJobStatus.PRINTED_UNCONFIRMED,
        }


class ScannerState(models.TextChoices):
    NOT_CONFIGURED = "not_configured", _("No scanner")
    CONNECTED = "connected", _("Connected")
    DISCONNECTED = "disconnected", _("Disconnected")
    ERROR = "error", _("Error")


class PrinterState(models.TextChoices):
    OK = "ok", _("Ready")
    PAPER_NEAR_END = "paper_near_end", _("Paper near end")
    PAPER_OUT = "paper_out", _("Paper out")
    COVER_OPEN = "cover_open", _("Cover open")
    OFFLINE = "offline", _("Offline")
    UNKNOWN = "unknown", _("Not answering")
    UNREACHABLE = "unreachable", _("Unreachable")
    NOT_CONFIGURED = "not_configured", _("No printer")


# The printer cannot take a job: jobs wait until it can.
BLOCKING_PRINTER_STATES = frozenset(
    {
        PrinterState.PAPER_OUT,
        PrinterState.COVER_OPEN,
        PrinterState.OFFLINE,
        PrinterState.UNREACHABLE,
        PrinterState.NOT_CONFIGURED,
    }
)


class Device(models.Model):
    """The scanner and printer of one kiosk, as its hardware agent reports them.

    The agent authenticates with a device token; only the token's hash is kept.
    """

    kiosk = models.OneToOneField(
        "kiosk.Kiosk",
        on_delete=models.CASCADE,
        related_name="device",
        verbose_name=_("kiosk"),
    )
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    token_created_at = models.DateTimeField(
        _("token created"), null=True, blank=True, editable=False
    )
    is_agent_connected = models.BooleanField(_("agent connected"), default=False)
    # The channel of the agent's current connection: a connection replaced by
    # a newer one must not mark the device disconnected when it goes.
    agent_channel = models.CharField(max_length=200, blank=True, editable=False)
    agent_version = models.CharField(_("agent version"), max_length=20, blank=True)
    agent_hostname = models.CharField(_("agent host"), max_length=120, blank=True)
    printer_address = models.CharField(_("printer"), max_length=200, blank=True)
    printer_profile = models.CharField(_("printer profile"), max_length=40, blank=True)
    scanner_port = models.CharField(_("scanner"), max_length=200, blank=True)
    connected_at = models.DateTimeField(_("connected since"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    scanner_state = models.CharField(
        _("scanner state"),
        max_length=20,
        choices=ScannerState.choices,
        default=ScannerState.NOT_CONFIGURED,
    )
    scanner_detail = models.CharField(_("scanner detail"), max_length=200, blank=True)
    printer_state = models.CharField(
        _("printer state"),
        max_length=20,
        choices=PrinterState.choices,
        default=PrinterState.NOT_CONFIGURED,
    )
    printer_detail = models.CharField(_("printer detail"), max_length=200, blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["kiosk__store__name", "kiosk__name"]

    def __str__(self) -> str:
        return str(self.kiosk)

    @property
    def is_printer_ready(self) -> bool:
        """An agent is there and its printer can take a job now."""
        return (
            self.is_agent_connected
            and self.printer_state not in BLOCKING_PRINTER_STATES
        )
