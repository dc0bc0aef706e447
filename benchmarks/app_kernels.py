"""The app's kernels: memory each tab holds, and that closed or abandoned tabs give it back.

Starts the app (`python -m toolkit.app`) on a free local port with a short culling timeout, opens
`--tabs` pages in headless Chromium, analyses the sample article in each, and reports every kernel's
resident memory (RSS, with its child processes). Then it leaves every other page normally (Voila's
shutdown beacon) and drops the others without notice (as a crash would), and reports how long the
kernels took to go away.

    .venv/bin/python benchmarks/app_kernels.py --tabs 2
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _kernels(server: psutil.Process) -> dict[int, float]:
    """Resident memory in MB of each kernel process (with its children) under the server."""
    found = {}
    for child in server.children():
        if "ipykernel" in " ".join(child.cmdline()):
            found[child.pid] = sum(p.memory_info().rss for p in [child, *child.children(recursive=True)]) / 2**20
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tabs", type=int, default=2)
    parser.add_argument("--cull-idle-seconds", type=int, default=60)
    args = parser.parse_args()
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "toolkit.app", "--port", str(port), "--cull-idle-seconds",
                                str(args.cull_idle_seconds), "--cull-interval-seconds", "1"], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = psutil.Process(process.pid)
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        print(f"server alone: {server.memory_info().rss / 2**20:.0f} MB, kernels: {len(_kernels(server))}")
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
            pages = []
            for _ in range(args.tabs):
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}/")
                page.wait_for_selector(".newslens-app .widget-upload", timeout=120_000)
                page.get_by_role("button", name="Try the sample article").click()
                page.wait_for_selector(".newslens-explorer", timeout=120_000)
                pages.append(page)
            sizes = _kernels(server)
            print(f"{len(sizes)} kernels after analysing the sample in {args.tabs} tabs: "
                  + ", ".join(f"{mb:.0f} MB" for mb in sizes.values()))
            started = time.monotonic()
            for number, page in enumerate(pages):
                if number % 2 == 0:
                    page.goto("about:blank")  # leaving the page sends Voila's shutdown beacon
                page.close(run_before_unload=False)
            print("left the pages: every other one with the beacon, the rest dropped without notice")
            seen = len(sizes)
            while _kernels(server) and time.monotonic() - started < args.cull_idle_seconds + 60:
                if len(_kernels(server)) != seen:
                    seen = len(_kernels(server))
                    print(f"  {time.monotonic() - started:5.1f} s: {seen} kernels left")
                time.sleep(0.5)
            print(f"  {time.monotonic() - started:5.1f} s: {len(_kernels(server))} kernels left")
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
