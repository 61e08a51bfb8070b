"""The review page in a real headless Chromium (Debian's chromium, driven by Playwright).

Skipped when chromium or playwright is missing; ``.ci/run`` installs both.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vnlink.review import read_decisions, review_table, write_review_page

from .conftest import INJECTED_NAME, INJECTED_SITE

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if os.environ.get("VNLINK_REQUIRE_BROWSER") == "1":  # set by .ci/run: never skip there
    from playwright import sync_api

    assert CHROMIUM is not None, "chromium is not installed (apt-get install chromium)"
else:
    sync_api = pytest.importorskip("playwright.sync_api")
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed", allow_module_level=True)

ARGS = ["--no-sandbox", "--disable-gpu", "--headless", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def page_file(linkage, tmp_path_factory) -> Path:
    table = review_table(linkage.result, linkage.registry, linkage.records, linkage.linker)
    ids = table.table["record_id"]
    first = table.table["priority"] == 1  # on the first page, first group
    table.table["record_name"][ids == ids[first][0]] = INJECTED_NAME
    table.table["group"][ids == ids[first][0]] = INJECTED_SITE
    return write_review_page(table, tmp_path_factory.mktemp("page") / "review.html",
                             page_size=25)


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")), executable_path=CHROMIUM, args=ARGS,
            headless=True, accept_downloads=True, viewport={"width": 1280, "height": 900})
        yield context
        context.close()


def test_review_page_end_to_end(linkage, page_file, browser, tmp_path) -> None:
    page = browser.new_page()
    requests: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_file.as_uri())
    n_review = int((linkage.result["status"] == "review").sum())

    # every review record is on the page (25 per page)
    assert page.locator("#progress").text_content() == f"0 / {n_review} đã quyết định"
    info = page.locator("#page-info").text_content()  # "Trang 1 / P · N bản ghi"
    pages = int(info.split(" / ")[1].split(" ")[0])
    assert info.endswith(f"{n_review} bản ghi")
    seen = page.locator("section.rec").count()
    for _ in range(pages - 1):
        page.locator("#next").click()
        seen += page.locator("section.rec").count()
    assert seen == n_review
    for _ in range(pages - 1):
        page.locator("#prev").click()

    # the injected markup shows as text and never ran
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("img").count() == 0 and page.locator("main script").count() == 0
    assert page.locator("h3.group", has_text=INJECTED_SITE).count() == 1
    page.locator("#f-search").fill("img src=x")
    assert page.locator("section.rec").count() == 1
    assert page.locator("td", has_text=INJECTED_NAME).count() == 1
    assert page.evaluate("window.__pwned === undefined") and page.locator("img").count() == 0
    assert dialogs == [] and errors == []

    # filter: search for one record id
    rid = linkage.result["record_id"][linkage.result["status"] == "review"][3]
    page.locator("#f-search").fill(rid)
    assert page.locator("section.rec").count() == 1
    page.locator("#f-search").fill("")
    assert page.locator("section.rec").count() == min(25, n_review)

    # decide three records: a click, then keys (x = different, c = not sure) with a note
    cards = page.locator("section.rec")
    ids = [cards.nth(i).locator("h2 span").first.text_content().split()[-1] for i in range(3)]
    cards.nth(0).locator("button[data-d=same]").first.click()
    cards.nth(1).click()
    page.keyboard.press("x")
    cards.nth(2).locator("input.note").fill("gọi lại hỏi <b>mẹ</b>")
    cards.nth(2).locator("input.note").press("Enter")
    cards.nth(2).click()
    page.keyboard.press("c")
    assert page.locator("#progress").text_content().startswith("3 / ")

    # decisions survive a reload (saved in the browser after every click)
    page.reload()
    assert page.locator("#progress").text_content().startswith("3 / ")
    page.locator("#f-decision").select_option("undecided")
    assert page.locator("section.rec").count() == min(25, n_review - 3)
    page.locator("#f-decision").select_option("")

    # export, read back, apply with the command
    with page.expect_download() as info:
        page.locator("#export").click()
    csv_path = tmp_path / "decisions.csv"
    info.value.save_as(csv_path)
    decisions = read_decisions(csv_path)
    assert sorted(decisions["record_id"].tolist()) == sorted(ids)
    by_id = dict(zip(decisions["record_id"].tolist(), decisions["decision"].tolist(),
                     strict=True))
    assert [by_id[i] for i in ids] == ["same", "different", "unsure"]
    assert decisions["note"].tolist()[decisions["record_id"].tolist().index(ids[2])] == \
        "gọi lại hỏi <b>mẹ</b>"
    result_csv = tmp_path / "result.csv"
    linkage.result.to_csv(result_csv)
    out = tmp_path / "applied.csv"
    done = subprocess.run([sys.executable, "-m", "vnlink.cli", "apply-review", "--result",
                           str(result_csv), "--decisions", str(csv_path), "--out", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    from vnlink.table import as_table

    applied = as_table(out)
    status = dict(zip(applied["record_id"].tolist(), applied["status"].tolist(), strict=True))
    assert [status[i] for i in ids] == ["verified", "unmatched", "review"]

    # nothing but the file itself (and the export's blob) was requested
    assert requests and all(u.startswith(("file://", "blob:", "data:")) for u in requests), \
        requests
    page.screenshot(path=str(tmp_path / "review.png"))
    page.close()
