"""Admin of payments: each kiosk's terminal, the attempts and their card refunds,
and the day's reconciliation against the terminals."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from kiosk.admin.base import ReadOnlyInline, money
from kiosk.models import (
    CardRefund,
    KioskTerminal,
    Order,
    Payment,
    RefundStatusChoice,
)
from kiosk.services.reconciliation import (
    reconciliation_default_day,
    reconciliation_for_day,
)
from kiosk.services.terminals import terminal_check

RECONCILIATION_PERMISSION = "kiosk.view_payment"


def card_refunds_report(
    model_admin: admin.ModelAdmin,  # type: ignore[type-arg]
    request: HttpRequest,
    order: Order,
    refunds: list[CardRefund],
) -> None:
    """Tell staff what went back to cards, and what they must give back themselves."""
    for refund in refunds:
        amount = money(refund.amount, refund.currency)
        if refund.status == RefundStatusChoice.SUCCEEDED:
            model_admin.message_user(
                request,
                _("%(order)s: %(amount)s refunded to the card.")
                % {"order": order, "amount": amount},
            )
        elif refund.status == RefundStatusChoice.PENDING:
            model_admin.message_user(
                request,
                _("%(order)s: the card refund of %(amount)s is pending: %(message)s")
                % {"order": order, "amount": amount, "message": refund.message},
                messages.WARNING,
            )
        else:
            model_admin.message_user(
                request,
                _(
                    "%(order)s: the card refund of %(amount)s was refused "
                    "(%(message)s). Refund by other means."
                )
                % {"order": order, "amount": amount, "message": refund.message},
                messages.ERROR,
            )


# --- Payments ----------------------------------------------------------------------


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = [
        "channel",
        "status",
        "amount",
        "reference",
        "card_brand",
        "masked_pan",
        "auth_code",
        "message",
        "user",
        "created_at",
        "finished_at",
    ]


class CardRefundInline(ReadOnlyInline):
    model = CardRefund
    fields = [
        "status",
        "amount",
        "reference",
        "message",
        "tries",
        "created_at",
        "last_tried_at",
        "finished_at",
    ]


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "order",
        "channel",
        "status",
        "amount",
        "card_brand",
        "masked_pan",
        "reference",
        "created_at",
        "finished_at",
    ]
    list_filter = ["channel", "status", "order__store"]
    search_fields = [
        "attempt_key",
        "reference",
        "transaction_reference",
        "order__number",
    ]
    readonly_fields = [f.name for f in Payment._meta.fields]
    inlines = [CardRefundInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "order",
                    "attempt_key",
                    "channel",
                    "status",
                    "amount",
                    "currency",
                    "reference",
                    "message",
                    "user",
                ]
            },
        ),
        (
            _("Card"),
            {
                "fields": [
                    "card_brand",
                    "masked_pan",
                    "application_label",
                    "aid",
                    "auth_code",
                    "entry_mode",
                    "transaction_reference",
                ]
            },
        ),
        (
            _("Terminal"),
            {"fields": ["kiosk_terminal", "terminal_vendor", "terminal_id"]},
        ),
        (_("Times"), {"fields": ["created_at", "started_at", "finished_at"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- Terminals ---------------------------------------------------------------------


class KioskTerminalForm(forms.ModelForm):  # type: ignore[type-arg]
    """The terminal's settings; its secrets are written, never shown back."""

    endpoint = forms.URLField(
        label=_("endpoint"),
        required=False,
        assume_scheme="https",
        help_text=KioskTerminal._meta.get_field("endpoint").help_text,
    )
    new_credentials = forms.CharField(
        label=_("credentials"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=_(
            'A JSON object of secrets: Adyen {"api_key": "…"}; Stripe '
            '{"secret_key": "sk_…", "webhook_secret": "whsec_…"}. Stored '
            "encrypted and never shown again; leave empty to keep the stored ones."
        ),
    )

    class Meta:
        model = KioskTerminal
        fields = [
            "kiosk",
            "vendor",
            "terminal_id",
            "environment",
            "endpoint",
            "options",
            "is_active",
        ]

    def clean_new_credentials(self) -> dict[str, str] | None:
        raw: str = self.cleaned_data["new_credentials"]
        if not raw:
            return None
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if not isinstance(data, dict) or not all(
            isinstance(value, str) for value in data.values()
        ):
            raise ValidationError(
                _('Give a JSON object of texts, e.g. {"api_key": "…"}.')
            )
        return {str(key): value for key, value in data.items()}

    def save(self, commit: bool = True) -> KioskTerminal:
        terminal: KioskTerminal = super().save(commit=False)
        credentials = self.cleaned_data.get("new_credentials")
        if credentials is not None:
            terminal.credentials = credentials
        if commit:
            terminal.save()
        return terminal


@admin.register(KioskTerminal)
class KioskTerminalAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = KioskTerminalForm
    change_list_template = "admin/kiosk/kioskterminal/change_list.html"
    list_display = [
        "kiosk",
        "vendor",
        "terminal_id",
        "environment",
        "is_active",
        "last_check_ok",
        "last_check_at",
    ]
    list_filter = ["vendor", "environment", "is_active", "kiosk__store"]
    search_fields = ["terminal_id", "kiosk__name", "kiosk__code"]
    list_select_related = ["kiosk__store"]
    readonly_fields = [
        "stored_credentials",
        "last_check_at",
        "last_check_ok",
        "last_check_detail",
    ]
    fieldsets = [
        (None, {"fields": ["kiosk", "vendor", "terminal_id", "environment"]}),
        (
            _("Connection"),
            {
                "fields": [
                    "endpoint",
                    "stored_credentials",
                    "new_credentials",
                    "options",
                    "is_active",
                ]
            },
        ),
        (
            _("Last test"),
            {"fields": ["last_check_at", "last_check_ok", "last_check_detail"]},
        ),
    ]
    actions = ["test_terminal"]

    @admin.display(description=_("stored credentials"))
    def stored_credentials(self, terminal: KioskTerminal) -> str:
        names = sorted(terminal.credentials)
        if not names:
            return str(_("none"))
        return str(_("stored, encrypted: %(names)s") % {"names": ", ".join(names)})

    @admin.action(description=_("Test the terminal"))
    def test_terminal(
        self, request: HttpRequest, queryset: QuerySet[KioskTerminal]
    ) -> None:
        for terminal in queryset.select_related("kiosk"):
            result = terminal_check(terminal=terminal)
            self.message_user(
                request,
                f"{terminal}: {result.detail}",
                messages.SUCCESS if result.ok else messages.ERROR,
            )

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "reconciliation/",
                self.admin_site.admin_view(self.reconciliation_view),
                name="kiosk_reconciliation",
            )
        ]
        return own + super().get_urls()

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "reconciliation_url": reverse("admin:kiosk_reconciliation"),
        }
        return super().changelist_view(request, extra_context)

    def reconciliation_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm(RECONCILIATION_PERMISSION):
            raise PermissionDenied
        day = _day(request.GET.get("day", "")) or reconciliation_default_day()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Card reconciliation"),
            "opts": self.model._meta,
            "day": day,
            "reconciliation": reconciliation_for_day(day=day),
        }
        return TemplateResponse(request, "admin/kiosk/reconciliation.html", context)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
