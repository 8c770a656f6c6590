"""The list of what the Stripe client assumes is whole and says what the code does."""

from __future__ import annotations

from kiosk.payments.assumptions import OUR_CHOICE, UNCONFIRMED
from kiosk.payments.stripe import intents, terminal
from kiosk.payments.stripe.assumptions import ASSUMPTIONS

BY_KEY = {assumption.key: assumption for assumption in ASSUMPTIONS}


def test_each_assumption_is_named_once_with_its_source():
    assert len(BY_KEY) == len(ASSUMPTIONS)
    assert all(a.statement and a.source for a in ASSUMPTIONS)
    assert {a.source for a in ASSUMPTIONS if not a.is_confirmed} == {
        UNCONFIRMED,
        OUR_CHOICE,
    }


def test_the_client_does_what_the_list_says():
    assert (
        f"capture_method={intents.CAPTURE_METHOD}"
        in BY_KEY["intent.manual_capture"].statement
    )
    assert (
        f"metadata[{intents.ATTEMPT_METADATA}]" in BY_KEY["intent.metadata"].statement
    )
    assert f"{terminal.START_GRACE_S:g} s" in BY_KEY["reader.not_on_intent"].statement
    uncertain = sorted(terminal.READER_UNCERTAIN)
    assert uncertain == ["terminal_reader_timeout"]
    assert f"`{uncertain[0]}`" in BY_KEY["reader.errors"].statement
