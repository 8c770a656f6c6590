"""`manage.py loyalty_check STORE`: is the store's programme the one the kiosk expects?

Runs, against the programme configured for the store (the local sandbox in
the demo, a vendor's test account before going live), the read-only and
reversible calls the kiosk depends on, and prints for each whether the answer
had the shape the kiosk expects, with the assumption it checks and its
source. Exits with status 1 when any answer is off.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from kiosk.models import Store
from loyalty.programmes import (
    configured_programme,
    programme_connector,
    store_in_programme,
)
from loyalty.providers.base import Assumption, CheckResult, LoyaltyProvider


class Command(BaseCommand):
    help = "Check a store's loyalty programme against what the kiosk expects of it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("store", help="the store's slug or id")
        parser.add_argument(
            "--identifier",
            default="",
            help="a test member's phone number, pass or app code, where needed",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        store = _store(options["store"])
        programme = configured_programme(store)
        if not programme:
            raise CommandError(f"{store.slug} runs no loyalty programme.")
        provider = programme_connector(programme).provider(store=store)
        where = store_in_programme(
            store, device_id="loyalty-check", device_name="Loyalty check"
        )
        self.stdout.write(f"Loyalty check of {store.name} ({store.slug}): {programme}")
        results = provider.live_check(
            store=where, test_identifier=options["identifier"]
        )
        failed = self._report(provider, results)
        unconfirmed = sum(not a.is_confirmed for a in provider.assumptions)
        self.stdout.write(
            f"{len(results)} checks, {failed} failed; {unconfirmed} of "
            f"{len(provider.assumptions)} assumptions rest on no public document."
        )
        if failed:
            raise CommandError(f"{failed} of {len(results)} checks failed.")

    def _report(
        self, provider: LoyaltyProvider, results: tuple[CheckResult, ...]
    ) -> int:
        known = {assumption.key: assumption for assumption in provider.assumptions}
        failed = 0
        for result in results:
            assumption = known.get(result.assumption)
            is_ok = result.is_ok and assumption is not None
            failed += not is_ok
            self.stdout.write(_line(result, assumption, is_ok))
            if not is_ok and result.detail:
                self.stdout.write(f"        {result.detail}")
        return failed


def _store(value: str) -> Store:
    query = Q(slug=value) | (Q(pk=int(value)) if value.isdigit() else Q())
    store = Store.objects.filter(query).first()
    if store is None:
        raise CommandError(f"No store {value!r}.")
    return store


def _line(result: CheckResult, assumption: Assumption | None, is_ok: bool) -> str:
    mark = "ok  " if is_ok else "FAIL"
    if assumption is None:
        return f"  {mark}  {result.call}: unknown assumption {result.assumption!r}"
    return f"  {mark}  {result.call}: {assumption.statement} [{assumption.source}]"
