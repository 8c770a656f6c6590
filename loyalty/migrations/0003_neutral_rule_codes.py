"""Rule failures on draft orders' rewards are stored as the kiosk's own codes."""

from __future__ import annotations

from typing import Any

from django.db import migrations

# The programme rule ids stored before, and the code each one is now.
RULE_CODES = {
    "min-spend": "minimum_spend",
    "limit-per-order": "limit_reached",
    "max-redemption": "limit_reached",
    "cool-down": "limit_reached",
    "point-balance": "insufficient_points",
    "day-of-the-week": "not_available_now",
    "date-span": "not_available_now",
    "user-enrollment": "not_available_now",
    "user-birthday": "not_available_now",
    "payment-method": "payment_method",
    "service-mode": "service_mode",
    "store-restrictions": "not_in_this_store",
    "requires-authentication": "sign_in_required",
    "first-order-only": "first_order_only",
    "cart-requirements": "basket_requirements",
    "cart-requirements-exclusion": "basket_requirements",
}
NEUTRAL = set(RULE_CODES.values()) | {"other"}


def forwards(apps: Any, schema_editor: Any) -> None:
    Redemption = apps.get_model("loyalty", "Redemption")
    for old, new in RULE_CODES.items():
        Redemption.objects.filter(issue_rule=old).update(issue_rule=new)
    Redemption.objects.exclude(issue_rule="").exclude(issue_rule__in=NEUTRAL).update(
        issue_rule="other"
    )


class Migration(migrations.Migration):
    dependencies = [("loyalty", "0002_order_refund")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
