"""Each programme's own routes, under /loyalty/<programme>/, from the registry."""

from __future__ import annotations

from django.urls import include, path

from loyalty.providers import provider_modules

app_name = "loyalty"

urlpatterns = [
    path(f"{module.split('.')[-2]}/", include(module))
    for module in provider_modules("urls")
]
