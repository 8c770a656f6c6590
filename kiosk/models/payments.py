"""Payments: one row per attempt on the terminal, or per confirmation at the counter."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kiosk.models.orders import Order


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


class SimulatedTerminalTransaction(models.Model):
    """State of the simulated payment terminal (`kiosk.payments.simulator`).

    It stands in for the memory of a real terminal; the kiosk never reads it
    except through the terminal contract.
    """

    attempt_key = models.CharField(max_length=64, unique=True)
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
