"""Payments: each kiosk's terminal, one row per attempt on it or per confirmation
at the counter, and the refunds given back to cards."""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kiosk.models.orders import Order
from kiosk.models.store import Kiosk
from loyalty.crypto import EncryptedTextField


class TerminalVendor(models.TextChoices):
    SIMULATOR = "simulator", _("Simulated terminal (development)")
    ADYEN = "adyen", _("Adyen Terminal API")
    STRIPE = "stripe", _("Stripe Terminal")


class TerminalEnvironmentChoice(models.TextChoices):
    TEST = "test", _("Test")
    LIVE = "live", _("Live")


class KioskTerminal(models.Model):
    """The card terminal of one kiosk, as the operator set it up in admin."""

    kiosk = models.OneToOneField(
        Kiosk, on_delete=models.CASCADE, related_name="terminal"
    )
    vendor = models.CharField(
        _("vendor"), max_length=20, choices=TerminalVendor.choices
    )
    terminal_id = models.CharField(
        _("terminal id"),
        max_length=80,
        blank=True,
        help_text=_("Adyen: the POIID (model-serial). Stripe: the reader id (tmr_…)."),
    )
    environment = models.CharField(
        _("environment"),
        max_length=4,
        choices=TerminalEnvironmentChoice.choices,
        default=TerminalEnvironmentChoice.TEST,
    )
    endpoint = models.URLField(
        _("endpoint"),
        blank=True,
        help_text=_(
            "Leave empty for the vendor's own address. Set it for a terminal "
            "reached on the store's network, or for an emulator."
        ),
    )
    # A JSON object of secrets (API key, webhook secret, encryption passphrase).
    credentials_json = EncryptedTextField(_("credentials"), blank=True)
    options = models.JSONField(
        _("options"),
        default=dict,
        blank=True,
        help_text=_("Settings that are not secret, e.g. the merchant account."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_check_at = models.DateTimeField(_("last tested"), null=True, blank=True)
    last_check_ok = models.BooleanField(_("last test passed"), null=True, blank=True)
    last_check_detail = models.CharField(
        _("last test result"), max_length=300, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kiosk terminal")
        verbose_name_plural = _("kiosk terminals")
        ordering = ["kiosk__store__name", "kiosk__name"]

    def __str__(self) -> str:
        return f"{self.kiosk} · {self.get_vendor_display()} {self.terminal_id}".strip()

    @property
    def credentials(self) -> dict[str, str]:
        if not self.credentials_json:
            return {}
        try:
            data = json.loads(self.credentials_json)
        except (ValueError, RecursionError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): str(v) for k, v in data.items()}

    @credentials.setter
    def credentials(self, value: dict[str, str]) -> None:
        self.credentials_json = json.dumps(value, sort_keys=True) if value else ""


class PaymentChannel(models.TextChoices):
    TERMINAL = "terminal", _("Kiosk terminal")
    COUNTER = "counter", _("Counter staff")
    POS = "pos", _("POS system")
    # The zero payment of an order whose total is zero: no terminal, no till.
    NOTHING_TO_PAY = "nothing", _("Nothing to pay")


class PaymentStatus(models.TextChoices):
    CREATED = "created", _("Created")
    PENDING = "pending", _("Waiting for the customer")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    TIMED_OUT = "timed_out", _("Timed out")
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Unknown: check the terminal")


FINAL_PAYMENT_STATUSES = frozenset(
    {
        PaymentStatus.APPROVED,
        PaymentStatus.DECLINED,
        PaymentStatus.CANCELLED,
        PaymentStatus.TIMED_OUT,
        PaymentStatus.FAILED,
        PaymentStatus.UNKNOWN,
    }
)


class Payment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    # Written before the terminal is called: a retried call can never charge twice.
    attempt_key = models.CharField(_("attempt key"), max_length=64, unique=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=PaymentChannel.choices
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PaymentStatus.choices,
        default=PaymentStatus.CREATED,
    )
    amount = models.PositiveIntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    reference = models.CharField(
        _("reference"),
        max_length=80,
        blank=True,
        help_text=_("Terminal or POS reference."),
    )
    card_brand = models.CharField(_("card brand"), max_length=20, blank=True)
    auth_code = models.CharField(_("authorisation code"), max_length=20, blank=True)
    # What a card receipt shows, from the terminal's answer; nothing else of the card.
    masked_pan = models.CharField(_("card number (masked)"), max_length=24, blank=True)
    application_label = models.CharField(
        _("card application"), max_length=40, blank=True
    )
    aid = models.CharField(_("application id (AID)"), max_length=32, blank=True)
    entry_mode = models.CharField(_("entry mode"), max_length=20, blank=True)
    transaction_reference = models.CharField(
        _("transaction reference"), max_length=80, blank=True
    )
    # The terminal the attempt went to, kept as it was then: its status and
    # refunds are asked of that terminal even if the kiosk's changes later.
    terminal_vendor = models.CharField(_("terminal vendor"), max_length=20, blank=True)
    terminal_id = models.CharField(_("terminal id"), max_length=80, blank=True)
    kiosk_terminal = models.ForeignKey(
        KioskTerminal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("terminal"),
    )
    message = models.CharField(_("message"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("confirmed by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("sent to the terminal"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_status_display()}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_PAYMENT_STATUSES

    @staticmethod
    def new_attempt_key() -> str:
        return uuid.uuid4().hex


class RefundStatusChoice(models.TextChoices):
    PENDING = "pending", _("Waiting for the acquirer")
    SUCCEEDED = "succeeded", _("Refunded to the card")
    FAILED = "failed", _("Refused: refund by other means")


class CardRefund(models.Model):
    """Money given back to the card of an approved payment, one row per refund.

    Its key is written before the terminal or acquirer is called, so a retried
    call never refunds twice.
    """

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="refunds"
    )
    refund_key = models.CharField(_("refund key"), max_length=64, unique=True)
    amount = models.PositiveIntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RefundStatusChoice.choices,
        default=RefundStatusChoice.PENDING,
    )
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    message = models.CharField(_("message"), max_length=200, blank=True)
    tries = models.PositiveIntegerField(_("tries"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_tried_at = models.DateTimeField(_("last tried"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("card refund")
        verbose_name_plural = _("card refunds")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.refund_key[:8]} {self.get_status_display()}"

    @staticmethod
    def new_refund_key() -> str:
        return uuid.uuid4().hex


class SimulatedTerminalTransaction(models.Model):
    """State of the simulated payment terminal (`kiosk.payments.simulator`).

    It stands in for the memory of a real terminal; the kiosk never reads it
    except through the terminal contract.
    """

    attempt_key = models.CharField(max_length=64, unique=True)
    # The simulated device that took it (its configured terminal id).
    terminal_id = models.CharField(max_length=80, blank=True)
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    reference = models.CharField(max_length=80)
    status = models.CharField(max_length=12)
    # A terminal that stops answering: status calls raise as a network error would.
    is_unresponsive = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("simulated terminal transaction")
        verbose_name_plural = _("simulated terminal transactions")

    def __str__(self) -> str:
        return f"{self.attempt_key} {self.status}"


class SimulatedTerminalRefund(models.Model):
    """A refund the simulated terminal gave back to a card, once per key."""

    refund_key = models.CharField(max_length=64, unique=True)
    transaction = models.ForeignKey(
        SimulatedTerminalTransaction, on_delete=models.CASCADE, related_name="refunds"
    )
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("simulated terminal refund")
        verbose_name_plural = _("simulated terminal refunds")

    def __str__(self) -> str:
        return f"{self.refund_key} {self.amount}"
