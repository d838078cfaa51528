"""The CFPI case tracker application: commands, queries, configuration and CLI."""
