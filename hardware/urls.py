from __future__ import annotations

from django.urls import path

from hardware import views

app_name = "hardware"

urlpatterns = [
    path("development/scan/", views.development_scan, name="development-scan"),
]
