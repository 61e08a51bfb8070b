"""The review page with many records: file size, write time, and how fluid it is in Chromium.

A review table from a synthetic linkage is repeated (new record ids) up to
10,000 records (1,000 with --quick), written with ``write_review_page`` and
opened in headless Chromium (Debian's ``chromium``, driven by Playwright):
time to the first rendered page, then a search, a page turn and a decision,
each timed inside the page (``performance.now``). Skipped, with a line saying
so, when chromium or playwright is missing.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import parse_args, write_results

from vnlink import Linker
from vnlink.datasets import CorruptionProfile, synthetic_linkage
from vnlink.review import write_review_page
from vnlink.review.table import ReviewTable
from vnlink.table import Table

ARGS = ["--no-sandbox", "--disable-gpu", "--headless", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def big_table(n_records: int) -> ReviewTable:
    registry, records, _ = synthetic_linkage(2000, seed=4, profile=CorruptionProfile.heavy())
    linker = Linker(progress=False).fit(registry, records)
    small = linker.link(registry, records).review_table(registry, records)
    t = small.table
    reps = int(np.ceil(n_records / small.n_records))
    idx = np.tile(np.arange(t.n_rows), reps)
    rep = np.repeat(np.arange(reps), t.n_rows)
    cols = {c: t[c][idx].copy() for c in t.column_names}
    cols["record_id"] = np.asarray([f"{r}-{k}" for r, k in zip(
        cols["record_id"].tolist(), rep.tolist(), strict=True)], dtype=object)
    cols["priority"] = cols["priority"] + rep * small.n_records
    return ReviewTable(Table(cols), fields=small.fields, comparisons=small.comparisons,
                       thresholds=small.thresholds)


def main() -> None:
    args = parse_args(__doc__ or "")
    n = 1_000 if args.quick else 10_000
    table = big_table(n)
    folder = Path(tempfile.mkdtemp())
    start = time.perf_counter()
    path = write_review_page(table, folder / "review.html")
    figures: dict[str, float | int | str] = {
        "records": table.n_records, "candidate_rows": len(table),
        "write_s": round(time.perf_counter() - start, 2),
        "file_mb": round(path.stat().st_size / 2**20, 2),
    }
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if chromium is None:
        figures["browser"] = "skipped: chromium or playwright missing"
        write_results("review_page", args.quick, figures)
        return
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(str(folder / "profile"),
                                                   executable_path=chromium, args=ARGS,
                                                   headless=True)
        page = ctx.new_page()
        start = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("section.rec")
        figures["first_render_s"] = round(time.perf_counter() - start, 2)
        figures["search_ms"] = round(page.evaluate(
            "() => {const s = performance.now(); const e = document.getElementById('f-search');"
            " e.value = 'nguyen'; e.dispatchEvent(new Event('input'));"
            " return performance.now() - s;}"))
        figures["page_turn_ms"] = round(page.evaluate(
            "() => {const s = performance.now(); document.getElementById('next').click();"
            " return performance.now() - s;}"))
        figures["decision_ms"] = round(page.evaluate(
            "() => {const s = performance.now();"
            " document.querySelector('section.rec button[data-d=same]').click();"
            " return performance.now() - s;}"))
        ctx.close()
    shutil.rmtree(folder, ignore_errors=True)
    write_results("review_page", args.quick, figures)


if __name__ == "__main__":
    main()
