"""Charts for tuning a linkage (the optional ``plot`` extra: matplotlib).

Every chart takes ``language="vi"`` (default) or ``"en"`` for its words, draws
on a given ``ax`` or on a new figure laid out so that no label is clipped
(``layout="constrained"``), and marks the decision thresholds where they
apply:

- :func:`plot_m_u` — m and u of every level of every comparison (log scale);
- :func:`plot_weight_histogram` — the best candidates' match weights, split by
  the truth when given, with the review and verified thresholds;
- :func:`plot_pr_curve` — precision against recall, the thresholds marked;
- :func:`plot_threshold_curve` — precision, recall and F1 against the threshold;
- :func:`plot_waterfall` — how one pair's weight adds up;
- :func:`plot_blocking_rules` — candidate pairs per blocking rule (own and new).

Thresholds come from ``thresholds=`` (a dict like ``Linker.thresholds_``, or a
Linker); probabilities are shown as weights ``log2(p / (1 - p))`` on weight axes.

>>> match_weight_of(0.5), round(match_weight_of(0.999), 2)
(0.0, 9.96)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from vnlink._plotting import INSTALL_HINT, new_axes
from vnlink.evaluate import threshold_sweep
from vnlink.exceptions import ConfigurationError
from vnlink.table import as_table

__all__ = [
    "INSTALL_HINT",
    "LABELS",
    "match_weight_of",
    "plot_blocking_rules",
    "plot_m_u",
    "plot_pr_curve",
    "plot_threshold_curve",
    "plot_waterfall",
    "plot_weight_histogram",
]

#: The words of the charts.
LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "weight": "trọng số khớp (bit)", "records": "số bản ghi", "precision": "độ chính xác",
        "recall": "độ phủ", "threshold": "ngưỡng xác suất khớp", "f1": "F1",
        "right": "đúng người", "wrong": "sai người / không có trong sổ",
        "verified": "ngưỡng tự động liên kết", "review": "ngưỡng cần rà soát",
        "pr_title": "Độ chính xác – độ phủ theo ngưỡng", "thr_title": "Chất lượng theo ngưỡng",
        "hist_title": "Phân bố trọng số của ứng viên tốt nhất", "m": "m (cặp khớp)",
        "u": "u (cặp không khớp)", "prob": "xác suất (thang log)", "mu_title":
        "Tham số m và u theo mức so sánh", "level": "so sánh: mức", "pairs": "số cặp ứng viên",
        "rule": "quy tắc phân khối", "own": "cặp của quy tắc", "new": "cặp mới",
        "rules_title": "Số cặp ứng viên theo quy tắc phân khối", "prior": "tiên nghiệm",
        "total": "tổng", "tf": "tần suất", "wf_title": "Trọng số {w:+.2f}, xác suất {p:.4f}",
    },
    "en": {
        "weight": "match weight (bits)", "records": "records", "precision": "precision",
        "recall": "recall", "threshold": "match-probability threshold", "f1": "F1",
        "right": "right person", "wrong": "wrong person / not in registry",
        "verified": "verified threshold", "review": "review threshold",
        "pr_title": "Precision-recall over thresholds", "thr_title": "Quality by threshold",
        "hist_title": "Match weight of the best candidates", "m": "m (matches)",
        "u": "u (non-matches)", "prob": "probability (log scale)", "mu_title":
        "m and u per comparison level", "level": "comparison: level", "pairs": "candidate pairs",
        "rule": "blocking rule", "own": "pairs of the rule", "new": "new pairs",
        "rules_title": "Candidate pairs per blocking rule", "prior": "prior",
        "total": "total", "tf": "term frequency",
        "wf_title": "Weight {w:+.2f}, probability {p:.4f}",
    },
}


def _words(language: str) -> dict[str, str]:
    if language not in LABELS:
        raise ConfigurationError(f"language must be 'vi' or 'en', got {language!r}")
    return LABELS[language]


def match_weight_of(probability: float) -> float:
    """The match weight (bits) at which a pair has this probability."""
    p = min(max(float(probability), 1e-15), 1 - 1e-15)
    return math.log2(p) - math.log2(1 - p)


def _thresholds(thresholds: Any) -> dict[str, float]:
    if thresholds is None:
        return {}
    got = getattr(thresholds, "thresholds_", thresholds)
    if not isinstance(got, Mapping):
        raise ConfigurationError("thresholds must be a dict like Linker.thresholds_ or a Linker")
    return {k: float(got[k]) for k in ("verified_threshold", "review_threshold") if k in got}


_STYLE = {"verified_threshold": ("tab:green", "verified"), "review_threshold": ("tab:orange",
                                                                              "review")}


def _vlines(ax: Any, th: dict[str, float], words: dict[str, str], *, weights: bool) -> None:
    for key, value in th.items():
        color, word = _STYLE[key]
        x = match_weight_of(value) if weights else value
        ax.axvline(x, color=color, linestyle="--", linewidth=1.2,
                   label=f"{words[word]} ({value:g})")


def plot_m_u(model: Any, *, language: str = "vi", ax: Any = None) -> Any:
    """m and u of each level of each comparison of a Fellegi–Sunter model (or a Linker)."""
    words = _words(language)
    model = getattr(model, "classifier_", model)
    params = model.parameters()
    names = [f"{c}: {lab}" for c, lab in zip(params["comparison"].tolist(),
                                              params["label"].tolist(), strict=True)]
    ax = new_axes(ax, (max(6.0, 0.32 * len(names) + 2), 4.8))
    x = np.arange(len(names))
    ax.bar(x - 0.2, params["m"], width=0.4, label=words["m"], color="tab:green")
    ax.bar(x + 0.2, params["u"], width=0.4, label=words["u"], color="tab:red")
    ax.set_yscale("log")
    ax.set_xticks(x, names, rotation=60, ha="right", fontsize=7)
    ax.set_ylabel(words["prob"])
    ax.set_xlabel(words["level"])
    ax.set_title(words["mu_title"])
    ax.legend(fontsize=8)
    return ax


def plot_weight_histogram(result: Any, truth: Any = None, *, thresholds: Any = None,
                          language: str = "vi", bins: int = 60, ax: Any = None) -> Any:
    """Histogram of the best candidates' match weights, split by truth, thresholds marked."""
    words = _words(language)
    ax = new_axes(ax, (6.4, 4.2))
    got = getattr(result, "table", None)
    res = as_table(got if got is not None else result)
    weight = np.asarray(res["match_weight"], dtype=np.float64)
    ok = np.isfinite(weight)
    if truth is None:
        ax.hist(weight[ok], bins=bins, color="tab:blue")
    else:
        t = as_table(truth)
        person = dict(zip([str(v) for v in t["record_id"].tolist()],
                          [str(v) for v in t["person_id"].tolist()], strict=True))
        chosen = [str(v) for v in res["person_id"].tolist()]
        right = ok & np.asarray([c != "" and person.get(str(r)) == c for r, c in zip(
            res["record_id"].tolist(), chosen, strict=True)], dtype=bool)
        ax.hist([weight[right], weight[ok & ~right]], bins=bins, stacked=True,
                label=[words["right"], words["wrong"]], color=["tab:green", "tab:red"])
        ax.set_yscale("log")
    _vlines(ax, _thresholds(thresholds), words, weights=True)
    ax.set_xlabel(words["weight"])
    ax.set_ylabel(words["records"])
    ax.set_title(words["hist_title"])
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
    return ax


def plot_pr_curve(result: Any, truth: Any, *, thresholds: Any = None, language: str = "vi",
                  ax: Any = None) -> Any:
    """Precision against recall over probability thresholds; the thresholds as points."""
    words = _words(language)
    ax = new_axes(ax, (5.2, 4.4))
    sweep = threshold_sweep(result, truth)
    ax.plot(sweep["recall"], sweep["precision"], marker=".", color="tab:blue")
    for key, value in _thresholds(thresholds).items():
        color, word = _STYLE[key]
        at = threshold_sweep(result, truth, thresholds=[value])
        ax.plot(at["recall"], at["precision"], "o", markersize=9, color=color,
                label=f"{words[word]} ({value:g})")
    ax.set_xlabel(words["recall"])
    ax.set_ylabel(words["precision"])
    ax.set_title(words["pr_title"])
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8, loc="lower left")
    return ax


def plot_threshold_curve(result: Any, truth: Any, *, thresholds: Any = None,
                         language: str = "vi", ax: Any = None) -> Any:
    """Precision, recall and F1 against the probability threshold, thresholds marked."""
    words = _words(language)
    ax = new_axes(ax, (6.0, 4.2))
    sweep = threshold_sweep(result, truth)
    for key, color in (("precision", "tab:blue"), ("recall", "tab:purple"), ("f1", "black")):
        ax.plot(sweep["threshold"], sweep[key], label=words[key], color=color)
    _vlines(ax, _thresholds(thresholds), words, weights=False)
    ax.set_xlabel(words["threshold"])
    ax.set_ylabel(f"{words['precision']} / {words['recall']} / F1")
    ax.set_title(words["thr_title"])
    ax.legend(fontsize=8)
    return ax


def plot_waterfall(explanation: Any, row: int = 0, *, language: str = "vi",
                   ax: Any = None) -> Any:
    """The waterfall of one pair of an :class:`~vnlink.classify.Explanation`.

    Each bar starts where the previous one ended: green for evidence of a
    match, red against; a term-frequency part is its own hatched bar; the
    last bar (blue) is the total.
    """
    words = _words(language)
    steps: list[tuple[str, float, bool]] = []
    for bar in explanation.to_dicts(row)[:-1]:
        name = words["prior"] if bar["name"] == "prior" else bar["name"]
        label = name if not bar["label"] else f"{name}\n{bar['label']}"
        steps.append((label, bar["weight"] - bar["tf_weight"], False))
        if bar["tf_weight"]:
            steps.append((f"{name}\n{words['tf']}", bar["tf_weight"], True))
    i = explanation._row(row)
    total = float(explanation.total[i])
    ax = new_axes(ax, (1.6 + 0.9 * (len(steps) + 1), 4.6))
    start = 0.0
    reached = [0.0, total]
    for x, (_, height, is_tf) in enumerate(steps):
        ax.bar(x, height, bottom=start, color="tab:green" if height >= 0 else "tab:red",
               hatch="//" if is_tf else None, alpha=0.6 if is_tf else 1.0,
               edgecolor="black", linewidth=0.5)
        ax.text(x, start + height, f"{height:+.2f}", ha="center",
                va="bottom" if height >= 0 else "top", fontsize=8)
        start += height
        reached.append(start)
    ax.bar(len(steps), total, color="tab:blue", edgecolor="black", linewidth=0.5)
    ax.text(len(steps), total, f"{total:+.2f}", ha="center",
            va="bottom" if total >= 0 else "top", fontsize=8)
    ax.axhline(0.0, color="black", linewidth=0.8)
    pad = 0.12 * (max(reached) - min(reached) or 1.0)
    ax.set_ylim(min(reached) - pad, max(reached) + pad)
    labels = [label for label, _, _ in steps] + [words["total"]]
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=8)
    ax.set_xlabel(words["level"])
    ax.set_ylabel(words["weight"])
    ax.set_title(words["wf_title"].format(w=total, p=float(explanation.probability[i])))
    return ax


def plot_blocking_rules(report: Any, *, language: str = "vi", ax: Any = None) -> Any:
    """Candidate pairs per blocking rule: the rule's own pairs and the new ones it adds.

    ``report`` is a ``BlockingReport`` (``candidate_pairs(...).report``), a
    ``CandidatePairs``, or a mapping rule -> pairs.
    """
    words = _words(language)
    report = getattr(report, "report", report)
    if isinstance(report, Mapping):
        rules = [str(k) for k in report]
        own = np.asarray([float(v) for v in report.values()])
        new = None
    else:
        rules = [r.rule for r in report.rules]
        own = np.asarray([float(r.pairs) for r in report.rules])
        new = np.asarray([float(r.new_pairs) for r in report.rules])
    ax = new_axes(ax, (7.0, 1.4 + 0.45 * len(rules)))
    y = np.arange(len(rules))
    ax.barh(y, own, height=0.4 if new is not None else 0.7, label=words["own"],
            color="tab:blue")
    if new is not None:
        ax.barh(y + 0.4, new, height=0.4, label=words["new"], color="tab:orange")
        ax.legend(fontsize=8)
    ax.set_yticks(y + (0.2 if new is not None else 0.0), rules, fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("symlog", linthresh=1)
    ax.set_xlabel(words["pairs"])
    ax.set_ylabel(words["rule"])
    ax.set_title(words["rules_title"])
    return ax
