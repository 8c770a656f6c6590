"""A list-of-choices model field that works on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChoiceListField(models.JSONField):
    """A JSON list whose items come from a fixed set of choices.

    Shown in forms as check boxes, stored in the order of the choices, so two
    equal selections always compare equal.
    """

    def __init__(
        self,
        *args: Any,
        item_choices: Iterable[tuple[str, Any]] = (),
        **kwargs: Any,
    ) -> None:
        self.item_choices = list(item_choices)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        return name, path, args, kwargs

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        defaults: dict[str, Any] = {
            "choices": self.item_choices,
            "required": not self.blank,
            "label": self.verbose_name,
            "help_text": self.help_text,
            "widget": forms.CheckboxSelectMultiple,
        }
        defaults.update(
            {k: v for k, v in kwargs.items() if k in {"label", "help_text"}}
        )
        return forms.MultipleChoiceField(**defaults)

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        super().validate(value, model_instance)
        if not isinstance(value, list):
            raise ValidationError(_("Expected a list of choices."))
        allowed = {key for key, _label in self.item_choices}
        unknown = [item for item in value if item not in allowed]
        if unknown:
            raise ValidationError(
                _("Unknown choice(s): %(items)s"),
                params={"items": ", ".join(map(str, unknown))},
            )

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if isinstance(value, list):
            value = self.canonical(value)
            setattr(model_instance, self.attname, value)
        return value

    def canonical(self, value: Sequence[str]) -> list[str]:
        order = [key for key, _label in self.item_choices]
        chosen = set(value)
        return [key for key in order if key in chosen]
