"""Services: every state change of the kiosk app, each in its own transaction."""
