"""The table of the `shared` cache when no Redis is configured."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    shared = settings.CACHES.get("shared", {})
    if shared.get("BACKEND", "").endswith("DatabaseCache"):
        call_command(
            "createcachetable",
            "--database",
            schema_editor.connection.alias,
            verbosity=0,
        )


class Migration(migrations.Migration):
    dependencies = [("loyalty", "0005_order_optins")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
