from __future__ import annotations

from django.urls import path

from kiosk.consumers import KioskConsumer

websocket_urlpatterns = [
    path("ws/kiosk/", KioskConsumer.as_asgi()),
]
