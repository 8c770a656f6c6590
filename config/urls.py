"""The site's URLs: each app's routes under its prefix, admin and media."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve

from config.health import healthz
from kiosk.urls import (
    counter_patterns,
    kiosk_patterns,
    payment_patterns,
    pos_patterns,
    provisioning_patterns,
)

urlpatterns = [
    path("", include((kiosk_patterns, "kiosk"))),
    *provisioning_patterns,
    path("counter/", include((counter_patterns, "counter"))),
    path("api/pos/v1/", include((pos_patterns, "pos"))),
    path("payments/", include((payment_patterns, "payments"))),
    path("loyalty/", include("loyalty.urls")),
    path("hardware/", include("hardware.urls")),
    path("kitchen/", include("kitchen.urls")),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    # Pages without an icon of their own (admin) make browsers ask for this.
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("kiosk/img/favicon.svg"), permanent=True),
    ),
    # Product images uploaded in admin; a kiosk serves its own files.
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]

# A browser bound to a kiosk gets the kiosk's error screen, with its way back.
handler404 = "kiosk.views.errors.page_not_found"
handler500 = "kiosk.views.errors.server_error"
