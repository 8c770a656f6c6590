"""Admin for RBI: a store's access to the loyalty middleware."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from loyalty.providers.rbi.models import RbiConnection


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
            "pos_operator",
            "matching_id",
            "offers_document",
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
