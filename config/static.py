"""Static files served by daphne with the same security headers as pages.

Django's static handler answers before any middleware runs, so its files
would go out without the policy, HSTS, nosniff and framing headers every page
carries. This handler passes each answer through the response half of the
same security middleware. Behind the reverse proxy of `deploy/`, the proxy
serves `/static/` itself with the same headers.
"""

from __future__ import annotations

from typing import Any

from csp.middleware import CSPMiddleware
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware


def _unused(request: HttpRequest) -> HttpResponse:
    raise AssertionError("only the response half of the middleware runs here")


class SecureStaticFilesHandler(ASGIStaticFilesHandler):
    def __init__(self, application: Any) -> None:
        super().__init__(application)
        self._headers = (
            SecurityMiddleware(_unused),
            CSPMiddleware(_unused),
            XFrameOptionsMiddleware(_unused),
        )

    async def get_response_async(self, request: HttpRequest) -> Any:
        response = await super().get_response_async(request)
        for middleware in self._headers:
            # Typed for HttpResponse, they only set headers: any response will do.
            response = middleware.process_response(request, response)  # type: ignore[arg-type]
        return response
