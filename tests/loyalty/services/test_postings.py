"""What a paid order tells its programme about the customer."""

from __future__ import annotations

import pytest

from loyalty.models import OrderLoyalty
from loyalty.providers.base import Enrolment
from loyalty.services.postings import posting_from

pytestmark = pytest.mark.django_db


def _loyalty(order, **fields):
    values = {
        "programme": "pongo",
        "member_reference": "",
        "member_phone": "33699887766",
        "is_verified": False,
    }
    return OrderLoyalty.objects.create(order=order, **{**values, **fields})


def test_a_confirmed_member_goes_with_their_phone(brasserie_order):
    loyalty = _loyalty(
        brasserie_order, member_reference="cust_0000000004", is_verified=True
    )

    posting = posting_from(brasserie_order, loyalty)

    assert (posting.member_reference, posting.member_phone, posting.enrolment) == (
        "cust_0000000004",
        "33699887766",
        None,
    )


def test_an_unconfirmed_number_goes_with_the_opt_in_answers(brasserie_order):
    loyalty = _loyalty(brasserie_order, sms_optin=True, email_optin=False)

    posting = posting_from(brasserie_order, loyalty)

    assert (posting.member_phone, posting.enrolment) == (
        "33699887766",
        Enrolment(phone="33699887766", sms_optin=True, email_optin=False),
    )


def test_an_unconfirmed_number_without_answers_is_not_sent(brasserie_order):
    loyalty = _loyalty(brasserie_order)

    posting = posting_from(brasserie_order, loyalty)

    assert (posting.member_phone, posting.enrolment) == ("", None)
