"""The interviewer's sheet (Markdown and HTML), and both HTML pages in a real browser."""

from __future__ import annotations

import re
import shutil
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harness import catalog
from harness.catalog import Question
from harness.grading.results import CheckReport, StageResult, Timing
from harness.grading.results import TestResult as Outcome
from harness.interview import grade as batch
from harness.report import grade_report, sheet

FLATTEN = catalog.find_kata("flatten")
READY = [k for k in catalog.all_katas() if k.stages and k.level]


class _Tags(HTMLParser):
    """Checks that every opened element is closed, and collects what could load a resource."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.loads: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)
        self.loads += [f"{tag} {k}={v}" for k, v in attrs if k in ("src", "href")]
        if tag in ("script", "link", "iframe", "object", "embed"):
            self.loads.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()


def assert_self_contained(page: str) -> None:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    assert parser.open == [], f"unclosed elements: {parser.open}"
    assert parser.loads == [], f"the page loads resources: {parser.loads}"
    assert "@import" not in page and "url(" not in page
    assert "@media print" in page


def test_markdown_has_every_part_in_order():
    text = sheet.markdown(FLATTEN)
    first = FLATTEN.stages[0]
    assert first.prompt.splitlines()[0] in text
    for question in FLATTEN.questions:
        assert question.ask in text and question.answer in text
    for stage in FLATTEN.stages:
        assert f"## Stage {stage.number}: {stage.title} ({stage.minutes} min" in text
        assert stage.prompt.splitlines()[0] in text
        for signal in (*stage.strong, *stage.weak, *stage.hints):
            assert signal in text
    for mistake in FLATTEN.mistakes:
        assert mistake in text
    reference = FLATTEN.reference_path.read_text()
    assert reference.strip() in text
    order = [text.index(h) for h in ("## The prompt, said aloud", "## Clarifying questions",
                                     "## Stage 1:", "## Stage 4:", "## Common mistakes",
                                     "## Reference solution")]
    assert order == sorted(order)


def test_html_is_self_contained_escaped_and_complete():
    page = sheet.html_page(FLATTEN)
    assert_self_contained(page)
    assert "<!DOCTYPE html>" in page
    for stage in FLATTEN.stages:
        assert f"Stage {stage.number}: {stage.title}" in page
    assert "Reference solution" in page
    # The reference is shown verbatim, escaped: no <code> spans made from its backticks.
    assert "def unflatten(" in page
    assert page.index("Common mistakes") < page.index("Reference solution")


def test_html_escapes_what_the_kata_says():
    from dataclasses import replace

    hostile = replace(FLATTEN, title="<script>alert(1)</script>",
                      questions=(Question("Is <b> bold?", "Use `a < b` & see"),))
    page = sheet.html_page(hostile)
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page
    assert "<code>a &lt; b</code> &amp; see" in page


@pytest.mark.parametrize("kata", READY, ids=[k.slug for k in READY])
def test_every_kata_that_loads_gets_a_sheet(kata):
    for fmt in sheet.FORMATS:
        assert kata.title in sheet.render(kata, fmt)
    assert_self_contained(sheet.html_page(kata))


def test_sheet_command_writes_a_file_or_prints(kata, workspace):
    run = kata("interview", "sheet", "flatten", "--format", "html", "--output", "sheet.html")
    assert run.code == 0, run.stderr
    page = (workspace / "sheet.html").read_text()
    assert page == sheet.html_page(FLATTEN)
    printed = kata("interview", "sheet", "flatten")
    assert printed.code == 0 and printed.stdout == sheet.markdown(FLATTEN)


def test_sheet_command_usage_errors(kata):
    assert kata("interview", "sheet", "no-such-kata").code == 2
    assert kata("interview", "sheet", "flatten", "--format", "pdf").code == 2
    missing = kata("interview", "sheet", "flatten", "--output", "no/such/dir/sheet.md")
    assert missing.code == 2 and "cannot write" in missing.stderr


# -- a real browser ----------------------------------------------------------------

def _report(passing: list[int], error: str | None = None) -> CheckReport:
    stages = [StageResult(s.number, s.title, [
        Outcome(f"test_{s.number}_{i}", "passed" if s.number in passing or i else "failed",
                   0.01) for i in range(3)]) for s in FLATTEN.stages]
    return CheckReport(kata="flatten", file="x.py", error=error, stages=stages,
                       timing=Timing(tests_s=1.0, wall_s=2.0))


def sample_grades() -> list[batch.Graded]:
    return [batch.Graded(Path("ada.py"), _report([1, 2, 3, 4])),
            batch.Graded(Path("linus <the> second.py"), _report([1])),
            batch.Graded(Path("ken.py"), _report([], error="NameError: name 'x'"))]


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", header[16:24])


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
@pytest.mark.parametrize("page", ["sheet", "grades"])
def test_html_renders_in_chromium(page, tmp_path, chromium_screenshot):
    html = (sheet.html_page(FLATTEN) if page == "sheet"
            else grade_report.html_report(FLATTEN, sample_grades(), "2024-01-01 10:00"))
    source = tmp_path / f"{page}.html"
    source.write_text(html, encoding="utf-8")
    shot = tmp_path / f"{page}.png"
    proc = chromium_screenshot(source, shot, "1200,1600")
    assert shot.is_file(), proc.stderr[-2000:]
    assert _png_size(shot) == (1200, 1600)
    # A blank page compresses to almost nothing; a rendered sheet or table does not.
    assert shot.stat().st_size > 20_000
    # The page itself must not ask the network for anything.
    assert not re.search(r"https?://", html)


def test_the_sheet_can_include_the_contract(kata):
    contract = (FLATTEN.dir / "CONTRACT.md").read_text()
    md = kata("interview", "sheet", "flatten", "--contract").stdout
    assert md.endswith(contract) and "Reference solution" in md
    page = kata("interview", "sheet", "flatten", "--contract", "--format", "html").stdout
    assert "The contract" in page and "Stage 4, deep data and unflatten" in page
    assert "The contract" not in kata("interview", "sheet", "flatten").stdout
