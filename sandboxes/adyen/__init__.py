"""The Adyen Terminal API emulator: terminals a test or a demo plays the customer of.

Cloud `/sync` and `/async` (X-API-Key), a terminal's local `/nexo` (nexo
encrypted messages), the Checkout API's refunds, and control routes under
`/_sandbox/` to present a card, decline, cancel, stay silent or let the card
go through after an abort; `/_sandbox/terminal/<POIID>/screen` shows the
terminal's screen.
"""
