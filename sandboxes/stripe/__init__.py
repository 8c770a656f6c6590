"""The Stripe Terminal emulator: smart readers a test or a demo plays the customer of.

Stripe's API as the server-driven integration uses it (PaymentIntents,
readers and their actions, refunds, webhook endpoints, the test helper that
presents a card), form-encoded and Bearer-authenticated like Stripe's, with
signed webhooks; control routes under `/_sandbox/` to present a card,
decline, cancel on the reader, stay silent or let the card go through after
the cancel; `/_sandbox/terminal/<reader>/screen` shows the reader's screen.
"""
