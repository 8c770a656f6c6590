"""Admin for loyalty: a store's programme, postings, order loyalty, consent.

Each programme's own admin pages (connections, set-up) live in its folder and
are registered from the PROVIDERS registry below.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from loyalty.admin_base import ReadOnlyAdmin
from loyalty.models import (
    ConsentEvent,
    OrderLoyalty,
    OutboxMessage,
    OutboxStatus,
    StoreLoyalty,
)
from loyalty.programmes import programme_connector
from loyalty.providers import PROVIDERS, provider_modules
from loyalty.services.outbox import outbox_retry

for _module in provider_modules("admin"):
    import_module(_module)


@admin.register(StoreLoyalty)
class StoreLoyaltyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["store", "programme", "is_enabled", "connection_state"]
    list_filter = ["programme", "is_enabled"]
    readonly_fields = ["setup"]
    fields = ["store", "programme", "is_enabled", "setup"]

    @admin.display(description=_("connection"))
    def connection_state(self, obj: StoreLoyalty) -> str:
        if obj.programme not in PROVIDERS:
            return "—"
        return programme_connector(obj.programme).admin_status(store=obj.store)

    @admin.display(description=_("set-up"))
    def setup(self, obj: StoreLoyalty) -> SafeString:
        if obj.pk is None or obj.programme not in PROVIDERS:
            return format_html("{}", _("Choose the programme and save first."))
        return programme_connector(obj.programme).admin_setup(store=obj.store)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = [
        "order",
        "programme",
        "operation",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "done_at",
    ]
    list_filter = ["status", "operation", "programme"]
    search_fields = ["order__number", "idempotency_key", "last_error"]
    actions = ["retry_now"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.has_perm("loyalty.change_outboxmessage"))

    @admin.action(description=_("Retry now"))
    def retry_now(
        self, request: HttpRequest, queryset: QuerySet[OutboxMessage]
    ) -> None:
        count = 0
        for message in queryset.exclude(status=OutboxStatus.DONE):
            outbox_retry(message=message)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d posting queued again.",
                "%(count)d postings queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(OrderLoyalty)
class OrderLoyaltyAdmin(ReadOnlyAdmin):
    list_display = [
        "order",
        "programme",
        "member_reference",
        "member_first_name",
        "is_verified",
        "points_earned",
        "balance_after",
    ]
    list_filter = ["programme", "is_verified"]
    search_fields = ["member_reference", "order__number"]
    exclude = ["member_phone"]


@admin.register(ConsentEvent)
class ConsentEventAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "channel",
        "is_granted",
        "language",
        "store",
        "kiosk",
        "programme",
    ]
    list_filter = ["channel", "is_granted", "store", "programme"]
    search_fields = ["subject_hash"]
