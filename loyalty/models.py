"""Loyalty records of the kiosk: which programme a store runs, who identified
on an order, the rewards it carries, the outbox of postings, consent events
and the local mirror of members fed by the programme's webhooks."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from loyalty.crypto import EncryptedTextField


class Programme(models.TextChoices):
    PONGO = "pongo", "Pongo"
    RBI = "rbi", "RBI loyalty (Burger King…)"


class StoreLoyalty(models.Model):
    """The loyalty programme a store runs at its kiosks, if any."""

    store = models.OneToOneField(
        "kiosk.Store", on_delete=models.CASCADE, related_name="loyalty"
    )
    programme = models.CharField(
        _("programme"), max_length=12, choices=Programme.choices, blank=True
    )
    is_enabled = models.BooleanField(
        _("on at the kiosks"),
        default=True,
        help_text=_("Off: kiosks order without loyalty."),
    )

    class Meta:
        verbose_name = _("store loyalty programme")
        verbose_name_plural = _("store loyalty programmes")

    def __str__(self) -> str:
        return f"{self.store} · {self.get_programme_display() or '—'}"


class OrderLoyalty(models.Model):
    """The member who identified on an order, and what the order earned."""

    order = models.OneToOneField(
        "kiosk.Order", on_delete=models.CASCADE, related_name="loyalty"
    )
    programme = models.CharField(
        _("programme"), max_length=12, choices=Programme.choices
    )
    member_reference = models.CharField(_("member"), max_length=80)
    member_first_name = models.CharField(_("first name"), max_length=80, blank=True)
    # Kept only until the order is posted (the programme needs it with the order).
    member_phone = EncryptedTextField(_("phone"), blank=True)
    # False when the programme could not be reached: the member was recognised
    # from the local mirror, or only their phone number is known. The order is
    # still posted with it, so the points follow.
    is_verified = models.BooleanField(_("confirmed by the programme"), default=True)
    points_before = models.IntegerField(_("points when identified"), default=0)
    # RBI: the loyalty transaction opened at identification (claimed or voided later).
    session_reference = models.CharField(
        _("programme transaction"), max_length=80, blank=True
    )
    # The programme's own forecast for the basket (RBI validate), shown before it confirms.
    points_projected = models.IntegerField(_("points forecast"), null=True, blank=True)
    balance_projected = models.IntegerField(
        _("balance forecast"), null=True, blank=True
    )
    points_earned = models.IntegerField(_("points earned"), null=True, blank=True)
    balance_after = models.IntegerField(
        _("balance after the order"), null=True, blank=True
    )
    identified_at = models.DateTimeField(_("identified"), auto_now_add=True)

    class Meta:
        verbose_name = _("order loyalty")
        verbose_name_plural = _("order loyalty")

    def __str__(self) -> str:
        return f"{self.order} · {self.member_reference}"


class RedemptionKind(models.TextChoices):
    FREE_PRODUCT = "free_product", _("Free product")
    VOUCHER = "voucher", _("Voucher")
    OFFER = "offer", _("Offer")


class Redemption(models.Model):
    """An owned reward put on an order: a free product line or a voucher."""

    order = models.ForeignKey(
        "kiosk.Order", on_delete=models.CASCADE, related_name="redemptions"
    )
    owned_reference = models.CharField(_("owned reward"), max_length=80)
    reward_reference = models.CharField(_("reward"), max_length=80)
    reward_name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=RedemptionKind.choices)
    coupon_code = models.CharField(_("coupon code"), max_length=64, blank=True)
    # RBI: the incentive's own PLU, its engine id, and a personalised offer's instance.
    line_code = models.CharField(_("incentive PLU"), max_length=20, blank=True)
    engine_reference = models.CharField(_("engine id"), max_length=80, blank=True)
    is_personalised = models.BooleanField(default=False)
    is_preselected = models.BooleanField(_("picked in the app"), default=False)
    points = models.PositiveIntegerField(_("points"), default=0)
    # The programme's last word on this incentive in this basket (RBI validate).
    issue_rule = models.CharField(_("rule that refused it"), max_length=60, blank=True)
    issue_current = models.FloatField(null=True, blank=True)
    issue_target = models.FloatField(null=True, blank=True)
    line = models.OneToOneField(
        "kiosk.OrderLine",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="redemption",
    )
    discount = models.OneToOneField(
        "kiosk.OrderDiscount",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="redemption",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reward used")
        verbose_name_plural = _("rewards used")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "owned_reference"], name="redemption_once_per_order"
            )
        ]

    def __str__(self) -> str:
        return self.reward_name


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


class ConsentChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class ConsentEvent(models.Model):
    """What a person was asked and answered about marketing (append-only).

    GDPR Art. 7(1): the controller must be able to demonstrate consent.
    """

    subject_hash = models.CharField(max_length=64, db_index=True)
    channel = models.CharField(max_length=8, choices=ConsentChannel.choices)
    is_granted = models.BooleanField(_("granted"))
    wording = models.TextField(_("wording shown"))
    wording_hash = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    store = models.ForeignKey("kiosk.Store", on_delete=models.PROTECT, related_name="+")
    kiosk = models.ForeignKey(
        "kiosk.Kiosk", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    programme = models.CharField(max_length=12, choices=Programme.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        answer = "granted" if self.is_granted else "declined"
        return f"{self.channel} {answer} {self.created_at:%Y-%m-%d %H:%M}"


class WebhookEvent(models.Model):
    """A webhook event already taken into account (deliveries repeat)."""

    event_id = models.CharField(max_length=80, unique=True)
    programme = models.CharField(max_length=12, choices=Programme.choices)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.event_id


# Each programme's own records live in its folder; imported here so that Django
# registers them with this app (same tables, same migrations).
from loyalty.providers.pongo.models import MirroredMember, PongoConnection  # noqa: E402
from loyalty.providers.rbi.models import RbiConnection  # noqa: E402

__all__ = [
    "ConsentChannel",
    "ConsentEvent",
    "MirroredMember",
    "OrderLoyalty",
    "OutboxMessage",
    "OutboxOperation",
    "OutboxStatus",
    "PongoConnection",
    "Programme",
    "RbiConnection",
    "Redemption",
    "RedemptionKind",
    "StoreLoyalty",
    "WebhookEvent",
]
