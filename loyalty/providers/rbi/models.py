"""RBI's records in the kiosk: a store's access to the loyalty middleware.

Registered under the `loyalty` app (loyalty/models.py imports it).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from loyalty.crypto import EncryptedTextField


class RbiConnection(models.Model):
    """A store's access to RBI's loyalty middleware for its market."""

    class Region(models.TextChoices):
        EUC1 = "euc1", "euc1 (EU time zones)"
        APSE1 = "apse1", "apse1 (APAC)"
        EUW3 = "euw3", "euw3 (Iberia)"
        NONE = "", "none (older US/CA hosts)"

    class Environment(models.TextChoices):
        DEV = "dev", "dev"
        STAGING = "staging", "staging"
        QA = "qa", "qa"
        PROD = "prod", "prod"

    class Brand(models.TextChoices):
        BK = "bk", "Burger King"
        PLK = "plk", "Popeyes"
        FHS = "fhs", "Firehouse Subs"

    store = models.OneToOneField(
        "kiosk.Store", on_delete=models.CASCADE, related_name="rbi_connection"
    )
    api_key = EncryptedTextField(
        _("API key"),
        help_text=_("Issued by RBI for this vendor, brand and environment."),
    )
    region = models.CharField(
        _("region"),
        max_length=8,
        choices=Region.choices,
        default=Region.EUC1,
        blank=True,
    )
    environment = models.CharField(
        _("environment"),
        max_length=8,
        choices=Environment.choices,
        default=Environment.STAGING,
    )
    brand = models.CharField(
        _("brand"), max_length=4, choices=Brand.choices, default=Brand.BK
    )
    market = models.CharField(
        _("market country"),
        max_length=2,
        help_text=_("Country code, sent in the x-region header, e.g. FR."),
    )
    rbi_store_id = models.CharField(_("RBI store id"), max_length=20)
    supporting_pos = models.CharField(
        _("POS vendor"),
        max_length=30,
        default="partner",
        help_text=_(
            "Whose PLUs the kiosk sends and receives, as RBI names the vendor "
            "(supportingPos), e.g. partner or ncr. NCR stores get no "
            "personalised offers."
        ),
    )
    pos_operator = models.CharField(
        _("POS operator"),
        max_length=40,
        blank=True,
        help_text=_("Sent as posVendor.operator when given (RBI's operator id)."),
    )
    matching_id = models.CharField(
        _("matching id"),
        max_length=40,
        blank=True,
        help_text=_("Sent as posVendor.matchingId when given (RBI's smgCode)."),
    )
    offers_document = models.CharField(
        _("offers document"),
        max_length=120,
        default="feature-loyalty-offers-ui-singleton",
        help_text=_(
            "The Sanity id of the market's offers page (LoyaltyOffersUI): the "
            "usual one unless RBI gave the market another."
        ),
    )
    needs_attention = models.BooleanField(_("refused by RBI"), default=False)

    class Meta:
        app_label = "loyalty"
        verbose_name = _("RBI connection")
        verbose_name_plural = _("RBI connections")

    def __str__(self) -> str:
        return (
            f"{self.store} → RBI {self.brand}/{self.market} store {self.rbi_store_id}"
        )

    @property
    def is_ready(self) -> bool:
        return bool(
            self.api_key
            and self.rbi_store_id
            and self.market
            and not self.needs_attention
        )
