"""How many SQL queries each request of a customer's order runs.

    .venv/bin/python bench/queries.py [--sql STEP ...]

A fresh SQLite database in a temporary folder with the demo stores, one kiosk
browser (Django's test client, in this process), one order from start to
reset, twice (the second shows the steady state: templates loaded, caches
warm). Prints JSON: per step the number of queries, how many of them write,
and whether the step wrote the session; and the same for the bare view
(`/healthz/`), the baseline.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import bench_env, demo_prepare  # noqa: E402

KIOSK = "burger-kiosk-1"
WRITES = ("INSERT", "UPDATE", "DELETE")
# `--sql STEP` (repeatable) prints the queries of that step on stderr.
SHOW_SQL = [sys.argv[i + 1] for i, arg in enumerate(sys.argv[:-1]) if arg == "--sql"]


def _steps(product_id: int) -> list[tuple[str, str, str, dict[str, str], bool]]:
    return [
        ("bare view", "GET", "/healthz/", {}, False),
        ("start", "POST", "/start/", {}, False),
        ("service mode", "POST", "/mode/", {"mode": "eat_in"}, False),
        ("menu page", "GET", "/menu/", {}, False),
        ("menu category (htmx)", "GET", "/menu/", {}, True),
        ("product sheet", "GET", f"/product/{product_id}/", {}, False),
        ("sheet preview (htmx)", "POST", f"/product/{product_id}/preview/", {}, True),
        ("add to order", "POST", f"/product/{product_id}/add/", {}, False),
        ("cart page", "GET", "/cart/", {}, False),
        ("checkout page", "GET", "/checkout/", {}, False),
        ("checkout: card", "POST", "/checkout/submit/", {"method": "card"}, False),
        ("payment poll (waiting)", "POST", "/pay/status/", {}, True),
        ("terminal approves", "POST", "/pay/simulate/", {"outcome": "approve"}, True),
        ("payment poll (paid)", "POST", "/pay/status/", {}, True),
        ("confirmation page", "GET", "/done/", {}, False),
        ("reset", "POST", "/reset/", {"reason": "finished"}, False),
    ]


def _one_order(client, product_id: int) -> dict[str, dict[str, object]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    figures: dict[str, dict[str, object]] = {}
    form: dict[str, str] = {}
    for name, method, path, data, htmx in _steps(product_id):
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        payload = {**form, **data} if "product" in path else data
        with CaptureQueriesContext(connection) as captured:
            response = getattr(client, method.lower())(path, payload, **headers)
        if response.status_code >= 400:
            raise RuntimeError(f"{name}: {response.status_code}")
        if name == "product sheet":
            checked = re.findall(
                r'name="(group-\d+)" value="(\d+)"[^>]*checked',
                response.content.decode(),
            )
            form = {"quantity": "1", **dict(checked)}
        sql = [q["sql"] for q in captured.captured_queries]
        if name in SHOW_SQL:
            print(f"-- {name}", *sql, sep="\n", file=sys.stderr)
        figures[name] = {
            "queries": len(sql),
            "writes": sum(1 for s in sql if s.lstrip().upper().startswith(WRITES)),
            "session_written": any(
                "django_session" in s and s.lstrip().upper().startswith(WRITES)
                for s in sql
            ),
            "bytes": len(response.content),
        }
    return figures


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        env = bench_env(data_dir, DJANGO_ALLOWED_HOSTS="testserver")
        demo_prepare(env)
        from django.conf import settings
        from django.test import Client

        from kiosk.devices import device_cookie_value
        from kiosk.models import Kiosk, Product

        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS.append("testserver")
        kiosk = Kiosk.objects.get(code=KIOSK)
        product = Product.objects.get(store=kiosk.store, plu="4102")
        client = Client()
        client.cookies[settings.KIOSK_DEVICE_COOKIE] = device_cookie_value(kiosk)
        _one_order(client, product.pk)
        steady = _one_order(client, product.pk)
    print(
        json.dumps(
            {"benchmark": "queries per request (SQLite, steady state)", **steady},
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
