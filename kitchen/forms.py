from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class BumpForm(forms.Form):
    """A bump or recall from a station screen, with the screen's id for it."""

    action = forms.ChoiceField(
        choices=[("item", "item"), ("ticket", "ticket"), ("recall", "recall")]
    )
    ticket = forms.IntegerField(min_value=1, required=False)
    item = forms.IntegerField(min_value=1, required=False)
    bump_id = forms.RegexField(regex=r"^[A-Za-z0-9_.:-]{8,64}$")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action in {"item", "ticket"} and not data.get("ticket"):
            raise ValidationError("A bump names its ticket.")
        if action == "item" and not data.get("item"):
            raise ValidationError("An item bump names its item.")
        return data
