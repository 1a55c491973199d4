"""The one error every layer shares, kept apart so that importing it costs nothing."""


class UsageError(Exception):
    """A problem the user can fix (exit status 2): bad slug, missing file, bad option."""
