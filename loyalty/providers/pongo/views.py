"""Pongo's merchant set-up pages (staff) and its webhook endpoint."""

from __future__ import annotations

import hmac
import secrets
import time

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kiosk.models import Store
from loyalty.providers.base import LoyaltyError
from loyalty.providers.pongo.merchant import authorize_url
from loyalty.providers.pongo.models import PongoConnection
from loyalty.providers.pongo.setup import (
    pongo_connection_connect,
    pongo_rewards_mapping,
    pongo_store_choose,
    pongo_stores,
    pongo_webhooks_subscribe,
)
from loyalty.providers.pongo.webhooks import WebhookOutcome, pongo_webhook_receive

OAUTH_SESSION_KEY = "loyalty:pongo_oauth"
CHANGE = "loyalty.change_pongoconnection"


def _connection_admin(store: Store) -> str:
    connection = PongoConnection.objects.filter(store=store).first()
    if connection is None:
        return reverse("admin:loyalty_pongoconnection_changelist")
    return reverse("admin:loyalty_pongoconnection_change", args=[connection.pk])


@require_POST
@staff_member_required
@permission_required(CHANGE, raise_exception=True)
def pongo_connect(request: HttpRequest, store_id: int) -> HttpResponse:
    """The merchant starts the connection themselves: off to Pongo's consent page."""
    store = get_object_or_404(Store, pk=store_id)
    state = secrets.token_urlsafe(32)
    request.session[OAUTH_SESSION_KEY] = {"state": state, "store": store.pk}
    callback = request.build_absolute_uri(reverse("loyalty:pongo-callback"))
    return redirect(authorize_url(state=state, redirect_uri=callback))


@require_GET
@staff_member_required
@permission_required(CHANGE, raise_exception=True)
def pongo_callback(request: HttpRequest) -> HttpResponse:
    """Pongo sends the browser back with a code; the state must be the one we sent."""
    pending = request.session.pop(OAUTH_SESSION_KEY, None)
    state = request.GET.get("state", "")
    if not pending or not hmac.compare_digest(str(pending.get("state", "")), state):
        return HttpResponseBadRequest(
            "This connection attempt is not the one started here."
        )
    store = get_object_or_404(Store, pk=pending["store"])
    callback = request.build_absolute_uri(reverse("loyalty:pongo-callback"))
    try:
        connection = pongo_connection_connect(
            store=store, code=request.GET.get("code", ""), redirect_uri=callback
        )
    except LoyaltyError as err:
        messages.error(request, f"Pongo did not connect: {err.message}")
        return redirect(_connection_admin(store))
    messages.success(
        request,
        f"Connected to Pongo ({connection.merchant_name}). Now choose the Pongo store.",
    )
    return redirect("loyalty:pongo-store", store_id=store.pk)


@require_http_methods(["GET", "POST"])
@staff_member_required
@permission_required(CHANGE, raise_exception=True)
def pongo_store(request: HttpRequest, store_id: int) -> HttpResponse:
    """Pick, among the merchant's Pongo stores, the one this store is."""
    store = get_object_or_404(Store, pk=store_id)
    try:
        if request.method == "POST":
            pongo_store_choose(store=store, slug=request.POST.get("slug", ""))
            messages.success(request, "Pongo store saved.")
            return redirect(_connection_admin(store))
        choices = pongo_stores(store=store)
    except (LoyaltyError, ValueError) as err:
        messages.error(request, f"Pongo stores unavailable: {err}")
        return redirect(_connection_admin(store))
    connection = PongoConnection.objects.get(store=store)
    context = {
        "store": store,
        "choices": choices,
        "current": connection.store_slug,
        "title": "Pongo store",
    }
    return render(request, "loyalty/pongo/store.html", context)


@require_GET
@staff_member_required
@permission_required(CHANGE, raise_exception=True)
def pongo_rewards(request: HttpRequest, store_id: int) -> HttpResponse:
    """Each Pongo reward with its SKUs, matched against this store's products."""
    store = get_object_or_404(Store, pk=store_id)
    try:
        mappings = pongo_rewards_mapping(store=store)
    except LoyaltyError as err:
        messages.error(request, f"Pongo rewards unavailable: {err.message}")
        return redirect(_connection_admin(store))
    context = {"store": store, "mappings": mappings, "title": "Pongo rewards"}
    return render(request, "loyalty/pongo/rewards.html", context)


@require_POST
@staff_member_required
@permission_required(CHANGE, raise_exception=True)
def pongo_webhooks(request: HttpRequest, store_id: int) -> HttpResponse:
    store = get_object_or_404(Store, pk=store_id)
    url = request.build_absolute_uri(reverse("loyalty:pongo-webhook", args=[store.pk]))
    try:
        pongo_webhooks_subscribe(store=store, url=url)
    except LoyaltyError as err:
        messages.error(request, f"Pongo refused the subscription: {err.message}")
    else:
        messages.success(request, f"Pongo will send customer updates to {url}.")
    return redirect(_connection_admin(store))


_WEBHOOK_STATUS = {
    WebhookOutcome.ACCEPTED: 200,
    WebhookOutcome.DUPLICATE: 200,
    WebhookOutcome.BAD_SIGNATURE: 401,
    WebhookOutcome.MALFORMED: 400,
    WebhookOutcome.UNKNOWN_STORE: 404,
}


@csrf_exempt
@require_POST
def pongo_webhook(request: HttpRequest, store_id: int) -> HttpResponse:
    """Pongo's signed delivery: verified on the raw bytes, answered fast."""
    outcome = pongo_webhook_receive(
        store_id=store_id,
        raw_body=request.body,
        signature=request.headers.get("Pongo-Signature", ""),
        now=int(time.time()),
    )
    return HttpResponse(
        outcome.value, status=_WEBHOOK_STATUS[outcome], content_type="text/plain"
    )
