from __future__ import annotations

import pytest
from django.core.cache import caches

from loyalty.models import ConsentEvent, MirroredMember, OrderLoyalty, PongoConnection
from loyalty.providers.base import IdentifierKind
from loyalty.services.identification import (
    ConsentWording,
    IdentifyStatus,
    loyalty_enrol,
    loyalty_forget,
    loyalty_identify,
    loyalty_identify_phone,
    loyalty_offline_keep,
    phone_normalise,
)
from tests.caching import caches_clear

WORDING = ConsentWording(sms="SMS?", email="E-mail?", language="fr")


@pytest.fixture(autouse=True)
def _no_attempts_left_over(db):
    caches_clear()


@pytest.mark.parametrize(
    ("digits", "country", "expected"),
    [
        ("0612345678", "FR", "33612345678"),
        ("06 12 34 56 78", "FR", "33612345678"),
        ("+41791234567", "FR", "41791234567"),
        ("0791234567", "CH", "41791234567"),
        ("061234", "FR", None),
        ("abcdef", "FR", None),
        ("", "FR", None),
    ],
)
def test_phone_numbers_are_normalised_to_pongo_digits(digits, country, expected):
    assert phone_normalise(digits=digits, country=country) == expected


def test_a_known_phone_identifies_the_member(brasserie_order):
    outcome = loyalty_identify_phone(
        order=brasserie_order, digits="0612345678", country="FR"
    )

    loyalty = OrderLoyalty.objects.get(order=brasserie_order)
    assert outcome.status == IdentifyStatus.IDENTIFIED
    assert (
        loyalty.member_reference,
        loyalty.member_first_name,
        loyalty.points_before,
    ) == (
        "cust_0000000001",
        "Léa",
        320,
    )
    assert (loyalty.member_phone, loyalty.is_verified, loyalty.programme) == (
        "33612345678",
        True,
        "pongo",
    )


def test_an_unknown_phone_is_offered_to_join(brasserie_order):
    outcome = loyalty_identify_phone(
        order=brasserie_order, digits="0600000001", country="FR"
    )

    assert (outcome.status, outcome.phone) == (IdentifyStatus.UNKNOWN, "33600000001")
    assert not OrderLoyalty.objects.exists()


def test_a_mistyped_phone_is_refused_before_asking_pongo(
    brasserie_order, pongo_sandbox
):
    outcome = loyalty_identify_phone(
        order=brasserie_order, digits="06123", country="FR"
    )

    assert outcome.status == IdentifyStatus.INVALID
    assert outcome.message == "This does not look like a phone number. Please check it."
    assert pongo_sandbox.requests() == []


def test_a_scanned_pass_identifies_the_member(brasserie_order):
    outcome = loyalty_identify(
        order=brasserie_order, identifier="cust_0000000004", kind=IdentifierKind.PASS
    )

    assert outcome.status == IdentifyStatus.IDENTIFIED
    assert OrderLoyalty.objects.get().member_first_name == "Inès"


@pytest.mark.parametrize(
    "code", ["3017620422003", "cust_", "cust_0000000099", "<script>"]
)
def test_a_code_that_is_no_members_pass_is_not_recognised(brasserie_order, code):
    outcome = loyalty_identify(
        order=brasserie_order, identifier=code, kind=IdentifierKind.PASS
    )

    assert outcome.status == IdentifyStatus.NOT_A_MEMBER_CODE
    assert not OrderLoyalty.objects.exists()


def test_a_slow_pongo_asks_before_keeping_the_phone(
    brasserie_order, pongo_sandbox, settings
):
    settings.LOYALTY_INTERACTIVE_BUDGET_SECONDS = 0.3
    pongo_sandbox.faults(latency_ms=1500)

    outcome = loyalty_identify_phone(
        order=brasserie_order, digits="0612345678", country="FR"
    )

    assert (outcome.status, outcome.phone) == (
        IdentifyStatus.OFFLINE_ASK_CONSENT,
        "33612345678",
    )
    assert not OrderLoyalty.objects.exists()
    assert not ConsentEvent.objects.exists()


def test_the_answers_keep_the_phone_for_the_posting(brasserie_order):
    outcome = loyalty_offline_keep(
        order=brasserie_order,
        phone="33612345678",
        sms_optin=False,
        email_optin=True,
        wording=WORDING,
    )

    loyalty = OrderLoyalty.objects.get()
    assert outcome.status == IdentifyStatus.OFFLINE
    assert (
        loyalty.member_reference,
        loyalty.member_phone,
        loyalty.is_verified,
        loyalty.sms_optin,
        loyalty.email_optin,
    ) == ("", "33612345678", False, False, True)
    assert list(ConsentEvent.objects.values_list("channel", "is_granted")) == [
        ("sms", False),
        ("email", True),
    ]


def test_joining_while_pongo_is_down_keeps_the_number_with_its_answers(
    brasserie_order, pongo_sandbox
):
    pongo_sandbox.faults(down=True)

    outcome = loyalty_enrol(
        order=brasserie_order,
        phone="33600000001",
        sms_optin=True,
        email_optin=False,
        wording=WORDING,
    )

    loyalty = OrderLoyalty.objects.get()
    assert outcome.status == IdentifyStatus.OFFLINE
    assert (loyalty.member_phone, loyalty.sms_optin, loyalty.email_optin) == (
        "33600000001",
        True,
        False,
    )
    assert ConsentEvent.objects.count() == 2


def test_pongo_down_recognises_a_mirrored_pass(brasserie_order, pongo_sandbox):
    connection = PongoConnection.objects.get()
    MirroredMember.objects.create(
        connection=connection, reference="cust_0000000001", first_name="Léa", points=320
    )
    pongo_sandbox.faults(down=True)

    outcome = loyalty_identify(
        order=brasserie_order, identifier="cust_0000000001", kind=IdentifierKind.PASS
    )

    loyalty = OrderLoyalty.objects.get()
    assert outcome.status == IdentifyStatus.OFFLINE
    assert (
        loyalty.member_reference,
        loyalty.member_first_name,
        loyalty.is_verified,
    ) == (
        "cust_0000000001",
        "Léa",
        False,
    )


def test_pongo_down_and_an_unmirrored_pass_goes_on_without_loyalty(
    brasserie_order, pongo_sandbox
):
    pongo_sandbox.faults(force_status=503)

    outcome = loyalty_identify(
        order=brasserie_order, identifier="cust_0000000001", kind=IdentifierKind.PASS
    )

    assert outcome.status == IdentifyStatus.UNAVAILABLE
    assert not OrderLoyalty.objects.exists()


def test_a_refused_token_flags_the_connection(brasserie_order):
    PongoConnection.objects.update(access_token="not-a-token")

    outcome = loyalty_identify_phone(
        order=brasserie_order, digits="0612345678", country="FR"
    )

    assert outcome.status == IdentifyStatus.UNAVAILABLE
    assert PongoConnection.objects.get().needs_reconnect is True


def test_too_many_attempts_pause_loyalty_on_the_kiosk(brasserie_order, pongo_sandbox):
    statuses = [
        loyalty_identify_phone(
            order=brasserie_order, digits=f"06000000{n:02d}", country="FR"
        ).status
        for n in range(1, 7)
    ]

    assert statuses[-1] == IdentifyStatus.LIMITED
    assert statuses[:5] == [IdentifyStatus.UNKNOWN] * 5
    assert len(pongo_sandbox.requests()) == 5


def test_joining_creates_the_member_with_the_opt_ins_given(
    brasserie_order, pongo_sandbox
):
    outcome = loyalty_enrol(
        order=brasserie_order,
        phone="33600000001",
        sms_optin=True,
        email_optin=False,
        wording=WORDING,
    )

    assert outcome.status == IdentifyStatus.IDENTIFIED
    body = [r for r in pongo_sandbox.requests() if r["method"] == "POST"][0]["body"]
    assert (
        body["phone"],
        body["has_optin_sms"],
        body["has_optin_email"],
        body["has_optin"],
    ) == (
        "33600000001",
        True,
        False,
        False,
    )
    assert body["reference_store_slug"] == "demo-paris-11"
    assert OrderLoyalty.objects.get().member_reference.startswith("cust_")


def test_joining_records_each_answer_as_a_consent_event(brasserie_order):
    loyalty_enrol(
        order=brasserie_order,
        phone="33600000001",
        sms_optin=True,
        email_optin=False,
        wording=WORDING,
    )

    events = list(
        ConsentEvent.objects.values_list("channel", "is_granted", "wording", "language")
    )
    assert events == [("sms", True, "SMS?", "fr"), ("email", False, "E-mail?", "fr")]
    assert (
        ConsentEvent.objects.filter(
            kiosk=brasserie_order.kiosk, store=brasserie_order.store
        ).count()
        == 2
    )
    assert "33600000001" not in ConsentEvent.objects.first().subject_hash


def test_not_me_forgets_the_member(brasserie_order):
    loyalty_identify_phone(order=brasserie_order, digits="0612345678", country="FR")

    loyalty_forget(order=brasserie_order)

    assert not OrderLoyalty.objects.exists()


def test_attempts_are_counted_in_the_shared_cache(brasserie_order, pongo_sandbox):
    for n in range(1, 6):
        loyalty_identify_phone(
            order=brasserie_order, digits=f"06000000{n:02d}", country="FR"
        )

    outcome = loyalty_identify_phone(
        order=brasserie_order, digits="0600000006", country="FR"
    )

    key = f"loyalty:attempts:kiosk:{brasserie_order.kiosk_id}"
    assert outcome.status == IdentifyStatus.LIMITED
    # Counted where every process and restart sees it, not in a process's own cache.
    assert (caches["shared"].get(key), caches["default"].get(key)) == (6, None)
