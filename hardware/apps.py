from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HardwareConfig(AppConfig):
    name = "hardware"
    verbose_name = _("Hardware")
