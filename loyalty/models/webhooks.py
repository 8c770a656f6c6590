"""Webhook deliveries already taken into account."""

from __future__ import annotations

from django.db import models

from loyalty.models.programmes import Programme


class WebhookEvent(models.Model):
    """A webhook event already taken into account (deliveries repeat)."""

    event_id = models.CharField(max_length=80, unique=True)
    programme = models.CharField(max_length=12, choices=Programme.choices)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.event_id
