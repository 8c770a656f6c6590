"""The kitchen's routes, under /kitchen/."""

from __future__ import annotations

from django.urls import path

from kitchen import views

app_name = "kitchen"

urlpatterns = [
    path("screen/<str:token>/", views.screen_page, name="screen"),
    path("screen/<str:token>/bump/", views.screen_bump, name="bump"),
    path(
        "screen/<str:token>/orders/<int:kitchen_order_id>/<slug:action>/",
        views.expo_action,
        name="expo-action",
    ),
]
