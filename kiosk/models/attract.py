"""The attract screen's own content, set in admin per store: the brand and its slides."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kiosk.models.store import Store
from kiosk.models.translated import localized

validate_hex_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$",
    _("Enter a colour as # and six hexadecimal digits, e.g. #D62300."),
)

VIDEO_EXTENSIONS = ["mp4", "webm"]


class AttractBrand(models.Model):
    """The store's colours and logo, on its attract screen."""

    store = models.OneToOneField(
        Store, on_delete=models.CASCADE, related_name="attract_brand"
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        validators=[validate_hex_colour],
        help_text=_("Background of the attract screen, e.g. #D62300."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        validators=[validate_hex_colour],
        help_text=_("The “Touch to order” button, e.g. #FFC72C."),
    )
    logo = models.ImageField(_("logo"), upload_to="attract/", blank=True)

    class Meta:
        verbose_name = _("attract screen brand")
        verbose_name_plural = _("attract screen brands")

    def __str__(self) -> str:
        return str(self.store)


class AttractSlide(models.Model):
    """One picture or short video shown in turn while nobody is ordering."""

    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="attract_slides"
    )
    image = models.ImageField(_("image"), upload_to="attract/", blank=True)
    video = models.FileField(
        _("video"),
        upload_to="attract/",
        blank=True,
        validators=[FileExtensionValidator(VIDEO_EXTENSIONS)],
        help_text=_("A short MP4 or WebM clip, played muted in a loop."),
    )
    headline_en = models.CharField(_("headline (English)"), max_length=80, blank=True)
    headline_fr = models.CharField(_("headline (French)"), max_length=80, blank=True)
    text_en = models.CharField(_("promotion (English)"), max_length=160, blank=True)
    text_fr = models.CharField(_("promotion (French)"), max_length=160, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    starts_on = models.DateField(_("shown from"), null=True, blank=True)
    ends_on = models.DateField(_("shown until"), null=True, blank=True)

    class Meta:
        verbose_name = _("attract screen slide")
        verbose_name_plural = _("attract screen slides")
        ordering = ["store", "position", "id"]

    def __str__(self) -> str:
        return self.headline or f"{self.store} #{self.position}"

    def clean(self) -> None:
        if bool(self.image) == bool(self.video):
            raise ValidationError(
                _("Give the slide an image or a video (one of them).")
            )
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": _("The last day comes before the first one.")}
            )

    @property
    def headline(self) -> str:
        return localized(self, "headline")

    @property
    def text(self) -> str:
        return localized(self, "text")

    def is_shown_on(self, day: date) -> bool:
        return (
            self.is_active
            and (self.starts_on is None or self.starts_on <= day)
            and (self.ends_on is None or day <= self.ends_on)
        )
