"""Services: every state change of the hardware app, each in its own transaction."""
