"""Values the command line offers as choices, kept apart: it needs them at import,
before any heavier module is loaded."""

LEVELS = ("junior", "mid", "senior")  # interview levels, easiest first
FORMATS = ("md", "html")  # interview sheet formats
