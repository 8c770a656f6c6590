from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxesConfig(AppConfig):
    """Only the management commands that run the sandboxes: no models, no URLs."""

    name = "sandboxes"
    verbose_name = _("Sandboxes")
