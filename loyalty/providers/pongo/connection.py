"""A store's Pongo connection, as the kiosk's programme connector."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kiosk.models import Store
from loyalty.models.programmes import Programme, StoreLoyalty
from loyalty.providers.base import Member, Payload
from loyalty.providers.pongo.client import PongoClient
from loyalty.providers.pongo.models import MirroredMember, PongoConnection
from loyalty.providers.pongo.provider import PongoProvider, redact_posting

# The sandbox's fixed token of its French merchant, and the store the demo is.
DEMO_TOKEN = "sandbox-fr-token"  # noqa: S105 (a public sandbox token)
DEMO_STORE_SLUG = "demo-paris-11"


class PongoConnector:
    label = "Pongo"

    def _connection(self, store: Store) -> PongoConnection | None:
        return PongoConnection.objects.filter(store=store).first()

    def is_ready(self, *, store: Store) -> bool:
        connection = self._connection(store)
        return connection is not None and connection.is_ready

    def is_connected(self, *, store: Store) -> bool:
        connection = self._connection(store)
        return connection is not None and bool(connection.access_token)

    def provider(self, *, store: Store) -> PongoProvider:
        connection = self._connection(store)
        token = connection.access_token if connection is not None else ""
        return PongoProvider(client=PongoClient(token=token))

    def store_reference(self, *, store: Store) -> str:
        connection = self._connection(store)
        return connection.store_slug if connection is not None else ""

    def plu_vendor(self, *, store: Store) -> str:
        return ""  # Pongo names products by SKU

    def connection_refused(self, *, store: Store) -> None:
        PongoConnection.objects.filter(store=store).update(needs_reconnect=True)

    def mirrored_member(self, *, store: Store, reference: str) -> Member | None:
        mirrored = MirroredMember.objects.filter(
            connection__store=store, reference=reference
        ).first()
        if mirrored is None:
            return None
        return Member(
            reference=mirrored.reference,
            first_name=mirrored.first_name,
            points=mirrored.points,
            phone=mirrored.phone,
        )

    def admin_status(self, *, store: Store) -> str:
        connection = self._connection(store)
        if connection is None:
            return "—"
        if connection.needs_reconnect:
            return str(_("reconnect needed"))
        chosen = connection.store_slug or _("store not chosen")
        return f"{connection.merchant_name} / {chosen}"

    def admin_setup(self, *, store: Store) -> SafeString:
        connection = self._connection(store)
        parts = [
            _button(
                reverse("loyalty:pongo-connect", args=[store.pk]), _("Connect Pongo")
            )
        ]
        if connection is not None and connection.access_token:
            parts += [
                _link(
                    reverse("loyalty:pongo-store", args=[store.pk]),
                    _("Choose the Pongo store"),
                ),
                _link(
                    reverse("loyalty:pongo-rewards", args=[store.pk]),
                    _("Reward mapping"),
                ),
                _button(
                    reverse("loyalty:pongo-webhooks", args=[store.pk]),
                    _("Subscribe to customer webhooks"),
                ),
            ]
        return format_html(
            "<p>{}</p><p>{}</p>",
            self.admin_status(store=store),
            format_html_join("", "{}", ((part,) for part in parts)),
        )

    def redact(self, *, payload: Payload) -> Payload:
        return redact_posting(payload)

    def demo_connect(self, *, store: Store) -> None:
        StoreLoyalty.objects.update_or_create(
            store=store, defaults={"programme": Programme.PONGO, "is_enabled": True}
        )
        PongoConnection.objects.update_or_create(
            store=store,
            defaults={
                "access_token": DEMO_TOKEN,
                "merchant_name": "Brasserie Démo (sandbox)",
                "store_slug": DEMO_STORE_SLUG,
                "connected_at": timezone.now(),
                "needs_reconnect": False,
            },
        )


def _button(url: str, label: str) -> SafeString:
    # Inside the admin's own form: `formaction` posts to the set-up view with its CSRF token.
    return format_html(
        '<button type="submit" class="button" formaction="{}" formnovalidate>{}</button> ',
        url,
        label,
    )


def _link(url: str, label: str) -> SafeString:
    return format_html('<a class="button" href="{}">{}</a> ', url, label)
