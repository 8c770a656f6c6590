"""The outbox of calls to the programmes, delivered by the loyalty worker."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from loyalty.models.programmes import Programme


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    IN_FLIGHT = "in_flight", _("Being delivered")
    DONE = "done", _("Delivered")
    FAILED = "failed", _("Failed")


class OutboxOperation(models.TextChoices):
    ORDER_POST = "order_post", _("Post the paid order")
    REWARD_UNLOCK = "reward_unlock", _("Release a reward")
    REWARD_USE = "reward_use", _("Mark a reward used")
    SESSION_HOLD = "session_hold", _("Keep the transaction for the counter")
    SESSION_VOID = "session_void", _("Void the transaction")
    ORDER_REFUND = "order_refund", _("Take back a refunded order's points")


class OutboxMessage(models.Model):
    """A call to a loyalty programme that must happen, written in the same
    transaction as what causes it and delivered by the loyalty worker."""

    order = models.ForeignKey(
        "kiosk.Order", on_delete=models.PROTECT, related_name="loyalty_outbox"
    )
    programme = models.CharField(
        _("programme"), max_length=12, choices=Programme.choices
    )
    operation = models.CharField(
        _("operation"), max_length=20, choices=OutboxOperation.choices
    )
    # The exact request body, frozen when written: every retry sends the same bytes.
    payload = models.JSONField(_("payload"))
    idempotency_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OutboxStatus.choices,
        default=OutboxStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    done_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("loyalty posting")
        verbose_name_plural = _("loyalty postings")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_operation_display()} · {self.order} · {self.get_status_display()}"
