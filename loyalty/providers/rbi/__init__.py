"""RBI's loyalty middleware (Burger King, Popeyes, Firehouse Subs).

client (HTTP, errors), bodies (the requests as RBI's pages write them),
content (the Sanity catalogue and eligibility queries), rules (RBI's rule
ids and error codes in the kiosk's terms), provider (the neutral contract),
assumptions (what the kiosk relies on, with sources), live (the live check),
connection (the store's access as a connector), admin, models.
"""
