"""Authoring: `kata new` scaffolds a kata that `kata validate` calls incomplete until it
is filled in; then list, start, check and validate all handle it, from KATA_PATH or --katas."""

from __future__ import annotations

import json
import textwrap

import pytest

# Grades real attempts through child processes (pytest -m 'not slow' leaves it out).
pytestmark = pytest.mark.slow

FILLED = {
    "kata.toml": '''
        slug = "demo"
        title = "Clamp a number"
        level = "junior"
        minutes = 8
        topics = ["numbers"]
        file = "demo.py"
        interface = ["clamp"]
        summary = "Clamp a number into a range."
        mistakes = ["Swaps low and high."]

        [[questions]]
        ask = "Can low be above high?"
        answer = "Then raise ValueError."

        [[solutions]]
        name = "reference"
        title = "min of max"
        approach = "Raise on an empty range, then min(max(x, low), high)."
        tradeoffs = "Short and clear; two calls where one comparison chain would do."
        growth = "O(n)"

        [[solutions]]
        name = "branches"
        title = "Explicit branches"
        approach = "Compare x with each bound in turn."
        tradeoffs = "Spells out every case; longer to read."
        growth = "O(n)"
        {stages}''',
    "stub.py": '''
        def clamp(x, low, high):
            """Return x limited to [low, high]."""
            raise NotImplementedError
        ''',
    "solution.py": '''
        def clamp(x, low, high):
            if low > high:
                raise ValueError("low > high")
            return min(max(x, low), high)
        ''',
    "suite/test_stage1.py": '''
        import pytest
        from demo import clamp
        pytestmark = pytest.mark.stage(1)

        def test_inside():
            """A number inside the range is returned as it is."""
            got = clamp(5, 0, 10)
            assert got == 5, f"input: clamp(5, 0, 10)\\nexpected: 5\\ngot: {got!r}"
        ''',
    "suite/test_stage2.py": '''
        import pytest
        from demo import clamp
        pytestmark = pytest.mark.stage(2)

        def test_below():
            """Below the range gives low."""
            got = clamp(-5, 0, 10)
            assert got == 0, f"input: clamp(-5, 0, 10)\\nexpected: 0\\ngot: {got!r}"
        ''',
    "suite/test_stage3.py": '''
        import pytest
        from demo import clamp
        pytestmark = pytest.mark.stage(3)

        def test_above():
            """Above the range gives high."""
            got = clamp(50, 0, 10)
            assert got == 10, f"input: clamp(50, 0, 10)\\nexpected: 10\\ngot: {got!r}"
        ''',
    "suite/test_stage4.py": '''
        import pytest
        from demo import clamp
        pytestmark = pytest.mark.stage(4)

        def test_bad_range():
            """low > high raises ValueError."""
            with pytest.raises(ValueError):
                clamp(1, 10, 0)
        ''',
    "bench.py": '''
        WORKLOAD = "clamp n numbers"
        SIZES = (2_000, 8_000, 32_000)


        def make(module, n):
            numbers = [i - n // 2 for i in range(n)]

            def run():
                for x in numbers:
                    module.clamp(x, -100, 100)

            return run
        ''',
    "CONTRACT.md": "# The contract of demo\n\nclamp(x, low, high) limits x to the range.\n",
    "known_bad/no_upper_bound.py": '''
        """Forgets the upper bound.

        Caught by: stage 3
        """

        def clamp(x, low, high):
            if low > high:
                raise ValueError
            return max(x, low)
        ''',
    "known_good/branches.py": '''
        def clamp(x, low, high):
            if low > high:
                raise ValueError("empty range")
            if x < low:
                return low
            return high if x > high else x
        ''',
}

STAGE = '''
[[stages]]
title = "Stage {n}"
minutes = 2
prompt = """Do stage {n}."""
hints = ["look", "think"]
strong = ["fast"]
weak = ["slow"]
'''


def test_new_kata_from_scaffold_to_valid(kata, workspace, tmp_path):
    katas = tmp_path / "private"
    katas.mkdir()
    assert kata("new", "demo", "--dir", str(katas)).code == 0
    assert kata("new", "demo", "--dir", str(katas)).code == 2  # never over an existing one
    assert kata("new", "Not A Slug", "--dir", str(katas)).code == 2
    folder = katas / "demo"

    incomplete = kata("--katas", str(katas), "validate", "demo", "--json")
    assert incomplete.code == 1
    problems = json.loads(incomplete.stdout)["katas"][0]["problems"]
    assert any("TODO" in p for p in problems)

    for name in ("known_bad/README.txt", "known_good/README.txt"):
        (folder / name).unlink()
    stages = "".join(STAGE.format(n=n) for n in range(1, 5))
    for name, text in FILLED.items():
        text = textwrap.dedent(text).lstrip()
        (folder / name).write_text(text.replace("{stages}", stages) if "{stages}" in text
                                   else text)

    listed = kata("--katas", str(katas), "list", "--json").json()
    assert "demo" in {row["slug"] for row in listed}
    assert kata("--katas", str(katas), "start", "demo").code == 0
    assert (workspace / "demo.py").read_text() == (folder / "stub.py").read_text()
    assert kata("--katas", str(katas), "check", "--json").code == 1
    (workspace / "demo.py").write_text((folder / "solution.py").read_text())
    assert kata("--katas", str(katas), "check", "--json").json()["passed"] is True

    valid = kata("--katas", str(katas), "validate", "demo", "--json")
    result = json.loads(valid.stdout)["katas"][0]
    assert result["problems"] == [] and valid.code == 0
    assert set(result["growth"]) == {"reference", "branches"}  # notes checked by the benchmark

    # After the pass, the other solutions of a kata from --katas, timed.
    shown = kata("--katas", str(katas), "solutions", "demo", "--json", "--no-code").json()
    assert [s["name"] for s in shown["solutions"]] == ["reference", "branches"]
    assert all(s["measured"]["ratio"] > 0 for s in shown["solutions"])
    assert result["known_bad"] == {"total": 1, "rejected": 1}
    assert result["known_good"] == {"total": 1, "passed": 1}


def test_kata_path_environment_variable(kata, tmp_path, monkeypatch):
    katas = tmp_path / "more"
    katas.mkdir()
    kata("new", "second-demo", "--dir", str(katas))
    monkeypatch.setenv("KATA_PATH", str(katas))
    assert "second-demo" in {row["slug"] for row in kata("list", "--json").json()}
