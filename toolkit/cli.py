"""Command line: `python -m toolkit analyze|doctor ...`. Exit 0 on success, 2 on bad input."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

import pandas as pd

from toolkit.problems import InputError

EXIT_BAD_INPUT = 2


def _date(value: str) -> pd.Timestamp:
    stamp = pd.to_datetime(value, format="%Y-%m-%d", errors="coerce")
    if pd.isna(stamp):
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2025-07-04")
    return stamp


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m toolkit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    analyze = commands.add_parser("analyze", help="analyse articles and write the frames as CSV and Parquet")
    analyze.add_argument("paths", nargs="+", metavar="PATH", help=".txt, folder, .jsonl[.gz] or .csv")
    analyze.add_argument("--out", required=True, metavar="DIR", help="folder for the frames")
    analyze.add_argument("--published", type=_date, metavar="YYYY-MM-DD",
                         help="publication date for articles that carry none")
    analyze.set_defaults(run=_analyze)

    doctor = commands.add_parser("doctor", help="list every resource the toolkit uses, and check nothing needs a download")
    doctor.set_defaults(run=_doctor)
    return parser


def _analyze(args: argparse.Namespace) -> int:
    from toolkit.pipeline import analyze

    started = time.perf_counter()
    analysis = analyze(*args.paths, published=args.published)
    written = analysis.save(args.out)
    print(analysis.summary())
    print(f"wrote {len(written)} files to {args.out} in {time.perf_counter() - started:.1f} s")
    return 0


def _doctor(args: argparse.Namespace) -> int:
    from toolkit.doctor import report

    lines, ok = report()
    print("\n".join(lines))
    return 0 if ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
