"""The web interface: Flask pages for forum secretaries and advocacy staff."""
