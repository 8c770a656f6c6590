"""Preparation stations, their screens, and what each station makes for each order.

A paid order becomes one `KitchenOrder` and, for each station that makes
part of it, one `KitchenTicket` with its `KitchenTicketItem`s (names,
quantities and choices copied from the order, so menu edits change nothing).
States change only through `kitchen.services`; each keeps its timestamp, so
preparation times can be reported per product and per hour.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kiosk.models import ServiceMode


class Station(models.Model):
    """A place where food is made (grill, fryer, drinks…), with its screen."""

    store = models.ForeignKey(
        "kiosk.Store", on_delete=models.CASCADE, related_name="kitchen_stations"
    )
    name = models.CharField(_("name"), max_length=60)
    categories = models.ManyToManyField(
        "kiosk.Category",
        blank=True,
        related_name="kitchen_stations",
        verbose_name=_("categories"),
        help_text=_(
            "Products of these categories are made here. A category may go to "
            "several stations."
        ),
    )
    takes_unrouted = models.BooleanField(
        _("takes what no other station takes"),
        default=False,
        help_text=_(
            "Products whose category no station takes (or that have none) come here."
        ),
    )
    target_seconds = models.PositiveIntegerField(
        _("target time (seconds)"),
        default=300,
        help_text=_("A ticket turns amber at half this time and red past it."),
    )
    printer = models.ForeignKey(
        "hardware.Device",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ticket printer"),
        help_text=_(
            "The hardware agent whose printer prints this station's kitchen "
            "tickets. Leave empty for a station with a screen only."
        ),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("preparation station")
        verbose_name_plural = _("preparation stations")
        ordering = ["store__name", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "name"], name="kitchen_station_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.store.name} · {self.name}"


class ScreenKind(models.TextChoices):
    STATION = "station", _("Station screen")
    EXPO = "expo", _("Expo (assembly) screen")
    BOARD = "board", _("Order-ready board for customers")


class Screen(models.Model):
    """A wall-mounted browser showing a station, the expo view or the board.

    It opens a secret link (`/kitchen/screen/<token>/`); only the token's hash
    is kept, and a new link stops the previous one.
    """

    store = models.ForeignKey(
        "kiosk.Store", on_delete=models.CASCADE, related_name="kitchen_screens"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ScreenKind.choices)
    station = models.ForeignKey(
        Station,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="screens",
        verbose_name=_("station"),
        help_text=_("For a station screen: the station it shows."),
    )
    name = models.CharField(_("name"), max_length=60)
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    token_created_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("kitchen screen")
        verbose_name_plural = _("kitchen screens")
        ordering = ["store__name", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.store.name} · {self.name}"

    def clean(self) -> None:
        if self.kind == ScreenKind.STATION:
            if self.station is None:
                raise ValidationError(
                    {"station": _("A station screen shows one station: choose it.")}
                )
            if self.station.store_id != self.store_id:
                raise ValidationError(
                    {"station": _("This station belongs to another store.")}
                )
        elif self.station is not None:
            raise ValidationError(
                {"station": _("Only a station screen shows a station.")}
            )


class KitchenOrderState(models.TextChoices):
    IN_PREPARATION = "in_preparation", _("Being prepared")
    READY = "ready", _("Ready")
    HANDED_OVER = "handed_over", _("Handed over")
    VOID = "void", _("Void")


class KitchenOrder(models.Model):
    """A paid order in the kitchen: ready once every station bumped its part."""

    order = models.OneToOneField(
        "kiosk.Order", on_delete=models.CASCADE, related_name="kitchen_order"
    )
    store = models.ForeignKey(
        "kiosk.Store", on_delete=models.CASCADE, related_name="kitchen_orders"
    )
    number = models.PositiveIntegerField(_("number"))
    service_mode = models.CharField(
        _("service mode"), max_length=12, choices=ServiceMode.choices, blank=True
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=KitchenOrderState.choices,
        default=KitchenOrderState.IN_PREPARATION,
    )
    paid_at = models.DateTimeField(_("paid"))
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    voided_at = models.DateTimeField(_("void"), null=True, blank=True)

    class Meta:
        verbose_name = _("kitchen order")
        verbose_name_plural = _("kitchen orders")
        ordering = ["paid_at", "id"]
        indexes = [models.Index(fields=["store", "state"])]

    def __str__(self) -> str:
        return f"#{self.number} · {self.get_state_display()}"


class TicketState(models.TextChoices):
    NEW = "new", _("New")
    IN_PREPARATION = "in_preparation", _("In preparation")
    READY = "ready", _("Bumped")
    VOID = "void", _("Void")


class KitchenTicket(models.Model):
    """What one station makes for one order."""

    kitchen_order = models.ForeignKey(
        KitchenOrder, on_delete=models.CASCADE, related_name="tickets"
    )
    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="tickets"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=TicketState.choices, default=TicketState.NEW
    )
    created_at = models.DateTimeField(_("received"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    bumped_at = models.DateTimeField(_("bumped"), null=True, blank=True)
    voided_at = models.DateTimeField(_("void"), null=True, blank=True)

    class Meta:
        verbose_name = _("kitchen ticket")
        verbose_name_plural = _("kitchen tickets")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["station", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kitchen_order", "station"], name="kitchen_ticket_per_station"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.kitchen_order.number} · {self.station.name}"

    @property
    def is_open(self) -> bool:
        return self.state in {TicketState.NEW, TicketState.IN_PREPARATION}


class KitchenTicketItem(models.Model):
    """One thing to make: an item, or one item of a combo (grouped under it)."""

    ticket = models.ForeignKey(
        KitchenTicket, on_delete=models.CASCADE, related_name="items"
    )
    order_line = models.ForeignKey(
        "kiosk.OrderLine", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    product = models.ForeignKey(
        "kiosk.Product", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    quantity = models.PositiveIntegerField(_("quantity"))
    # The combo this item belongs to ("Whopper Meal M"), blank for an item alone.
    group = models.CharField(_("combo"), max_length=120, blank=True)
    group_key = models.PositiveIntegerField(default=0)
    modifiers = models.JSONField(_("choices"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    bumped_at = models.DateTimeField(_("bumped"), null=True, blank=True)

    class Meta:
        verbose_name = _("ticket item")
        verbose_name_plural = _("ticket items")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"


class BumpAction(models.TextChoices):
    ITEM = "item", _("Item bumped")
    TICKET = "ticket", _("Ticket bumped")
    RECALL = "recall", _("Recalled")


class BumpEvent(models.Model):
    """A bump or recall as a screen sent it. The screen's id for it is unique:
    the same bump sent twice (a retried tap, a bump bar's repeat) counts once."""

    bump_id = models.CharField(max_length=64, unique=True)
    ticket = models.ForeignKey(
        KitchenTicket, on_delete=models.CASCADE, related_name="bumps"
    )
    item = models.ForeignKey(
        KitchenTicketItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=8, choices=BumpAction.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bump")
        verbose_name_plural = _("bumps")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.ticket}"
