"""Text from an attempt, made safe to print: no control character reaches the terminal.

An attempt chooses its error messages, its output and its file name. Printed
raw, an escape sequence in any of them could move the cursor and redraw a
table ("mallory 4/4 passed"). Every text format passes such strings through
`safe` (keeping newlines where the layout has room for them) or `one_line`.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the Unicode bidirectional overrides and isolates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str | None) -> str:
    """`text` with every control character but newline and tab shown as an escape."""
    return "" if text is None else _CONTROL.sub(_escape, str(text)).replace("\r", "\\r")


def one_line(text: str | None) -> str:
    """The first line of `text`, made safe: for table cells."""
    lines = safe(text).splitlines()
    return lines[0] if lines else ""
