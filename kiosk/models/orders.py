"""Orders: the cart while it is a draft, then the order it becomes.

A draft order is the customer's cart, kept on the server and found through the
session, so a reload never loses it. States change only through
`kiosk.services.orders`; each change writes an `OrderStateChange`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kiosk.models.catalog import ComboSlot, ModifierOption, Product
from kiosk.models.store import Kiosk, ServiceMode, Store


class OrderState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PAID = "paid", _("Paid")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    # Paid, then given back to the customer: its loyalty points are taken back.
    REFUNDED = "refunded", _("Refunded")


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Card on the kiosk terminal")
    COUNTER = "counter", _("At the counter")
    # A total of zero (rewards cover the order): confirmed without a terminal.
    NOTHING_TO_PAY = "nothing", _("Nothing to pay")


class Order(models.Model):
    # The public id: idempotency key towards payment terminals and loyalty
    # programmes, created with the cart.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="orders")
    kiosk = models.ForeignKey(
        Kiosk, on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=OrderState.choices, default=OrderState.DRAFT
    )
    service_mode = models.CharField(
        _("service mode"), max_length=12, choices=ServiceMode.choices, blank=True
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    currency = models.CharField(_("currency"), max_length=3)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    business_date = models.DateField(_("business date"), null=True, blank=True)
    payment_method = models.CharField(
        _("payment method"), max_length=10, choices=PaymentMethod.choices, blank=True
    )
    subtotal = models.PositiveIntegerField(_("lines (minor units)"), default=0)
    discount_total = models.PositiveIntegerField(
        _("discounts (minor units)"), default=0
    )
    # What the customer pays: lines minus discounts, tax included.
    total = models.PositiveIntegerField(_("total (minor units)"), default=0)
    tax_total = models.PositiveIntegerField(_("tax (minor units)"), default=0)
    cancel_reason = models.CharField(_("cancel reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded"), null=True, blank=True)
    # Set when the order is paid by the app that prepares it (the kitchen),
    # from its recent preparation times; shown on the confirmation and receipt.
    estimated_wait_seconds = models.PositiveIntegerField(
        _("estimated wait (seconds)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["store", "state"]),
            models.Index(fields=["kiosk", "state"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "business_date", "number"],
                condition=models.Q(number__isnull=False),
                name="order_unique_number_per_day",
            ),
        ]
        permissions = [
            (
                "confirm_counter_payment",
                _("Can confirm or cancel orders at the counter"),
            ),
            ("refund_order", _("Can record the refund of a paid order")),
        ]

    def __str__(self) -> str:
        if self.number:
            return f"#{self.number} ({self.business_date})"
        return f"{self.get_state_display()} {self.uuid.hex[:8]}"

    @property
    def is_draft(self) -> bool:
        return self.state == OrderState.DRAFT

    @property
    def is_paying_by_card(self) -> bool:
        """Sent to be paid on the kiosk's terminal, and not paid yet."""
        return (
            self.state == OrderState.AWAITING_PAYMENT
            and self.payment_method == PaymentMethod.CARD
        )

    @property
    def estimated_wait_minutes(self) -> int | None:
        """The estimated wait rounded up to whole minutes (None: no estimate)."""
        if not self.estimated_wait_seconds:
            return None
        return -(-self.estimated_wait_seconds // 60)

    @property
    def is_paid(self) -> bool:
        return self.state in {OrderState.PAID, OrderState.COMPLETED}


class LineKind(models.TextChoices):
    ITEM = "item", _("Item")
    COMBO = "combo", _("Combo")
    COMBO_ITEM = "combo_item", _("Item of a combo")
    MODIFIER = "modifier", _("Modifier")


class OrderLine(models.Model):
    """One node of the order tree.

    Root lines are items and combos; combo items hang under their combo and
    modifiers under the item they modify. `quantity` of a child counts per unit
    of its parent; `total` is set on root lines only (quantity x unit total of
    the whole subtree). Names, codes, prices and tax rates are copied at the
    time of ordering, so later menu edits never change an order. A combo's
    price is shared out over its items (`allocated_price`) for VAT.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=LineKind.choices)
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    modifier_option = models.ForeignKey(
        ModifierOption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    combo_slot = models.ForeignKey(
        ComboSlot, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    plu = models.CharField(_("PLU"), max_length=16, blank=True)
    name = models.CharField(_("name"), max_length=120)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_price = models.PositiveIntegerField(_("unit price (minor units)"), default=0)
    tax_rate = models.PositiveIntegerField(_("tax rate (basis points)"), default=0)
    # Combo items only: their share of the combo's price, taxed at their own
    # rate (a menu's price is split across items whose VAT rates differ).
    allocated_price = models.PositiveIntegerField(
        _("share of the combo price"), default=0
    )
    # A product given as a loyalty reward: the programme's reward id (the line is free).
    reward_reference = models.CharField(_("loyalty reward"), max_length=80, blank=True)
    # Root lines only: the kitchen notes the customer ticked, their text copied
    # in the store's own language for the kitchen ("No salt · Cut in half"),
    # and their ids, so the line opens again with them ticked.
    note = models.CharField(_("note for the kitchen"), max_length=200, blank=True)
    kitchen_note_ids = models.JSONField(default=list, blank=True, editable=False)
    total = models.PositiveIntegerField(_("total (minor units)"), default=0)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "position", "id"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"


class DiscountKind(models.TextChoices):
    AMOUNT = "amount", _("Amount off")
    PERCENT = "percent", _("Percentage off")


class OrderDiscount(models.Model):
    """A voucher applied to the whole order, e.g. a loyalty reward's coupon.

    `amount` is recomputed from `kind` and `value` whenever the order changes
    (a percentage follows the lines; an amount is capped at what is left).
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="discounts")
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("code"), max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=DiscountKind.choices)
    value = models.PositiveIntegerField(
        _("value"), help_text=_("Cents off, or a percentage from 1 to 100.")
    )
    amount = models.PositiveIntegerField(_("amount (minor units)"), default=0)
    source = models.CharField(_("source"), max_length=20, help_text=_("e.g. pongo"))
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("discount")
        verbose_name_plural = _("discounts")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name


class ActorKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer at the kiosk")
    TERMINAL = "terminal", _("Payment terminal")
    STAFF = "staff", _("Staff")
    POS = "pos", _("POS system")
    SYSTEM = "system", _("System")


class OrderStateChange(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")
    from_state = models.CharField(_("from"), max_length=20, choices=OrderState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=OrderState.choices)
    actor = models.CharField(_("by"), max_length=10, choices=ActorKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state history")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class OrderNumberSequence(models.Model):
    """The last order number given out by a store on one business day."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    business_date = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["store", "business_date"], name="order_number_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.store_id} {self.business_date}: {self.last_number}"
