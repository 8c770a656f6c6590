"""Terminal vendors' webhooks (`POST /payments/<vendor>/webhook/`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kiosk.services.notices import NoticeOutcome, payment_terminal_notified

_STATUS = {
    NoticeOutcome.ACCEPTED: 200,
    NoticeOutcome.IGNORED: 200,
    NoticeOutcome.REFUSED: 400,
    NoticeOutcome.UNKNOWN_VENDOR: 404,
}


@csrf_exempt
@require_POST
def terminal_webhook(request: HttpRequest, vendor: str) -> HttpResponse:
    """A vendor's signed delivery, verified on the raw bytes."""
    outcome = payment_terminal_notified(
        vendor=vendor, body=request.body, headers=request.headers
    )
    return HttpResponse(
        outcome.value, status=_STATUS[outcome], content_type="text/plain"
    )
