"""Every output format: terminal text, JSON views, CSV and HTML."""
