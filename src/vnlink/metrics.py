"""Pairwise, cluster and blocking metrics against a known truth (FEBRL-style pairs or clusters).

:func:`vnlink.evaluate.evaluate` scores a :class:`~vnlink.LinkResult` record by
record. The functions here score *pairs* and *clusters*, as record-linkage
papers, ``recordlinkage`` and Splink users do:

- :func:`pair_metrics` — precision, recall and F1 of the matched pairs;
- :func:`cluster_metrics` — B-cubed, pair counting, adjusted Rand index,
  purity, homogeneity/completeness and cluster counts of a deduplication;
- :func:`blocking_metrics` — pairs completeness, pairs quality and reduction
  ratio of a set of candidate pairs.

Truth and predictions are given by id (any hashable; compared as text), either as

- **pairs** (:class:`Pairs`): two aligned id sequences ``(left_ids, right_ids)``,
  a sequence of 2-tuples, a pandas ``MultiIndex`` (what ``recordlinkage``'s
  ``load_febrl4(return_links=True)`` gives), a table whose first two columns
  hold the ids, or a :class:`~vnlink.LinkResult` (its links: ``person_id``,
  ``record_id``);
- **clusters** (:class:`Clusters`): a ``{id: cluster label}`` mapping, a table
  with a ``cluster_id`` column, or a :class:`~vnlink.DedupeResult`. An id that
  the clustering does not name is a cluster of its own.

Pairs implied by clusters are counted from the cluster sizes, never listed, so a
cluster of 10,000 records costs no 50 million pairs.

Examples
--------
Link two files (left ids from file A, right ids from file B):

>>> truth = (["a1", "a2", "a3"], ["b1", "b2", "b3"])
>>> found = [("a1", "b1"), ("a2", "b2"), ("a3", "b9")]
>>> m = pair_metrics(found, truth)
>>> m.true_positives, m.precision, m.recall
(2, 0.6666666666666666, 0.6666666666666666)

Deduplicate one file, truth as clusters:

>>> truth = {"r1": "p1", "r2": "p1", "r3": "p1", "r4": "p2"}
>>> predicted = {"r1": 0, "r2": 0, "r3": 1, "r4": 1}
>>> pair_metrics(predicted, truth, dedupe=True).to_dict()["f1"]
0.4
>>> c = cluster_metrics(predicted, truth)
>>> round(c.bcubed_precision, 3), round(c.bcubed_recall, 3), c.n_predicted_clusters
(0.75, 0.667, 2)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from vnlink.exceptions import ConfigurationError, SchemaError
from vnlink.table import Table, as_table

__all__ = [
    "BlockingMetrics",
    "ClusterMetrics",
    "Clusters",
    "PairMetrics",
    "Pairs",
    "as_clusters",
    "as_pairs",
    "blocking_metrics",
    "cluster_metrics",
    "pair_metrics",
]

IdArray = NDArray[np.str_]
Codes = NDArray[np.int64]

_LINK_STATUSES = ("verified", "review")


# ---------------------------------------------------------------------------
# ids, pairs and clusters


def _ids(values: Any, what: str) -> IdArray:
    """Ids as a numpy unicode array; ``""`` for a missing id (None, NaN, empty).

    Whole floats read as integers (``5.0`` -> ``"5"``, as pandas stores an
    integer column with gaps); other values are compared as ``str(value)``.
    """
    array = values if isinstance(values, np.ndarray) else np.asarray(list(values), dtype=object)
    if array.ndim != 1:
        raise ConfigurationError(f"{what} must be one-dimensional sequences of ids")
    if array.dtype.kind in "iub" or array.dtype.kind == "U":
        return array.astype(np.str_)
    if array.dtype.kind == "f":
        missing = np.isnan(array)
        whole = ~missing & (array == np.round(array))
        out = array.astype(np.str_).astype(object)
        out[whole] = array[whole].astype(np.int64).astype(np.str_)
        out[missing] = ""
        return out.astype(np.str_)
    try:
        missing = np.asarray(array == None, dtype=bool) | (array != array)  # noqa: E711
        out = array.astype(np.str_)
    except (TypeError, ValueError):  # values that refuse comparison (pandas.NA)
        missing = np.array([v is None or type(v).__name__ == "NAType" or v != v
                            for v in array.tolist()], dtype=bool)
        out = np.array(["" if m else str(v) for v, m in zip(array.tolist(), missing,
                                                            strict=True)], dtype=np.str_)
    is_float = np.fromiter((isinstance(v, float) for v in array.tolist()), dtype=bool,
                           count=len(array)) if len(array) else np.zeros(0, dtype=bool)
    if is_float.any():
        out = out.astype(object)
        for i in np.flatnonzero(is_float & ~missing):
            value = float(array[i])
            out[i] = str(int(value)) if value.is_integer() else str(value)
        out = out.astype(np.str_)
    out[missing] = ""
    return out if len(out) else np.empty(0, dtype=np.str_)


@dataclass(frozen=True, eq=False)
class Pairs:
    """Pairs of record ids: ``left[i]`` with ``right[i]``.

    In link mode ``left`` holds ids of the first table and ``right`` of the
    second; in dedupe mode the order within a pair does not matter. Pairs with
    a missing id are dropped.

    Examples
    --------
    >>> Pairs(["a", "b", None], [1, 2, 3])
    Pairs(2 pairs)
    >>> Pairs(["a"], [1]).right.tolist()
    ['1']
    """

    left: IdArray
    right: IdArray

    def __init__(self, left: Any, right: Any) -> None:
        a, b = _ids(left, "pairs"), _ids(right, "pairs")
        if len(a) != len(b):
            raise ConfigurationError(
                f"pairs: the two id sequences have different lengths ({len(a)} and {len(b)})"
            )
        keep = (a != "") & (b != "")
        object.__setattr__(self, "left", a[keep])
        object.__setattr__(self, "right", b[keep])

    def __len__(self) -> int:
        return len(self.left)

    def __repr__(self) -> str:
        return f"Pairs({len(self):,} pairs)"


@dataclass(frozen=True, eq=False)
class Clusters:
    """A cluster label per record id (records with equal labels are one entity).

    An id given twice must carry the same label; rows with a missing id are
    dropped, and a missing label makes the record a cluster of its own.

    Examples
    --------
    >>> c = Clusters(["r1", "r2", "r3"], ["p1", "p1", None])
    >>> c, c.sizes().tolist()
    (Clusters(3 records, 2 clusters), [2, 1])
    """

    ids: IdArray
    labels: Codes

    def __init__(self, ids: Any, labels: Any) -> None:
        id_array, label_array = _ids(ids, "clusters"), _ids(labels, "cluster labels")
        if len(id_array) != len(label_array):
            raise ConfigurationError(
                f"clusters: {len(id_array)} ids but {len(label_array)} cluster labels"
            )
        keep = id_array != ""
        id_array, label_array = id_array[keep], label_array[keep]
        unique_ids, first, inverse = np.unique(id_array, return_index=True, return_inverse=True)
        _, label_codes = np.unique(label_array, return_inverse=True)
        label_codes = label_codes.astype(np.int64)
        label_codes[label_array == ""] = -1
        if len(unique_ids) != len(id_array):
            chosen = label_codes[first][inverse]
            clash = chosen != label_codes
            if clash.any():
                raise ConfigurationError(
                    f"clusters: {int(clash.sum())} repeated ids carry different cluster labels; "
                    "give each record one label"
                )
        labels_out = label_codes[first]
        missing = labels_out < 0
        top = int(labels_out.max()) + 1 if len(labels_out) else 0
        labels_out[missing] = top + np.arange(int(missing.sum()), dtype=np.int64)
        _, dense = np.unique(labels_out, return_inverse=True)
        object.__setattr__(self, "ids", unique_ids)
        object.__setattr__(self, "labels", dense.astype(np.int64))

    def __len__(self) -> int:
        return len(self.ids)

    def sizes(self) -> Codes:
        """Records per cluster, indexed by cluster code."""
        return np.bincount(self.labels, minlength=self.n_clusters).astype(np.int64)

    @property
    def n_clusters(self) -> int:
        """Number of clusters, singletons included."""
        return int(self.labels.max()) + 1 if len(self.labels) else 0

    def __repr__(self) -> str:
        return f"Clusters({len(self):,} records, {self.n_clusters:,} clusters)"


def _result_table(data: Any) -> Table | None:
    table = getattr(data, "table", None)
    return table if isinstance(table, Table) else None


def _is_multiindex(data: Any) -> bool:
    return hasattr(data, "get_level_values") and getattr(data, "nlevels", 0) == 2


def _is_label_mapping(data: Any) -> bool:
    if not isinstance(data, Mapping) or not data:
        return False
    return all(isinstance(v, (str, int, float, np.integer, np.floating)) or v is None
               for v in data.values())


def _columns(table: Table, columns: tuple[str, str] | None, default: tuple[str, str] | None,
             what: str) -> tuple[str, str]:
    if columns is None:
        if default is not None and all(c in table for c in default):
            return default
        if len(table.column_names) < 2:
            raise SchemaError(f"a table of {what} needs two columns; it has "
                              f"{table.column_names}")
        return table.column_names[0], table.column_names[1]
    for name in columns:
        if name not in table:
            raise SchemaError(f"the {what} table has no column {name!r}; it has "
                              f"{', '.join(table.column_names)}")
    return columns


def as_pairs(
    data: Any,
    *,
    columns: tuple[str, str] | None = None,
    statuses: Iterable[str] = _LINK_STATUSES,
) -> Pairs:
    """Read pairs of ids from any of the forms listed in the module docstring.

    Parameters
    ----------
    data
        :class:`Pairs`; ``(left_ids, right_ids)``; a sequence of ``(left, right)``
        tuples; a pandas ``MultiIndex`` of two levels; a table (the two
        ``columns``; by default ``person_id`` and ``record_id`` when it has
        them, else its first two); a :class:`~vnlink.LinkResult` or any table
        with a ``status`` column (the rows whose status is in ``statuses``).
    columns
        The two id columns of a table.
    statuses
        The statuses of a link result that count as a link.

    Examples
    --------
    >>> as_pairs([("a", "x"), ("b", "y")]).left.tolist()
    ['a', 'b']
    >>> as_pairs({"id_l": [1, 2], "id_r": [7, 8]}).right.tolist()
    ['7', '8']
    >>> result = {"record_id": ["x", "y"], "person_id": ["a", "b"],
    ...           "status": ["verified", "unmatched"]}
    >>> len(as_pairs(result))
    1
    """
    if isinstance(data, Pairs):
        return data
    if isinstance(data, Clusters) or _is_label_mapping(data):
        raise ConfigurationError("these are clusters, not pairs; pass pairs of ids")
    if _is_multiindex(data):
        return Pairs(data.get_level_values(0), data.get_level_values(1))
    if isinstance(data, tuple) and len(data) == 2 and not isinstance(data[0], (str, int)):
        return Pairs(data[0], data[1])
    table = _result_table(data)
    if table is None and (isinstance(data, Mapping) or hasattr(data, "columns")):
        table = as_table(data)
    if table is not None:
        if columns is None and {"person_id", "record_id"} <= set(table.column_names):
            keep = np.ones(table.n_rows, dtype=bool)
            if "status" in table:
                keep = np.isin(np.asarray(table["status"], dtype=object), list(statuses))
            return Pairs(table["person_id"][keep], table["record_id"][keep])
        left, right = _columns(table, columns, None, "pairs")
        return Pairs(table[left], table[right])
    items = list(data)
    if any(not isinstance(p, (tuple, list)) or len(p) != 2 for p in items):
        raise ConfigurationError(
            "pairs must be (left_ids, right_ids), a sequence of (left, right) tuples, "
            "a two-level MultiIndex or a table of two id columns"
        )
    return Pairs([p[0] for p in items], [p[1] for p in items])


def as_clusters(data: Any, *, columns: tuple[str, str] | None = None) -> Clusters:
    """Read a clustering from any of the forms listed in the module docstring.

    Parameters
    ----------
    data
        :class:`Clusters`; a ``{id: label}`` mapping; ``(ids, labels)``; a table
        (``columns`` = id and label columns, by default ``record_id`` and
        ``cluster_id``, else its first two); a :class:`~vnlink.DedupeResult`.
    columns
        The id and label columns of a table.

    Examples
    --------
    >>> as_clusters({"r1": "p1", "r2": "p1", "r3": "p2"}).sizes().tolist()
    [2, 1]
    >>> as_clusters({"record_id": ["r1", "r2"], "cluster_id": [0, 0]}).n_clusters
    1
    """
    if isinstance(data, Clusters):
        return data
    if isinstance(data, Pairs):
        return _components(data)
    if _is_label_mapping(data):
        return Clusters(list(data.keys()), list(data.values()))
    if isinstance(data, tuple) and len(data) == 2 and not isinstance(data[0], (str, int)):
        return Clusters(data[0], data[1])
    table = _result_table(data)
    if table is None:
        table = as_table(data)
    ids, labels = _columns(table, columns, ("record_id", "cluster_id"), "clusters")
    return Clusters(table[ids], table[labels])


def _is_clusters(data: Any) -> bool:
    if isinstance(data, Clusters) or _is_label_mapping(data):
        return True
    if isinstance(data, Pairs):
        return False
    table = _result_table(data)
    if table is None and isinstance(data, Mapping):
        table = as_table(data)
    if table is None and hasattr(data, "columns") and not _is_multiindex(data):
        table = as_table(data)
    return table is not None and "cluster_id" in table


def _components(pairs: Pairs) -> Clusters:
    """Connected components of the pairs (ids not in any pair are not listed)."""
    ids, codes = np.unique(np.concatenate([pairs.left, pairs.right]), return_inverse=True)
    a, b = codes[: len(pairs)].astype(np.int64), codes[len(pairs):].astype(np.int64)
    parent = np.arange(len(ids), dtype=np.int64)
    while True:  # min-label propagation with pointer jumping: O(log diameter) rounds
        low = np.minimum(parent[a], parent[b])
        before = parent.copy()
        np.minimum.at(parent, a, low)
        np.minimum.at(parent, b, low)
        parent = parent[parent]
        if np.array_equal(parent, before):
            break
    return Clusters(ids, parent)


# ---------------------------------------------------------------------------
# pair metrics


def _ratio(num: float, den: float, *, empty: float) -> float:
    return num / den if den else empty


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True)
class PairMetrics:
    """Precision, recall and F1 of predicted pairs against true pairs.

    When nothing is predicted and nothing is true, every score is ``1.0``;
    otherwise a ratio with a zero denominator is ``0.0``.

    Attributes
    ----------
    n_predicted, n_true
        Distinct predicted and true pairs.
    true_positives, false_positives, false_negatives
        Pair counts.
    precision, recall, f1
        ``tp / n_predicted``, ``tp / n_true`` and their harmonic mean.
    """

    n_predicted: int
    n_true: int
    true_positives: int
    false_positives: int
    false_negatives: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def from_counts(cls, true_positives: int, n_predicted: int, n_true: int) -> PairMetrics:
        """The metrics from three counts.

        >>> PairMetrics.from_counts(3, 4, 6).f1
        0.6
        """
        empty = 1.0 if n_predicted == 0 and n_true == 0 else 0.0
        precision = _ratio(true_positives, n_predicted, empty=empty)
        recall = _ratio(true_positives, n_true, empty=empty)
        return cls(
            n_predicted=int(n_predicted),
            n_true=int(n_true),
            true_positives=int(true_positives),
            false_positives=int(n_predicted - true_positives),
            false_negatives=int(n_true - true_positives),
            precision=precision,
            recall=recall,
            f1=1.0 if empty == 1.0 else _f1(precision, recall),
        )

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (for JSON)."""
        return asdict(self)

    def __str__(self) -> str:
        return (f"precision {self.precision:.4f}  recall {self.recall:.4f}  f1 {self.f1:.4f}  "
                f"(tp {self.true_positives:,}, fp {self.false_positives:,}, "
                f"fn {self.false_negatives:,})")


def _encode(*arrays: IdArray) -> tuple[list[Codes], int]:
    """Joint integer codes of several id arrays, and the number of distinct ids."""
    if not arrays or sum(len(a) for a in arrays) == 0:
        return [np.empty(0, dtype=np.int64) for _ in arrays], 0
    unique, inverse = np.unique(np.concatenate(arrays), return_inverse=True)
    out, start = [], 0
    for a in arrays:
        out.append(inverse[start:start + len(a)].astype(np.int64))
        start += len(a)
    return out, len(unique)


def _pair_keys(a: Codes, b: Codes, n: int, *, dedupe: bool) -> Codes:
    """One int64 key per distinct pair (unordered and without self pairs in dedupe mode)."""
    if dedupe:
        a, b = np.minimum(a, b), np.maximum(a, b)
        keep = a != b
        a, b = a[keep], b[keep]
    keys: Codes = np.unique(a * np.int64(max(n, 1)) + b)
    return keys


def _comb2(counts: Codes) -> int:
    c = counts.astype(np.int64)
    return int((c * (c - 1) // 2).sum())


def _same_cluster(pairs: Pairs, clusters: Clusters) -> tuple[int, int]:
    """(distinct unordered pairs, of which in one cluster), self pairs dropped."""
    (a, b, ids), n = _encode(pairs.left, pairs.right, clusters.ids)
    label = np.full(n, -1, dtype=np.int64)
    label[ids] = clusters.labels
    keys = _pair_keys(a, b, n, dedupe=True)
    left, right = keys // max(n, 1), keys % max(n, 1)
    same = (label[left] == label[right]) & (label[left] >= 0)
    return len(keys), int(same.sum())


def _contingency(predicted: Clusters, truth: Clusters) -> tuple[Codes, Codes, Codes, int]:
    """The non-zero cells of the contingency table over the union of ids.

    Returns ``(n_ij, i, j, n)``: each cell's record count, its predicted and
    true cluster, and the number of records. An id missing from one side is a
    singleton there.
    """
    (p_ids, t_ids), n = _encode(predicted.ids, truth.ids)
    p_label = np.full(n, -1, dtype=np.int64)
    t_label = np.full(n, -1, dtype=np.int64)
    p_label[p_ids] = predicted.labels
    t_label[t_ids] = truth.labels
    for label in (p_label, t_label):
        missing = label < 0
        top = int(label.max()) + 1 if n else 0
        label[missing] = top + np.arange(int(missing.sum()), dtype=np.int64)
    width = np.int64(int(t_label.max()) + 1 if n else 1)
    cells, counts = np.unique(p_label * width + t_label, return_counts=True)
    return counts.astype(np.int64), cells // width, cells % width, n


def pair_metrics(predicted: Any, truth: Any, *, dedupe: bool = False) -> PairMetrics:
    """Pairwise precision, recall and F1.

    Parameters
    ----------
    predicted, truth
        Pairs or clusters in any form of :func:`as_pairs` / :func:`as_clusters`
        (a ``{id: label}`` mapping, a table with a ``cluster_id`` column and a
        :class:`~vnlink.DedupeResult` are clusters; anything else is pairs).
        Clusters stand for all pairs within each cluster and need ``dedupe=True``.
    dedupe
        ``False`` (link two tables): a pair is ``(left id, right id)``.
        ``True`` (one table): a pair is unordered and a self pair is ignored.

    Examples
    --------
    >>> pair_metrics([("a", "b"), ("b", "a"), ("c", "d")], [("b", "a")], dedupe=True).precision
    0.5
    >>> pair_metrics({"x": 1, "y": 1, "z": 1}, [("x", "y"), ("y", "z")], dedupe=True).recall
    1.0
    """
    p_clusters, t_clusters = _is_clusters(predicted), _is_clusters(truth)
    if (p_clusters or t_clusters) and not dedupe:
        raise ConfigurationError(
            "clusters stand for pairs within one table: pass dedupe=True, or give link "
            "pairs as (left_ids, right_ids)"
        )
    if p_clusters and t_clusters:
        cells, rows, cols, _ = _contingency(as_clusters(predicted), as_clusters(truth))
        tp = _comb2(cells)
        n_pred = _comb2(np.bincount(rows, weights=cells).astype(np.int64))
        n_true = _comb2(np.bincount(cols, weights=cells).astype(np.int64))
        return PairMetrics.from_counts(tp, n_pred, n_true)
    if p_clusters:
        clusters = as_clusters(predicted)
        n_true, tp = _same_cluster(as_pairs(truth), clusters)
        return PairMetrics.from_counts(tp, _comb2(clusters.sizes()), n_true)
    if t_clusters:
        clusters = as_clusters(truth)
        n_pred, tp = _same_cluster(as_pairs(predicted), clusters)
        return PairMetrics.from_counts(tp, n_pred, _comb2(clusters.sizes()))
    p, t = as_pairs(predicted), as_pairs(truth)
    if dedupe:
        (pa, pb, ta, tb), n = _encode(p.left, p.right, t.left, t.right)
    else:  # the two tables' ids may overlap: code each side on its own
        (pa, ta), n_left = _encode(p.left, t.left)
        (pb, tb), n_right = _encode(p.right, t.right)
        n = max(n_left, n_right)
    p_keys = _pair_keys(pa, pb, n, dedupe=dedupe)
    t_keys = _pair_keys(ta, tb, n, dedupe=dedupe)
    tp = len(np.intersect1d(p_keys, t_keys, assume_unique=True))
    return PairMetrics.from_counts(tp, len(p_keys), len(t_keys))


# ---------------------------------------------------------------------------
# cluster metrics


@dataclass(frozen=True)
class ClusterMetrics:
    """How well a predicted clustering of records reproduces the true one.

    Computed over the union of the ids of both clusterings (an id one side
    does not name is a singleton there).

    Attributes
    ----------
    n_records
        Records compared.
    n_predicted_clusters, n_true_clusters
        Clusters on each side, singletons included.
    bcubed_precision, bcubed_recall, bcubed_f1
        B-cubed (Bagga & Baldwin): per record, the share of its predicted
        cluster that is truly its entity (precision) and the share of its
        entity that is in its predicted cluster (recall), averaged over records.
    pair_precision, pair_recall, pair_f1
        Pair counting: the pairs within predicted clusters against those
        within true clusters (as :func:`pair_metrics` with ``dedupe=True``).
    adjusted_rand_index
        Rand index corrected for chance: 1 identical, about 0 random.
    purity, inverse_purity
        Share of records in the majority entity of their predicted cluster,
        and in the majority predicted cluster of their entity.
    homogeneity, completeness, v_measure
        Entropy-based (Rosenberg & Hirschberg): each predicted cluster holds
        one entity; each entity sits in one cluster; their harmonic mean.
    exact_cluster_share
        Share of the true clusters reproduced exactly by a predicted cluster.
    """

    n_records: int
    n_predicted_clusters: int
    n_true_clusters: int
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    pair_precision: float
    pair_recall: float
    pair_f1: float
    adjusted_rand_index: float
    purity: float
    inverse_purity: float
    homogeneity: float
    completeness: float
    v_measure: float
    exact_cluster_share: float

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (for JSON)."""
        return asdict(self)


def _entropy(sizes: NDArray[np.float64], n: float) -> float:
    p = sizes[sizes > 0] / n
    return float(-(p * np.log(p)).sum())


def _adjusted_rand(tp: int, n_pred: int, n_true: int, n: int) -> float:
    total = n * (n - 1) / 2
    if total == 0:
        return 1.0
    expected = n_pred * n_true / total
    maximum = (n_pred + n_true) / 2
    if maximum == expected:  # both all singletons or both one cluster
        return 1.0
    return float((tp - expected) / (maximum - expected))


def cluster_metrics(predicted: Any, truth: Any) -> ClusterMetrics:
    """B-cubed, pair-counting, adjusted Rand, purity and entropy scores of a clustering.

    Parameters
    ----------
    predicted, truth
        Clusterings in any form of :func:`as_clusters`; pairs (any form of
        :func:`as_pairs`) are read as the clusters they connect.

    Examples
    --------
    >>> truth = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 3}
    >>> same = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "z"}
    >>> cluster_metrics(same, truth).adjusted_rand_index
    1.0
    >>> merged = {"a": 0, "b": 0, "c": 0, "d": 0, "e": 0}
    >>> m = cluster_metrics(merged, truth)
    >>> m.bcubed_precision, m.bcubed_recall, m.purity, m.n_predicted_clusters
    (0.36, 1.0, 0.4, 1)
    """
    pred = predicted if _is_clusters(predicted) else as_pairs(predicted)
    tru = truth if _is_clusters(truth) else as_pairs(truth)
    cells, rows, cols, n = _contingency(as_clusters(pred), as_clusters(tru))
    if n == 0:
        raise ConfigurationError("cluster_metrics needs at least one record")
    pred_sizes = np.bincount(rows, weights=cells).astype(np.int64)
    true_sizes = np.bincount(cols, weights=cells).astype(np.int64)
    square = cells.astype(np.float64) ** 2
    bcubed_p = float((square / pred_sizes[rows]).sum() / n)
    bcubed_r = float((square / true_sizes[cols]).sum() / n)
    tp, n_pred, n_true = _comb2(cells), _comb2(pred_sizes), _comb2(true_sizes)
    pairs = PairMetrics.from_counts(tp, n_pred, n_true)
    row_max = np.zeros(len(pred_sizes), dtype=np.int64)
    np.maximum.at(row_max, rows, cells)
    col_max = np.zeros(len(true_sizes), dtype=np.int64)
    np.maximum.at(col_max, cols, cells)
    h_true = _entropy(true_sizes.astype(np.float64), n)
    h_pred = _entropy(pred_sizes.astype(np.float64), n)
    p_cell = cells / n
    ratio = cells * float(n) / (pred_sizes[rows].astype(np.float64) * true_sizes[cols])
    mutual = float((p_cell * np.log(ratio)).sum())
    homogeneity = 1.0 if h_true == 0 else max(0.0, min(1.0, mutual / h_true))
    completeness = 1.0 if h_pred == 0 else max(0.0, min(1.0, mutual / h_pred))
    exact = (cells == pred_sizes[rows]) & (cells == true_sizes[cols])
    return ClusterMetrics(
        n_records=n,
        n_predicted_clusters=len(pred_sizes),
        n_true_clusters=len(true_sizes),
        bcubed_precision=bcubed_p,
        bcubed_recall=bcubed_r,
        bcubed_f1=_f1(bcubed_p, bcubed_r),
        pair_precision=pairs.precision,
        pair_recall=pairs.recall,
        pair_f1=pairs.f1,
        adjusted_rand_index=_adjusted_rand(tp, n_pred, n_true, n),
        purity=float(row_max.sum() / n),
        inverse_purity=float(col_max.sum() / n),
        homogeneity=homogeneity,
        completeness=completeness,
        v_measure=_f1(homogeneity, completeness),
        exact_cluster_share=float(exact.sum() / len(true_sizes)),
    )


# ---------------------------------------------------------------------------
# blocking


@dataclass(frozen=True)
class BlockingMetrics:
    """What a set of candidate pairs keeps and saves.

    Attributes
    ----------
    n_candidates
        Distinct candidate pairs.
    n_true
        True pairs.
    n_true_found
        True pairs among the candidates.
    n_all_pairs
        All pairs the tables make (``n_left * n_right``, or ``n (n - 1) / 2``).
    pairs_completeness
        ``n_true_found / n_true``: the recall of blocking.
    pairs_quality
        ``n_true_found / n_candidates``: the precision of blocking.
    reduction_ratio
        ``1 - n_candidates / n_all_pairs``.
    """

    n_candidates: int
    n_true: int
    n_true_found: int
    n_all_pairs: int
    pairs_completeness: float
    pairs_quality: float
    reduction_ratio: float

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (for JSON)."""
        return asdict(self)


def _candidate_ids(candidates: Any, left_ids: Any, right_ids: Any) -> Pairs:
    rows_left = getattr(candidates, "left", None)
    rows_right = getattr(candidates, "right", None)
    if (isinstance(rows_left, np.ndarray) and rows_left.dtype.kind in "iu"
            and isinstance(rows_right, np.ndarray) and not isinstance(candidates, Pairs)):
        if left_ids is None:
            return Pairs(rows_left, rows_right)
        left = np.asarray(list(left_ids), dtype=object)
        right = left if right_ids is None else np.asarray(list(right_ids), dtype=object)
        return Pairs(left[rows_left], right[rows_right])
    return as_pairs(candidates)


def blocking_metrics(
    candidates: Any,
    truth: Any,
    *,
    n_left: int | None = None,
    n_right: int | None = None,
    left_ids: Any = None,
    right_ids: Any = None,
    dedupe: bool | None = None,
) -> BlockingMetrics:
    """Pairs completeness, pairs quality and reduction ratio of candidate pairs.

    Parameters
    ----------
    candidates
        A :class:`~vnlink.blocking.CandidatePairs` (row numbers; mapped to ids
        through ``left_ids``/``right_ids`` when given) or pairs of ids in any
        form of :func:`as_pairs`.
    truth
        True pairs, or (dedupe) true clusters.
    n_left, n_right
        Table sizes; default: from the candidate pairs, else ``len(left_ids)``
        and ``len(right_ids)``.
    left_ids, right_ids
        The id of each row of the two tables (``right_ids`` defaults to
        ``left_ids`` in dedupe mode).
    dedupe
        One table (default: taken from the candidate pairs, else ``False``).

    Examples
    --------
    >>> m = blocking_metrics([("a1", "b1"), ("a1", "b2"), ("a2", "b2")],
    ...                      [("a1", "b1"), ("a2", "b3")], n_left=3, n_right=3)
    >>> m.pairs_completeness, round(m.pairs_quality, 3), round(m.reduction_ratio, 3)
    (0.5, 0.333, 0.667)
    """
    if dedupe is None:
        dedupe = bool(getattr(candidates, "dedupe", False))
    if n_left is None:
        n_left = getattr(candidates, "n_left", None)
        if n_left is None and left_ids is not None:
            n_left = len(left_ids)
    if n_right is None:
        n_right = getattr(candidates, "n_right", None)
        if n_right is None:
            source = right_ids if right_ids is not None else (left_ids if dedupe else None)
            n_right = len(source) if source is not None else (n_left if dedupe else None)
    if n_left is None or n_right is None:
        raise ConfigurationError("give n_left and n_right (or left_ids and right_ids): "
                                 "the reduction ratio needs the table sizes")
    pairs = _candidate_ids(candidates, left_ids, right_ids)
    counts = pair_metrics(pairs, truth, dedupe=dedupe)
    all_pairs = n_left * (n_left - 1) // 2 if dedupe else n_left * n_right
    return BlockingMetrics(
        n_candidates=counts.n_predicted,
        n_true=counts.n_true,
        n_true_found=counts.true_positives,
        n_all_pairs=int(all_pairs),
        pairs_completeness=counts.recall,
        pairs_quality=counts.precision,
        reduction_ratio=1.0 - counts.n_predicted / all_pairs if all_pairs else 0.0,
    )
