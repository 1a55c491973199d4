"""The command line: start, check, prompt, hint, solution, reset, list; exit codes; JSON."""

from __future__ import annotations

import json
import os

import pytest

from harness import catalog

FLATTEN = catalog.find_kata("flatten")
STAGE_1_ONLY = FLATTEN.dir / "known_bad" / "only_dict_instances.py"  # passes stage 1 only


def test_help_lists_every_command(kata):
    run = kata("--help")
    assert run.code == 0
    for command in ("list", "start", "check", "prompt", "hint", "solution", "reset"):
        assert command in run.stdout


def test_list_json_has_every_kata(kata):
    run = kata("list", "--json")
    assert run.code == 0
    rows = json.loads(run.stdout)
    slugs = {row["slug"] for row in rows}
    assert "flatten" in slugs
    flatten = next(r for r in rows if r["slug"] == "flatten")
    assert flatten == {**flatten, "title": FLATTEN.title, "level": "junior", "minutes": 20,
                       "status": "new"}
    assert flatten["topics"] == list(FLATTEN.topics)


def test_start_writes_the_stub_and_shows_the_first_prompt(kata, workspace):
    run = kata("start", "flatten")
    assert run.code == 0, run.stderr
    assert (workspace / "flatten.py").read_text() == FLATTEN.stub_path.read_text()
    assert "Stage 1/4: Nested dicts" in run.stdout
    assert "kata check" in run.stdout


def test_start_never_overwrites_an_attempt(kata, workspace):
    attempt = workspace / "flatten.py"
    attempt.write_text("# my work\n")
    run = kata("start", "flatten")
    assert run.code == 0
    assert attempt.read_text() == "# my work\n"
    assert "continues" in run.stdout


def test_start_into_another_dir(kata, workspace):
    target = workspace / "elsewhere"
    target.mkdir()
    assert kata("start", "flatten", "--dir", str(target)).code == 0
    assert (target / "flatten.py").is_file()
    assert not (workspace / "flatten.py").exists()


def test_reset_keeps_a_backup(kata, workspace):
    kata("start", "flatten")
    attempt = workspace / "flatten.py"
    attempt.write_text("# attempt one\n")
    run = kata("reset", "flatten")
    assert run.code == 0
    backups = [p for p in workspace.iterdir() if p.name != "flatten.py"]
    assert len(backups) == 1 and backups[0].read_text() == "# attempt one\n"
    assert attempt.read_text() == FLATTEN.stub_path.read_text()
    attempt.write_text("# attempt two\n")
    kata("reset", "flatten")
    contents = sorted(p.read_text() for p in workspace.iterdir() if p.name != "flatten.py")
    assert contents == ["# attempt one\n", "# attempt two\n"], "no backup may be overwritten"


def test_unknown_kata_exits_2(kata):
    for args in (("check", "nope"), ("start", "nope"), ("prompt", "nope"), ("hint", "nope")):
        run = kata(*args)
        assert run.code == 2, args
        assert "unknown kata" in run.stderr
        assert run.stdout == ""


def test_check_usage_errors_exit_2(kata, workspace):
    assert kata("check").code == 2  # nothing started here
    assert kata("check", "flatten").code == 2  # no attempt file
    assert kata("check", "--file", str(workspace / "missing.py")).code == 2
    other = workspace / "mystery.py"
    other.write_text("x = 1\n")
    assert kata("check", "--file", str(other)).code == 2  # cannot tell which kata
    assert kata("check", "flatten", "--timeout", "-1").code == 2


@pytest.mark.slow
def test_check_stub_fails_with_exit_1_and_one_json_document(kata, workspace):
    kata("start", "flatten")
    run = kata("check", "--json")
    assert run.code == 1
    report = json.loads(run.stdout)  # the whole of stdout is one document
    assert report["kata"] == "flatten" and report["passed"] is False
    assert report["file"] == str(workspace / "flatten.py")
    assert report["error"] is None
    summary = report["summary"]
    assert summary["failed"] == summary["total"] > 0 and summary["passed"] == 0
    assert [s["number"] for s in report["stages"]] == [1, 2, 3, 4]
    assert report["stages"][0]["title"] == "Nested dicts"
    for stage in report["stages"]:
        assert stage["passed"] is False
        for test in stage["tests"]:
            assert set(test) >= {"name", "outcome", "duration_s", "message"}
            assert test["outcome"] in {"passed", "failed", "error", "skipped", "timeout"}
    assert "NotImplementedError" in report["stages"][0]["tests"][0]["message"]
    timing = report["timing"]
    assert timing["tests_s"] >= 0 and timing["wall_s"] > 0
    # The stub is unchanged: the kata's clock has not started.
    assert timing["since_start_s"] is None


@pytest.mark.slow
def test_check_reference_passes_with_exit_0(kata, workspace):
    kata("start", "flatten")
    (workspace / "flatten.py").write_text(FLATTEN.reference_path.read_text())
    run = kata("check")
    assert run.code == 0, run.stdout
    assert "PASSED" in run.stdout and "Timing:" in run.stdout


@pytest.mark.slow
def test_check_infers_the_kata_from_the_file_name(kata, workspace):
    attempt = workspace / "flatten.py"
    attempt.write_text(FLATTEN.reference_path.read_text())
    run = kata("check", "--file", str(attempt), "--json")
    assert run.code == 0 and run.json()["kata"] == "flatten"
    assert run.json()["timing"]["since_start_s"] is None  # never started


@pytest.mark.slow
def test_check_writes_nothing_into_the_workspace(kata, workspace):
    kata("start", "flatten")
    (workspace / "flatten.py").write_text(FLATTEN.reference_path.read_text())
    before = sorted(p.name for p in workspace.rglob("*"))
    kata("check")
    assert sorted(p.name for p in workspace.rglob("*")) == before


@pytest.mark.slow
def test_first_pass_of_a_stage_shows_the_next_prompt_once(kata, workspace):
    kata("start", "flatten")
    (workspace / "flatten.py").write_text(STAGE_1_ONLY.read_text())
    first = kata("check")
    assert first.code == 1
    assert "Stage 1 passed. The interviewer follows up:" in first.stdout
    assert "Stage 2/4: Edge cases" in first.stdout
    again = kata("check")
    assert "The interviewer follows up" not in again.stdout
    assert "Keep going on stage 2" in again.stdout


@pytest.mark.slow
def test_prompt_shows_only_the_stages_reached(kata, workspace):
    kata("start", "flatten")
    run = kata("prompt", "flatten")
    assert "Stage 1/4" in run.stdout and "Stage 2/4" not in run.stdout
    (workspace / "flatten.py").write_text(STAGE_1_ONLY.read_text())
    kata("check")
    run = kata("prompt", "flatten")
    assert "Stage 2/4" in run.stdout and "Stage 3/4" not in run.stdout
    assert "Stage 4/4" in kata("prompt", "flatten", "--all").stdout


@pytest.mark.slow
def test_hints_come_one_at_a_time_and_stop_at_the_last(kata):
    kata("start", "flatten")
    hints = FLATTEN.stage(1).hints
    seen = [kata("hint", "flatten").stdout for _ in range(len(hints) + 1)]
    for number, (text, hint) in enumerate(zip(seen, hints, strict=False), start=1):
        assert f"Hint {number}/{len(hints)} for stage 1" in text
        assert hint[:40] in text.replace("\n  ", " ")
    assert f"Hint {len(hints)}/{len(hints)}" in seen[-1]


@pytest.mark.slow
def test_solution_asks_before_showing_until_passed(kata, workspace):
    run = kata("solution", "flatten", input="n\n")
    assert run.code == 1 and "def flatten" not in run.stdout
    run = kata("solution", "flatten", "--yes")
    assert run.code == 0 and run.stdout == FLATTEN.reference_path.read_text()
    kata("start", "flatten")
    (workspace / "flatten.py").write_text(FLATTEN.reference_path.read_text())
    assert kata("check").code == 0
    run = kata("solution", "flatten")
    assert run.code == 0 and "def flatten" in run.stdout


@pytest.mark.slow
def test_list_shows_progress(kata, workspace):
    kata("start", "flatten")
    (workspace / "flatten.py").write_text(STAGE_1_ONLY.read_text())
    kata("check")
    flatten = next(r for r in kata("list", "--json").json() if r["slug"] == "flatten")
    assert flatten["status"] == "started" and flatten["stages_passed"] == 1


@pytest.mark.parametrize("value", ["inf", "nan", "1e12", "0", "-1", "abc"])
def test_limits_out_of_range_are_usage_errors(kata, workspace, value):
    assert kata("start", "flatten").code == 0
    run = kata("check", "--timeout", value)
    assert run.code == 2 and "--timeout" in run.stderr


def test_a_folder_where_the_attempt_should_be(kata, workspace):
    assert kata("start", "flatten").code == 0
    (workspace / "flatten.py").unlink()
    (workspace / "flatten.py").mkdir()
    run = kata("check")
    assert run.code == 2 and "is a folder, not an attempt file" in run.stderr
    run = kata("check", "flatten", "--file", str(workspace / "flatten.py"))
    assert run.code == 2 and "is a directory" in run.stderr  # click says so for --file


def test_grade_given_a_file_says_how_to_grade_one(kata, workspace):
    (workspace / "alice.py").write_text("def flatten(d, sep='.'): return {}\n")
    run = kata("grade", "alice.py", "--kata", "flatten")
    assert run.code == 2 and "kata check SLUG --file" in run.stderr


@pytest.mark.slow
def test_ctrl_c_exits_with_130(kata_home, workspace, from_a_terminal):
    """Interrupted, not "not passed": status 130, as shells expect."""
    import signal
    import subprocess
    import sys
    import time

    (workspace / "flatten.py").write_text(
        "import time\ndef flatten(data, sep='.'):\n    time.sleep(30)\nunflatten = flatten\n")
    proc = subprocess.Popen([sys.executable, "-m", "harness", "check", "flatten", "--timeout",
                             "60"], cwd=workspace, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, preexec_fn=from_a_terminal,
                            env={**os.environ, "KATA_HOME": str(kata_home)})
    # Once the check is under way (its grading child exists), as a user would press it.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not subprocess.run(
            ["pgrep", "-P", str(proc.pid)], capture_output=True).stdout.strip():
        time.sleep(0.1)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Interrupted" in err


@pytest.mark.slow
def test_every_follow_up_unlocked_by_one_check_is_shown_in_order(kata, workspace):
    """A check that passes stages 1 to 3 at once shows the prompts of stages 2, 3 and 4."""
    assert kata("start", "flatten").code == 0
    reference = catalog.find_kata("flatten").reference_path.read_text()
    (workspace / "flatten.py").write_text(reference[:reference.index("def unflatten(")])
    out = kata("check", "--no-bench").stdout
    heads = [line for line in out.splitlines() if "The interviewer follows up" in line]
    assert [h.split()[1] for h in heads] == ["1", "2", "3"], out
    stage_lines = [out.index(f"Stage {n}/4") for n in (2, 3, 4)]
    assert stage_lines == sorted(stage_lines)
    again = kata("check", "--no-bench").stdout
    assert "The interviewer follows up" not in again  # each is shown once


@pytest.mark.slow
def test_hint_prompt_solution_reset_infer_the_kata_and_hints_run_out_politely(kata, workspace):
    assert kata("start", "retry").code == 0
    outs = [kata("hint").stdout for _ in range(4)]
    assert outs[0].startswith("Hint 1/") and outs[2].startswith("Hint 3/3")
    assert "no more" not in outs[2] and "there are no more" in outs[3]
    assert kata("prompt").stdout.startswith("Retry with exponential backoff")
    assert kata("solution", input="n\n").code == 1  # asks first, and "no" is respected
    run = kata("reset")
    assert run.code == 0 and "retry.py" in run.stdout


@pytest.mark.slow
def test_a_bare_check_grades_the_kata_edited_last(kata, workspace):
    """Several katas started in one folder: `kata check` means the file just edited."""
    assert kata("start", "flatten").code == 0
    assert kata("start", "retry").code == 0
    os.utime(workspace / "retry.py", (1_000_000_000, 1_000_000_000))
    (workspace / "flatten.py").write_text((workspace / "flatten.py").read_text() + "\n")
    assert kata("check", "--json", "--no-bench").json()["kata"] == "flatten"
    (workspace / "retry.py").write_text((workspace / "retry.py").read_text() + "\n")
    assert kata("check", "--json", "--no-bench").json()["kata"] == "retry"


def test_new_refuses_the_name_of_an_existing_kata(kata, tmp_path):
    run = kata("new", "flatten", "--dir", str(tmp_path))
    assert run.code == 2 and "already exists" in run.stderr
    assert not (tmp_path / "flatten").exists()


@pytest.mark.slow
def test_start_again_shows_where_the_attempt_stands(kata, workspace):
    assert kata("start", "flatten").code == 0
    reference = catalog.find_kata("flatten").reference_path.read_text()
    (workspace / "flatten.py").write_text(reference)
    assert kata("check", "--no-bench").code == 0
    again = kata("start", "flatten").stdout
    assert "nothing overwritten" in again and "kata reset flatten" in again
    assert "Stage 4/4" in again and "Stage 1/4" not in again


@pytest.mark.slow
def test_the_clock_runs_from_the_first_change_to_the_stub(kata, kata_home, workspace):
    """Starting a kata to look at it starts no clock; the first change does."""
    import sqlite3

    assert kata("start", "flatten").code == 0
    assert kata("start", "retry").code == 0
    # An hour spent looking at the prompts, which must not count.
    with sqlite3.connect(kata_home / "history.sqlite3") as db:
        db.execute("UPDATE starts SET started_at = started_at - 3600")
    assert kata("check", "flatten", "--json", "--no-bench").json()["timing"][
        "since_start_s"] is None
    reference = catalog.find_kata("flatten").reference_path.read_text()
    (workspace / "flatten.py").write_text(reference)
    timing = kata("check", "flatten", "--json", "--no-bench").json()["timing"]
    assert timing["since_start_s"] is not None and timing["since_start_s"] < 600
    assert timing["best_s"] is not None and timing["best_s"] < 600
    retry = {r["slug"]: r for r in kata("stats", "--json").json()["katas"]}["retry"]
    assert retry["best_s"] is None and retry["checks"] == 0
