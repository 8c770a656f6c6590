from __future__ import annotations

from django.urls import path

from loyalty import views

app_name = "loyalty"

urlpatterns = [
    path(
        "pongo/stores/<int:store_id>/connect/",
        views.pongo_connect,
        name="pongo-connect",
    ),
    path("pongo/callback/", views.pongo_callback, name="pongo-callback"),
    path("pongo/stores/<int:store_id>/store/", views.pongo_store, name="pongo-store"),
    path(
        "pongo/stores/<int:store_id>/rewards/",
        views.pongo_rewards,
        name="pongo-rewards",
    ),
    path(
        "pongo/stores/<int:store_id>/webhooks/",
        views.pongo_webhooks,
        name="pongo-webhooks",
    ),
    path("pongo/webhooks/<int:store_id>/", views.pongo_webhook, name="pongo-webhook"),
]
