"""Loyalty screens: identify (phone keypad or scanned pass), join, the member's
rewards, and putting a reward on the order."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kiosk import flow
from kiosk.customer_session import (
    INCENTIVE_KEY,
    ORDER_KEY,
    PHONE_COUNTRY_KEY,
    PHONE_KEY,
    REWARD_PRODUCTS_KEY,
    session_start,
    with_order,
)
from kiosk.http import KioskRequest, OrderRequest
from kiosk.models import Order, Product
from kiosk.selectors import order_for_kiosk
from kiosk.services.errors import CartError
from kiosk.sheet import selection_from_post
from loyalty.models import OrderLoyalty
from loyalty.programmes import store_programme
from loyalty.providers.base import IdentifierKind
from loyalty.selectors import member_first_name, store_identifiers
from loyalty.services.identification import (
    ConsentWording,
    IdentifyOutcome,
    IdentifyStatus,
    loyalty_enrol,
    loyalty_forget,
    loyalty_identify,
    loyalty_identify_phone,
    loyalty_offline_keep,
)
from loyalty.services.panel import loyalty_panel
from loyalty.services.redemptions import (
    BuyStatus,
    UseStatus,
    loyalty_incentive_add,
    loyalty_redemption_remove,
    loyalty_reward_buy,
    loyalty_reward_use,
)

PHONE_MAX_DIGITS = 15
COUNTRIES = ["FR", "BE", "CH", "LU", "DE", "ES", "IT", "PT", "NL", "GB", "IE"]

SMS_QUESTION = gettext_lazy("Receive offers and news by SMS?")
EMAIL_QUESTION = gettext_lazy("Receive offers and news by e-mail?")

_MESSAGES = {
    IdentifyStatus.CODE_EXPIRED: gettext_lazy(
        "This code has expired or was already used: refresh it in the app."
    ),
    IdentifyStatus.OTHER_ACCOUNT: gettext_lazy(
        "This is a different account: your order stays with the first one."
    ),
    IdentifyStatus.NOT_A_MEMBER_CODE: gettext_lazy(
        "We do not recognise this code. Try your phone number."
    ),
    IdentifyStatus.LIMITED: gettext_lazy(
        "Loyalty is paused on this kiosk for a few minutes. You can order without it."
    ),
    IdentifyStatus.UNAVAILABLE: gettext_lazy(
        "Rewards are unavailable right now. You can order without them."
    ),
    IdentifyStatus.OFFLINE: gettext_lazy(
        "We cannot show your rewards right now; your points will still be added."
    ),
}


def _identified_url(
    request: KioskRequest, order: Order, outcome: IdentifyOutcome
) -> str:
    """Where the customer goes once identification has an outcome."""
    request.session.pop(PHONE_KEY, None)
    if outcome.status == IdentifyStatus.IDENTIFIED:
        if outcome.message:
            messages.warning(request, outcome.message)
        url = flow.after_identify_url(order)
        # Greeted at once (first name only): the rewards panel says hello
        # itself, the service mode (a pass scanned on the attract screen) not.
        if (
            not outcome.message
            and url != reverse("kiosk:loyalty-panel")
            and (name := member_first_name(order))
        ):
            messages.success(request, _("Hello %(name)s!") % {"name": name})
        return url
    if outcome.status == IdentifyStatus.CODE_EXPIRED and not order.service_mode:
        messages.warning(request, _MESSAGES[outcome.status])
        return reverse("kiosk:service-mode")
    if outcome.status == IdentifyStatus.UNKNOWN:
        request.session[PHONE_KEY] = outcome.phone
        return reverse("kiosk:loyalty-join")
    if outcome.status == IdentifyStatus.OFFLINE_ASK_CONSENT:
        request.session[PHONE_KEY] = outcome.phone
        return reverse("kiosk:loyalty-offline")
    if outcome.status == IdentifyStatus.INVALID:
        messages.error(request, outcome.message)
        return reverse("kiosk:loyalty-phone")
    level = (
        messages.INFO if outcome.status == IdentifyStatus.OFFLINE else messages.WARNING
    )
    text = outcome.message or str(_MESSAGES[outcome.status])
    if (
        outcome.status == IdentifyStatus.NOT_A_MEMBER_CODE
        and IdentifierKind.PHONE not in store_identifiers(order.store)
    ):
        text = _("We do not recognise this code. Scan the QR code of your app again.")
    messages.add_message(request, level, text)
    return flow.after_identify_url(order, show_panel=False)


def _after_identify(request: OrderRequest, outcome: IdentifyOutcome) -> HttpResponse:
    return redirect(_identified_url(request, request.order, outcome))


@require_GET
@with_order
def identify(request: OrderRequest) -> HttpResponse:
    if not request.order.is_draft:
        return redirect(flow.resume_url(request.order))
    identifiers = store_identifiers(request.kiosk.store)
    context = {
        "by_phone": IdentifierKind.PHONE in identifiers,
        "by_app_code": IdentifierKind.CODE in identifiers,
    }
    return render(request, "kiosk/loyalty/identify.html", context)


@require_GET
@with_order
def code(request: OrderRequest) -> HttpResponse:
    """The 6-digit code of the member's app, typed on the keypad."""
    context = {"keys": ["1", "2", "3", "4", "5", "6", "7", "8", "9"]}
    return render(request, "kiosk/loyalty/code.html", context)


@require_POST
@with_order
def code_submit(request: OrderRequest) -> HttpResponse:
    typed = request.POST.get("code", "").strip()[:16]
    if not (typed.isdigit() and len(typed) == 6):
        messages.error(request, _("Type the 6 digits of the code shown in your app."))
        return redirect("kiosk:loyalty-code")
    outcome = loyalty_identify(
        order=request.order, identifier=typed, kind=IdentifierKind.CODE
    )
    return _after_identify(request, outcome)


def _masked(digits: str) -> str:
    """Every digit but the last four hidden (shoulder surfing)."""
    hidden = max(0, len(digits) - 4)
    return "•" * hidden + digits[hidden:]


@require_GET
@with_order
def phone(request: OrderRequest) -> HttpResponse:
    context = {
        "country": request.session.get(PHONE_COUNTRY_KEY, request.kiosk.store.country),
        "countries": COUNTRIES,
        "keys": ["1", "2", "3", "4", "5", "6", "7", "8", "9"],
    }
    return render(request, "kiosk/loyalty/phone.html", context)


@require_POST
@with_order
def phone_submit(request: OrderRequest) -> HttpResponse:
    """The number typed on the keypad, checked, then looked up."""
    digits = request.POST.get("digits", "")[:PHONE_MAX_DIGITS]
    country = request.POST.get("country", "")
    if country not in COUNTRIES:
        country = request.kiosk.store.country
    request.session[PHONE_COUNTRY_KEY] = country
    outcome = loyalty_identify_phone(
        order=request.order, digits=digits, country=country
    )
    return _after_identify(request, outcome)


@with_order
def join(request: OrderRequest) -> HttpResponse:
    """Join the programme: two separate questions, nothing ticked in advance."""
    return _consent_questions(request, loyalty_enrol, "kiosk/loyalty/join.html")


@with_order
def offline(request: OrderRequest) -> HttpResponse:
    """The programme did not answer: the number may go with the order, with the
    customer's answers to the two questions, or the customer orders without it."""
    return _consent_questions(
        request, loyalty_offline_keep, "kiosk/loyalty/offline.html"
    )


def _consent_questions(
    request: OrderRequest, answer: Callable[..., IdentifyOutcome], template: str
) -> HttpResponse:
    """Ask the SMS and e-mail questions about the typed number; pass the answers on."""
    number = str(request.session.get(PHONE_KEY, ""))
    if not number.isdigit():
        return redirect("kiosk:loyalty-identify")
    if request.method == "POST":
        outcome = answer(
            order=request.order,
            phone=number,
            sms_optin=request.POST.get("sms") == "yes",
            email_optin=request.POST.get("email") == "yes",
            wording=_consent_wording(request),
        )
        return _after_identify(request, outcome)
    context = {
        "masked": _masked(number),
        "sms_question": SMS_QUESTION,
        "email_question": EMAIL_QUESTION,
    }
    return render(request, template, context)


def _consent_wording(request: OrderRequest) -> ConsentWording:
    return ConsentWording(
        sms=str(SMS_QUESTION), email=str(EMAIL_QUESTION), language=request.LANGUAGE_CODE
    )


@require_POST
@with_order
def forget(request: OrderRequest) -> HttpResponse:
    """ "Not you?": back to identification, where the right member scans or
    types, or goes on without an account."""
    loyalty_forget(order=request.order)
    return redirect("kiosk:loyalty-identify")


@require_GET
@with_order
def panel(request: OrderRequest) -> HttpResponse:
    if not request.order.is_draft:
        return redirect(flow.resume_url(request.order))
    loyalty = OrderLoyalty.objects.filter(order=request.order).first()
    if loyalty is None:
        return redirect("kiosk:loyalty-identify")
    view = loyalty_panel(order=request.order)
    context = {"panel": view, "loyalty": loyalty}
    return render(request, "kiosk/loyalty/panel.html", context)


@with_order
def buy(request: OrderRequest, reward: str) -> HttpResponse:
    """Confirm, then spend the points. A member with a PIN types it first."""
    if request.method == "POST":
        outcome = loyalty_reward_buy(
            order=request.order,
            reward_reference=reward,
            pin=request.POST.get("pin", "")[:4],
        )
        if outcome.status == BuyStatus.BOUGHT and outcome.owned is not None:
            messages.success(
                request,
                _("%(name)s is yours. Add it to your order below.")
                % {"name": outcome.owned.reward.name},
            )
            return redirect("kiosk:loyalty-panel")
        messages.error(request, outcome.message)
        return redirect("kiosk:loyalty-panel")
    view = loyalty_panel(order=request.order)
    choice = (
        next((c for c in view.rewards if c.reward.reference == reward), None)
        if view
        else None
    )
    if view is None or choice is None or not choice.can_buy:
        messages.error(request, _("This reward cannot be bought here."))
        return redirect("kiosk:loyalty-panel")
    context = {"choice": choice, "member": view.member}
    return render(request, "kiosk/loyalty/buy.html", context)


@require_POST
@with_order
def use(request: OrderRequest, owned: str) -> HttpResponse:
    outcome = loyalty_reward_use(order=request.order, owned_reference=owned)
    if outcome.status == UseStatus.CHOOSE:
        if len(outcome.products) == 1:
            return redirect(flow.reward_sheet_url(outcome.products[0].pk, owned))
        request.session[REWARD_PRODUCTS_KEY] = [p.pk for p in outcome.products]
        return redirect("kiosk:loyalty-choose", owned=owned)
    if outcome.status == UseStatus.ADDED:
        messages.success(request, _("Your reward is on your order."))
    else:
        messages.error(request, outcome.message)
    return redirect("kiosk:loyalty-panel")


@require_GET
@with_order
def choose(request: OrderRequest, owned: str) -> HttpResponse:
    """A reward that may be one of several products: the customer picks one."""
    ids = request.session.get(REWARD_PRODUCTS_KEY, [])
    products = list(Product.objects.filter(pk__in=ids, store=request.kiosk.store))
    if not products:
        return redirect("kiosk:loyalty-panel")
    context = {"products": products, "owned": owned}
    return render(request, "kiosk/loyalty/choose.html", context)


@require_POST
@with_order
def incentive_add(request: OrderRequest) -> HttpResponse:
    """A reward or offer of a session programme put on the order."""
    reference = request.POST.get("reference", "")[:80]
    engine = request.POST.get("engine", "")[:80]
    outcome = loyalty_incentive_add(
        order=request.order, reference=reference, engine_reference=engine
    )
    if outcome.status == UseStatus.CHOOSE:
        request.session[REWARD_PRODUCTS_KEY] = [p.pk for p in outcome.products]
        price = (
            outcome.reward.value
            if outcome.reward and outcome.reward.kind == "offer"
            else None
        )
        request.session[INCENTIVE_KEY] = [reference, engine, price]
        if len(outcome.products) == 1:
            return redirect(
                flow.reward_sheet_url(outcome.products[0].pk, reference, price)
            )
        return redirect("kiosk:loyalty-choose", owned=reference)
    if outcome.status == UseStatus.ADDED:
        if outcome.message:
            messages.warning(request, outcome.message)
        else:
            messages.success(request, _("It is on your order."))
    else:
        messages.error(request, outcome.message)
    return redirect("kiosk:loyalty-panel")


@require_POST
@with_order
def add(request: OrderRequest, owned: str, product_id: int) -> HttpResponse:
    """The product sheet of a free product, submitted: options chosen, paid ones paid."""
    try:
        selection = selection_from_post(product_id=product_id, data=request.POST)
    except CartError as err:
        messages.error(request, err.message)
        return redirect("kiosk:loyalty-panel")
    chosen = request.session.get(INCENTIVE_KEY) or ["", "", None]
    if chosen[0] == owned:
        outcome = loyalty_incentive_add(
            order=request.order,
            reference=owned,
            engine_reference=chosen[1],
            selection=selection,
        )
        if outcome.status == UseStatus.ADDED and outcome.message:
            messages.warning(request, outcome.message)
            return redirect("kiosk:cart")
    else:
        outcome = loyalty_reward_use(
            order=request.order, owned_reference=owned, selection=selection
        )
    if outcome.status == UseStatus.ADDED:
        messages.success(request, _("Your reward is on your order."))
        return redirect("kiosk:cart")
    messages.error(request, outcome.message)
    return redirect("kiosk:loyalty-panel")


@require_POST
@with_order
def remove(request: OrderRequest, redemption_id: int) -> HttpResponse:
    try:
        loyalty_redemption_remove(order=request.order, redemption_id=redemption_id)
    except CartError as err:
        messages.error(request, err.message)
    return redirect(flow.safe_next(request.POST.get("next"), default="kiosk:cart"))


SCAN_SCREENS = {"attract", "identify"}


@require_POST
def scan(request: KioskRequest) -> HttpResponse:
    """A code from the kiosk's scanner, posted back by the page that showed it.

    On the attract screen or the identification step a scan identifies the
    customer (starting their order on the attract screen); anywhere else it
    is ignored, with no word to the customer.
    """
    code = request.POST.get("code", "").strip()[:256]
    screen = request.POST.get("screen")
    store = request.kiosk.store
    if not code or screen not in SCAN_SCREENS or not store_programme(store):
        return HttpResponse(status=204)
    if screen == "attract":
        if not store.is_ordering_open:
            return HttpResponse(status=204)
        session_start(request)
    order = order_for_kiosk(
        kiosk=request.kiosk, order_uuid=request.session.get(ORDER_KEY)
    )
    if order is None or not order.is_draft:
        return HttpResponse(status=204)
    outcome = loyalty_identify(order=order, identifier=code, kind=IdentifierKind.PASS)
    return flow.navigate(request, _identified_url(request, order, outcome))
