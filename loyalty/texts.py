"""The programme's refusals in plain words, for the customer."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from loyalty.models import Redemption
from loyalty.providers.base import RuleCode


def rule_text(
    code: str, *, current: float | None = None, target: float | None = None
) -> str:
    """Why an incentive cannot go with this order, for the customer."""
    if code == RuleCode.INSUFFICIENT_POINTS and target is not None:
        count = max(int(target - (current or 0)), 1)
        return ngettext(
            "You need %(count)d more point for this.",
            "You need %(count)d more points for this.",
            count,
        ) % {"count": count}
    texts = {
        RuleCode.INSUFFICIENT_POINTS: _("You do not have enough points for this."),
        RuleCode.MINIMUM_SPEND: _(
            "Your order is below the minimum spend for this offer."
        ),
        RuleCode.LIMIT_REACHED: _("You have reached the limit for this offer."),
        RuleCode.NOT_AVAILABLE_NOW: _("This offer is not valid at the moment."),
        RuleCode.SERVICE_MODE: _("Not valid for this service mode."),
        RuleCode.NOT_IN_THIS_STORE: _("Not available in this restaurant."),
        RuleCode.FIRST_ORDER_ONLY: _("Only for your first order."),
        RuleCode.SIGN_IN_REQUIRED: _("Scan your app to use this."),
    }
    return texts.get(RuleCode(code) if code in RuleCode else RuleCode.OTHER) or _(
        "This can't be used with this order."
    )


def redemption_rule_text(redemption: Redemption) -> str:
    """The last rule failure of an incentive on the order, or ""."""
    if not redemption.issue_rule:
        return ""
    return rule_text(
        redemption.issue_rule,
        current=redemption.issue_current,
        target=redemption.issue_target,
    )
