from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from hardware.selectors import receipt_for_order
from tests.kitchen.conftest import burger

pytestmark = pytest.mark.django_db


def test_the_receipt_shows_the_estimated_wait(kitchen, paid_order, menu):
    order = paid_order(burger(menu))
    order.refresh_from_db()

    receipt = receipt_for_order(order)

    assert receipt.details[-1] == "Estimated wait: about 5 min"
    assert (
        "Estimated wait: about 5 min"
        not in receipt_for_order(order, is_copy=True).details
    )


def test_the_confirmation_shows_the_estimated_wait(kitchen, paid_order, menu):
    order = paid_order(burger(menu))
    order.refresh_from_db()

    html = render_to_string("kiosk/partials/_order_status.html", {"order": order})

    assert "Estimated wait: about 5 min" in html
