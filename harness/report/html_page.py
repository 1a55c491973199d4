"""The one page skeleton of kata's self-contained HTML reports (interview sheets, grade
reports): a paper-like <main> on a grey page, its CSS inline, readable printed."""

from __future__ import annotations

import html

BASE_CSS = """
:root { --ink: #1d232b; --muted: #5b6673; --line: #d5dbe2; --accent: #1f5f9e;
        --good: #1c7c43; --bad: #b3362b; --paper: #ffffff; --tint: #f3f6f9; }
* { box-sizing: border-box; }
body { margin: 0; background: #e9edf1; color: var(--ink);
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
             Arial, sans-serif; }
main { max-width: 60rem; margin: 1.5rem auto; padding: 2rem 2.5rem; background: var(--paper);
       border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
.meta { color: var(--muted); margin: 0 0 .8rem; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas,
            "DejaVu Sans Mono", monospace; font-size: .88em; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line);
         vertical-align: top; }
th { background: var(--tint); font-weight: 600; }
td.num, th.num { white-space: nowrap; }
@media print {
  body { background: none; font-size: 10.5pt; }
  main { max-width: none; margin: 0; padding: 0; box-shadow: none; border-radius: 0; }
  tr { break-inside: avoid; }
}
"""


def page(title: str, body: str, css: str = "") -> str:
    """A whole HTML document: `body` (already escaped HTML) inside <main>."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{BASE_CSS}{css}</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""
