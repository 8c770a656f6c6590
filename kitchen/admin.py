"""Admin for managers: stations, their screens' links, the kitchen's orders,
and preparation times per product and per hour."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from kiosk.models import Store
from kitchen.models import KitchenOrder, KitchenTicket, Screen, Station
from kitchen.selectors import preparation_times
from kitchen.services.screens import screen_token_rotate

REPORT_DAYS = (1, 7, 30)


class StationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Station
        fields = [
            "store",
            "name",
            "categories",
            "takes_unrouted",
            "target_seconds",
            "printer",
            "position",
            "is_active",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        store = data.get("store")
        categories = data.get("categories") or []
        if store is not None and any(c.store_id != store.pk for c in categories):
            self.add_error(
                "categories", _("Choose categories of the station's own store.")
            )
        printer = data.get("printer")
        if (
            store is not None
            and printer is not None
            and printer.owner_store_id != store.pk
        ):
            self.add_error("printer", _("This printer is in another store."))
        return data


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = StationForm
    list_display = ["name", "store", "target_seconds", "takes_unrouted", "is_active"]
    list_filter = ["store", "is_active"]
    filter_horizontal = ["categories"]
    change_list_template = "admin/kitchen/station/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        report = path(
            "preparation-times/",
            self.admin_site.admin_view(self.preparation_times_view),
            name="kitchen_preparation_times",
        )
        return [report, *super().get_urls()]

    def preparation_times_view(self, request: HttpRequest) -> HttpResponse:
        store_id = _int(request.GET.get("store"))
        days = _int(request.GET.get("days")) or 7
        if days not in REPORT_DAYS:
            days = 7
        per_product, per_hour = preparation_times(store_id=store_id, days=days)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preparation times"),
            "stores": Store.objects.order_by("name"),
            "store_id": store_id,
            "days": days,
            "day_choices": REPORT_DAYS,
            "per_product": per_product,
            "per_hour": per_hour,
        }
        return render(request, "admin/kitchen/preparation_times.html", context)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@admin.register(Screen)
class ScreenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "store", "kind", "station", "token_created_at"]
    list_filter = ["store", "kind"]
    actions = ["new_link"]

    @admin.action(description=_("Make a new link (the previous one stops working)"))
    def new_link(self, request: HttpRequest, queryset: QuerySet[Screen]) -> None:
        for screen in queryset:
            token = screen_token_rotate(screen=screen)
            url = request.build_absolute_uri(reverse("kitchen:screen", args=[token]))
            messages.success(request, f"{screen}: {url}")


class KitchenTicketInline(admin.TabularInline):  # type: ignore[type-arg]
    model = KitchenTicket
    extra = 0
    can_delete = False
    fields = ("station", "state", "created_at", "started_at", "bumped_at", "voided_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(KitchenOrder)
class KitchenOrderAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["number", "store", "state", "paid_at", "ready_at", "handed_over_at"]
    list_filter = ["store", "state"]
    inlines = [KitchenTicketInline]
    readonly_fields = [
        "order",
        "store",
        "number",
        "service_mode",
        "state",
        "paid_at",
        "ready_at",
        "handed_over_at",
        "voided_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
