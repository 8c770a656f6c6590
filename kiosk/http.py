"""Typed requests of the kiosk's views."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from kiosk.models import Kiosk, Order


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class KioskRequest(HtmxRequest):
    """A request from a browser bound to a kiosk (see KioskDeviceMiddleware)."""

    kiosk: Kiosk


class OrderRequest(KioskRequest):
    """A kiosk request with the customer's current order (see `with_order`)."""

    order: Order


class StaffRequest(HtmxRequest):
    user: User
