"""Command line: `python -m toolkit analyze|report|cache|doctor|render ...`.

Exit 0 on success, 2 on bad input or an output that cannot be written (one line naming the file), 130
when stopped with Ctrl-C (one line saying how many chunks are saved for the next run).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from toolkit.problems import InputError, Interrupted, one_line

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def _date(value: str) -> pd.Timestamp:
    stamp = pd.to_datetime(value, format="%Y-%m-%d", errors="coerce")
    if pd.isna(stamp):
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2025-07-04")
    return stamp


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of 1 or more")
    return int(value)


def _add_date_order(command: argparse.ArgumentParser) -> None:
    order = command.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True,
                       help="read numeric dates such as 04/07/2025 as day/month (4 July)")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                       help="read them as month/day (April 7); by default a file's own dates must tell")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m toolkit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    analyze = commands.add_parser("analyze", help="analyse articles and write the frames as CSV and Parquet")
    analyze.add_argument("paths", nargs="+", metavar="PATH", help=".txt, folder, .jsonl[.gz] or .csv")
    analyze.add_argument("--out", required=True, metavar="DIR", help="folder for the frames")
    analyze.add_argument("--published", type=_date, metavar="YYYY-MM-DD",
                         help="publication date for articles that carry none")
    _add_date_order(analyze)
    analyze.add_argument("--no-cache", dest="cache", action="store_false",
                         help="recompute every article; neither read nor write the cache")
    analyze.add_argument("--engine", choices=("local", "dask"),
                         help="run on this machine's cores (default) or on a Dask cluster (a local one unless "
                              "--scheduler or DASK_SCHEDULER_ADDRESS names one)")
    analyze.add_argument("--scheduler", metavar="ADDRESS",
                         help="run on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:PORT), started "
                              "with `dask scheduler` and `dask worker ADDRESS` in this environment; implies --engine dask")
    analyze.add_argument("--workers", type=_positive, metavar="N",
                         help="processes for the local engine (default: one a core for 1,000 articles or more, "
                              "else this process)")
    analyze.add_argument("--model", metavar="PIPELINE",
                         help="spaCy pipeline for entities: an installed package (en_core_web_trf) or a saved "
                              "pipeline's folder (default: the small English model; `doctor` lists those installed)")
    analyze.set_defaults(run=_analyze)

    report = commands.add_parser("report", help="write a standalone HTML report to filter entity mentions by entity and time")
    report.add_argument("paths", nargs="+", metavar="PATH", help=".txt, folder, .jsonl[.gz] or .csv")
    report.add_argument("--out", required=True, metavar="FILE.html", help="the HTML file to write")
    report.add_argument("--published", type=_date, metavar="YYYY-MM-DD",
                        help="publication date for articles that carry none")
    _add_date_order(report)
    report.add_argument("--title", metavar="TEXT", help="the report's heading (default: the article's title or count)")
    report.add_argument("--key", choices=("entity", "country"), default="entity",
                        help="count each entity, or places and nationalities under their country")
    report.add_argument("--no-cache", dest="cache", action="store_false",
                        help="recompute every article; neither read nor write the cache")
    report.set_defaults(run=_report)

    cache = commands.add_parser("cache", help="show or remove the cache's folders (one per toolkit version and settings)")
    actions = cache.add_subparsers(dest="action", required=True)
    actions.add_parser("info", help="list the cache folders: size, articles, age, and which one this version uses")
    prune = actions.add_parser("prune", help="remove the folders this version no longer uses")
    prune.add_argument("--all", dest="everything", action="store_true", help="remove the current folder too")
    cache.set_defaults(run=_cache)

    doctor = commands.add_parser("doctor", help="list every resource the toolkit uses, and check nothing needs a download")
    doctor.set_defaults(run=_doctor)

    render = commands.add_parser("render", help="run notebooks headless and write HTML with plots and widgets")
    render.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="notebooks to run (default: notebooks/*)")
    render.add_argument("--out", required=True, metavar="DIR", help="folder for the HTML files")
    render.add_argument("--timeout", type=int, default=600, metavar="SECONDS", help="longest a cell may run")
    render.set_defaults(run=_render)
    return parser


def _writable_folder(folder: Path, what: str) -> None:
    """Fail at once, in one line, when `folder` cannot be a folder we write in (it is made only later,
    once there is something to write)."""
    if folder.exists() and not folder.is_dir():
        raise InputError(folder, f"{what}, and this is a file")
    existing = next(path for path in (folder, *folder.parents) if path.exists())
    if not existing.is_dir():
        raise InputError(folder, f"cannot create this folder: {existing} is a file")
    if not os.access(existing, os.W_OK):
        raise InputError(folder, f"cannot create this folder: {existing} is not writable")


def _analyze(args: argparse.Namespace) -> int:
    from toolkit.pipeline import analyze

    out = Path(args.out)
    _writable_folder(out, "--out must be a folder")
    if args.model:
        from toolkit.nlp import model_identity

        try:
            model_identity(args.model)
        except ModuleNotFoundError as error:
            raise InputError(args.model, str(error)) from None
    if args.scheduler and args.engine == "local":
        raise InputError(args.scheduler, "--scheduler runs on a Dask cluster, and --engine local asks for this machine")
    engine = "dask" if args.scheduler else args.engine or "local"
    started = time.perf_counter()
    analysis = analyze(*args.paths, published=args.published, dayfirst=args.dayfirst, cache=args.cache,
                       engine=engine, scheduler=args.scheduler, model=args.model, workers=args.workers)
    try:
        written = analysis.save(out)
    except OSError as error:
        raise InputError(out, f"cannot write: {error.strerror or error}") from None
    print(analysis.summary())
    print(f"wrote {len(written)} files to {args.out} in {time.perf_counter() - started:.1f} s")
    return 0


def _report(args: argparse.Namespace) -> int:
    from toolkit.pipeline import analyze
    from toolkit.report import write_report

    out = Path(args.out)
    if out.is_dir():
        raise InputError(out, "--out must be an HTML file to write, and this is a folder")
    _writable_folder(out.parent, "--out must be in a folder")
    analysis = analyze(*args.paths, published=args.published, dayfirst=args.dayfirst, cache=args.cache)
    if args.key == "country" and "country" not in analysis.entities.columns:
        print("error: --key country: these entities carry no country column", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        written = write_report(analysis, out, title=args.title, key=args.key)  # creates the folders it needs
    except OSError as error:
        raise InputError(out, f"cannot write: {error.strerror or error}") from None
    print(f"wrote {written} ({len(analysis.entities)} entity mentions)")
    return 0


def _cache(args: argparse.Namespace) -> int:
    from toolkit.cache import age, cache_folders, default_cache_dir, fingerprint, prune
    from toolkit.engines import Settings

    root, current = default_cache_dir(), fingerprint(Settings())
    if args.action == "prune":
        removed = prune(root, current, everything=args.everything)
        size = sum(entry.size for entry in removed)
        print(f"removed {len(removed)} folder(s), {_megabytes(size)}, from {root}"
              + ("" if args.everything else "; kept the current one"))
        return 0
    folders = cache_folders(root, current)
    total = sum(entry.size for entry in folders)
    print(f"cache at {root}: {len(folders)} folder(s), {_megabytes(total)}"
          + ("" if folders else " (nothing stored yet)"))
    for entry in folders:
        print(f"  {entry.path.name}  {_megabytes(entry.size):>9}  {entry.articles:>8,} articles  "
              f"{age(time.time() - entry.modified):>8} old  "
              + ("current" if entry.current else "old (other version or settings)"))
    return 0


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _doctor(args: argparse.Namespace) -> int:
    from toolkit.doctor import report

    lines, ok = report()
    print("\n".join(lines))
    return 0 if ok else 1


def _render(args: argparse.Namespace) -> int:
    from nbclient.exceptions import CellExecutionError

    from toolkit.render import notebooks, render

    paths = args.notebooks or notebooks()
    missing = [path for path in paths if not Path(path).is_file()]
    if missing:
        raise InputError(missing[0], "no such notebook")
    for path in paths:
        started = time.perf_counter()
        try:
            [written] = render([path], args.out, timeout=args.timeout)
        except CellExecutionError as error:
            last_line = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).strip().splitlines()[-1]
            print(f"error: {path}: a cell failed: {last_line}", file=sys.stderr)
            return 1
        print(f"{path} -> {written} ({time.perf_counter() - started:.1f} s)")
    return 0


def _warning_line(message: Warning | str, category: type[Warning], *_: object, **__: object) -> None:
    print(f"warning: {' '.join(str(message).split())}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    with warnings.catch_warnings():
        warnings.showwarning = _warning_line  # one line a warning, without the source line
        try:
            return int(args.run(args))
        except InputError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_BAD_INPUT
        except OSError as error:  # the system refused: a file that vanished, a full disk, a cluster out of reach
            where = f"{error.filename}: " if error.filename else ""
            print(f"error: {one_line(where + (error.strerror or str(error)))}", file=sys.stderr)
            return EXIT_BAD_INPUT
        except KeyboardInterrupt as stop:
            print(stop if isinstance(stop, Interrupted) else "interrupted", file=sys.stderr)
            return EXIT_INTERRUPTED
