"""The review page as a file: self-contained, offline, data embedded as inert JSON."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import numpy as np

from vnlink.review import review_table, write_review_page
from vnlink.review._assets import SCRIPT
from vnlink.review.page import review_page_data, review_page_html

from .conftest import INJECTED_NAME, INJECTED_SITE


def _table(linkage):
    table = review_table(linkage.result, linkage.registry, linkage.records, linkage.linker)
    name = table.table["record_name"]
    name[table.table["record_id"] == table.table["record_id"][0]] = INJECTED_NAME
    group = table.table["group"]
    group[table.table["record_id"] == table.table["record_id"][1]] = INJECTED_SITE
    return table


def test_page_is_one_offline_file(linkage, tmp_path) -> None:
    path = write_review_page(_table(linkage), tmp_path / "review.html")
    html = path.read_text(encoding="utf-8")
    assert (path.stat().st_mode & 0o777) == 0o600
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", html)
    assert "https://" not in html and "http://" not in html
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in html
    assert "default-src 'none'" in html and "connect-src 'none'" in html


def test_markup_in_data_cannot_close_the_script(linkage) -> None:
    html = review_page_html(_table(linkage))
    start = html.index('<script type="application/json" id="review-data">')
    end = html.index("</script>", start)
    embedded = html[start:end].split(">", 1)[1]
    assert "<" not in embedded and ">" not in embedded
    doc = json.loads(embedded)
    names = [r["values"][0][0] for r in doc["records"]]
    assert INJECTED_NAME in names
    assert html.count("<script") == 2


def test_one_entry_per_record_with_its_candidates(linkage) -> None:
    table = _table(linkage)
    doc = review_page_data(table, language="en")
    ids = [r["id"] for r in doc["records"]]
    assert len(ids) == len(set(ids)) == table.n_records
    n_cands = sum(len(r["cands"]) for r in doc["records"])
    assert n_cands == int((table["person_id"] != "").sum())
    assert doc["text"]["export"] == "Export CSV"
    first = doc["records"][0]["cands"][0]
    assert np.isclose(doc["prior"] + sum(first["weights"]), first["weight"], atol=1e-4)


def test_vietnamese_page_has_vietnamese_levels(linkage) -> None:
    from vnlink.review.page import LEVEL_VI

    doc = review_page_data(_table(linkage))
    levels = {lv for r in doc["records"] for c in r["cands"] for lv in c["levels"]}
    assert levels <= set(LEVEL_VI.values()) | {"(thiếu)"}
    assert doc["comparisons"] == ["họ tên", "ngày sinh", "giấy tờ", "điện thoại", "giới tính",
                                  "địa chỉ"]
