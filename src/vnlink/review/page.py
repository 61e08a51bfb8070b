"""One self-contained, offline HTML page for clerical review.

:func:`write_review_page` turns a :class:`~vnlink.review.ReviewTable` into a
single HTML file that opens from disk in Chromium or Firefox with no server
and no network: the data is embedded as JSON (``<``, ``>``, ``&`` escaped, read
with ``JSON.parse`` and shown only through ``textContent``), and a
Content-Security-Policy allows nothing but the page's own script (by its
SHA-256) — no request can leave the page.

The clerk sees records grouped by vaccination site (or commune), sorted by
priority; filters by group, reason and decision; a search box; the record
and its candidates side by side with differences marked; the reasons in
Vietnamese; a waterfall of the weights of each candidate; and buttons (and
keys) for a decision per record: same person as candidate 1/2, different
person, or not sure, with a note. Decisions are kept in the browser
(``localStorage``, after every click) and exported as CSV
(``record_id,decision,person_id,candidates,note,decided_at``), which
:func:`vnlink.review.read_decisions` reads back.

Keys: ``j``/``k`` next/previous record, ``1``/``2`` same as candidate 1/2,
``x`` different person, ``c`` not sure, ``0`` clear, ``n`` note, ``/`` search, ``[``/``]``
page, ``e`` export.

>>> from vnlink.table import Table
>>> from vnlink.review.table import ReviewTable
>>> html = review_page_html(ReviewTable(Table({"record_id": []}), fields=[], comparisons=[],
...                                     thresholds={}))
>>> html.startswith("<!DOCTYPE html>") and "http://" not in html and "https://" not in html
True
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from vnlink.review._assets import CSS as _CSS
from vnlink.review._assets import SCRIPT as _SCRIPT
from vnlink.review.table import FIELDS as _FIELDS
from vnlink.review.table import ReviewTable

__all__ = ["LEVEL_VI", "TEXT", "review_page_data", "review_page_html", "write_review_page"]

#: The page's words (Vietnamese first; ``language="en"`` for English).
TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "title": "Rà soát liên kết", "search": "Tìm (tên, mã, địa bàn…)",
        "all_groups": "Mọi địa bàn", "all_reasons": "Mọi lý do", "all_decisions": "Mọi bản ghi",
        "undecided": "Chưa quyết định", "sort_priority": "Ưu tiên", "sort_prob_desc":
        "Xác suất giảm dần", "sort_prob_asc": "Xác suất tăng dần", "export": "Xuất CSV",
        "prev": "◀ Trang trước", "next": "Trang sau ▶", "page": "Trang", "records": "bản ghi",
        "decided": "đã quyết định", "record": "Bản ghi", "status": "trạng thái",
        "probability": "xác suất", "margin": "chênh lệch", "priority": "ưu tiên",
        "field": "Trường", "record_side": "Bản ghi tiêm chủng", "candidate": "Ứng viên",
        "waterfall": "Trọng số ứng viên", "prior": "tiên nghiệm", "total": "tổng",
        "same": "Cùng người — ứng viên", "different": "Khác người", "unsure": "Chưa chắc",
        "note": "Ghi chú (tuỳ chọn)",
        "help": "Phím: j/k bản ghi sau/trước · 1/2 cùng người với ứng viên 1/2 · x khác người · "
                "c chưa chắc · 0 xoá quyết định · n ghi chú · / tìm · [ ] trang · e xuất CSV. "
                "Quyết định được lưu ngay trong trình duyệt.",
        "same_d": "Cùng người", "different_d": "Khác người", "unsure_d": "Chưa chắc",
    },
    "en": {
        "title": "Link review", "search": "Search (name, id, place…)",
        "all_groups": "All places", "all_reasons": "All reasons", "all_decisions": "All records",
        "undecided": "Undecided", "sort_priority": "Priority", "sort_prob_desc":
        "Probability, high first", "sort_prob_asc": "Probability, low first",
        "export": "Export CSV", "prev": "◀ Previous", "next": "Next ▶", "page": "Page",
        "records": "records", "decided": "decided", "record": "Record", "status": "status",
        "probability": "probability", "margin": "margin", "priority": "priority",
        "field": "Field", "record_side": "Record", "candidate": "Candidate",
        "waterfall": "Weights of candidate", "prior": "prior", "total": "total",
        "same": "Same person — candidate", "different": "Different person",
        "unsure": "Not sure", "note": "Note (optional)",
        "help": "Keys: j/k next/previous record · 1/2 same as candidate 1/2 · x different · "
                "c not sure · 0 clear the decision · n note · / search · [ ] page · e export CSV. "
                "Decisions are saved in the browser at once.",
        "same_d": "Same person", "different_d": "Different person", "unsure_d": "Not sure",
    },
}

#: Vietnamese words for the default comparisons' names and level labels (others stay as they are).
LEVEL_VI: dict[str, str] = {
    "name": "họ tên", "dob": "ngày sinh", "id": "giấy tờ", "phone": "điện thoại",
    "sex": "giới tính", "address": "địa chỉ",
    "else": "khác", "different": "khác", "exact": "trùng khớp", "same": "giống",
    "same given only": "chỉ trùng tên", "similar": "gần giống",
    "same family and given, middle different": "trùng họ và tên, tên đệm khác",
    "parts reordered": "đảo thứ tự", "same family and given, middle missing or close":
    "trùng họ và tên, thiếu/gần tên đệm", "same phonetic key": "cùng cách đọc",
    "same folded": "trùng khi bỏ dấu", "year ±1": "lệch 1 năm",
    "same year and month": "trùng năm và tháng", "compatible with year only": "chỉ khớp năm",
    "within 2 days": "lệch tối đa 2 ngày", "day/month swapped": "đảo ngày/tháng",
    "CCCD contradicts birth year or sex": "CCCD mâu thuẫn năm sinh/giới tính",
    "adjacent digits swapped": "đảo hai chữ số liền nhau",
    "one digit different": "sai một chữ số",
    "one digit different or swapped": "sai/đảo một chữ số", "same province": "cùng tỉnh",
    "a household member's number": "số của người cùng hộ",
    "same district": "cùng huyện", "same commune": "cùng xã",
}

_FIELD_LABELS_EN = {"name": "Name", "dob": "Date of birth", "sex": "Sex",
                    "id_number": "ID number", "phone": "Phone", "address": "Address"}
_FIELD_COMPARISON = {"name": "name", "dob": "dob", "sex": "sex", "id_number": "id",
                     "phone": "phone", "address": "address"}


def _level_word(label: str, language: str) -> str:
    if language == "vi":
        return LEVEL_VI.get(label, label)
    return "(missing)" if label == "(thiếu)" else label


def _num(value: Any) -> float | None:
    v = float(value)
    return None if math.isnan(v) or math.isinf(v) else round(v, 6)


def review_page_data(table: ReviewTable, *, language: str = "vi", page_size: int = 50,
                     title: str | None = None) -> dict[str, Any]:
    """The JSON document the page embeds (one entry per record, candidates inside)."""
    if language not in TEXT:
        raise ValueError(f"language must be one of {', '.join(TEXT)}, got {language!r}")
    t = table.table
    rows = t.to_dicts() if len(table) else []
    fields = [f for f in table.fields if f in _FIELDS]
    comps = list(table.comparisons)
    records: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    for row in rows:
        rid = str(row["record_id"])
        rec = by_id.get(rid)
        if rec is None:
            reasons = [s for s in str(row.get("reasons", "")).split("; ") if s]
            codes = [s for s in str(row.get("reason_codes", "")).split(";") if s]
            rec = {"id": rid, "group": str(row.get("group", "")), "status": str(row["status"]),
                   "prob": None, "margin": _num(row.get("runner_up_margin", float("nan"))),
                   "priority": int(row.get("priority", 0)), "reasons": reasons, "codes": codes,
                   "values": [[str(row[f"record_{f}"]), str(row[f"record_{f}_norm"])]
                              for f in fields], "cands": []}
            by_id[rid] = rec
            records.append(rec)
        if not row.get("person_id"):
            continue
        cand = {"pid": str(row["person_id"]), "prob": _num(row["pair_probability"]),
                "weight": _num(row["pair_weight"]), "rule": str(row.get("blocking_rule", "")),
                "values": [[str(row[f"registry_{f}"]), str(row[f"registry_{f}_norm"])]
                           for f in fields],
                "levels": [_level_word(str(row[f"level_{c}"]), language) for c in comps],
                "weights": [_num(row[f"weight_{c}"]) for c in comps]}
        if not rec["cands"]:
            rec["prob"] = cand["prob"]
        rec["cands"].append(cand)
    prior = None
    if len(table) and "prior_weight" in t:
        finite = np.asarray(t["prior_weight"], dtype=np.float64)
        finite = finite[np.isfinite(finite)]
        prior = _num(finite[0]) if finite.size else None
    labels = [_FIELDS[f] if language == "vi" else _FIELD_LABELS_EN[f] for f in fields]
    field_comp = [comps.index(_FIELD_COMPARISON[f]) if _FIELD_COMPARISON[f] in comps else -1
                  for f in fields]
    body = json.dumps(records, ensure_ascii=False, sort_keys=True)
    return {
        "id": hashlib.sha256(body.encode()).hexdigest()[:16],
        "title": title or TEXT[language]["title"],
        "fields": fields, "field_labels": labels, "field_comparison": field_comp,
        "comparisons": [_level_word(c, language) for c in comps], "prior": prior,
        "page_size": int(page_size),
        "thresholds": table.thresholds, "text": TEXT[language],
        "export_name": "quyet-dinh-ra-soat.csv" if language == "vi" else "review-decisions.csv",
        "records": records,
    }


def _safe_json(doc: Any) -> str:
    """JSON that cannot end a ``<script>`` element or start markup inside it."""
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _esc(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def review_page_html(table: ReviewTable, *, language: str = "vi", page_size: int = 50,
                     title: str | None = None) -> str:
    """The whole page as a string (see :func:`write_review_page`)."""
    data = review_page_data(table, language=language, page_size=page_size, title=title)
    t = data["text"]
    digest = base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode()
    csp = (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
           "img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'")
    options = "".join(f'<option value="{v}">{_esc(t[k])}</option>' for v, k in (
        ("", "all_decisions"), ("undecided", "undecided"), ("same", "same_d"),
        ("different", "different_d"), ("unsure", "unsure_d")))
    sorts = "".join(f'<option value="{v}">{_esc(t[k])}</option>' for v, k in (
        ("priority", "sort_priority"), ("prob_desc", "sort_prob_desc"),
        ("prob_asc", "sort_prob_asc")))
    lang = "vi" if language == "vi" else "en"
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{_esc(data["title"])}</title><style>{_CSS}</style></head>
<body><header><h1>{_esc(data["title"])}</h1><div class="bar">
<input type="search" id="f-search" placeholder="{_esc(t["search"])}"
 aria-label="{_esc(t["search"])}">
<select id="f-group" aria-label="group"></select><select id="f-reason" aria-label="reason"></select>
<select id="f-decision" aria-label="decision">{options}</select>
<select id="f-sort" aria-label="sort">{sorts}</select>
<button id="export" type="button">{_esc(t["export"])}</button><span id="progress"></span></div>
<div class="help">{_esc(t["help"])}</div></header>
<main><div class="pager"><button id="prev" type="button">{_esc(t["prev"])}</button>
<span id="page-info"></span><button id="next" type="button">{_esc(t["next"])}</button></div>
<div id="list"></div></main>
<script type="application/json" id="review-data">{_safe_json(data)}</script>
<script>{_SCRIPT}</script></body></html>
"""


def write_review_page(table: ReviewTable, path: str | os.PathLike[str], *, language: str = "vi",
                      page_size: int = 50, title: str | None = None) -> Path:
    """Write the review page to ``path`` (atomically, mode 0600: it holds personal data).

    Parameters
    ----------
    table
        From :func:`vnlink.review.review_table`.
    path
        The ``.html`` file to write.
    language
        ``"vi"`` (default) or ``"en"`` for the page's own words.
    page_size
        Records per page (the page renders one page at a time, so 10,000 stay fluid).
    """
    target = Path(path)
    text = review_page_html(table, language=language, page_size=page_size, title=title)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, target)
    return target
