"""A Dask cluster started outside the toolkit (`dask scheduler` and two `dask worker` processes on
127.0.0.1): the run gives the local engine's frames, and survives a worker killed mid-run."""

from __future__ import annotations

import gzip
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import toolkit
import toolkit.pipeline
from tests.conftest import REUTERS, ROOT, SAMPLE
from tests.test_cache import assert_same, corpus
from toolkit.engines import Frames

distributed = pytest.importorskip("distributed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    """`dask ARGS` (as `python -m dask`, this environment's) in a session of its own, so that it and the
    worker process it forks stop together."""
    return subprocess.Popen([sys.executable, "-m", "dask", *args], stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            cwd=ROOT, start_new_session=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Stop every process group started here: politely, then for sure; none may be left."""
    for process in processes:
        if _alive(process.pid):
            os.killpg(process.pid, signal.SIGTERM)
    _wait_until_gone(processes, seconds=3)
    for process in processes:
        if _alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    _wait_until_gone(processes, seconds=10)  # a killed worker's own child is reaped by init, a moment later
    assert not [process.pid for process in processes if _alive(process.pid)], "dask processes left running"


def _wait_until_gone(processes: list[subprocess.Popen[bytes]], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while any(_alive(process.pid) for process in processes) and time.monotonic() < deadline:
        time.sleep(0.1)


def _alive(group: int) -> bool:
    """Whether any process of this process group is still there."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The scheduler's address, with two single-threaded workers registered."""
    logs = tmp_path_factory.mktemp("dask")
    address = f"tcp://127.0.0.1:{free_port()}"
    processes = [start(["scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"],
                       logs / "scheduler.log")]
    try:
        for n in (1, 2):
            processes.append(start(["worker", address, "--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1",
                                    "--no-dashboard", "--local-directory", str(logs / f"worker{n}")],
                                   logs / f"worker{n}.log"))
        with distributed.Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        stop(processes)


@pytest.fixture(scope="module")
def articles() -> pd.DataFrame:
    """The first 24 Reuters articles (synthetic ones when the corpus is not beside the project)."""
    if not REUTERS.is_file():
        return corpus(24)
    with gzip.open(REUTERS, "rt", encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in itertools.islice(lines, 24)]
    return toolkit.from_texts(texts, published="1987-03-02")


@pytest.fixture(scope="module")
def local(articles: pd.DataFrame) -> toolkit.Analysis:
    return toolkit.analyze_articles(articles)


def model_loads() -> int:
    """How many times this process loaded a spaCy pipeline (run on each worker)."""
    from toolkit.nlp import _load_pipeline

    return _load_pipeline.cache_info().misses


def test_an_outside_cluster_gives_the_local_engines_frames(cluster, articles, local):
    remote = toolkit.analyze_articles(articles, engine="dask", scheduler=cluster, chunk_size=3)
    assert_same(remote, local)
    assert len(remote.entities) > 0
    with distributed.Client(cluster) as client:
        loads = client.run(model_loads)
    assert sorted(loads.values()) == [1, 1]  # both workers worked, and each loaded the model once for its chunks


def test_a_worker_killed_mid_run_is_survived(cluster, articles, local, monkeypatch):
    killed: list[tuple[int, int, int]] = []  # (pid, chunks done, chunks in all) at the kill
    run_dask = toolkit.pipeline.run_dask

    def run_and_kill_a_worker(chunks, settings, on_result, **options) -> None:
        done = 0

        def on_result_then_kill(frames: Frames) -> None:
            nonlocal done
            on_result(frames)
            done += 1
            if not killed:
                with distributed.Client(cluster) as client:
                    busy = [worker for worker, keys in client.processing().items() if keys] or list(client.processing())
                    pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
                os.kill(pid, signal.SIGKILL)  # its nanny starts a new worker process
                killed.append((pid, done, len(chunks)))

        run_dask(chunks, settings, on_result_then_kill, **options)

    monkeypatch.setattr(toolkit.pipeline, "run_dask", run_and_kill_a_worker)
    remote = toolkit.analyze_articles(articles, engine="dask", scheduler=cluster, chunk_size=3)
    [(pid, done, total)] = killed
    assert 1 <= done < total
    with distributed.Client(cluster) as client:
        assert pid not in client.run(os.getpid).values()
    assert_same(remote, local)


def test_a_scheduler_out_of_reach_is_one_line_and_exit_2(tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    done = subprocess.run([sys.executable, "-m", "toolkit", "analyze", str(SAMPLE), "--out", str(tmp_path / "out"),
                           "--scheduler", address], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"error: {address}: no Dask scheduler answers here (Connection refused); start one with `dask scheduler` "
        "and workers with `dask worker ADDRESS`"]
    assert not (tmp_path / "out").exists()


def test_a_scheduler_address_goes_with_the_dask_engine(articles, tmp_path):
    with pytest.raises(ValueError, match="engine='dask'"):
        toolkit.analyze_articles(articles, scheduler="tcp://127.0.0.1:8786")
    done = subprocess.run([sys.executable, "-m", "toolkit", "analyze", str(SAMPLE), "--out", str(tmp_path / "out"),
                           "--engine", "local", "--scheduler", "tcp://127.0.0.1:8786"], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "error: tcp://127.0.0.1:8786: --scheduler runs on a Dask cluster, and --engine local asks for this machine"]
