"""The Flask interface for people and the JSON API for programs (issues 4, 5)."""
