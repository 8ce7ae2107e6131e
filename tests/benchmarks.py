"""Benchmarks, each a ratio against a baseline measured in the same run.

Run with ``python -m tests.benchmarks`` (add ``--quick`` for a smaller portfolio). It builds
the large sample portfolio (200 vendors, 10 years) in a temporary directory and prints:

1. time to a painted dashboard, against a bare Textual app (header, label, footer), on an
   empty store and on the large portfolio (first paint, and vendors loaded);
2. one saved answer on the large portfolio against one on an empty store (median and p95);
3. the dashboard's keyboard response on the large portfolio: 100 presses of down.

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
    app = OutsourceApp(
        Services(Store(data_dir), load_library)
    )  # as the command line does: parsed later
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


def main() -> None:
    import functools
    import sys

    global print
    print = functools.partial(print, flush=True)  # noqa: A001 - progress shows as it comes
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 vendors, 3 years")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    vendors, years = (40, 3) if args.quick else (200, 10)

    with tempfile.TemporaryDirectory() as tmp:
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

        keys = asyncio.run(time_keys(large))
        print("\n3. Dashboard keyboard response on the large portfolio (100 × down):")
        print(
            f"   per key: median {median_of(keys) * 1000:.2f} ms, p95 {p95(keys) * 1000:.2f} ms, "
            f"max {max(keys) * 1000:.2f} ms (goal: under 16 ms)"
        )


if __name__ == "__main__":
    main()
