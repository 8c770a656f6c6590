from __future__ import annotations

from django.urls import path

from kitchen.consumers import KitchenScreenConsumer

websocket_urlpatterns = [
    path("ws/kitchen/<str:token>/", KitchenScreenConsumer.as_asgi()),
]
