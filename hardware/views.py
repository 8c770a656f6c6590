"""The development control of the kiosk pages: "scan" a code without a scanner."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from hardware.broadcast import scan_broadcast
from hardware.protocol import MAX_CODE_CHARACTERS
from kiosk.devices import kiosk_from_device_cookie

logger = logging.getLogger(__name__)


@require_POST
def development_scan(request: HttpRequest) -> HttpResponse:
    """Push the code to the kiosk's pages the way the scanner's agent does.

    Exists only while HARDWARE_DEVELOPMENT_CONTROLS is on (the demo).
    """
    if not settings.HARDWARE_DEVELOPMENT_CONTROLS:
        raise Http404
    kiosk = kiosk_from_device_cookie(request.COOKIES.get(settings.KIOSK_DEVICE_COOKIE))
    code = request.POST.get("code", "").strip()
    if kiosk is None or not code or len(code) > MAX_CODE_CHARACTERS:
        return HttpResponse(status=400)
    scan_broadcast(kiosk_id=kiosk.pk, code=code)
    logger.info("development scan", extra={"kiosk": kiosk.pk, "length": len(code)})
    return HttpResponse(status=204)
