"""What the kiosk relies on about Adyen's Terminal API that no public
document confirms, or that it chose where Adyen says nothing.

Each is kept here with the document that comes closest, or UNCONFIRMED.
The client (`messages`, `transport`, `terminal`) and the sandbox
(`sandboxes.adyen`) both follow this list; when a real terminal answers
otherwise, change it here first, then both sides.
"""

from __future__ import annotations

from kiosk.payments.assumptions import OUR_CHOICE, Assumption

TERMINAL_API = (
    "Adyen, Terminal API reference (TerminalAPI-v1.yaml, Adyen/adyen-openapi)"
)
CLOUD = "Adyen, Terminal API cloud communications (https://docs.adyen.com/point-of-sale/design-your-integration/terminal-api/)"
STATUS = "Adyen, Verify transaction status (https://docs.adyen.com/point-of-sale/basic-tapi-integration/verify-transaction-status/)"
ENCRYPTION = (
    "Adyen's Node and .NET libraries (nexoCrypto, EncryptionDerivedKeyGenerator)"
)
PROTECT = "Adyen, Protect local communications with your own code (https://docs.adyen.com/point-of-sale/design-your-integration/choose-your-architecture/local/protect)"
CHECKOUT = "Adyen, Checkout API v72, POST /payments/{paymentPspReference}/refunds"
WEBHOOKS = "Adyen, Webhooks API v1 (REFUND, REFUND_FAILED, REFUNDED_REVERSED) and Verify HMAC signatures (https://docs.adyen.com/development-resources/webhooks/verify-hmac-signatures/)"


ASSUMPTIONS = (
    Assumption(
        "service_id.derived",
        "A ServiceID only has to be 1 to 10 characters and unique per SaleID: "
        "the payment's is derived from the attempt key (10 base-36 characters of "
        "its SHA-256), so its status can be asked from any process after a lost "
        "answer without storing anything. How long Adyen keeps a ServiceID "
        "findable by TransactionStatus is not documented.",
        OUR_CHOICE,
    ),
    Assumption(
        "sale_reference.attempt",
        "SaleData.SaleReferenceID carries the attempt key, and SaleToAcquirerData "
        "`metadata.attemptKey=<key>`, so the attempt shows in Adyen's Customer "
        "Area; the key=value form of SaleToAcquirerData is as Adyen's examples "
        "show it, its metadata key is ours.",
    ),
    Assumption(
        "async.ok",
        "Cloud `/async` answers the body `ok` when the terminal took the "
        "request; the result is read with TransactionStatus on `/sync`, not "
        "from the event notification (the kiosk receives no webhooks).",
        CLOUD,
    ),
    Assumption(
        "status.not_found",
        "TransactionStatus answers Failure/NotFound for a ServiceID the terminal "
        "never received, and Failure/InProgress while the payment runs. "
        "NotFound means the payment never started (nothing charged), except "
        "in the first 15 s after this process sent it; a payment sent by "
        "another process is taken as never started too, since cloud `/async` "
        "answers only once the terminal took the request.",
        STATUS,
    ),
    Assumption(
        "abort.no_answer",
        "An AbortRequest's own answer says nothing of the payment (it may be "
        "empty): the kiosk ignores its body and reads TransactionStatus, which "
        "is Success when the card went through before the abort.",
    ),
    Assumption(
        "payment.brand",
        "CardData.PaymentBrand is Adyen's brand code (`mc`, `visa`), and "
        "AdditionalResponse holds URL-encoded key=value pairs (or Base64 JSON) "
        "with cardType, applicationLabel, AID, posEntryMode, authCode and "
        "pspReference.",
    ),
    Assumption(
        "payment.reference",
        "The reference kept for refunds is the pspReference of AdditionalResponse, "
        "else the part after the dot of POIData.POITransactionID.TransactionID "
        "(`<tender reference>.<pspReference>`).",
    ),
    Assumption(
        "payment.partial",
        "The kiosk never allows a partial authorisation, so Result `Partial` "
        "should not come; if it does the attempt is FAILED and staff refund "
        "the part taken.",
        OUR_CHOICE,
    ),
    Assumption(
        "local.encryption",
        "Local messages: PBKDF2-HMAC-SHA1 of the passphrase, salt "
        "`AdyenNexoV1Salt`, 4000 rounds, 80 bytes (HMAC key, AES key, IV); "
        "AES-256-CBC with the IV XOR a random 16-byte nonce; HMAC-SHA256 over "
        "the clear text; AdyenCryptoVersion 1. The passphrase is taken as "
        "UTF-8 (Adyen's Node library reads it as Latin-1: the same bytes for "
        "an ASCII passphrase).",
        ENCRYPTION,
    ),
    Assumption(
        "local.reject",
        "A terminal that cannot decrypt a message answers, in clear, a "
        "SaleToPOIRequest EventNotification with EventToNotify `Reject`.",
    ),
    Assumption(
        "local.certificate",
        "A terminal's TLS certificate chains to Adyen's terminal root (the "
        "operator installs the file, `root_certificate`) and its Common Name "
        "is `<POIID>.<test|live>.terminal.adyen.com` or "
        "`legacy-terminal-certificate.<test|live>.terminal.adyen.com`, not its "
        "address: the host-name check is replaced by that one.",
        PROTECT,
    ),
    Assumption(
        "local.certificate.poiid",
        "The Common Name's POIID must be this terminal's (Adyen's page asks "
        "for the format only): a certificate of another terminal of the store "
        "is refused.",
        OUR_CHOICE,
    ),
    Assumption(
        "refund.checkout",
        "A terminal payment is refunded without the card through Checkout's "
        "refunds endpoint with its pspReference, the merchant account and an "
        "Idempotency-Key; the answer `received` is PENDING until Adyen's "
        "REFUND webhook.",
        CHECKOUT,
    ),
    Assumption(
        "refund.notification",
        "A REFUND notification's `success` is the refund's outcome (`reason` "
        "says why not); REFUND_FAILED and REFUNDED_REVERSED later say it "
        "failed. Its pspReference is the refund's (the one Checkout answered), "
        "originalReference the payment's. Each item is signed by HMAC-SHA256 "
        "over pspReference:originalReference:merchantAccountCode:"
        "merchantReference:value:currency:eventCode:success with the hex key.",
        WEBHOOKS,
    ),
    Assumption(
        "webhook.acknowledgement",
        "Adyen takes a delivery as accepted on a 2xx status; the body "
        "`[accepted]` of older integrations is not needed.",
        "Adyen, Webhooks API v1: 'Webhook events are accepted on the basis of "
        "the HTTP status code'",
    ),
    Assumption(
        "diagnosis.check",
        "A DiagnosisRequest (HostDiagnosisFlag) answered Success means the "
        "terminal is reachable with these credentials.",
        TERMINAL_API,
    ),
)
