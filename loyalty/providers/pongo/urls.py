"""Pongo's routes, under /loyalty/pongo/ (names in the `loyalty` namespace)."""

from __future__ import annotations

from django.urls import path

from loyalty.providers.pongo import views

urlpatterns = [
    path("stores/<int:store_id>/connect/", views.pongo_connect, name="pongo-connect"),
    path("callback/", views.pongo_callback, name="pongo-callback"),
    path("stores/<int:store_id>/store/", views.pongo_store, name="pongo-store"),
    path("stores/<int:store_id>/rewards/", views.pongo_rewards, name="pongo-rewards"),
    path(
        "stores/<int:store_id>/webhooks/", views.pongo_webhooks, name="pongo-webhooks"
    ),
    path("webhooks/<int:store_id>/", views.pongo_webhook, name="pongo-webhook"),
]
