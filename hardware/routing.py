from __future__ import annotations

from django.urls import path

from hardware.consumers import DeviceConsumer

# Hardware agents only; config/routing.py keeps this route out of the browser
# pages' Origin validator.
device_websocket_urlpatterns = [
    path("ws/device/", DeviceConsumer.as_asgi()),
]
