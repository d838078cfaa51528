"""Read models and report queries built from the case tracker's events."""
