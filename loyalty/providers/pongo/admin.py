"""Admin for Pongo: a store's OAuth connection and the member mirror."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from loyalty.admin_base import ReadOnlyAdmin
from loyalty.providers.pongo.models import MirroredMember, PongoConnection


@admin.register(PongoConnection)
class PongoConnectionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "store",
        "merchant_name",
        "store_slug",
        "connected_at",
        "needs_reconnect",
    ]
    readonly_fields = [
        "store",
        "merchant_name",
        "store_slug",
        "connected_at",
        "token_state",
        "webhook_id",
    ]
    fields = [
        "store",
        "merchant_name",
        "store_slug",
        "connected_at",
        "needs_reconnect",
        "token_state",
        "webhook_id",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made by the "Connect Pongo" flow

    @admin.display(description=_("access token"))
    def token_state(self, obj: PongoConnection) -> str:
        return str(_("stored, encrypted") if obj.access_token else _("none"))


@admin.register(MirroredMember)
class MirroredMemberAdmin(ReadOnlyAdmin):
    list_display = ["reference", "first_name", "points", "connection", "updated_at"]
    search_fields = ["reference", "first_name"]
    exclude = ["phone"]
