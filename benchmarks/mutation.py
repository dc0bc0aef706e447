"""Mutation score of the stage modules: mutmut plants one bug at a time, the fast tests must catch it.

`make mutate` runs this. Each module is run on its own, small ones first, and the table says per module
how many planted bugs (mutants) the tests killed. mutmut works in `mutants/` (a git-ignored copy of
`toolkit/` and `tests/`); its settings, including which test files it runs, are `[tool.mutmut]` in
pyproject.toml. Every run tests each mutant of the modules named again; `--open` tests only those the last run
left alive or untested (a kill stands while tests are only added; mutants of a function whose code changed
are made anew, untested, so a second `--open` run tests those); `--report-only` prints the last run's table.

    python benchmarks/mutation.py                  # every stage module, one CPU
    python benchmarks/mutation.py clean text       # only these
    python benchmarks/mutation.py --survivors      # also each survivor's diff
    python benchmarks/mutation.py --open dates     # after adding tests: only the survivors and the untested
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("clean", "text", "sentiment", "timeline", "dates", "entities", "quotes")
REUTERS = ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl.gz"
KILLED = {1, 3, 36, 37, -24, 24, 152, 255}  # a failing test, pytest's internal error, a timeout, the type check
SURVIVED = 0
NO_TESTS = {5, 33}


def mutmut(*args: str) -> list[str]:
    """The mutmut command of this Python's environment."""
    return [str(Path(sys.executable).with_name("mutmut")), *args]


def environment() -> dict[str, str]:
    """Tests import the mutated copy: no PYTHONPATH pointing at the real toolkit; the corpus found from mutants/."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.setdefault("REUTERS_CORPUS", str(REUTERS))
    return env


def run_module(module: str, jobs: int, only_open: bool = False) -> float:
    """Test every mutant of one module (`only_open`: those not killed yet); mutmut's own output goes to
    mutants/<module>.log. Returns seconds."""
    log = ROOT / "mutants" / f"{module}.log"
    log.parent.mkdir(exist_ok=True)
    names = [f"toolkit.{module}.*"]
    if only_open and results(module):
        names = [name for name, code in results(module).items() if code not in KILLED]
        if not names:
            return 0.0
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(mutmut("run", "--max-children", str(jobs), *names),
                              cwd=ROOT, env=environment(), stdout=out, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        sys.exit(f"mutmut failed on toolkit/{module}.py (exit {done.returncode}); see {log}")
    return time.monotonic() - started


def results(module: str) -> dict[str, int | None]:
    """Exit code of the tests for each mutant of a module (None: not tested yet)."""
    meta = ROOT / "mutants" / "toolkit" / f"{module}.py.meta"
    if not meta.is_file():
        return {}
    codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return codes


def row(module: str, codes: dict[str, int | None], seconds: float | None) -> str:
    counts = Counter("killed" if code in KILLED else "survived" if code == SURVIVED
                     else "no tests" if code in NO_TESTS else "not run" if code is None else "other"
                     for code in codes.values())
    total = len(codes)
    score = f"{100 * counts['killed'] / total:.1f}%" if total else "-"
    took = f"{seconds / 60:.1f}" if seconds is not None else "-"
    return (f"| {module} | {counts['killed']} / {total} | {score} | {counts['survived']} | {counts['no tests']} | "
            f"{counts['not run'] + counts['other']} | {took} |")


def survivors(module: str, codes: dict[str, int | None]) -> list[str]:
    return sorted(name for name, code in codes.items() if code == SURVIVED or code in NO_TESTS)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE",
                        help=f"stage modules to mutate, of {', '.join(MODULES)} (default: all, in that order)")
    parser.add_argument("--jobs", type=int, default=1, help="mutants tested at once (default 1: the machine is shared)")
    parser.add_argument("--survivors", action="store_true", help="print each surviving mutant's diff")
    parser.add_argument("--open", action="store_true",
                        help="test only the mutants the last run left alive or untested (kills stand)")
    parser.add_argument("--report-only", action="store_true", help="print the table of the last run, test nothing")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.modules) - set(MODULES))
    if unknown:
        parser.error(f"not a stage module: {', '.join(unknown)}")

    lines = ["| module | killed / mutants | score | survived | no test reaches it | not run | minutes |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for module in args.modules or MODULES:
        seconds = None if args.report_only else run_module(module, args.jobs, args.open)
        codes = results(module)
        lines.append(row(module, codes, seconds))
        print(lines[-1], flush=True)
        if args.survivors:
            for name in survivors(module, codes):
                shown = subprocess.run(mutmut("show", name), cwd=ROOT, env=environment(), capture_output=True, text=True)
                print(shown.stdout)
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
