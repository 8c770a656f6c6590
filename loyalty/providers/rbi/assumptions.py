"""What the kiosk relies on about RBI's loyalty API, each with its source.

A source is the public RBI document that says so (the personalised-offers
page, the authority where pages differ, or a page of RBI's partner
documentation), or UNCONFIRMED: our choice where the documents are silent
or contradict each other. `manage.py loyalty_check STORE --identifier CODE`
checks, against RBI's test account, every one a call can show.
"""

from __future__ import annotations

from loyalty.providers.base import UNCONFIRMED, Assumption

WIKI = "https://rbictg.atlassian.net/wiki"
# RBI's "Personalised offers" page (v10), with example payloads of every call.
SEED = "RBI Personalised offers, seed 004_d378267fceb96f4a.txt"
GETTING_STARTED = (
    f"RBI Loyalty API Getting started, {WIKI}/pages/viewpage.action?pageId=4968546518"
)
KIOSK = f"RBI Base Kiosk Integration, {WIKI}/spaces/RDP/pages/4226023555/Base+Kiosk+Integration"
VALIDATE = f"RBI Loyalty API v1 - Validate, {WIKI}/spaces/RDP/pages/4961140780/Loyalty+API+v1+-+Validate"
UNCLAIMED = f"RBI Loyalty API v1 - Unclaimed, {WIKI}/spaces/RDP/pages/4961140793/Loyalty+API+v1+-+Unclaimed"
VOID = f"RBI Loyalty API v1 - Void, {WIKI}/x/AYC4JwE"
PAY_AT_COUNTER = f"RBI Pay at counter, {WIKI}/pages/viewpage.action?pageId=4980768938"
ERRORS = f"RBI Loyalty API v1 - Error Responses, {WIKI}/spaces/RDP/pages/4231725617/Loyalty+API+v1+-+Error+Responses"
LISTING = f"RBI Listing offers and rewards on kiosks, {WIKI}/spaces/RDP/pages/4226712293/Listing+offers+and+rewards+on+kiosks"
OTP = f"RBI Get OTP Endpoint Details, {WIKI}/spaces/IBC/pages/4770988091/Get+OTP+Endpoint+Details"
VENDOR_CONFIGS = f"RBI Vendor configs / PLU types, {WIKI}/x/SwVlzQ"
EARNING = (
    f"RBI Earning Calculation, {WIKI}/spaces/COG/pages/4041703709/Earning+Calculation"
)
EDGE_CASES = (
    f"RBI Kiosk - Edge Cases, {WIKI}/spaces/RDP/pages/4297097314/Kiosk+-+Edge+Cases"
)


def _a(key: str, statement: str, source: str) -> Assumption:
    return Assumption(key=key, statement=statement, source=source)


ASSUMPTIONS: tuple[Assumption, ...] = (
    # --- hosts and headers
    _a(
        "http.base_url",
        "The middleware is https://{region}-{environment}-{brand}-loyalty-middleware.rbictg.com.",
        GETTING_STARTED,
    ),
    _a(
        "http.headers",
        "Every call carries x-api-key, x-region (the market's country) and x-user-datetime.",
        GETTING_STARTED,
    ),
    _a(
        "http.x_user_datetime",
        "x-user-datetime is the kiosk's local time in ISO 8601 with its UTC offset.",
        UNCONFIRMED,
    ),
    _a(
        "http.x_request_id",
        "RBI accepts an x-request-id header; a posting sends the same one at every attempt.",
        UNCONFIRMED,
    ),
    _a(
        "http.status",
        "Success is any 2xx status (the pages show bodies, not status codes).",
        UNCONFIRMED,
    ),
    _a(
        "http.retry_5xx",
        "A 5xx or 429 answer means RBI did not act: the call is tried again later.",
        UNCONFIRMED,
    ),
    # --- identify
    _a(
        "identify.path",
        "Identify is POST /loyalty/identify with {identifier, posVendor}.",
        SEED,
    ),
    _a(
        "identify.answer",
        "Identify answers transactionId, loyaltyUser.id and name, and balances[] with "
        "currency points (held points already taken off).",
        SEED,
    ),
    _a(
        "identify.order",
        "Identify's order[] lists the app's picks with productType REWARD or OFFER, "
        "incentiveId and loyaltyEngineId.",
        SEED,
    ),
    _a(
        "identify.code_single_use",
        "A 6-digit code works once: reuse is 422 OrderSelectionStatusUnclaimable, an "
        "unknown or expired code 404 HashSetNotFoundError.",
        ERRORS,
    ),
    _a(
        "identify.code_lifetime",
        "A 6-digit code is valid 300 s.",
        OTP,
    ),
    _a(
        "identify.repeat",
        "Identify sent again from the same POS transaction (same code or loyalty id, "
        "store, terminal and posVendor.transactionId) answers the transaction it "
        "opened, while it is PENDING: how the kiosk learns the id of a transaction "
        "whose answer was lost.",
        UNCONFIRMED,
    ),
    _a(
        "identify.search_later",
        "That repeat still answers 30 s later, well within the code's 300 s: the "
        "outbox then voids the transaction an unanswered identification opened.",
        UNCONFIRMED,
    ),
    _a(
        "posvendor.fields",
        "posVendor carries posType, storeId, terminal, transactionId (our order's id), "
        "supportingPos, and operator and matchingId when RBI gave them.",
        SEED,
    ),
    _a(
        "posvendor.supporting_pos",
        "supportingPos names the store's POS vendor as Sanity's vendorConfigs keys do "
        "(partner, ncr, …); its PLUs come back, and are the ones the kiosk sends.",
        SEED,
    ),
    _a(
        "posvendor.pos_type",
        'posType is Partner ("the name agreed with RBI, Partner in most cases").',
        KIOSK,
    ),
    # --- the transaction body
    _a(
        "transaction.product_type.incentives",
        "Reward and offer lines have productType REWARD and OFFER, in upper case.",
        SEED,
    ),
    _a(
        "transaction.product_type.items",
        "Item and combo lines have productType item and combo, in lower case: every "
        "example writes them so, in the same bodies as REWARD and OFFER.",
        SEED,
    ),
    _a(
        "transaction.lines",
        "Combo items and paid modifiers are child lines (parentReferenceId, a string) "
        "at their own price; price and tax are decimal major units, tax included.",
        SEED,
    ),
    _a(
        "transaction.incentive_ids",
        "Reward lines name their Sanity id (incentiveId); offer lines their Sanity id "
        "and loyaltyEngineId; a personalised offer its loyaltyEngineId only.",
        SEED,
    ),
    _a(
        "transaction.payments",
        "payments[].amount is the order's total in cents; type is CASH, CREDIT, VISA, "
        "MASTERCARD or AMEX; the kiosk never sends ccToken.",
        UNCLAIMED,
    ),
    _a(
        "transaction.card_type",
        "A card whose brand the terminal has not told yet is CREDIT; other brands are "
        "CREDIT too.",
        UNCONFIRMED,
    ),
    _a(
        "personalised.ncr",
        "Stores whose POS vendor is NCR get no personalised offers, and their lines "
        "carry no loyaltyEngineId.",
        SEED,
    ),
    # --- validate, claim, hold
    _a(
        "validate.path",
        "Validate is POST /loyalty/transaction/pos/validate/{transactionId}, and "
        "changes nothing.",
        SEED,
    ),
    _a(
        "validate.mirror",
        "Validate's body is an exact mirror of the claim: the same lines, status and "
        "payments for the payment the customer chose.",
        VALIDATE,
    ),
    _a(
        "validate.before_payment",
        "Before the customer chose how to pay, validate sends status PENDING with no "
        "payments, as the pay-at-counter hold does; once chosen, the claim's status "
        "and payment.",
        UNCONFIRMED,
    ),
    _a(
        "validate.answer",
        "Validate answers points (the balance once claimed), pointsEarned, "
        "pointsRedeemed and transactionId, or 400 RulesError with one entry per rule.",
        SEED,
    ),
    _a(
        "validate.empty_basket",
        "A basket with no line validates (the live check sends one).",
        UNCONFIRMED,
    ),
    _a(
        "claim.path",
        "The claim is PUT /loyalty/transaction/pos/{transactionId} with status CLAIMED.",
        SEED,
    ),
    _a(
        "claim.again",
        "A claim of a transaction already claimed is refused with "
        "TransactionAlreadyClaimed, never counted twice: the kiosk takes it as done.",
        UNCONFIRMED,
    ),
    _a(
        "hold.pending",
        "Paying at the counter, the kiosk sends the update PENDING with no payments; "
        "the POS claims later with the same PLUs.",
        PAY_AT_COUNTER,
    ),
    # --- void, unclaimed
    _a(
        "void.path",
        "Void is PUT /loyalty/transaction/pos/{transactionId}/void; the body needs no "
        "order and is sent without loyaltyId and transactionId, as the example is.",
        SEED,
    ),
    _a(
        "void.claimed",
        "A claimed transaction can be voided (a refund): burned points come back, "
        "earned ones go.",
        UNCONFIRMED,
    ),
    _a(
        "void.again",
        "Voiding a transaction that is voided already, or unknown, changes nothing "
        "(TransactionNotClaimable or TransactionNotFoundError): the kiosk takes it "
        "as done.",
        UNCONFIRMED,
    ),
    _a(
        "void.no_expiry",
        "RBI may never expire a PENDING transaction: the kiosk voids every one it "
        "opened and will not claim.",
        UNCONFIRMED,
    ),
    _a(
        "unclaimed.path",
        "A guest's sale is POST /loyalty/transaction/pos, status CLAIMED, without "
        "loyaltyId or transactionId.",
        SEED,
    ),
    _a(
        "unclaimed.presentation",
        "The unclaimed sale answers transactionId and presentation {header, footer, "
        "marketing, identifier}, text for the guest's receipt.",
        SEED,
    ),
    _a(
        "unclaimed.not_idempotent",
        "RBI records every unclaimed POST: one whose answer was lost is not sent again "
        "by itself (staff may, accepting a possible duplicate).",
        UNCONFIRMED,
    ),
    # --- errors
    _a(
        "errors.body",
        "Refusals carry {statusCode, code, message, details}; codes may be "
        "PascalCase or UPPER_SNAKE.",
        ERRORS,
    ),
    _a(
        "errors.rules",
        "RulesError details.ruleEvaluation[] carry code, ruleId, currentValue, "
        "targetValue and the incentive; its HTTP status is 400.",
        UNCONFIRMED,
    ),
    # --- content and eligibility
    _a(
        "graphql.x_ui_region",
        "GraphQL calls carry x-ui-region, the market's country.",
        LISTING,
    ),
    _a(
        "graphql.errors",
        "A GraphQL answer with errors is an error, even with status 200.",
        UNCONFIRMED,
    ),
    _a(
        "graphql.types",
        "The eligibility queries take loyaltyId as ID and where as LoyaltyOffersInput "
        "and LoyaltyRewardsInput (the page shows the arguments inline, not their "
        "types).",
        UNCONFIRMED,
    ),
    _a(
        "eligibility.offers",
        "loyaltyOffersV2 lists {id, name, type GLOBAL or PERSONALIZED, sanityId, "
        "errors {code ruleId}}; fixable failures come with errors.",
        LISTING,
    ),
    _a(
        "eligibility.rewards",
        "loyaltyRewardsV2 lists {id, name, errors}; id is the reward's loyaltyEngineId.",
        UNCONFIRMED,
    ),
    _a(
        "sanity.url",
        "Sanity's GraphQL is https://czqk28jt.api.sanity.io/v1/graphql/{env}_{brand}_{country}/default, readable without a token.",
        UNCONFIRMED,
    ),
    _a(
        "sanity.offers_document",
        "The offers page is LoyaltyOffersUI(id) with sortedSystemwideOffers and "
        "liveConfigOffers; its id is feature-loyalty-offers-ui-singleton unless the "
        "market has another (a connection setting).",
        SEED,
    ),
    _a(
        "sanity.rewards",
        "Rewards are RewardList(id: reward-list-singleton) by category, each with its "
        "LoyaltyPoints cost, vendorConfigs and benefit Item or Combo.",
        LISTING,
    ),
    _a(
        "sanity.vendor_configs",
        "vendorConfigs.{vendor}.constantPlu is the PLU; pluType Empty hides the "
        "incentive for that vendor.",
        VENDOR_CONFIGS,
    ),
    _a(
        "sanity.prices",
        "offerPrice and the reward points are whole numbers: offerPrice in cents.",
        UNCONFIRMED,
    ),
    # --- points
    _a(
        "points.earn_basis",
        "Points are earned on what the guest paid for, at the market's rate, rounded "
        "down; the kiosk only shows what RBI answers.",
        EARNING,
    ),
    _a(
        "session.rescan",
        "A second scan of the same member voids the first transaction and moves the "
        "basket onto the new one; another member's scan is voided.",
        EDGE_CASES,
    ),
)
