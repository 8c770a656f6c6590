"""The devices hardware agents drive, as they report them: each kiosk's
scanner and printer, and a store's own printers (a kitchen ticket printer)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    """What one hardware agent drives, as it reports it: a kiosk's scanner and
    printer, or a printer of the store's own (a kitchen ticket printer), which
    belongs to no kiosk and has a name instead.

    The agent authenticates with a device token; only the token's hash is kept.
    """

    kiosk = models.OneToOneField(
        "kiosk.Kiosk",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="device",
        verbose_name=_("kiosk"),
    )
    # A store's own device (no kiosk): its store and a name staff know it by.
    store = models.ForeignKey(
        "kiosk.Store",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="devices",
        verbose_name=_("store"),
    )
    name = models.CharField(_("name"), max_length=80, blank=True)
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
        ordering = ["kiosk__store__name", "kiosk__name", "store__name", "name"]
        constraints = [
            # A kiosk's device, or a store's: never both, never neither.
            models.CheckConstraint(
                condition=(
                    models.Q(kiosk__isnull=False, store__isnull=True)
                    | models.Q(kiosk__isnull=True, store__isnull=False)
                ),
                name="device_of_a_kiosk_or_a_store",
            ),
        ]

    def __str__(self) -> str:
        if self.kiosk_id is not None:
            return str(self.kiosk)
        return f"{self.name} · {self.store}"

    def clean(self) -> None:
        if (self.kiosk_id is None) == (self.store_id is None):
            raise ValidationError(
                _("Choose a kiosk, or a store for a printer of the store's own.")
            )
        if self.store_id is not None and not self.name.strip():
            raise ValidationError(
                {"name": _("Give the store's device a name (Kitchen printer…).")}
            )

    @property
    def owner_store_id(self) -> int:
        """The store the device is in: its kiosk's, or its own."""
        if self.kiosk is not None:
            return int(self.kiosk.store_id)
        assert self.store_id is not None
        return int(self.store_id)

    @property
    def is_printer_ready(self) -> bool:
        """An agent is there and its printer can take a job now."""
        return (
            self.is_agent_connected
            and self.printer_state not in BLOCKING_PRINTER_STATES
        )
