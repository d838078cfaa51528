"""The CFPI case tracker's domain model: pure, no I/O."""
