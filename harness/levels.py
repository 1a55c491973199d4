"""Interview levels, easiest first (kept apart: the command line needs them at import)."""

LEVELS = ("junior", "mid", "senior")
