"""Who is ordering: a member found by phone or pass, or enrolled on the spot.

Interactive: every call runs inside the loyalty time budget. When the
programme does not answer in time, a scanned pass is still recognised from
the webhook mirror and a phone number is kept: the order is posted with it
later, so the points still follow.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils.translation import gettext as _

from kiosk.models import Order, OrderState
from loyalty.crypto import subject_hash
from loyalty.http import loyalty_budget
from loyalty.models import (
    ConsentChannel,
    ConsentEvent,
    OrderLoyalty,
    OutboxOperation,
)
from loyalty.programmes import (
    programme_connection_refused,
    programme_connector,
    programme_store,
    provider_for,
    store_programme,
)
from loyalty.providers.base import (
    Capability,
    Enrolment,
    ErrorCode,
    Identification,
    IdentifierKind,
    LoyaltyProvider,
    LoyaltyRejected,
    LoyaltyUnavailable,
    Member,
    SessionProvider,
    SessionUnconfirmed,
    as_enrolment,
    as_session,
)
from loyalty.services.redemptions import preselections_to_cart, redemptions_drop
from loyalty.services.sessions import (
    Rescan,
    basket_validate,
    rescan,
    session_discard,
    session_enqueue,
    session_lost_enqueue,
    session_lost_forget,
)

logger = logging.getLogger(__name__)

# The cache every web process shares (Redis when configured, else the database).
SHARED_CACHE = "shared"


class IdentifyStatus(StrEnum):
    IDENTIFIED = "identified"
    CODE_EXPIRED = "code_expired"  # an app code that expired or was used already
    OTHER_ACCOUNT = "other_account"  # a second scan of another member: the first stays
    UNKNOWN = "unknown"  # a phone no member has: offer to join
    NOT_A_MEMBER_CODE = "not_a_member_code"  # a scan that is no member's pass
    INVALID = "invalid"  # not a phone number
    LIMITED = "limited"  # too many attempts
    OFFLINE = "offline"  # programme unreachable; a known member kept for later
    # Programme unreachable with a typed phone number: it goes with the order
    # only with the customer's answers to the opt-in questions (ask them).
    OFFLINE_ASK_CONSENT = "offline_ask_consent"
    UNAVAILABLE = "unavailable"  # no loyalty now


@dataclass(frozen=True)
class IdentifyOutcome:
    status: IdentifyStatus
    message: str = ""
    phone: str = ""


def phone_normalise(*, digits: str, country: str) -> str | None:
    """International digits without "+" (3361234…), or None if not a phone number."""
    try:
        number = phonenumbers.parse(digits, country.upper())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.E164
    ).lstrip("+")


def _within_limits(order: Order, identifier: str) -> bool:
    """Counted in the shared cache: every web process and restart sees the same count."""
    counts = caches[SHARED_CACHE]
    kiosk_key = f"loyalty:attempts:kiosk:{order.kiosk_id}"
    who = hashlib.sha256(identifier.encode()).hexdigest()[:24]
    identifier_key = f"loyalty:attempts:id:{order.store_id}:{who}"
    counts.add(kiosk_key, 0, timeout=60)
    counts.add(identifier_key, 0, timeout=600)
    kiosk_count = counts.incr(kiosk_key)
    identifier_count = counts.incr(identifier_key)
    return (
        kiosk_count <= settings.LOYALTY_IDENTIFY_PER_KIOSK_MINUTE
        and identifier_count <= settings.LOYALTY_IDENTIFY_PER_IDENTIFIER
    )


@transaction.atomic
def _attach(
    order: Order, member: Member, *, is_verified: bool, phone: str = ""
) -> OrderLoyalty | None:
    """The order belongs to this member now; another member's rewards leave it.

    None when the order was cancelled meanwhile (its row is locked, as the
    cancellation locks it, so one of the two sees the other).
    """
    if (
        not Order.objects.select_for_update()
        .filter(pk=order.pk, state=OrderState.DRAFT)
        .exists()
    ):
        return None
    current = OrderLoyalty.objects.filter(order=order).first()
    if current is not None and current.member_reference != member.reference:
        redemptions_drop(order=order)
    record, _created = OrderLoyalty.objects.update_or_create(
        order=order,
        defaults={
            "programme": store_programme(order.store),
            "member_reference": member.reference,
            "member_first_name": member.first_name,
            "member_phone": member.phone or phone,
            "is_verified": is_verified,
            "points_before": member.points,
            "session_reference": member.session_reference,
            "sms_optin": None,
            "email_optin": None,
        },
    )
    return record


def _offline(
    order: Order, provider: LoyaltyProvider, identifier: str, kind: IdentifierKind
) -> IdentifyOutcome:
    """The programme is slow or down: keep what identifies the member for the
    posting, where that is honest, and tell the customer what will happen."""
    if kind == IdentifierKind.PHONE:
        # Posted with the order, the number may make a new member: not without
        # the customer's answers to the opt-in questions.
        return IdentifyOutcome(IdentifyStatus.OFFLINE_ASK_CONSENT, phone=identifier)
    programme = store_programme(order.store)
    mirrored = (
        programme_connector(programme).mirrored_member(
            store=order.store, reference=identifier
        )
        if programme and kind == IdentifierKind.PASS
        else None
    )
    if mirrored is not None:
        _attach(order, mirrored, is_verified=False, phone=mirrored.phone)
        return IdentifyOutcome(IdentifyStatus.OFFLINE)
    if Capability.GUEST_POSTINGS in provider.capabilities:
        return IdentifyOutcome(
            IdentifyStatus.UNAVAILABLE,
            message=_(
                "We cannot reach the loyalty programme right now, so your rewards "
                "cannot be used. Your order is still recorded with it: keep your "
                "receipt to claim its points later in the app."
            ),
        )
    return IdentifyOutcome(IdentifyStatus.UNAVAILABLE)


def _refused(order: Order, err: LoyaltyRejected) -> IdentifyOutcome:
    if err.code == ErrorCode.CODE_EXPIRED:
        return IdentifyOutcome(
            IdentifyStatus.CODE_EXPIRED,
            message=_(
                "This code has expired or was already used: refresh it in the app."
            ),
        )
    if err.code == ErrorCode.UNAUTHORIZED:
        programme_connection_refused(store=order.store)
    logger.warning("loyalty identify refused", extra={"code": err.code})
    return IdentifyOutcome(IdentifyStatus.UNAVAILABLE)


def loyalty_identify(
    *, order: Order, identifier: str, kind: IdentifierKind
) -> IdentifyOutcome:
    """Identify the customer of a draft order by phone number or scanned pass."""
    provider = provider_for(order.store)
    if provider is None or order.kiosk is None or kind not in provider.identifiers:
        return IdentifyOutcome(IdentifyStatus.UNAVAILABLE)
    if not _within_limits(order, identifier):
        return IdentifyOutcome(IdentifyStatus.LIMITED)
    try:
        with loyalty_budget():
            found = provider.member_identify(
                identifier=identifier,
                kind=kind,
                store=programme_store(order.kiosk),
                order_reference=order.uuid.hex,
            )
    except SessionUnconfirmed as err:
        # The programme may have opened a transaction whose id never came.
        session_lost_enqueue(
            order=order,
            programme=provider.name,
            payload=err.void_payload,
            identifier=identifier,
        )
        return _offline(order, provider, identifier, kind)
    except LoyaltyUnavailable:
        return _offline(order, provider, identifier, kind)
    except LoyaltyRejected as err:
        return _refused(order, err)
    if found is None:
        if kind == IdentifierKind.PHONE:
            return IdentifyOutcome(IdentifyStatus.UNKNOWN, phone=identifier)
        return IdentifyOutcome(IdentifyStatus.NOT_A_MEMBER_CODE)
    session = as_session(provider)
    if session is not None:
        session_lost_forget(order=order, identifier=identifier)
        return _session_identified(order, session, found)
    _attach(order, found.member, is_verified=True)
    return IdentifyOutcome(IdentifyStatus.IDENTIFIED)


def _session_identified(
    order: Order, provider: SessionProvider, found: Identification
) -> IdentifyOutcome:
    """A programme transaction opened: bring the app's picks, or handle a rescan."""
    current = (
        OrderLoyalty.objects.filter(order=order).exclude(session_reference="").first()
    )
    if not Order.objects.filter(pk=order.pk, state=OrderState.DRAFT).exists():
        session_discard(order=order, provider=provider, found=found)
        return IdentifyOutcome(IdentifyStatus.UNAVAILABLE)
    if current is not None:
        if (
            rescan(order=order, provider=provider, current=current, found=found)
            == Rescan.OTHER_MEMBER
        ):
            return IdentifyOutcome(
                IdentifyStatus.OTHER_ACCOUNT,
                message=_(
                    "This is a different account: your order stays with the first one."
                ),
            )
        return IdentifyOutcome(IdentifyStatus.IDENTIFIED)
    if _attach(order, found.member, is_verified=True) is None:
        session_discard(order=order, provider=provider, found=found)
        return IdentifyOutcome(IdentifyStatus.UNAVAILABLE)
    left_out = preselections_to_cart(order=order, identification=found)
    if found.preselected:
        basket_validate(order=order, provider=provider)
    message = ""
    if left_out:
        message = _("Not available at this kiosk: %(names)s.") % {
            "names": ", ".join(left_out)
        }
    return IdentifyOutcome(IdentifyStatus.IDENTIFIED, message=message)


def loyalty_identify_phone(
    *, order: Order, digits: str, country: str
) -> IdentifyOutcome:
    phone = phone_normalise(digits=digits, country=country)
    if phone is None:
        return IdentifyOutcome(
            IdentifyStatus.INVALID,
            message=_("This does not look like a phone number. Please check it."),
        )
    return loyalty_identify(order=order, identifier=phone, kind=IdentifierKind.PHONE)


@dataclass(frozen=True)
class ConsentWording:
    """The exact questions shown, recorded with each answer."""

    sms: str
    email: str
    language: str


def _record_consent(
    order: Order, phone: str, wording: ConsentWording, *, sms: bool, email: bool
) -> None:
    subject = subject_hash(phone)
    for channel, question, answer in (
        (ConsentChannel.SMS, wording.sms, sms),
        (ConsentChannel.EMAIL, wording.email, email),
    ):
        ConsentEvent.objects.create(
            subject_hash=subject,
            channel=channel,
            is_granted=answer,
            wording=question,
            wording_hash=hashlib.sha256(question.encode()).hexdigest(),
            language=wording.language,
            store=order.store,
            kiosk=order.kiosk,
            programme=store_programme(order.store),
        )


def loyalty_enrol(
    *,
    order: Order,
    phone: str,
    sms_optin: bool,
    email_optin: bool,
    wording: ConsentWording,
) -> IdentifyOutcome:
    """Join the programme with the answers given to two separate, unticked questions."""
    found = provider_for(order.store)
    provider = as_enrolment(found) if found is not None else None
    if provider is None or order.kiosk is None:
        return IdentifyOutcome(IdentifyStatus.UNAVAILABLE)
    enrolment = Enrolment(phone=phone, sms_optin=sms_optin, email_optin=email_optin)
    try:
        with loyalty_budget():
            member = provider.member_enrol(
                enrolment=enrolment, store=programme_store(order.kiosk)
            )
    except LoyaltyUnavailable:
        # It may have joined meanwhile: the number goes with the order, with
        # the answers just given, and the programme attaches the points.
        return loyalty_offline_keep(
            order=order,
            phone=phone,
            sms_optin=sms_optin,
            email_optin=email_optin,
            wording=wording,
        )
    except LoyaltyRejected as err:
        return _refused(order, err)
    with transaction.atomic():
        _record_consent(order, phone, wording, sms=sms_optin, email=email_optin)
        _attach(order, member, is_verified=True)
    return IdentifyOutcome(IdentifyStatus.IDENTIFIED)


@transaction.atomic
def loyalty_offline_keep(
    *,
    order: Order,
    phone: str,
    sms_optin: bool,
    email_optin: bool,
    wording: ConsentWording,
) -> IdentifyOutcome:
    """The programme could not be reached: the customer answered the opt-in
    questions, so their number goes with the order (it may make them a member)."""
    if not store_programme(order.store) or order.kiosk is None:
        return IdentifyOutcome(IdentifyStatus.UNAVAILABLE)
    _record_consent(order, phone, wording, sms=sms_optin, email=email_optin)
    unconfirmed = Member(reference="", first_name="", points=0, phone=phone)
    record = _attach(order, unconfirmed, is_verified=False, phone=phone)
    if record is None:  # the order was cancelled meanwhile
        return IdentifyOutcome(IdentifyStatus.UNAVAILABLE)
    record.sms_optin = sms_optin
    record.email_optin = email_optin
    record.save(update_fields=["sms_optin", "email_optin"])
    return IdentifyOutcome(IdentifyStatus.OFFLINE)


def loyalty_forget(*, order: Order) -> None:
    """ "Not me": the order goes on without a member, and without their rewards.

    A programme transaction is voided, so held points go back to the member.
    """
    with transaction.atomic():
        redemptions_drop(order=order)
        session_enqueue(order=order, operation=OutboxOperation.SESSION_VOID)
        OrderLoyalty.objects.filter(order=order).delete()
