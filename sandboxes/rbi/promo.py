"""`POST /loyalty/promo-code/redeem`: a code typed at the kiosk unlocks an offer.

Signed in or not, the code is burned on first use and answers the Sanity id
of the offer it unlocks; `/_sandbox/reset` makes it usable again.
"""

from __future__ import annotations

from sandboxes.core.web import SandboxResponse, json_response
from sandboxes.rbi.body import FieldErrors, pos_vendor_parse, text_field
from sandboxes.rbi.call import RbiCall
from sandboxes.rbi.errors import ErrorCode, RbiError, not_found
from sandboxes.rbi.ledger import user_find


def promo_code_redeem(call: RbiCall) -> SandboxResponse:
    data = call.body()
    errors = FieldErrors()
    promo_code = text_field(data, "promoCode", errors, is_required=True)
    loyalty_id = text_field(data, "loyaltyId", errors)
    pos_vendor_parse(data.get("posVendor"), "posVendor", errors)
    errors.raise_if_any()
    assert promo_code is not None
    if loyalty_id is not None and user_find(call.connection, loyalty_id) is None:
        raise not_found(ErrorCode.USER_NOT_FOUND, "User not found")
    row = call.connection.execute(
        "SELECT * FROM promo_codes WHERE code = ?", (promo_code.upper(),)
    ).fetchone()
    if row is None:
        raise not_found(ErrorCode.PROMO_CODE_NOT_FOUND, "Promo code not found")
    if row["redeemed_at"] is not None:
        raise RbiError(
            422, ErrorCode.PROMO_CODE_ALREADY_REDEEMED, "Promo code already redeemed"
        )
    call.connection.execute(
        "UPDATE promo_codes SET redeemed_at = ?, redeemed_by = ? WHERE code = ?",
        (call.now_iso(), loyalty_id, row["code"]),
    )
    return json_response({"sanityId": row["sanity_id"]})


def points_adjust(call: RbiCall) -> SandboxResponse:
    """Partner point adjustments are not something a kiosk does: not emulated."""
    raise RbiError(
        501,
        ErrorCode.NOT_IMPLEMENTED,
        "Point adjustments are not available in the sandbox",
    )
