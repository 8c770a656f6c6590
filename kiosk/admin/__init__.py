"""Django admin for managers: stores and kiosks, the menu, and orders; payments
and terminals in `kiosk.admin.payments`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hardware.models import PrintJob
from kiosk import admin_attract  # noqa: F401  (registers the attract screen's admin)
from kiosk.admin.base import ReadOnlyInline, money, staff
from kiosk.admin.payments import PaymentInline, card_refunds_report
from kiosk.models import (
    ActorKind,
    Allergen,
    Category,
    ComboChoice,
    ComboSlot,
    Kiosk,
    KioskProvisioning,
    KitchenNote,
    ModifierGroup,
    ModifierOption,
    Order,
    OrderLine,
    OrderState,
    OrderStateChange,
    Product,
    ProductModifierGroup,
    ProductVendorPlu,
    Store,
    TaxRate,
    UpsellOffer,
    UpsellRule,
)
from kiosk.services.errors import KioskError
from kiosk.services.orders import order_cancel, order_complete
from kiosk.services.provisioning import (
    kiosk_provisioning_create,
    store_pos_token_rotate,
)
from kiosk.services.refunds import order_refund_to_card
from loyalty.models import OrderLoyalty, OutboxMessage, OutboxOperation, OutboxStatus
from loyalty.services.outbox import outbox_retry

# --- Stores and kiosks -----------------------------------------------------------


class TaxRateInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TaxRate
    extra = 0


class KioskInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Kiosk
    extra = 0
    fields = ["name", "code", "is_active", "provisioned_at", "last_seen_at"]
    readonly_fields = ["provisioned_at", "last_seen_at"]
    show_change_link = True


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "name",
        "slug",
        "currency",
        "timezone",
        "default_language",
        "is_ordering_open",
    ]
    list_filter = ["is_ordering_open", "currency"]
    list_editable = ["is_ordering_open"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["pos_token_created_at"]
    inlines = [KioskInline, TaxRateInline]
    actions = ["create_pos_token"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "address", "is_ordering_open"]}),
        (
            _("Locale"),
            {
                "fields": [
                    "country",
                    "currency",
                    "timezone",
                    "default_language",
                    "languages",
                ]
            },
        ),
        (_("Service"), {"fields": ["service_modes"]}),
        (_("POS integration"), {"fields": ["pos_token_created_at"]}),
    ]

    @admin.action(description=_("Create a new POS token (the old one stops working)"))
    def create_pos_token(self, request: HttpRequest, queryset: QuerySet[Store]) -> None:
        for store in queryset:
            token = store_pos_token_rotate(store=store)
            self.message_user(
                request,
                format_html(
                    "{}: POS token <code>{}</code>. Copy it now: it is not shown again.",
                    store.name,
                    token,
                ),
                messages.WARNING,
            )


class KioskProvisioningInline(ReadOnlyInline):
    model = KioskProvisioning
    fields = ["created_at", "expires_at", "used_at", "created_by"]
    verbose_name_plural = _("provisioning links (only the newest matter)")


@admin.register(Kiosk)
class KioskAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "name",
        "store",
        "code",
        "is_active",
        "provisioned_at",
        "last_seen_at",
    ]
    list_filter = ["store", "is_active"]
    search_fields = ["name", "code", "store__name"]
    readonly_fields = [
        "device_generation",
        "provisioned_at",
        "last_seen_at",
        "created_at",
    ]
    inlines = [KioskProvisioningInline]
    actions = ["create_provisioning_link"]

    @admin.action(description=_("Create a one-time provisioning link"))
    def create_provisioning_link(
        self, request: HttpRequest, queryset: QuerySet[Kiosk]
    ) -> None:
        for kiosk in queryset:
            token = kiosk_provisioning_create(kiosk=kiosk, user=staff(request))
            url = request.build_absolute_uri(reverse("provision", args=[token]))
            self.message_user(
                request,
                format_html(
                    '{}: open <a href="{}">{}</a> once in the kiosk\'s browser. '
                    "It works once and is not shown again.",
                    kiosk,
                    url,
                    url,
                ),
                messages.WARNING,
            )


# --- Menu ------------------------------------------------------------------------


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "store", "eat_in_rate", "take_away_rate"]
    list_filter = ["store"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "__str__",
        "name_fr",
        "store",
        "position",
        "is_active",
        "available_from",
        "available_until",
    ]
    list_editable = ["position", "is_active"]
    list_filter = ["store", "is_active"]
    search_fields = ["name_en", "name_fr"]


class KitchenNoteForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = KitchenNote
        fields = ["store", "name_en", "name_fr", "categories", "position", "is_active"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        store = data.get("store")
        categories = data.get("categories") or []
        if store is not None and any(c.store_id != store.pk for c in categories):
            self.add_error(
                "categories", _("Choose categories of the note's own store.")
            )
        return data


@admin.register(KitchenNote)
class KitchenNoteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The notes customers tick for the kitchen ("No salt"): a kiosk has no
    keyboard, so the store writes them."""

    form = KitchenNoteForm
    list_display = ["__str__", "name_fr", "store", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["store", "is_active"]
    search_fields = ["name_en", "name_fr"]
    filter_horizontal = ["categories"]


class AllergenFilter(admin.SimpleListFilter):
    title = _("allergen")
    parameter_name = "allergen"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(Allergen.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value in Allergen.values:
            return queryset.filter(allergens__icontains=f'"{value}"')
        return queryset


class ProductModifierGroupInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ProductModifierGroup
    extra = 0
    autocomplete_fields = ["group"]


class ProductVendorPluInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ProductVendorPlu
    extra = 0


class ComboSlotInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ComboSlot
    extra = 0
    fields = ["kind", "name_en", "name_fr", "position"]
    show_change_link = True
    verbose_name_plural = _("combo slots (open one to edit its choices)")


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "thumbnail",
        "__str__",
        "sku",
        "plu",
        "store",
        "category",
        "price_display",
        "is_available",
        "is_active",
    ]
    list_display_links = ["thumbnail", "__str__"]
    list_editable = ["is_available", "is_active"]
    list_filter = [
        "store",
        "kind",
        "is_available",
        "is_active",
        "category",
        AllergenFilter,
    ]
    search_fields = ["sku", "plu", "name_en", "name_fr"]
    list_select_related = ["store", "category"]
    inlines = [ProductModifierGroupInline, ComboSlotInline, ProductVendorPluInline]
    actions = ["mark_sold_out", "mark_available"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "store",
                    "category",
                    "kind",
                    "position",
                    "is_active",
                    "is_available",
                ]
            },
        ),
        (
            _("Names"),
            {"fields": ["name_en", "name_fr", "description_en", "description_fr"]},
        ),
        (_("Codes"), {"fields": ["sku", "plu"]}),
        (_("Price"), {"fields": ["price", "tax_rate"]}),
        (_("Information"), {"fields": ["image", "allergens", "calories"]}),
    ]

    @admin.display(description=_("image"))
    def thumbnail(self, product: Product) -> str:
        if not product.image:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="64" height="48">', product.image.url
        )

    @admin.display(description=_("price"), ordering="price")
    def price_display(self, product: Product) -> str:
        return money(product.price, product.store.currency)

    @admin.action(description=_("Mark sold out"))
    def mark_sold_out(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        count = queryset.update(is_available=False)
        self.message_user(
            request, _("%(count)d product(s) marked sold out.") % {"count": count}
        )

    @admin.action(description=_("Mark available"))
    def mark_available(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        count = queryset.update(is_available=True)
        self.message_user(
            request, _("%(count)d product(s) marked available.") % {"count": count}
        )


class ModifierOptionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ModifierOption
    extra = 0
    fields = [
        "name_en",
        "name_fr",
        "price",
        "sku",
        "plu",
        "position",
        "is_default",
        "is_available",
    ]


@admin.register(ModifierGroup)
class ModifierGroupAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "internal_name",
        "name_en",
        "name_fr",
        "store",
        "min_choices",
        "max_choices",
    ]
    list_filter = ["store"]
    search_fields = ["internal_name", "name_en", "name_fr"]
    inlines = [ModifierOptionInline]


class ComboChoiceInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ComboChoice
    extra = 0
    autocomplete_fields = ["product"]


@admin.register(ComboSlot)
class ComboSlotAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["__str__", "combo", "kind", "position"]
    list_filter = ["kind", "combo__store"]
    search_fields = ["name_en", "name_fr", "combo__name_en", "combo__name_fr"]
    inlines = [ComboChoiceInline]


# --- Orders ----------------------------------------------------------------------


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = [
        "position",
        "parent",
        "kind",
        "name",
        "sku",
        "plu",
        "quantity",
        "unit_price",
        "allocated_price",
        "tax_rate",
        "total",
    ]


class OrderStateChangeInline(ReadOnlyInline):
    model = OrderStateChange
    fields = ["created_at", "from_state", "to_state", "actor", "user", "note"]


class OrderLoyaltyInline(ReadOnlyInline):
    model = OrderLoyalty
    fields = [
        "programme",
        "member_reference",
        "member_first_name",
        "is_verified",
        "points_before",
        "points_earned",
        "balance_after",
    ]
    verbose_name_plural = _("loyalty")


class LoyaltyPostingInline(ReadOnlyInline):
    model = OutboxMessage
    fields = [
        "operation",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "done_at",
    ]
    verbose_name_plural = _("loyalty postings (retry from the actions)")


class PrintJobInline(ReadOnlyInline):
    model = PrintJob
    fields = ["kind", "status", "attempts", "last_error", "created_at", "printed_at"]


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "__str__",
        "store",
        "kiosk",
        "state",
        "payment_method",
        "service_mode",
        "total_display",
        "created_at",
        "paid_at",
        "loyalty_status",
    ]
    list_filter = [
        "state",
        "store",
        "kiosk",
        "payment_method",
        "service_mode",
        "business_date",
    ]
    date_hierarchy = "created_at"
    search_fields = [
        "number",
        "uuid",
        "lines__name",
        "lines__sku",
        "payments__reference",
    ]
    list_select_related = ["store", "kiosk"]
    inlines = [
        OrderLineInline,
        PaymentInline,
        OrderStateChangeInline,
        OrderLoyaltyInline,
        LoyaltyPostingInline,
        PrintJobInline,
    ]
    actions = ["cancel_unpaid", "mark_completed", "refund_paid", "retry_loyalty"]
    readonly_fields = [
        "uuid",
        "store",
        "kiosk",
        "state",
        "service_mode",
        "language",
        "currency",
        "number",
        "business_date",
        "payment_method",
        "total",
        "tax_total",
        "cancel_reason",
        "created_at",
        "submitted_at",
        "paid_at",
        "completed_at",
        "cancelled_at",
        "refunded_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_refund_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("kiosk.refund_order")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Order], search_term: str
    ) -> tuple[QuerySet[Order], bool]:
        # Numbers are integers: searching "12" must not match "112".
        if search_term.isdigit():
            return queryset.filter(number=int(search_term)), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("total"), ordering="total")
    def total_display(self, order: Order) -> str:
        return money(order.total, order.currency)

    @admin.action(description=_("Cancel (unpaid orders only)"))
    def cancel_unpaid(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        for order in queryset:
            try:
                order_cancel(
                    order=order,
                    actor=ActorKind.STAFF,
                    user=staff(request),
                    reason="cancelled in admin",
                )
            except KioskError as err:
                self.message_user(request, f"{order}: {err.message}", messages.ERROR)

    @admin.action(
        description=_(
            "Refund (paid orders only): cards are refunded, "
            "the programme takes the points back"
        ),
        permissions=["refund"],
    )
    def refund_paid(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        refunded = 0
        for order in queryset:
            try:
                card_refunds = order_refund_to_card(
                    order=order,
                    actor=ActorKind.STAFF,
                    user=staff(request),
                    reason="refunded in admin",
                )
            except KioskError as err:
                self.message_user(request, f"{order}: {err.message}", messages.ERROR)
            else:
                refunded += 1
                card_refunds_report(self, request, order, card_refunds)
        if refunded:
            self.message_user(
                request,
                ngettext(
                    "%(count)d order recorded as refunded.",
                    "%(count)d orders recorded as refunded.",
                    refunded,
                )
                % {"count": refunded},
            )

    @admin.action(description=_("Retry loyalty postings now"))
    def retry_loyalty(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        messages_ = OutboxMessage.objects.filter(order__in=queryset).exclude(
            status=OutboxStatus.DONE
        )
        for message in messages_:
            outbox_retry(message=message)
        count = len(messages_)
        self.message_user(
            request,
            ngettext(
                "%(count)d loyalty posting queued again.",
                "%(count)d loyalty postings queued again.",
                count,
            )
            % {"count": count},
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Order]:
        postings = OutboxMessage.objects.filter(operation=OutboxOperation.ORDER_POST)
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("loyalty_outbox", queryset=postings, to_attr="postings")
            )
        )

    @admin.display(description=_("loyalty"))
    def loyalty_status(self, order: Order) -> str:
        postings: list[OutboxMessage] = getattr(order, "postings", [])
        return postings[0].get_status_display() if postings else "—"

    @admin.action(description=_("Mark handed over (paid orders only)"))
    def mark_completed(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        for order in queryset.filter(state=OrderState.PAID):
            order_complete(order=order, actor=ActorKind.STAFF, user=staff(request))


@admin.register(UpsellRule)
class UpsellRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "name",
        "store",
        "kind",
        "trigger",
        "is_active",
        "priority",
        "take_rate",
    ]
    list_filter = ["store", "kind", "trigger", "is_active"]
    list_editable = ["is_active", "priority"]
    search_fields = ["name", "title_en", "title_fr"]
    filter_horizontal = ["trigger_categories", "trigger_products", "offered_products"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[UpsellRule]:
        rules: QuerySet[UpsellRule] = (
            super()
            .get_queryset(request)
            .select_related("store")
            .annotate(
                shown=Count("offers"),
                taken=Count("offers", filter=Q(offers__accepted=True)),
            )
        )
        return rules

    @admin.display(description=_("take rate"), ordering="taken")
    def take_rate(self, rule: Any) -> str:
        if not rule.shown:
            return str(_("not shown yet"))
        text = _("%(accepted)d of %(shown)d (%(rate)s %%)") % {
            "accepted": rule.taken,
            "shown": rule.shown,
            "rate": f"{100 * rule.taken / rule.shown:.1f}",
        }
        url = reverse("admin:kiosk_upselloffer_changelist")
        return format_html('<a href="{}?rule__id__exact={}">{}</a>', url, rule.pk, text)


@admin.register(UpsellOffer)
class UpsellOfferAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """What was offered and answered: read only, the take rate's data."""

    list_display = ["shown_at", "rule", "order", "answer", "accepted_at"]
    list_filter = ["rule__store", "rule", "accepted"]
    date_hierarchy = "shown_at"
    readonly_fields = [f.name for f in UpsellOffer._meta.fields] + ["products"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[UpsellOffer]:
        return super().get_queryset(request).select_related("rule", "order")

    @admin.display(description=_("answer"))
    def answer(self, offer: UpsellOffer) -> str:
        if offer.accepted:
            return str(_("Taken"))
        if offer.declined_at is not None:
            return str(_("Declined"))
        return str(_("No answer"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
