"""Per-language text fields: `name_en`, `name_fr`, read through `localized()`."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def localized(obj: object, field: str, language: str | None = None) -> str:
    """The text of `field` in the active language, else the first one filled in."""
    code = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    value = getattr(obj, f"{field}_{code}", "")
    if value:
        return str(value)
    for other in LANGUAGE_CODES:
        value = getattr(obj, f"{field}_{other}", "")
        if value:
            return str(value)
    return ""


class TranslatedNameMixin:
    """Gives `name` (and `description` where present) in the active language."""

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")
