"""wpe-tui: a keyboard-driven terminal app for the WP Engine Customer API."""

__version__ = "0.1.0"
