"""Admin for loyalty: a store's programme and Pongo set-up, postings, consent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from loyalty.models import (
    ConsentEvent,
    MirroredMember,
    OrderLoyalty,
    OutboxMessage,
    OutboxStatus,
    PongoConnection,
    Programme,
    RbiConnection,
    StoreLoyalty,
)
from loyalty.services.outbox import outbox_retry


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _button(url: str, label: str) -> SafeString:
    # Inside the admin's own form: `formaction` posts to the set-up view with its CSRF token.
    return format_html(
        '<button type="submit" class="button" formaction="{}" formnovalidate>{}</button> ',
        url,
        label,
    )


@admin.register(StoreLoyalty)
class StoreLoyaltyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["store", "programme", "is_enabled", "pongo_state"]
    list_filter = ["programme", "is_enabled"]
    readonly_fields = ["pongo_setup"]
    fields = ["store", "programme", "is_enabled", "pongo_setup"]

    @admin.display(description=_("connection"))
    def pongo_state(self, obj: StoreLoyalty) -> str:
        if obj.programme == Programme.RBI:
            rbi = RbiConnection.objects.filter(store=obj.store).first()
            if rbi is None:
                return str(_("RBI connection missing"))
            if rbi.needs_attention:
                return str(_("refused by RBI: check the API key"))
            return str(_("RBI store %(store)s") % {"store": rbi.rbi_store_id})
        connection = PongoConnection.objects.filter(store=obj.store).first()
        if connection is None:
            return "—"
        if connection.needs_reconnect:
            return str(_("reconnect needed"))
        chosen = connection.store_slug or _("store not chosen")
        return f"{connection.merchant_name} / {chosen}"

    @admin.display(description=_("Pongo set-up"))
    def pongo_setup(self, obj: StoreLoyalty) -> SafeString:
        if obj.pk is None or obj.programme != Programme.PONGO:
            return format_html("{}", _("Choose Pongo as the programme and save first."))
        store_id = obj.store_id
        connection = PongoConnection.objects.filter(store=obj.store).first()
        parts = [
            _button(
                reverse("loyalty:pongo-connect", args=[store_id]),
                str(_("Connect Pongo")),
            )
        ]
        if connection is not None and connection.access_token:
            parts += [
                format_html(
                    '<a class="button" href="{}">{}</a> ',
                    reverse("loyalty:pongo-store", args=[store_id]),
                    _("Choose the Pongo store"),
                ),
                format_html(
                    '<a class="button" href="{}">{}</a> ',
                    reverse("loyalty:pongo-rewards", args=[store_id]),
                    _("Reward mapping"),
                ),
                _button(
                    reverse("loyalty:pongo-webhooks", args=[store_id]),
                    str(_("Subscribe to customer webhooks")),
                ),
            ]
        status = self.pongo_state(obj)
        return format_html(
            "<p>{}</p><p>{}</p>",
            status,
            format_html_join("", "{}", ((part,) for part in parts)),
        )


class RbiConnectionForm(forms.ModelForm):  # type: ignore[type-arg]
    """The API key is typed, never shown back; empty keeps the stored one."""

    api_key = forms.CharField(
        label=_("API key"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Issued by RBI for this vendor, brand and environment. Leave empty to keep it."
        ),
    )

    class Meta:
        model = RbiConnection
        fields = [
            "store",
            "api_key",
            "region",
            "environment",
            "brand",
            "market",
            "rbi_store_id",
            "supporting_pos",
            "needs_attention",
        ]

    def clean_api_key(self) -> str:
        typed = str(self.cleaned_data.get("api_key") or "")
        if not typed and self.instance.pk:
            return str(self.instance.api_key)
        if not typed:
            raise forms.ValidationError(_("Enter the API key RBI issued."))
        return typed


@admin.register(RbiConnection)
class RbiConnectionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = RbiConnectionForm
    list_display = [
        "store",
        "brand",
        "environment",
        "market",
        "rbi_store_id",
        "supporting_pos",
        "needs_attention",
    ]
    list_filter = ["brand", "environment", "needs_attention"]


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


@admin.register(MirroredMember)
class MirroredMemberAdmin(ReadOnlyAdmin):
    list_display = ["reference", "first_name", "points", "connection", "updated_at"]
    search_fields = ["reference", "first_name"]
    exclude = ["phone"]
