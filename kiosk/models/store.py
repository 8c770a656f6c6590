"""Stores and their kiosks, and the one-time links that bind a browser to a kiosk."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, tzinfo

from babel.numbers import list_currencies
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiosk.fields import ChoiceListField
from kiosk.models.translated import localized


class ServiceMode(models.TextChoices):
    EAT_IN = "eat_in", _("Eat in")
    TAKE_AWAY = "take_away", _("Take away")


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as err:
        raise ValidationError(
            _("Unknown time zone: %(value)s"), params={"value": value}
        ) from err


def validate_currency(value: str) -> None:
    if value not in list_currencies():
        raise ValidationError(
            _("Unknown currency code: %(value)s"), params={"value": value}
        )


class Store(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True)
    currency = models.CharField(
        _("currency"), max_length=3, default="EUR", validators=[validate_currency]
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Paris",
        validators=[validate_timezone],
    )
    country = models.CharField(
        _("country"), max_length=2, default="FR", help_text=_("ISO 3166 code, e.g. FR.")
    )
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    languages = ChoiceListField(_("languages offered"), item_choices=settings.LANGUAGES)
    service_modes = ChoiceListField(
        _("service modes"), item_choices=ServiceMode.choices
    )
    address = models.TextField(
        _("address"), blank=True, help_text=_("Printed on receipts.")
    )
    is_ordering_open = models.BooleanField(
        _("ordering open"),
        default=True,
        help_text=_(
            "When off, kiosks show “Ordering closed: please order at the counter”."
        ),
    )
    pos_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    pos_token_created_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.default_language not in self.languages:
            raise ValidationError(
                {
                    "languages": _(
                        "The default language must be one of the languages offered."
                    )
                }
            )
        if not self.service_modes:
            raise ValidationError(
                {"service_modes": _("Offer at least one service mode.")}
            )

    @property
    def tz(self) -> tzinfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local_now(self, now: datetime | None = None) -> datetime:
        return (now or timezone.now()).astimezone(self.tz)

    def business_date(self, now: datetime | None = None) -> date:
        return self.local_now(now).date()


class Kiosk(models.Model):
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="kiosks")
    name = models.CharField(_("name"), max_length=80)
    code = models.SlugField(
        _("device code"),
        unique=True,
        help_text=_("Short identifier sent to outside systems, e.g. kiosk-02."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    terminal_location_en = models.CharField(
        _("where the card reader is (English)"),
        max_length=160,
        blank=True,
        help_text=_(
            "Shown on the payment screen, e.g. “The card reader is below the "
            "screen, on your right.” Empty: a general sentence."
        ),
    )
    terminal_location_fr = models.CharField(
        _("where the card reader is (French)"), max_length=160, blank=True
    )
    # Bumped by every new provisioning: browsers bound before it lose their binding.
    device_generation = models.PositiveIntegerField(default=0, editable=False)
    provisioned_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kiosk")
        verbose_name_plural = _("kiosks")
        ordering = ["store__name", "name"]

    def __str__(self) -> str:
        return f"{self.store.name} · {self.name}"

    @property
    def terminal_location(self) -> str:
        """Where the customer finds the card reader, in the active language."""
        return localized(self, "terminal_location") or str(
            _("The card reader is just below the screen.")
        )


class KioskProvisioning(models.Model):
    """A one-time link that binds one browser to a kiosk. Only its hash is kept."""

    kiosk = models.ForeignKey(
        Kiosk, on_delete=models.CASCADE, related_name="provisionings"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("provisioning link")
        verbose_name_plural = _("provisioning links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kiosk} ({self.created_at:%Y-%m-%d %H:%M})"
