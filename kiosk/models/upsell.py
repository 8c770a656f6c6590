"""Upsell rules: one suggestion at the right moment of an order, and its outcome.

A rule says what to offer (a meal, a product, a larger size), when (after a
product of chosen categories or products is added, or before checkout) and in
which words. Every offer shown is kept, so the take rate comes from data.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kiosk.models.catalog import Category, Product
from kiosk.models.orders import Order
from kiosk.models.store import Store
from kiosk.models.translated import localized


class UpsellKind(models.TextChoices):
    MEAL = "meal", _("Make it a meal")
    ADD_PRODUCT = "add_product", _("Add a product")
    SIZE_UP = "size_up", _("Size up")


class UpsellTrigger(models.TextChoices):
    AFTER_ADD = "after_add", _("After adding a product")
    BEFORE_CHECKOUT = "before_checkout", _("Before checkout")


class UpsellRule(models.Model):
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="upsell_rules"
    )
    name = models.CharField(
        _("name"), max_length=80, help_text=_("Tells rules apart in admin.")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=UpsellKind.choices)
    trigger = models.CharField(
        _("moment"), max_length=16, choices=UpsellTrigger.choices
    )
    trigger_categories = models.ManyToManyField(
        Category,
        blank=True,
        related_name="+",
        verbose_name=_("after adding from categories"),
    )
    trigger_products = models.ManyToManyField(
        Product,
        blank=True,
        related_name="+",
        verbose_name=_("after adding products"),
    )
    offered_products = models.ManyToManyField(
        Product,
        blank=True,
        related_name="+",
        verbose_name=_("products offered"),
        help_text=_(
            "Add a product: the products offered (up to three, in menu order). Size up: the larger "
            "size of each product that triggers it (the first of the same category)."
        ),
    )
    title_en = models.CharField(_("title (English)"), max_length=120, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    priority = models.PositiveIntegerField(
        _("priority"), default=0, help_text=_("Higher first, when several apply.")
    )

    class Meta:
        verbose_name = _("upsell rule")
        verbose_name_plural = _("upsell rules")
        ordering = ["store", "-priority", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def title(self) -> str:
        return localized(self, "title")

    def clean(self) -> None:
        if self.kind != UpsellKind.ADD_PRODUCT and (
            self.trigger == UpsellTrigger.BEFORE_CHECKOUT
        ):
            raise ValidationError(
                {"trigger": _("Only “add a product” can be offered before checkout.")}
            )


class UpsellOffer(models.Model):
    """One offer shown to one customer, and what they answered."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="upsell_offers"
    )
    rule = models.ForeignKey(
        UpsellRule, on_delete=models.CASCADE, related_name="offers"
    )
    # The line the offer is about (meal, size up): a meal replaces it.
    line_id = models.PositiveIntegerField(_("order line"), null=True, blank=True)
    # How many were just added: a meal or a larger size replaces those only.
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    products = models.ManyToManyField(
        Product, related_name="+", verbose_name=_("products offered")
    )
    shown_at = models.DateTimeField(_("shown"))
    accepted = models.BooleanField(_("accepted"), default=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)

    class Meta:
        verbose_name = _("upsell offer")
        verbose_name_plural = _("upsell offers")
        ordering = ["-shown_at"]
        constraints = [
            # One interruption per order, whatever the race.
            models.UniqueConstraint(fields=["order"], name="upsell_offer_one_per_order")
        ]
        indexes = [models.Index(fields=["rule", "shown_at"])]

    def __str__(self) -> str:
        return f"{self.rule} · {self.order}"

    @property
    def is_answered(self) -> bool:
        return self.accepted or self.declined_at is not None
