"""Which loyalty programme a store runs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Programme(models.TextChoices):
    PONGO = "pongo", "Pongo"
    RBI = "rbi", "RBI loyalty (Burger King…)"


class StoreLoyalty(models.Model):
    """The loyalty programme a store runs at its kiosks, if any."""

    store = models.OneToOneField(
        "kiosk.Store", on_delete=models.CASCADE, related_name="loyalty"
    )
    programme = models.CharField(
        _("programme"), max_length=12, choices=Programme.choices, blank=True
    )
    is_enabled = models.BooleanField(
        _("on at the kiosks"),
        default=True,
        help_text=_("Off: kiosks order without loyalty."),
    )

    class Meta:
        verbose_name = _("store loyalty programme")
        verbose_name_plural = _("store loyalty programmes")

    def __str__(self) -> str:
        return f"{self.store} · {self.get_programme_display() or '—'}"
