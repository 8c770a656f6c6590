"""RBI's loyalty middleware (Burger King, Popeyes, Firehouse Subs).

client (HTTP, errors), content (the Sanity catalogue and eligibility
queries), rules (RBI's rule ids and error codes in the kiosk's terms),
provider (the neutral contract), connection (the store's access as a
connector), admin, models.
"""
