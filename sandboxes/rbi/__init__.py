"""The emulator of RBI's Loyalty API v1 (Burger King's loyalty middleware).

It mimics one market (France, `x-region: FR`) of the middleware and its
Sanity content dataset, `dev_bk_fr`, as `rbi.md` §12 describes: identify by
one-time code or loyalty ID, validate, update (PENDING or CLAIMED), void and
unclaimed transactions, promo codes, the middleware's GraphQL eligibility
lists and the two Sanity singletons the kiosk reads. Its own control routes
mint codes, show a transaction's state, set balances, run the PENDING sweeper
and serve a demo page with QR codes.
"""
