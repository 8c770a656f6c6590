from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KitchenConfig(AppConfig):
    name = "kitchen"
    verbose_name = _("Kitchen")

    def ready(self) -> None:
        # The kiosk sends its order signals; the kitchen listens (the kiosk
        # never imports the kitchen).
        from kitchen import receivers

        receivers.connect()
