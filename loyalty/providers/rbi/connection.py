"""A store's access to RBI's loyalty middleware, as the kiosk's programme connector."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kiosk.models import Store
from loyalty.models.programmes import Programme, StoreLoyalty
from loyalty.providers.base import Member, Payload
from loyalty.providers.rbi.client import Market, RbiClient
from loyalty.providers.rbi.content import OFFERS_SINGLETON, vendor_key
from loyalty.providers.rbi.models import RbiConnection
from loyalty.providers.rbi.provider import RbiProvider, RbiStore

SANITY_PROJECT = "czqk28jt"
# The RBI sandbox's market: its public key, and store 9999.
DEMO_KEY = "rbi-sandbox-kiosk-key"
DEMO_STORE_ID = "9999"


def rbi_base_url(connection: RbiConnection) -> str:
    """https://{reg}-{env}-{brand}-loyalty-middleware.rbictg.com (rbi.md §2)."""
    if settings.RBI_BASE_URL:
        return str(settings.RBI_BASE_URL)
    prefix = f"{connection.region}-" if connection.region else ""
    return f"https://{prefix}{connection.environment}-{connection.brand}-loyalty-middleware.rbictg.com"


def rbi_sanity_url(connection: RbiConnection) -> str:
    dataset = f"{connection.environment}_{connection.brand}_{connection.market.lower()}"
    if settings.RBI_SANITY_URL:
        return str(settings.RBI_SANITY_URL)
    if settings.RBI_BASE_URL:
        return f"{str(settings.RBI_BASE_URL).rstrip('/')}/sanity/v1/graphql/{dataset}/default"
    return f"https://{SANITY_PROJECT}.api.sanity.io/v1/graphql/{dataset}/default"


class RbiConnector:
    label = "RBI"

    def _connection(self, store: Store) -> RbiConnection | None:
        return RbiConnection.objects.filter(store=store).first()

    def is_ready(self, *, store: Store) -> bool:
        connection = self._connection(store)
        return connection is not None and connection.is_ready

    def is_connected(self, *, store: Store) -> bool:
        return self._connection(store) is not None

    def provider(self, *, store: Store) -> RbiProvider:
        connection = RbiConnection.objects.get(store=store)
        market = Market(
            api_key=connection.api_key,
            country=connection.market,
            timezone=store.timezone,
        )
        return RbiProvider(
            client=RbiClient(base_url=rbi_base_url(connection), market=market),
            store=RbiStore(
                store_id=connection.rbi_store_id,
                vendor=connection.supporting_pos.strip(),
                sanity_url=rbi_sanity_url(connection),
                language=(translation.get_language() or store.default_language)[:2],
                country=connection.market,
                operator=connection.pos_operator.strip(),
                matching_id=connection.matching_id.strip(),
                offers_document=connection.offers_document.strip() or OFFERS_SINGLETON,
            ),
        )

    def store_reference(self, *, store: Store) -> str:
        connection = self._connection(store)
        return connection.rbi_store_id if connection is not None else ""

    def plu_vendor(self, *, store: Store) -> str:
        connection = self._connection(store)
        return vendor_key(connection.supporting_pos) if connection is not None else ""

    def connection_refused(self, *, store: Store) -> None:
        RbiConnection.objects.filter(store=store).update(needs_attention=True)

    def mirrored_member(self, *, store: Store, reference: str) -> Member | None:
        return None  # RBI sends the kiosk no member updates

    def admin_status(self, *, store: Store) -> str:
        connection = self._connection(store)
        if connection is None:
            return str(_("RBI connection missing"))
        if connection.needs_attention:
            return str(_("refused by RBI: check the API key"))
        return str(_("RBI store %(store)s") % {"store": connection.rbi_store_id})

    def admin_setup(self, *, store: Store) -> SafeString:
        connection = self._connection(store)
        if connection is None:
            url = reverse("admin:loyalty_rbiconnection_add") + f"?store={store.pk}"
            label = _("Add the RBI connection")
        else:
            url = reverse("admin:loyalty_rbiconnection_change", args=[connection.pk])
            label = _("Edit the RBI connection")
        return format_html(
            '<p>{}</p><p><a class="button" href="{}">{}</a></p>',
            self.admin_status(store=store),
            url,
            label,
        )

    def redact(self, *, payload: Payload) -> Payload:
        return payload  # RBI's bodies name members by their loyalty id only

    def demo_connect(self, *, store: Store) -> None:
        StoreLoyalty.objects.update_or_create(
            store=store, defaults={"programme": Programme.RBI, "is_enabled": True}
        )
        RbiConnection.objects.update_or_create(
            store=store,
            defaults={
                "api_key": DEMO_KEY,
                "region": RbiConnection.Region.EUC1,
                "environment": RbiConnection.Environment.DEV,
                "brand": RbiConnection.Brand.BK,
                "market": "FR",
                "rbi_store_id": DEMO_STORE_ID,
                "supporting_pos": "partner",
                "needs_attention": False,
            },
        )
