"""The files of deploy/ name what exists and say what the product says."""

from __future__ import annotations

import configparser
import importlib
import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from csp.utils import build_policy
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path)
    return parser


def _directives(policy: str) -> dict[str, str]:
    parts = [p.strip() for p in policy.split(";") if p.strip()]
    return {p.split(" ", 1)[0]: p.split(" ", 1)[1] for p in parts}


def _assert_runs_something_real(argv: list[str]) -> None:
    if "manage.py" in argv:
        command = argv[argv.index("manage.py") + 1]
        assert command in get_commands(), f"no management command {command!r}"
    elif "-m" in argv:
        importlib.import_module(argv[argv.index("-m") + 1])
    elif Path(argv[0]).name == "daphne":
        module, _, attribute = argv[-1].partition(":")
        assert hasattr(importlib.import_module(module), attribute)
    else:
        assert argv[0] == "/usr/bin/chromium", f"unknown program {argv[0]}"


def test_there_are_units_for_the_server_and_the_device():
    names = {path.name for path in UNITS}

    assert {
        "open-kiosk-web@.service",
        "open-kiosk-loyalty-worker@.service",
        "open-kiosk-payments-worker.service",
        "open-kiosk-agent.service",
        "open-kiosk-browser.service",
    } <= names


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_each_unit_restarts_and_runs_a_real_command(path):
    unit = _unit(path)

    assert unit["Service"]["Restart"] == "always"
    _assert_runs_something_real(shlex.split(unit["Service"]["ExecStart"]))


def test_the_target_starts_the_payments_worker_once():
    target = _unit(DEPLOY / "systemd" / "open-kiosk.target")

    assert (
        target["Unit"]["Wants"].split().count("open-kiosk-payments-worker.service") == 1
    )


def test_the_target_starts_units_that_exist():
    target = _unit(DEPLOY / "systemd" / "open-kiosk.target")
    wanted = target["Unit"]["Wants"].split()
    templates = {path.name for path in UNITS}

    assert wanted
    for name in wanted:
        template = re.sub(r"@[^.]*\.service$", "@.service", name)
        assert template in templates


@pytest.mark.parametrize(
    "path",
    [DEPLOY / "proxy" / "Caddyfile", DEPLOY / "proxy" / "nginx.conf"],
    ids=lambda p: p.name,
)
def test_the_proxy_sends_the_pages_own_policy_with_its_files(path):
    text = path.read_text()
    policy = re.search(r'Content-Security-Policy "([^"]+)"', text)

    assert policy is not None
    assert _directives(policy.group(1)) == _directives(
        build_policy(config=settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    )
    for header in ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"):
        assert header in text
    assert "/static/" in text
    assert "/healthz/" in text or "proxy_next_upstream" in text


def test_nginx_passes_websockets_on():
    text = (DEPLOY / "proxy" / "nginx.conf").read_text()

    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text


def test_compose_runs_two_web_processes_two_workers_and_migrates_first():
    compose = yaml.safe_load((DEPLOY / "container" / "compose.yaml").read_text())
    services = compose["services"]

    web = [name for name in services if name.startswith("web")]
    workers = [name for name in services if name.startswith("loyalty-worker")]
    assert len(web) == 2
    assert len(workers) == 2
    for name in workers + ["migrate"]:
        _assert_runs_something_real(services[name]["command"])
    assert services["web1"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert "migrate" in services["migrate"]["command"]


def test_the_example_settings_are_all_read_by_the_product():
    names = [
        line.split("=", 1)[0]
        for line in (DEPLOY / "store.env.example").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    sources = "\n".join(
        p.read_text() for p in (ROOT / "config").glob("*.py")
    ) + "\n".join(p.read_text() for p in (ROOT / "loyalty").rglob("*.py"))

    for name in names:
        base = name.removesuffix("_FILE")
        assert f'"{base}"' in sources, f"{name} is not a setting the product reads"


def test_the_production_settings_pass_djangos_deployment_checks(tmp_path):
    env = {
        # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is no production setting.
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        },
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "KIOSK_DATA_DIR": str(tmp_path),
        "KIOSK_SECRET_KEY": secrets.token_urlsafe(60),
        "KIOSK_TLS": "1",
        "KIOSK_ALLOWED_HOSTS": "kiosk.store.lan",
        "KIOSK_DEBUG": "0",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_the_containers_proxy_is_the_shipped_one_with_the_containers_upstreams():
    shipped = (DEPLOY / "proxy" / "Caddyfile").read_text()
    container = (DEPLOY / "container" / "Caddyfile").read_text()

    assert container == shipped.replace(
        "reverse_proxy 127.0.0.1:8001 127.0.0.1:8002",
        "reverse_proxy web1:8000 web2:8000",
    )
