"""The one-time link that binds this browser to a kiosk."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from kiosk.devices import device_cookie_set
from kiosk.services.errors import ProvisioningError
from kiosk.services.provisioning import kiosk_provision


@require_http_methods(["GET", "POST"])
def provision(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (link previews must not spend the link); POST binds."""
    if request.method == "GET":
        return render(request, "kiosk/provision.html", {"token": token})
    try:
        kiosk = kiosk_provision(token=token)
    except ProvisioningError as err:
        return render(
            request, "kiosk/provision.html", {"error": err.message}, status=410
        )
    response = redirect("kiosk:attract")
    device_cookie_set(response, kiosk)
    return response
