"""Fuzz the invariants of `tests/test_properties.py` (loaders, command line, clean, split) for some minutes.

Run from the project root, for example in the background:

    nohup .venv/bin/python benchmarks/fuzz.py --minutes 10 > /tmp/fuzz.log 2>&1 &

The properties are imported, not copied; only the budget differs: inputs up to `--lines` lines (the
test suite uses 12) and as many examples as fit in the time. Hypothesis draws fresh random examples
in every batch and shrinks any failure to a small example, printed with its traceback. A property
that fails once is not run again. Exit status: 0 when nothing failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests import test_properties as props

FIRST_BATCH = 25  # examples a property runs before the clock is checked again, at first
BATCH_SECONDS = 20  # a property's batch doubles (to MAX_BATCH) while it takes less than this
MAX_BATCH = 3200


def properties(lines: int) -> dict[str, tuple[Callable[..., None], tuple[st.SearchStrategy, ...]]]:
    """Each property's check and the strategies for its arguments, with inputs of up to `lines` lines."""
    return {
        "load: any bytes load or fail cleanly": (
            props.check_load_bytes, (props.files(lines), st.sampled_from(props.SUFFIXES))),
        "load: any JSON values, row for row": (props.check_json_lines, (props.json_lines(lines),)),
        "load: any CSV the csv module writes, row for row": (props.check_csv, (props.csv_files(lines),)),
        "cli: exit 0 or 2 on any input": (
            props.check_cli_exit, (st.one_of(props.json_lines(4), props.files(4)), st.sampled_from(props.SUFFIXES))),
        "load: encoded text round-trips": (
            props.check_encoded_text_round_trips, (props.texts(lines), st.sampled_from(props.ROUND_TRIP_ENCODINGS))),
        "clean: every character accounted for": (
            props.check_cleaning_accounts_for_every_character, (props.texts(lines),)),
        "split: sentences slice back, ordered": (props.check_sentences, (props.texts(lines),)),
        "frames are deterministic": (
            props.check_deterministic, (st.lists(props.texts(lines), min_size=1, max_size=4),)),
    }


def run_batch(check: Callable[..., None], strategies: tuple[st.SearchStrategy, ...], counts: Counter[str],
              name: str, size: int) -> None:
    """Run one batch of fresh examples of a property; raises the shrunk failure, if any."""

    def counted(args: tuple[object, ...]) -> None:
        counts[name] += 1
        check(*args)

    budget = settings(
        max_examples=size, deadline=None, database=None, phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck), print_blob=True,
    )
    budget(given(st.tuples(*strategies))(counted))()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10, help="how long to fuzz (default 10)")
    parser.add_argument("--lines", type=int, default=80, help="most lines in a generated text (default 80)")
    args = parser.parse_args()

    todo = properties(args.lines)
    counts: Counter[str] = Counter()
    sizes = dict.fromkeys(todo, FIRST_BATCH)  # fast properties get big batches, slow ones (the CLI) small
    failures: dict[str, str] = {}
    started = time.monotonic()
    stop = started + args.minutes * 60
    last_report = started
    while time.monotonic() < stop and len(failures) < len(todo):
        for name, (check, strategies) in todo.items():
            if name in failures or time.monotonic() >= stop:
                continue
            began = time.monotonic()
            try:
                run_batch(check, strategies, counts, name, sizes[name])
                if time.monotonic() - began < BATCH_SECONDS:
                    sizes[name] = min(sizes[name] * 2, MAX_BATCH)
            except Exception as error:  # noqa: BLE001 - any failure of a property is a finding: keep its shrunk example
                failures[name] = "".join(traceback.format_exception(error))
                print(f"FAILED {name} after {counts[name]} examples:\n{failures[name]}", flush=True)
        if time.monotonic() - last_report >= 60:
            last_report = time.monotonic()
            print(f"{(last_report - started) / 60:.1f} min: {sum(counts.values())} examples", flush=True)

    minutes = (time.monotonic() - started) / 60
    print(f"\nfuzzed for {minutes:.1f} min, {sum(counts.values())} examples, {len(failures)} failing properties")
    for name in todo:
        print(f"  {'FAILED' if name in failures else 'ok':6} {counts[name]:>8} examples  {name}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
