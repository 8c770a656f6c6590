"""Who identified on an order, and the rewards it carries."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from loyalty.crypto import EncryptedTextField
from loyalty.models.programmes import Programme


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
    # Kept only until the order is posted, cancelled or its posting given up,
    # and never past LOYALTY_PHONE_RETENTION_DAYS.
    member_phone = EncryptedTextField(_("phone"), blank=True)
    # False when the programme could not be reached: the member was recognised
    # from the local mirror, or only their phone number is known. The order is
    # still posted with it, so the points follow.
    is_verified = models.BooleanField(_("confirmed by the programme"), default=True)
    # The customer's answers to the marketing questions, asked when only a
    # phone number is known (the programme may make it a member): None when
    # not asked. A phone number is posted unverified only with both answers.
    sms_optin = models.BooleanField(_("SMS offers"), null=True, blank=True)
    email_optin = models.BooleanField(_("e-mail offers"), null=True, blank=True)
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
