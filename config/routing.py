"""The site's websocket routes.

Hardware agents send no Origin: they authenticate with a device token, and a
browser Origin is refused there. Browser pages must come from one of
ALLOWED_HOSTS.
"""

from __future__ import annotations

from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from channels.sessions import CookieMiddleware
from django.urls import re_path

from hardware.routing import device_websocket_urlpatterns
from kiosk.routing import websocket_urlpatterns
from kitchen.routing import websocket_urlpatterns as kitchen_websocket_urlpatterns

websocket_application = URLRouter(
    [
        *device_websocket_urlpatterns,
        re_path(
            r"",
            AllowedHostsOriginValidator(
                CookieMiddleware(
                    URLRouter([*websocket_urlpatterns, *kitchen_websocket_urlpatterns])
                )
            ),
        ),
    ]
)
