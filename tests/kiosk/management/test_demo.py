from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from kiosk.models import Kiosk
from kiosk.services.provisioning import kiosk_provision
from tests.processes import free_port

ROOT = Path(__file__).resolve().parents[3]
LINK = re.compile(
    r"Kiosk “(?P<kiosk>[^”]+)”: open http://[^/]+/provision/(?P<token>[\w-]+)/"
)


@pytest.mark.django_db
def test_it_prints_a_working_provisioning_link_per_kiosk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    output = io.StringIO()

    call_command("demo", "--no-serve", stdout=output)

    links = {m["kiosk"]: m["token"] for m in LINK.finditer(output.getvalue())}
    kiosks = {str(kiosk): kiosk for kiosk in Kiosk.objects.select_related("store")}
    assert sorted(links) == sorted(kiosks)
    assert len(links) == 2
    for name, token in links.items():
        assert kiosk_provision(token=token).pk == kiosks[name].pk


@pytest.mark.django_db
def test_it_creates_the_demo_users_it_prints(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    output = io.StringIO()

    call_command("demo", "--no-serve", stdout=output)

    assert "/admin/   (admin / admin)" in output.getvalue()
    assert "/counter/ (counter / counter)" in output.getvalue()
    admin = authenticate(username="admin", password="admin")
    counter = authenticate(username="counter", password="counter")
    assert admin is not None
    assert admin.is_superuser
    assert counter is not None
    assert not counter.is_superuser
    assert counter.has_perm("kiosk.confirm_counter_payment")


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
        return response.status, response.read()


def test_it_serves_from_a_fresh_data_folder_and_stops_on_ctrl_c(tmp_path):
    """What `make demo` runs, from nothing: migrate, load, serve, Ctrl-C."""
    port = free_port()
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL"}
        },
        "KIOSK_DATA_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    demo = subprocess.Popen(
        [sys.executable, "manage.py", "demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        status = None
        while time.monotonic() < deadline and status is None:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/admin/login/")
            except OSError:
                assert demo.poll() is None, (
                    demo.stdout.read().decode() if demo.stdout else ""
                )
                time.sleep(0.25)
        assert status == 200
        css_status, css = _get(f"http://127.0.0.1:{port}/static/kiosk/css/kiosk.css")
        assert (css_status, css[:2]) == (200, b"/*")

        demo.send_signal(signal.SIGINT)
        assert demo.wait(timeout=15) == 0
    finally:
        if demo.poll() is None:
            demo.kill()
    output = demo.stdout.read().decode() if demo.stdout else ""
    assert "Press Ctrl-C to stop." in output
    assert "web | stopped" in output
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    assert (tmp_path / "db.sqlite3").exists()
