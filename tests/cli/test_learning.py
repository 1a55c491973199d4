"""After the pass, through the real CLI: a scripted session's iterations and replay,
`kata solutions` and `kata review`."""

from __future__ import annotations

import html.parser
import shutil
from pathlib import Path

import pytest

from harness import catalog

pytestmark = pytest.mark.slow

FLATTEN = catalog.find_kata("flatten")
BAD = FLATTEN.dir / "known_bad"
# One save per stage: each fails the stage it names, then the reference passes.
SAVES = [BAD / "mutates_input.py", BAD / "no_validation.py", BAD / "lists_not_flattened.py",
         BAD / "recursive_without_limit.py", FLATTEN.reference_path]


class _Sections(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs).get("id")
        if tag == "section" and found:
            self.ids.append(found)

    def handle_data(self, data):
        self.text.append(data)


def _practise(kata_cli, tmp: Path):
    """A KATA_HOME and a workspace where flatten was started and saved five times."""
    home, workspace = tmp / "home", tmp / "ws"
    workspace.mkdir()
    kata = kata_cli(home, workspace)
    assert kata("start", "flatten").code == 0
    for save in SAVES:
        (workspace / "flatten.py").write_text(save.read_text())
        kata("check", "--no-bench")
    return kata, workspace


@pytest.fixture(scope="module")
def practised(kata_cli, tmp_path_factory):
    """One scripted session shared by the tests that only read it."""
    return _practise(kata_cli, tmp_path_factory.mktemp("practised"))


def test_five_saves_give_five_iterations_with_their_progress(practised):
    kata, _ = practised
    document = kata("history", "--json").json()
    iterations = document["iterations"]
    assert [i["number"] for i in iterations] == [1, 2, 3, 4, 5]
    assert [i["stages_passed"] for i in iterations] == [0, 1, 2, 3, 4]
    assert [i["passed"] for i in iterations] == [False] * 4 + [True]
    assert all(i["source_kept"] and i["lines"]["added"] > 0 for i in iterations)
    assert [s["stage"] for s in document["splits"]] == [1, 2, 3, 4]
    text = kata("history").stdout
    assert "5 iterations" in text and "passed" in text.splitlines()[-5]
    rows = [line.split() for line in text.splitlines() if line.strip()[:1].isdigit()]
    assert [row[0] for row in rows] == ["1", "2", "3", "4", "5"]

    shown = kata("history", "flatten", "--show", "5")
    assert shown.code == 0 and FLATTEN.reference_path.read_text().rstrip() in shown.stdout
    assert kata("history", "--show", "5", "--json").json()["source"] == (
        FLATTEN.reference_path.read_text())
    diff = kata("history", "--diff", "2").stdout
    assert diff.startswith("--- flatten.py (iteration 1)\n+++ flatten.py (iteration 2)")
    apart = kata("history", "flatten", "--diff", "1", "5", "--json").json()
    assert (apart["from"], apart["to"]) == (1, 5) and apart["diff"].startswith("--- ")
    assert kata("history", "--show", "6").code == 2
    assert kata("history", "--diff", "1", "2", "3").code == 2


def test_the_replay_page_shows_every_iteration(practised):
    kata, workspace = practised
    assert kata("history", "--html", "replay.html").code == 0
    page = _Sections()
    page.feed((workspace / "replay.html").read_text())
    assert page.ids == [f"iteration-{n}" for n in range(1, 6)]
    words = " ".join(page.text)
    assert "Timeline" in words and "Stages" in words and "first passed at" in words
    assert "http://" not in page_text(workspace) and "https://" not in page_text(workspace)


def page_text(workspace: Path) -> str:
    return (workspace / "replay.html").read_text()


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_the_replay_page_renders_in_chromium(practised, tmp_path, chromium_screenshot):
    kata, workspace = practised
    assert kata("history", "--html", "replay.html").code == 0
    shot = tmp_path / "replay.png"
    proc = chromium_screenshot(workspace / "replay.html", shot, "1200,1800")
    assert shot.is_file(), proc.stderr[-2000:]
    assert shot.stat().st_size > 20_000  # a blank page compresses to almost nothing


def test_forget_deletes_the_sources_and_keeps_the_results(kata_cli, tmp_path):
    kata, _ = _practise(kata_cli, tmp_path)  # a session of its own: this one is changed
    forgot = kata("history", "--forget")
    assert forgot.code == 0 and "Deleted 5 stored sources" in forgot.stdout
    document = kata("history", "--json").json()
    assert [i["source_kept"] for i in document["iterations"]] == [False] * 5
    assert [i["stages_passed"] for i in document["iterations"]] == [0, 1, 2, 3, 4]
    assert kata("history", "--show", "1").code == 2


def test_solutions_and_review_ask_before_a_pass(kata):
    assert kata("start", "flatten").code == 0
    for command in ("solutions", "review"):
        declined = kata(command, "flatten", "--no-bench", input="n\n") if command == (
            "solutions") else kata(command, "flatten", input="n\n")
        assert declined.code == 1 and "have not passed flatten yet" in declined.stderr
        assert "Reference" not in declined.stdout and "Stage 1" not in declined.stdout


def test_solutions_after_a_pass_time_each_one_against_the_reference(practised):
    kata, _ = practised
    document = kata("solutions", "--json", "--no-code").json()
    names = [s["name"] for s in document["solutions"]]
    assert names == ["reference", *(p.stem for p in FLATTEN.attempts_in("known_good"))]
    for solution in document["solutions"]:
        assert solution["title"] and solution["approach"] and solution["growth"]
        assert solution["measured"]["ratio"] > 0 and "source" not in solution
    assert document["yours"]["measured"]["ratio"] > 0
    text = kata("solutions", "--no-bench").stdout
    assert "your fastest passing iteration" in text
    assert FLATTEN.reference_path.read_text().splitlines()[0] in text


def test_review_after_a_pass_lists_every_stage_question_and_mistake(practised):
    kata, _ = practised
    text = kata("review").stdout
    for stage in FLATTEN.stages:
        assert f"Stage {stage.number}: {stage.title}" in text
    assert text.count("[ ]") == (len(FLATTEN.questions) + len(FLATTEN.mistakes)
                                 + sum(len(s.strong) + len(s.weak) for s in FLATTEN.stages))
    document = kata("review", "--json").json()
    assert document["questions"][0]["answer"] == FLATTEN.questions[0].answer
