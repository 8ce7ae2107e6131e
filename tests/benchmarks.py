"""Benchmarks, each a ratio against a baseline measured in the same run.

Run with ``python -m tests.benchmarks`` (add ``--quick`` for smaller portfolios). It builds
sample portfolios in a temporary directory and prints:

0. what the user waits for: the whole process, in a real terminal (tmux, 120x40), from
   launch until the first screenful of vendor rows shows their real values, against a bare
   Textual app launched the same way in the same run; on the 12-vendor sample, 200 vendors
   with 10 years of reviews and 1,000 vendors with 10 years (see ``terminal_bench``);
1. time to a painted dashboard inside a running interpreter, against the bare app, on an
   empty store and on the large portfolio (first paint, and vendors loaded);
2. one saved answer on the large portfolio against one on an empty store (median and p95);
3. keyboard response on the large portfolio: the dashboard's vendor table, a playbook's
   questions (tab) and the candidate comparison's table.

This is not part of the test suite: timings depend on the machine, so nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from textual import events  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import DataTable, Footer, Header, Label  # noqa: E402

from outsource_tui.domain.library import load_library  # noqa: E402
from outsource_tui.domain.vendor import VendorDraft  # noqa: E402
from outsource_tui.paths import user_playbook_dir  # noqa: E402
from outsource_tui.services import Services
from outsource_tui.services.demo import write_demo  # noqa: E402
from outsource_tui.store import Store  # noqa: E402
from outsource_tui.tui.app import OutsourceApp  # noqa: E402
from outsource_tui.tui.screens.dashboard import DashboardScreen  # noqa: E402

SIZE = (120, 40)
TODAY = date(2026, 11, 24)


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Hello")
        yield Footer()


async def _idle(app: App[object]) -> None:
    for _ in range(3):
        await asyncio.sleep(0)


async def _laid_out(app: App[object], selector: str, screen_type: type | None = None) -> None:
    """Wait until the widget ``selector`` on the current screen has a size: it is painted."""
    while True:
        screen = app.screen
        if screen_type is None or isinstance(screen, screen_type):
            found = screen.query(selector)
            if found and found.first().size.height > 0:
                return
        await asyncio.sleep(0.0005)


async def time_bare() -> float:
    start = time.perf_counter()
    app = BareApp()
    async with app.run_test(size=SIZE):
        await _laid_out(app, "Footer")
        elapsed = time.perf_counter() - start
    return elapsed


async def time_dashboard(data_dir: Path) -> tuple[float, float]:
    """Seconds to the first paint, and to the vendors loaded and drawn."""
    start = time.perf_counter()
    # As the command line builds it: the playbooks parsed later, their files known.
    dirs = [user_playbook_dir(data_dir)]
    app = OutsourceApp(
        Services(Store(data_dir), lambda: load_library(dirs), None, None, playbook_dirs=dirs)
    )
    async with app.run_test(size=SIZE):
        await _laid_out(app, "Footer", DashboardScreen)
        first = time.perf_counter() - start
        # The load starts once the first frame is out (after a refresh), then runs in a worker.
        await app.screen.wait_for_refresh()
        while any(not w.is_finished for w in app.workers):
            await asyncio.sleep(0.001)
        await _idle(app)
        loaded = time.perf_counter() - start
    return first, loaded


def median_of(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def time_saves(data_dir: Path, vendor_name: str | None, count: int = 200) -> list[float]:
    """Seconds per save_answer on a fresh run of one vendor (a new one if ``vendor_name``)."""
    store = Store(data_dir)
    playbook = load_library().get("objectives")
    assert playbook is not None
    if vendor_name is None:
        vendor = store.add_vendor(VendorDraft(name=f"Bench {time.time_ns()}"))
    else:
        vendor = store.find_vendor(vendor_name)
    run = store.start_run(vendor.id, playbook)
    times = []
    for n in range(count):
        start = time.perf_counter()
        store.save_answer(vendor.id, run.id, "problem", f"answer {n}")
        times.append(time.perf_counter() - start)
    return times


async def _send_until(app: App[object], key: str, moved) -> float:
    """Seconds from ``key`` sent to the terminal driver until ``moved()`` and idle."""
    driver = app._driver
    assert driver is not None
    start = time.perf_counter()
    event = events.Key(key, None)
    event.set_sender(app)
    driver.send_message(event)
    while not moved():
        await asyncio.sleep(0)
    await _idle(app)
    return time.perf_counter() - start


async def time_runner_keys(data_dir: Path, presses: int = 100) -> list[float]:
    """Seconds per tab between the questions of a quarterly review, on the vendor with the
    longest history."""
    from outsource_tui.tui.navigation import OpenPlaybook
    from outsource_tui.tui.screens.runner import RunnerScreen

    store = Store(data_dir)
    vendor = max(store.list_vendors(), key=lambda v: len(store.runs(v.id)))
    app = OutsourceApp(Services(store, load_library()))
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await _laid_out(app, "Footer", DashboardScreen)
        app.post_message(OpenPlaybook(vendor.id, "quarterly-review", period="2099-Q1"))
        await _laid_out(app, "Footer", RunnerScreen)
        await pilot.pause()
        for _ in range(presses):
            before = app.focused
            times.append(await _send_until(app, "tab", lambda b=before: app.focused is not b))
    return times


async def time_compare_keys(data_dir: Path, presses: int = 100) -> list[float]:
    """Seconds per down (or up, at the end) in the candidate comparison's criteria table."""
    from outsource_tui.tui.navigation import OpenComparison
    from outsource_tui.tui.screens.compare import CompareScreen

    app = OutsourceApp(Services(Store(data_dir), load_library()))
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await _laid_out(app, "Footer", DashboardScreen)
        app.post_message(OpenComparison())
        await _laid_out(app, "#criteria", CompareScreen)
        table = app.screen.query_one("#criteria", DataTable)
        while table.row_count < 2:
            await asyncio.sleep(0.001)
        table.focus()
        await pilot.pause()
        for _ in range(presses):
            before = table.cursor_row
            key = "up" if before == table.row_count - 1 else "down"
            times.append(await _send_until(app, key, lambda b=before: table.cursor_row != b))
    return times


async def time_keys(data_dir: Path, presses: int = 100) -> list[float]:
    """Seconds from a down key sent to the vendor table's cursor having moved."""
    app = OutsourceApp(Services(Store(data_dir), load_library()))
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await _laid_out(app, "Footer", DashboardScreen)
        await app.screen.wait_for_refresh()  # the load starts after the first frame
        while any(not w.is_finished for w in app.workers):
            await asyncio.sleep(0.001)
        await pilot.pause()
        table = app.screen.query_one("#vendors", DataTable)
        table.focus()
        await pilot.pause()
        driver = app._driver
        assert driver is not None
        table.move_cursor(row=0)
        await pilot.pause()
        for _ in range(min(presses, table.row_count - 1)):
            before = table.cursor_row
            start = time.perf_counter()
            key = events.Key("down", None)
            key.set_sender(app)
            driver.send_message(key)
            while table.cursor_row == before:
                await asyncio.sleep(0)
            await _idle(app)
            times.append(time.perf_counter() - start)
    return times


def whole_process(args: argparse.Namespace, root: Path) -> None:
    """Section 0: launch to vendors on screen, in a real terminal, against the bare app."""
    from tests.terminal_bench import Launcher, expected_rows, vendors_shown

    sizes = [(12, 2), (40, 3)] if args.quick else [(12, 2), (200, 10), (1000, 10)]
    goals = {12: 1.3, 200: 1.6, 1000: 2.0}
    today = date.today()  # the app runs on the real clock
    portfolios = []
    for vendors, years in sizes:
        data_dir = root / f"terminal-{vendors}x{years}"
        started = time.perf_counter()
        write_demo(
            Store(data_dir), load_library(), vendors=vendors, years=years, seed=7, today=today
        )
        files = sum(1 for _ in data_dir.rglob("*.json"))
        print(
            f"   built {vendors} vendors x {years} years ({files} files) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        portfolios.append(
            (vendors, years, data_dir, vendors_shown(vendors, expected_rows(data_dir)))
        )
    launcher = Launcher()
    try:
        firsts = {v: launcher.first_launch(d, seen) for v, _, d, seen in portfolios}
        bare: list[float] = []
        mine: dict[int, list[float]] = {v: [] for v, *_ in portfolios}
        for _ in range(args.repeat):
            bare.append(launcher.bare())
            for vendors, _, data_dir, seen in portfolios:
                mine[vendors].append(launcher.dashboard(data_dir, seen))
    finally:
        launcher.close()
    base = median_of(bare)
    print(f"\n0. Launch to vendors on screen, real terminal {120}x{40} (median of {args.repeat}):")
    print(f"   bare Textual app                         {base * 1000:7.0f} ms   1.00")
    for vendors, years, _, _ in portfolios:
        took = median_of(mine[vendors])
        goal = goals.get(vendors)
        aim = f"   (goal {'at most' if vendors < 1000 else 'under'} {goal})" if goal else ""
        label = f"{vendors} vendors x {years} years"
        print(f"   {label:<40} {took * 1000:7.0f} ms   {took / base:.2f}{aim}")
    for vendors, years, _, _ in portfolios:
        print(
            f"   first launch, no summaries kept yet, {vendors} x {years}: "
            f"{firsts[vendors] * 1000:.0f} ms"
        )


def main() -> None:
    import functools
    import sys

    global print
    print = functools.partial(print, flush=True)  # noqa: A001 - progress shows as it comes
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 vendors, 3 years")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument(
        "--only-terminal", action="store_true", help="only section 0, the real-terminal launch"
    )
    args = parser.parse_args()
    vendors, years = (40, 3) if args.quick else (200, 10)

    with tempfile.TemporaryDirectory() as tmp:
        print("0. Building the portfolios for the real-terminal launches:")
        whole_process(args, Path(tmp))
        if args.only_terminal:
            return
        empty = Path(tmp) / "empty"
        large = Path(tmp) / "large"
        started = time.perf_counter()
        write_demo(Store(large), load_library(), vendors=vendors, years=years, seed=1, today=TODAY)
        size = sum(p.stat().st_size for p in large.rglob("*.json"))
        print(
            f"Portfolio: {vendors} vendors, {years} years, {size / 1e6:.1f} MB, "
            f"written in {time.perf_counter() - started:.1f} s"
        )

        async def paints() -> None:
            bare, dash_empty, dash_large = [], [], []
            for _ in range(args.repeat):
                bare.append(await time_bare())
                dash_empty.append(await time_dashboard(empty))
                dash_large.append(await time_dashboard(large))
            base = median_of(bare)
            print(f"\n1. Time to a painted dashboard (median of {args.repeat}):")
            print(f"   bare Textual app          {base * 1000:7.1f} ms   1.00")
            for label, runs in (("empty store", dash_empty), ("large portfolio", dash_large)):
                first = median_of([f for f, _ in runs])
                loaded = median_of([loaded for _, loaded in runs])
                print(
                    f"   {label:<25} {first * 1000:7.1f} ms   {first / base:.2f}  first paint"
                    f"   ({loaded * 1000:.0f} ms, {loaded / base:.2f} with every vendor drawn)"
                )

        asyncio.run(paints())

        empty_saves = time_saves(empty, None)
        name = Store(large).list_vendors()[len(Store(large).list_vendors()) // 2].name
        large_new = time_saves(large, None)
        large_busy = time_saves(large, name)
        base = median_of(empty_saves)
        print("\n2. One saved answer (200 saves each):")
        print(
            f"   empty store                    median {base * 1000:6.2f} ms  "
            f"p95 {p95(empty_saves) * 1000:6.2f} ms   1.00"
        )
        for label, times in (
            ("large portfolio, new vendor", large_new),
            ("large portfolio, 10-year vendor", large_busy),
        ):
            print(
                f"   {label:<30} median {median_of(times) * 1000:6.2f} ms  "
                f"p95 {p95(times) * 1000:6.2f} ms   {median_of(times) / base:.2f}"
            )

        print("\n3. Keyboard response on the large portfolio, 100 presses (goal: p95 under 16 ms):")
        for label, timing in (
            ("vendor table, down", time_keys),
            ("quarterly review, tab", time_runner_keys),
            ("comparison table, down", time_compare_keys),
        ):
            keys = asyncio.run(timing(large))
            print(
                f"   {label:<24} median {median_of(keys) * 1000:5.2f} ms, "
                f"p95 {p95(keys) * 1000:5.2f} ms, max {max(keys) * 1000:5.2f} ms"
            )


if __name__ == "__main__":
    main()
