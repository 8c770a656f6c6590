"""Django admin for the attract screen: each store's brand and slides."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kiosk.models import AttractBrand, AttractSlide


@admin.register(AttractBrand)
class AttractBrandAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["store", "primary_colour", "accent_colour"]
    list_select_related = ["store"]
    fields = ["store", "primary_colour", "accent_colour", "logo"]


@admin.register(AttractSlide)
class AttractSlideAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "__str__",
        "store",
        "position",
        "is_active",
        "starts_on",
        "ends_on",
    ]
    list_editable = ["position", "is_active"]
    list_filter = ["store", "is_active"]
    list_select_related = ["store"]
    search_fields = ["headline_en", "headline_fr", "text_en", "text_fr"]
    fieldsets = [
        (None, {"fields": ["store", "image", "video"]}),
        (
            _("Words"),
            {"fields": ["headline_en", "text_en", "headline_fr", "text_fr"]},
        ),
        (
            _("When"),
            {"fields": ["position", "is_active", "starts_on", "ends_on"]},
        ),
    ]
