"""Pongo (heypongo.com): everything of Pongo in one folder.

client (HTTP, errors), provider (the neutral contract), connection (the
store's OAuth connection as a connector), merchant and setup (OAuth, store
and reward mapping, webhook subscription), webhooks (signed deliveries into
the member mirror), views and urls (set-up pages, webhook endpoint), admin,
models, templates.
"""
