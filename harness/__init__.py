"""kata: a practice harness for Python live-coding interviews."""

__version__ = "0.1.0"
