"""`make demo`: migrate, load the demo stores, provision their kiosks, serve."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from hardware.demo import (
    hardware_demo_devices,
    hardware_demo_instructions,
    hardware_demo_processes,
    hardware_demo_setup,
)
from kiosk.demo.loader import demo_load
from kiosk.demo.payments import (
    payments_demo_instructions,
    payments_demo_processes,
    payments_demo_setup,
)
from kiosk.demo.supervisor import PortNeed, ProcessSpec, Supervisor
from kiosk.models import Kiosk
from kiosk.services.provisioning import kiosk_provisioning_create
from loyalty.demo import (
    loyalty_demo_instructions,
    loyalty_demo_processes,
    loyalty_demo_sandbox_env,
    loyalty_demo_setup,
)

DEMO_USERS = {
    # username: (password, superuser)
    "admin": ("admin", True),
    "counter": ("counter", False),
}


def demo_processes(*, host: str, port: int) -> list[ProcessSpec]:
    """Every process of a one-box kiosk, run under one supervisor."""
    python = sys.executable
    return [
        ProcessSpec(
            name="web",
            command=[
                python,
                "-m",
                "daphne",
                "-b",
                host,
                "-p",
                str(port),
                "config.asgi:application",
            ],
            # The kiosk pages get a field to "scan" a code by hand.
            env={"HARDWARE_DEVELOPMENT_CONTROLS": "1"},
            ports=[PortNeed(port, "the kiosk's web server", "KIOSK_DEMO_PORT", host)],
        ),
        ProcessSpec(name="payments", command=[python, "manage.py", "payments_worker"]),
        *loyalty_demo_processes(),
        *payments_demo_processes(web_base=f"http://{_loopback(host)}:{port}"),
        *hardware_demo_processes(host=host, port=port),
    ]


def _loopback(host: str) -> str:
    """The address the sandboxes reach the web server at."""
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


def demo_users_ensure() -> None:
    permission = Permission.objects.get(codename="confirm_counter_payment")
    for username, (password, is_superuser) in DEMO_USERS.items():
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": is_superuser}
        )
        if created:
            user.set_password(password)
            user.save()
        user.user_permissions.add(permission)


class Command(BaseCommand):
    help = "Run the demo: two stores with a kiosk each, on 127.0.0.1:8000 by default."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.DEMO_HOST)
        parser.add_argument("--port", type=int, default=settings.DEMO_PORT)
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Prepare and print the links, then exit.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        # The kiosk, its workers and the demo stores' connections talk to the
        # sandboxes started here, on whatever ports they were given.
        sandbox_env = loyalty_demo_sandbox_env(dict(os.environ))
        os.environ.update(sandbox_env)
        for name, url in sandbox_env.items():
            setattr(settings, name, url)
        call_command("migrate", interactive=False, verbosity=0)
        stores = demo_load()
        loyalty_demo_setup()
        payments_demo_setup()
        demo_users_ensure()
        base = f"http://{host}:{port}"
        self.stdout.write(self.style.SUCCESS("Demo ready."))
        kiosks = (
            Kiosk.objects.filter(store__in=stores)
            .select_related("store")
            .order_by("pk")
        )
        # Each browser origin keeps its own device cookie: opening the second
        # kiosk on "localhost" lets one browser show both kiosks side by side.
        hosts = [host, "localhost" if host == "127.0.0.1" else host]
        for index, kiosk in enumerate(kiosks):
            token = kiosk_provisioning_create(kiosk=kiosk)
            origin = f"http://{hosts[min(index, 1)]}:{port}"
            self.stdout.write(f"  Kiosk “{kiosk}”: open {origin}/provision/{token}/")
        self.stdout.write(f"  Admin:   {base}/admin/   (admin / admin)")
        self.stdout.write(f"  Counter: {base}/counter/ (counter / counter)")
        for line in payments_demo_instructions():
            self.stdout.write(line)
        for line in loyalty_demo_instructions():
            self.stdout.write(line)
        # The kitchen is built on the kiosk, which never imports it: its demo
        # (stations, screens, their links, the kitchen printer) is its own
        # command, run before the devices are listed.
        if apps.is_installed("kitchen"):
            call_command("kitchen_demo", base=base, stdout=self.stdout)
        for line in hardware_demo_instructions(hardware_demo_devices()):
            self.stdout.write(line)
        if options["no_serve"]:
            return
        hardware_demo_setup()
        self.stdout.write("Press Ctrl-C to stop.")
        code = Supervisor(demo_processes(host=host, port=port)).run()
        if code:
            sys.exit(code)
