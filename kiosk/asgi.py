"""ASGI entry point: HTTP (pages, admin, API, static files) and websockets."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiosk.settings")
# Django must be set up before anything imports models (the routing does).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from channels.sessions import CookieMiddleware  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402
from django.urls import re_path  # noqa: E402

from hardware.routing import device_websocket_urlpatterns  # noqa: E402
from kiosk.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": ASGIStaticFilesHandler(django_asgi_app),
        "websocket": URLRouter(
            [
                # Hardware agents send no Origin: they authenticate with a
                # device token instead, and a browser Origin is refused there.
                *device_websocket_urlpatterns,
                # Browser pages only: the Origin must be one of ALLOWED_HOSTS.
                re_path(
                    r"",
                    AllowedHostsOriginValidator(
                        CookieMiddleware(URLRouter(websocket_urlpatterns))
                    ),
                ),
            ]
        ),
    }
)
