"""Pongo's records in the kiosk: a store's OAuth connection and the member mirror.

Registered under the `loyalty` app (loyalty/models.py imports them), so their
tables and migrations are the loyalty app's.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from loyalty.crypto import EncryptedTextField


class PongoConnection(models.Model):
    """A store's link to its Pongo merchant, made by the merchant through OAuth."""

    store = models.OneToOneField(
        "kiosk.Store", on_delete=models.CASCADE, related_name="pongo_connection"
    )
    access_token = EncryptedTextField(_("access token"), blank=True)
    merchant_name = models.CharField(_("Pongo merchant"), max_length=120, blank=True)
    store_slug = models.SlugField(
        _("Pongo store"),
        max_length=80,
        blank=True,
        help_text=_("Sent with every order."),
    )
    connected_at = models.DateTimeField(_("connected"), null=True, blank=True)
    needs_reconnect = models.BooleanField(
        _("reconnect needed"), default=False, help_text=_("Pongo refused the token.")
    )
    webhook_id = models.CharField(max_length=40, blank=True)
    webhook_secret = EncryptedTextField(blank=True)

    class Meta:
        app_label = "loyalty"
        verbose_name = _("Pongo connection")
        verbose_name_plural = _("Pongo connections")

    def __str__(self) -> str:
        return f"{self.store} → {self.merchant_name or '?'} / {self.store_slug or '?'}"

    @property
    def is_ready(self) -> bool:
        return bool(self.access_token and self.store_slug and not self.needs_reconnect)


class MirroredMember(models.Model):
    """A member as the programme's last webhook described them.

    Recognises a scanned pass while the programme is slow; the live API stays
    the source of truth for balances and rewards.
    """

    connection = models.ForeignKey(
        PongoConnection, on_delete=models.CASCADE, related_name="members"
    )
    reference = models.CharField(max_length=80)
    first_name = models.CharField(max_length=80, blank=True)
    phone = EncryptedTextField(blank=True)
    points = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "loyalty"
        verbose_name = _("mirrored member")
        verbose_name_plural = _("mirrored members")
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "reference"], name="mirrored_member_unique"
            )
        ]

    def __str__(self) -> str:
        return self.reference
