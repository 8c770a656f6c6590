"""The kitchen's services: routing a paid order, bumping, readiness, hand-over, void."""
