"""Raises KeyboardInterrupt while being imported.

Verdict: not passed
Reason: raised KeyboardInterrupt while being imported
"""

raise KeyboardInterrupt
