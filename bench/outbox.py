"""How fast the loyalty workers drain the outbox into the Pongo sandbox.

    .venv/bin/python bench/outbox.py [--postings 10000] [--workers 1 2]
                                     [--services]

The Pongo sandbox runs in its own process; the demo brasserie is connected to
it. One order is paid for a member through the kiosk's services, which writes
its posting; the benchmark copies that order and its posting `--postings`
times (each copy its own order uuid, so its own idempotency key), due a few
seconds ahead, then starts `manage.py loyalty_worker` processes (1, then 2)
and times from the moment the postings fall due until none is left. Then it
compares with what the sandbox recorded: a posting the sandbox never got is
lost, one it received more than once is duplicated.

`--services` runs on PostgreSQL (a scratch database made for the run) and
Redis (the kiosk screens hear of each posting through it); without it,
SQLite. Prints JSON: postings per second, lost, duplicated, per worker count.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import SandboxProcess, bench_env, demo_prepare  # noqa: E402
from tests.processes import ChildProcess, scratch_postgres  # noqa: E402

KIOSK = "brasserie-borne-1"
MEMBER = "0622223333"
REDIS = "redis://127.0.0.1:6379/"
# The postings fall due this long after they are written: the workers are up.
HEAD_START_S = 8.0
TIMEOUT_S = 300.0


def _template_order() -> int:
    """Pay one member's order through the services; the id of its order."""
    from kiosk.models import Kiosk, PaymentChannel, Product
    from kiosk.services.cart import cart_line_add
    from kiosk.services.checkout import order_checkout
    from kiosk.services.orders import order_confirm_payment, order_start
    from kiosk.services.selections import LineSelection
    from loyalty.demo import loyalty_demo_setup
    from loyalty.services.identification import loyalty_identify_phone

    loyalty_demo_setup(stores=("brasserie-demo",))
    kiosk = Kiosk.objects.select_related("store").get(code=KIOSK)
    order = order_start(kiosk=kiosk, language="fr")
    order.service_mode = "eat_in"
    order.save()
    loyalty_identify_phone(order=order, digits=MEMBER, country="FR")
    cookie = Product.objects.get(store=order.store, sku="SKU-COOKIE")
    cart_line_add(order=order, selection=LineSelection(product_id=cookie.pk))
    order.refresh_from_db()
    order_checkout(order=order, method="counter")
    order_confirm_payment(order=order, channel=PaymentChannel.COUNTER)
    return order.pk


def _copies(template_id: int, count: int, due_in: float) -> tuple[list[str], int]:
    """`count` paid orders like the template, each with its pending posting."""
    from django.utils import timezone

    from kiosk.models import Order
    from loyalty.models import OutboxMessage

    order = Order.objects.get(pk=template_id)
    posting = OutboxMessage.objects.get(order=order)
    due = timezone.now() + timedelta(seconds=due_in)
    uuids = [uuid.uuid4() for _ in range(count)]
    copies = []
    for key in uuids:
        copy = Order.objects.get(pk=template_id)
        copy.pk, copy.uuid, copy.number = None, key, None
        copies.append(copy)
    created = Order.objects.bulk_create(copies, batch_size=500)
    if any(o.pk is None for o in created):  # backends without RETURNING
        by_uuid = dict(Order.objects.filter(uuid__in=uuids).values_list("uuid", "pk"))
        for o in created:
            o.pk = by_uuid[o.uuid]
    first_id = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                order_id=o.pk,
                programme=posting.programme,
                operation=posting.operation,
                payload={**posting.payload, "order_id": o.uuid.hex},
                idempotency_key=f"{o.uuid.hex}:{posting.operation}",
                next_attempt_at=due,
            )
            for o in created
        ],
        batch_size=500,
    )
    return [key.hex for key in uuids], first_id


def _left(first_id: int) -> int:
    """How many of the postings from `first_id` on are still to deliver (the
    benchmark's copies are the newest rows)."""
    from loyalty.models import OutboxMessage, OutboxStatus

    return OutboxMessage.objects.filter(
        pk__gte=first_id, status__in=[OutboxStatus.PENDING, OutboxStatus.IN_FLIGHT]
    ).count()


def _drain(env: dict[str, str], first_id: int, workers: int, due_in: float) -> float:
    from django.db import close_old_connections

    started_at = time.monotonic()
    due_at = started_at + due_in
    with ExitStack() as stack:
        children = [
            stack.enter_context(
                ChildProcess(
                    f"loyalty-worker-{index}",
                    [str(ROOT / "manage.py"), "loyalty_worker", "--interval", "0.2"],
                    env=env,
                ).start()
            )
            for index in range(workers)
        ]
        while time.monotonic() < due_at:
            time.sleep(0.05)
        while left := _left(first_id):
            close_old_connections()
            for child in children:
                if child.process is None or child.process.poll() is not None:
                    raise RuntimeError(f"a worker stopped:\n{child.output()[-2000:]}")
            if time.monotonic() - due_at > TIMEOUT_S:
                raise RuntimeError(f"{left} postings left after {TIMEOUT_S} s")
            time.sleep(0.25)
        return time.monotonic() - due_at


def _received(control) -> dict[str, int]:
    return {o["order_id"]: int(o["receipts"]) for o in control.orders()}


def _round(env, control, template_id: int, postings: int, workers: int):
    from loyalty.models import OutboxMessage

    # Setting up 10,000 rows takes a while: the head start grows with them.
    due_in = HEAD_START_S + postings / 2000
    order_ids, first_id = _copies(template_id, postings, due_in)
    seconds = _drain(env, first_id, workers, due_in)
    received = _received(control)
    failed = OutboxMessage.objects.filter(pk__gte=first_id, status="failed").count()
    return {
        "workers": workers,
        "postings": postings,
        "seconds": round(seconds, 2),
        "postings_per_second": round(postings / seconds, 1),
        "lost": sum(1 for o in order_ids if o not in received),
        "duplicated": sum(1 for o in order_ids if received.get(o, 0) > 1),
        "failed": failed,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postings", type=int, default=10_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--services", action="store_true")
    parser.add_argument("--redis-db", type=int, default=8)
    args = parser.parse_args()
    rounds = []
    with tempfile.TemporaryDirectory() as data_dir, ExitStack() as stack:
        sandbox = SandboxProcess("pongo", database=Path(data_dir) / "pongo.sqlite3")
        control = stack.enter_context(sandbox)
        extra = {"PONGO_BASE_URL": control.base_url}
        if args.services:
            extra["DATABASE_URL"] = stack.enter_context(
                scratch_postgres("kiosk_outbox")
            )
            extra["REDIS_URL"] = REDIS + str(args.redis_db)
        env = bench_env(data_dir, **extra)
        demo_prepare(env)
        template_id = _template_order()
        for workers in args.workers:
            rounds.append(_round(env, control, template_id, args.postings, workers))
    print(
        json.dumps(
            {
                "benchmark": "loyalty outbox drained into the Pongo sandbox",
                "configuration": "PostgreSQL + Redis" if args.services else "SQLite",
                "batch_size": int(env.get("LOYALTY_OUTBOX_BATCH_SIZE", 50)),
                "rounds": rounds,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
