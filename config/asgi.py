"""ASGI entry point: HTTP (pages, admin, API, static files) and websockets."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before anything imports models (the routing does).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from config.routing import websocket_application  # noqa: E402
from config.static import SecureStaticFilesHandler  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": SecureStaticFilesHandler(django_asgi_app),
        "websocket": websocket_application,
    }
)
