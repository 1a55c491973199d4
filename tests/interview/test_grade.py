"""`kata grade`: a folder of candidate attempts, graded in parallel like `kata check`,
and `kata check --blind`."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from harness import catalog
from harness.grading.results import CheckReport, StageResult, Timing
from harness.grading.results import TestResult as Outcome
from harness.interview import grade as batch
from harness.report import grade_report

# Grades real attempts through child processes (pytest -m 'not slow' leaves it out).
pytestmark = pytest.mark.slow

FLATTEN = catalog.find_kata("flatten")
# A folder of candidates, one file each, made from the kata's own attempts, and the
# stages each reaches.
SOURCES = {
    "ada.py": (FLATTEN.reference_path, 4),
    "grace.py": (FLATTEN.dir / "known_good" / "reversed_push_stack.py", 4),
    "barbara.py": (FLATTEN.dir / "known_bad" / "unflatten_overwrites.py", 3),
    "linus.py": (FLATTEN.dir / "known_bad" / "only_dict_instances.py", 1),
    "ken.py": (FLATTEN.stub_path, 0),
}
EXPECTED = {name: reached for name, (_, reached) in SOURCES.items()}
FILES = sorted(SOURCES)


@pytest.fixture(scope="module")
def candidates(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("candidates")
    for name, (source, _) in SOURCES.items():
        shutil.copy(source, folder / name)
    (folder / "notes.txt").write_text("not an attempt: kata grade reads *.py only\n")
    return folder


def _check_json(kata_home: Path, attempt: Path) -> tuple[int, dict]:
    proc = subprocess.run(
        [sys.executable, "-m", "harness", "check", "flatten", "--file", str(attempt), "--json",
         "--all-stages", "--no-bench"], capture_output=True, text=True, timeout=120,
        env={**os.environ, "KATA_HOME": str(kata_home), "NO_COLOR": "1"})
    return proc.returncode, json.loads(proc.stdout)


def test_grade_matches_kata_check_for_every_file(kata, kata_home, workspace, candidates):
    """One grading run (JSON on stdout, HTML to a file), then `kata check` on each file."""
    run = kata("grade", str(candidates), "--kata", "flatten", "--jobs", "2", "--json",
               "--no-bench", "--html", "grades.html", timeout=300)
    assert run.code == 0, run.stderr
    assert "Grading 5 attempts" in run.stderr  # the progress bar is on stderr...
    document = run.json()  # ...so stdout is one clean JSON document
    assert document["kata"] == "flatten"
    results = {r["file"]: r for r in document["results"]}
    assert sorted(results) == FILES
    for name, reached in EXPECTED.items():
        assert results[name]["stages_passed"] == reached, (name, results[name])
        assert results[name]["passed"] is (reached == 4)

    with ThreadPoolExecutor(max_workers=2) as pool:
        checks = dict(zip(FILES, pool.map(lambda n: _check_json(kata_home, candidates / n),
                                          FILES), strict=True))
    for name, (code, check) in checks.items():
        result = results[name]
        assert code == (0 if check["passed"] else 1)
        assert (result["passed"], result["summary"], result["error"]) == (
            check["passed"], check["summary"], check["error"]), name
        in_order = 0
        for stage in check["stages"]:
            if not stage["passed"]:
                break
            in_order += 1
        assert result["stages_passed"] == in_order, name

    page = (workspace / "grades.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for loader in ("<script", "<link", "src=", "href=", "@import", "url("):
        assert loader not in page
    assert "@media print" in page
    for name in FILES:
        assert Path(name).stem in page


def test_grade_csv_and_table(kata, workspace, candidates):
    folder = workspace / "two"
    folder.mkdir()
    shutil.copy(candidates / "linus.py", folder / "candidate_linus.py")
    (folder / "notes.txt").write_text("not an attempt")
    run = kata("grade", str(folder), "--kata", "flatten", "--csv", "--jobs", "2")
    assert run.code == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [(r["candidate"], r["stages_passed"], r["passed"]) for r in rows] == [
        ("candidate_linus", "1", "False")]
    table = kata("grade", str(folder), "--kata", "flatten", "--jobs", "1")
    assert table.code == 0
    assert "candidate_linus  1/4" in table.stdout
    assert "—" in table.stdout  # no benchmark for attempts that did not pass
    assert "0 of 1 attempts passed" in table.stdout


def test_grade_usage_errors(kata, workspace, candidates):
    empty = workspace / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("no attempts here")
    for args, message in [
        ((str(candidates), "--kata", "no-such-kata"), "unknown kata"),
        ((str(workspace / "missing"), "--kata", "flatten"), "no such directory"),
        ((str(empty), "--kata", "flatten"), "no attempt files"),
        ((str(candidates), "--kata", "flatten", "--json", "--csv"), "one of --json"),
    ]:
        run = kata("grade", *args)
        assert run.code == 2, (args, run.stdout, run.stderr)
        assert message in run.stderr
    assert kata("grade", str(candidates)).code == 2  # --kata is required


def test_benchmark_ratio_is_read_from_the_report():
    stages = [StageResult(1, "s", [Outcome("t", "passed", 0.1)])]
    fast = CheckReport("flatten", "a.py", None, stages,
                       Timing(tests_s=1, wall_s=1, benchmark={
                           "ratio": 1.25, "growth": "O(n)", "reference_growth": "O(n)"}))
    none = CheckReport("flatten", "b.py", None, stages, Timing(tests_s=1, wall_s=1))
    rows = grade_report.table_rows(FLATTEN, [batch.Graded(Path("a.py"), fast),
                                             batch.Graded(Path("b.py"), none)])
    assert [row[-2:] for row in rows] == [("1.25×", "O(n)"), ("—", "—")]


# -- kata check --blind ------------------------------------------------------------

def test_blind_check_shows_stage_verdicts_and_counts_only(kata, candidates):
    attempt = candidates / "linus.py"  # passes stage 1 only
    full = kata("check", "flatten", "--file", str(attempt), "--json", "--all-stages").json()
    run = kata("check", "flatten", "--file", str(attempt), "--json", "--blind")
    assert run.code == 1
    blind = run.json()
    assert blind["blind"] is True
    for key in ("kata", "file", "passed", "error", "summary"):
        assert blind[key] == full[key]
    assert [s["passed"] for s in blind["stages"]] == [s["passed"] for s in full["stages"]]
    assert [s["summary"]["total"] for s in blind["stages"]] == [
        len(s["tests"]) for s in full["stages"]]
    assert all("tests" not in stage for stage in blind["stages"])
    # Stage 2 is the current one; the titles of stages 3 and 4 stay a surprise.
    assert [s["title"] is None for s in blind["stages"]] == [False, False, True, True]
    text = kata("check", "flatten", "--file", str(attempt), "--blind")
    assert text.code == 1
    assert "Stage 2" in text.stdout and "NOT PASSED" in text.stdout
    for output in (run.stdout, text.stdout):
        assert "test_" not in output  # every hidden test's name starts with test_
        for test in (t for s in full["stages"] for t in s["tests"]):
            for detail in (test["message"], test["example"], test["output"]):
                if detail:
                    assert detail.splitlines()[0] not in output


def test_a_growth_worse_than_the_reference_is_flagged_in_every_format():
    """A correct attempt whose time grows as O(n^2) where the reference's grows as O(n):
    flagged in the text table, CSV, JSON and HTML. (Whether a real quadratic attempt is
    measured so, under load too, is bench/stability.py's to show: 10 of 10 here.)"""
    stages = [StageResult(1, "s", [Outcome("t", "passed", 0.1)])]

    def graded(name: str, growth: str, ratio: float) -> batch.Graded:
        bench = {"ratio": ratio, "growth": growth, "reference_growth": "O(n)", "workload": "w"}
        report = CheckReport("flatten", name, None, stages,
                             Timing(tests_s=1, wall_s=1, benchmark=bench))
        return batch.Graded(Path(name), report)

    results = [graded("ada.py", "O(n)", 1.0), graded("quinn.py", "O(n^2)", 26.0),
               graded("noisy.py", "O(n log n)", 1.1)]
    rows = {r["candidate"]: r for r in grade_report.to_json(FLATTEN, results)["results"]}
    assert [rows[c]["grows_worse_than_reference"] for c in ("ada", "quinn", "noisy")] == [
        False, True, False]  # a class off by noise, at the reference's speed, is no finding
    table = grade_report.text_table(FLATTEN, results)
    assert "O(n^2) (worse than the reference)" in next(
        line for line in table.splitlines() if line.startswith("quinn"))
    records = {r["candidate"]: r for r in csv.DictReader(io.StringIO(
        grade_report.to_csv(results)))}
    assert records["quinn"]["grows_worse_than_reference"] == "True"
    assert records["ada"]["grows_worse_than_reference"] == "False"
    page = grade_report.html_report(FLATTEN, results, "now")
    assert page.count("worse than the reference") == 1


def test_a_real_quadratic_attempt_gets_its_growth_measured(kata, tmp_path):
    folder = tmp_path / "candidates"
    folder.mkdir()
    shutil.copy(Path(__file__).parents[1] / "practice" / "slow_attempts" / "flatten_quadratic.py",
                folder / "quinn.py")
    document = json.loads(kata("grade", str(folder), "--kata", "flatten", "--json",
                               timeout=600).stdout)
    row = document["results"][0]
    assert row["verdict"] == "passed" and row["growth"] is not None
    assert isinstance(row["grows_worse_than_reference"], bool)


def test_a_file_without_a_later_stages_name_shows_its_progress(kata, tmp_path):
    """The contract: a flatten.py without unflatten is graded, and its three stages count."""
    folder = tmp_path / "candidates"
    folder.mkdir()
    reference = FLATTEN.reference_path.read_text()
    (folder / "no_unflatten.py").write_text(reference[:reference.index("def unflatten(")])
    document = json.loads(kata("grade", str(folder), "--kata", "flatten", "--json",
                               "--no-bench", timeout=600).stdout)
    row = document["results"][0]
    assert row["stages_passed"] == 3 and row["verdict"] == "not passed" and row["error"] is None
