"""CPU time of the dates stage on one sentence that never ends: scraped text without full stops.

The sentence is one made-up clause with two dates ("... talks resumed on Friday and a deal will be signed by
March 15 and ...") repeated; each size runs `toolkit.dates.find_dates` in a fresh child process, so another
checkout's toolkit can be timed beside this one. Linear work keeps the seconds a date flat as the sentence grows.

    .venv/bin/python benchmarks/long_sentence.py                       # 500 to 3,000 clauses
    .venv/bin/python benchmarks/long_sentence.py --toolkit ../old      # another checkout's toolkit
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLAUSE = "the union said talks resumed on Friday and a deal will be signed by March 15 and "
CHILD = """
import sys, time
import pandas as pd
from toolkit.dates import find_dates
text = (sys.argv[1] * int(sys.argv[2])).strip() + "."
started = time.process_time()
found = find_dates(text, pd.Timestamp("2025-07-04"))
print(len(text), len(found), time.process_time() - started)
"""


def measure(toolkit: Path, clauses: int) -> tuple[int, int, float]:
    """(characters, dates found, CPU seconds) of one sentence of `clauses` clauses, in a child process."""
    done = subprocess.run([sys.executable, "-c", CHILD, CLAUSE, str(clauses)], cwd=toolkit, check=True,
                          capture_output=True, text=True, env={"PYTHONPATH": str(toolkit)})
    characters, found, seconds = done.stdout.split()
    return int(characters), int(found), float(seconds)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clauses", type=int, nargs="+", default=[500, 1000, 2000, 3000])
    parser.add_argument("--toolkit", type=Path, default=ROOT, help="checkout whose toolkit to time (default: this one)")
    args = parser.parse_args(argv)
    print("| clauses | characters | dates | CPU s | ms a date |")
    print("|---:|---:|---:|---:|---:|")
    for clauses in args.clauses:
        characters, found, seconds = measure(args.toolkit.resolve(), clauses)
        print(f"| {clauses:,} | {characters:,} | {found:,} | {seconds:.2f} | {1000 * seconds / found:.2f} |", flush=True)


if __name__ == "__main__":
    main()
