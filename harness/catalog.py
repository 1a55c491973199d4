"""The kata catalog: each kata is a folder with a kata.toml (see katas/README.md)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from harness import paths
from harness.levels import LEVELS


class KataNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Question:
    ask: str
    answer: str


@dataclass(frozen=True)
class SolutionNote:
    """What `kata solutions` says of one correct solution: the reference ("reference") or a
    known_good/ file (its stem). `growth` is the class the kata's benchmark measures."""

    name: str
    title: str
    approach: str
    tradeoffs: str
    growth: str


@dataclass(frozen=True)
class Stage:
    number: int
    title: str
    minutes: int
    prompt: str
    hints: tuple[str, ...]
    strong: tuple[str, ...]
    weak: tuple[str, ...]


@dataclass(frozen=True)
class Kata:
    slug: str
    dir: Path
    title: str
    level: str
    minutes: int
    topics: tuple[str, ...]
    file: str
    interface: tuple[str, ...]
    summary: str
    mistakes: tuple[str, ...]
    questions: tuple[Question, ...]
    stages: tuple[Stage, ...]
    solution_notes: tuple[SolutionNote, ...] = field(default=())
    problems: tuple[str, ...] = field(default=())

    @property
    def module(self) -> str:
        """The module name the hidden suite imports the attempt as."""
        return Path(self.file).stem

    @property
    def stub_path(self) -> Path:
        return self.dir / "stub.py"

    @property
    def suite_dir(self) -> Path:
        return self.dir / "suite"

    @property
    def durations_path(self) -> Path:
        """Each test's recorded time on the reference (kata validate --write-durations)."""
        return self.suite_dir / "durations.json"

    @property
    def reference_path(self) -> Path:
        # A kata kept outside the package carries its own reference.
        local = self.dir / "solution.py"
        return local if local.is_file() else paths.solutions_dir() / self.file

    def attempts_in(self, folder: str) -> list[Path]:
        """The known_bad/ or known_good/ attempts, sorted by name."""
        return sorted((self.dir / folder).glob("*.py"))

    def stage(self, number: int) -> Stage:
        return self.stages[number - 1]

    def solutions(self) -> list[tuple[str, SolutionNote | None, Path]]:
        """The reference, then every known_good/ file: (name, its note or None, path)."""
        notes = {note.name: note for note in self.solution_notes}
        found = [("reference", notes.get("reference"), self.reference_path)]
        found += [(path.stem, notes.get(path.stem), path)
                  for path in self.attempts_in("known_good")]
        return found


def _texts(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def load_kata(folder: Path) -> Kata:
    """Read one kata folder. Missing or malformed fields become `problems`, not crashes."""
    problems: list[str] = []
    try:
        raw = tomllib.loads((folder / "kata.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raw = {}
        problems.append(f"kata.toml cannot be read: {exc}")

    def text(key: str) -> str:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"kata.toml: `{key}` is missing or empty")
            return ""
        return value.strip()

    slug = folder.name
    if raw.get("slug", slug) != slug:
        problems.append(
            f"kata.toml: slug {raw.get('slug')!r} differs from the folder name {slug!r}")
    level = text("level")
    if level and level not in LEVELS:
        problems.append(f"kata.toml: level {level!r} is not one of {', '.join(LEVELS)}")
    minutes = raw.get("minutes")
    if not isinstance(minutes, int) or minutes <= 0:
        problems.append("kata.toml: `minutes` must be a positive whole number")
        minutes = 0
    stages = []
    for number, entry in enumerate(raw.get("stages") or [], start=1):
        entry = entry if isinstance(entry, dict) else {}
        stage_minutes = entry.get("minutes")
        stages.append(
            Stage(
                number=number,
                title=str(entry.get("title", "")).strip() or f"Stage {number}",
                minutes=stage_minutes if isinstance(stage_minutes, int) else 0,
                prompt=str(entry.get("prompt", "")).strip(),
                hints=_texts(entry.get("hints")),
                strong=_texts(entry.get("strong")),
                weak=_texts(entry.get("weak")),
            )
        )
        if not entry.get("prompt"):
            problems.append(f"kata.toml: stage {number} has no prompt")
        if not entry.get("hints"):
            problems.append(f"kata.toml: stage {number} has no hints")
        if not entry.get("strong") or not entry.get("weak"):
            problems.append(f"kata.toml: stage {number} needs strong and weak rubric signals")
    if not stages:
        problems.append("kata.toml: no [[stages]]")
    questions = tuple(
        Question(str(q.get("ask", "")), str(q.get("answer", "")))
        for q in raw.get("questions") or []
        if isinstance(q, dict)
    )
    kata = Kata(
        slug=slug,
        dir=folder,
        title=text("title"),
        level=level,
        minutes=minutes,
        topics=_texts(raw.get("topics")),
        file=text("file") or f"{slug.replace('-', '_')}.py",
        interface=_texts(raw.get("interface")),
        summary=str(raw.get("summary", "")).strip(),
        mistakes=_texts(raw.get("mistakes")),
        questions=questions,
        stages=tuple(stages),
    )
    if not kata.topics:
        problems.append("kata.toml: `topics` is missing or empty")
    if not kata.interface:
        problems.append("kata.toml: `interface` lists no names")
    if not kata.mistakes:
        problems.append("kata.toml: `mistakes` is missing or empty")
    if not kata.questions:
        problems.append("kata.toml: no [[questions]]")
    if stages and sum(s.minutes for s in stages) != minutes:
        problems.append("kata.toml: the stages' minutes do not add up to `minutes`")
    kata = replace(kata, solution_notes=_solution_notes(raw.get("solutions"), problems))
    problems += _missing_notes(kata)
    return _with_problems(kata, problems)


def _solution_notes(entries: object, problems: list[str]) -> tuple[SolutionNote, ...]:
    from harness.grading.benchmark import MODELS

    classes = [name for name, _ in MODELS]
    notes = []
    for entry in entries if isinstance(entries, list) else []:
        entry = entry if isinstance(entry, dict) else {}
        fields = {key: str(entry.get(key, "")).strip()
                  for key in ("name", "title", "approach", "tradeoffs", "growth")}
        name = fields["name"] or "?"
        for key, value in fields.items():
            if not value:
                problems.append(f"kata.toml: [[solutions]] {name}: `{key}` is missing or empty")
        if fields["growth"] and fields["growth"] not in classes:
            problems.append(f"kata.toml: [[solutions]] {name}: growth {fields['growth']!r} "
                            f"is not one of {', '.join(classes)}")
        for key in ("approach", "tradeoffs"):
            if "O(" in fields[key]:
                problems.append(f"kata.toml: [[solutions]] {name}: `{key}` states a "
                                "complexity; only `growth` may (the benchmark checks it)")
        notes.append(SolutionNote(**fields))
    return tuple(notes)


def _missing_notes(kata: Kata) -> list[str]:
    """Every solution has a note, and every note a solution."""
    names = {"reference"} | {path.stem for path in kata.attempts_in("known_good")}
    noted = [note.name for note in kata.solution_notes]
    problems = [f"kata.toml: no [[solutions]] note for {name}"
                for name in sorted(names - set(noted))]
    problems += [f"kata.toml: [[solutions]] {name} matches no solution"
                 for name in sorted(set(noted) - names)]
    problems += [f"kata.toml: two [[solutions]] notes for {name}"
                 for name in sorted({n for n in noted if noted.count(n) > 1})]
    return problems


def _with_problems(kata: Kata, problems: list[str]) -> Kata:
    return replace(kata, problems=tuple(problems))


def kata_dirs(extra: list[Path] | None = None) -> list[Path]:
    """Folders that hold katas: the built-in ones, then KATA_PATH, then `extra`."""
    dirs = [paths.builtin_katas_dir()]
    dirs += [Path(p) for p in os.environ.get("KATA_PATH", "").split(os.pathsep) if p]
    dirs += extra or []
    return dirs


def all_katas(extra: list[Path] | None = None) -> list[Kata]:
    """Every kata, built-in first; a later folder's kata of the same slug wins."""
    found: dict[str, Kata] = {}
    for root in kata_dirs(extra):
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if (folder / "kata.toml").is_file():
                found[folder.name] = load_kata(folder)
    return list(found.values())


def find_kata(slug: str, extra: list[Path] | None = None) -> Kata:
    # A kata's folder is named by its slug: read that one kata.toml, not every kata's.
    plain = bool(slug) and Path(slug).name == slug and slug not in (".", "..")
    for root in reversed(kata_dirs(extra)) if plain else ():
        if (root / slug / "kata.toml").is_file():
            kata = load_kata(root / slug)
            if kata.slug == slug:
                return kata
            break
    katas = all_katas(extra)
    for kata in katas:
        if kata.slug == slug:
            return kata
    known = ", ".join(k.slug for k in katas)
    raise KataNotFound(f"unknown kata {slug!r}; known katas: {known}")


def find_by_file(path: Path, extra: list[Path] | None = None) -> Kata:
    """The kata whose attempt file name matches `path`'s name."""
    matches = [k for k in all_katas(extra) if k.file == path.name]
    if len(matches) != 1:
        raise KataNotFound(f"cannot tell which kata {path.name!r} is for; name it: kata check SLUG")
    return matches[0]
