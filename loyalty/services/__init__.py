"""Loyalty services: identification, rewards on an order, the outbox, webhooks."""
