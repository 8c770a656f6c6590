"""What customers were asked and answered about marketing."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from loyalty.models.programmes import Programme


class ConsentChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class ConsentEvent(models.Model):
    """What a person was asked and answered about marketing (append-only).

    GDPR Art. 7(1): the controller must be able to demonstrate consent.
    """

    subject_hash = models.CharField(max_length=64, db_index=True)
    channel = models.CharField(max_length=8, choices=ConsentChannel.choices)
    is_granted = models.BooleanField(_("granted"))
    wording = models.TextField(_("wording shown"))
    wording_hash = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    store = models.ForeignKey("kiosk.Store", on_delete=models.PROTECT, related_name="+")
    kiosk = models.ForeignKey(
        "kiosk.Kiosk", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    programme = models.CharField(max_length=12, choices=Programme.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        answer = "granted" if self.is_granted else "declined"
        return f"{self.channel} {answer} {self.created_at:%Y-%m-%d %H:%M}"
