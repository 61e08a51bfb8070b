"""The review table: one block of rows per review record, values and weights that add up."""

from __future__ import annotations

import numpy as np
import pytest

from vnlink.exceptions import ConfigurationError
from vnlink.review import review_table
from vnlink.review._pairs import scored_pairs, top_k_mask
from vnlink.review.table import FIELDS

from .conftest import review_rows


def test_every_review_record_appears_with_at_most_k_candidates(linkage) -> None:
    table = review_table(linkage.result, linkage.registry, linkage.records, linkage.linker,
                         top_k=2)
    rows = review_rows(linkage)
    ids = table["record_id"]
    assert sorted(set(ids.tolist())) == sorted(linkage.result["record_id"][rows].tolist())
    _, counts = np.unique(ids, return_counts=True)
    assert counts.max() <= 2
    assert (table["status"] == "review").all()
    # rank 1 is the result's chosen person
    first = table["rank"] == 1
    chosen = dict(zip(linkage.result["record_id"].tolist(), linkage.result["person_id"].tolist(),
                      strict=True))
    assert [chosen[r] for r in ids[first].tolist()] == table["person_id"][first].tolist()


def test_typed_values_are_the_records_own(linkage) -> None:
    table = review_table(linkage.result, linkage.registry, linkage.records, linkage.linker)
    rows = table["record_row"]
    assert table["record_name"].tolist() == linkage.records["full_name"][rows].tolist()
    assert table["record_phone"].tolist() == linkage.records["phone"][rows].tolist()
    person_row = {p: i for i, p in enumerate(linkage.registry["person_id"].tolist())}
    reg = [person_row[p] for p in table["person_id"].tolist()]
    assert table["registry_name"].tolist() == linkage.registry["full_name"][reg].tolist()
    assert {f"record_{f}_norm" for f in FIELDS} <= set(table.columns)


def test_partial_weights_add_up_to_the_pair_weight(linkage) -> None:
    table = review_table(linkage.result, linkage.registry, linkage.records, linkage.linker)
    parts = table["prior_weight"] + sum(table[f"weight_{c}"] for c in table.comparisons)
    np.testing.assert_allclose(parts, table["pair_weight"], rtol=0, atol=1e-9)
    # the best candidate's weight is the result's match weight
    first = table["rank"] == 1
    weight = dict(zip(linkage.result["record_id"].tolist(),
                      linkage.result["match_weight"].tolist(), strict=True))
    np.testing.assert_allclose(table["pair_weight"][first],
                               [weight[r] for r in table["record_id"][first].tolist()])


def test_priority_ranks_records_by_margin(linkage) -> None:
    table = review_table(linkage.result, linkage.registry, linkage.records, linkage.linker)
    first = table["rank"] == 1
    prio = table["priority"][first]
    assert sorted(prio.tolist()) == list(range(1, int(first.sum()) + 1))
    margin = np.nan_to_num(table["runner_up_margin"][first], nan=1e9)
    assert (np.diff(margin[np.argsort(prio)]) >= 0).all()


def test_group_by_province_and_bad_arguments(linkage) -> None:
    table = review_table(linkage.result, linkage.registry, linkage.records, linkage.linker,
                         group_by="province")
    assert all(g.startswith(("Tỉnh", "Thành phố")) or g == "(không rõ địa bàn)"
               for g in table["group"].tolist())
    with pytest.raises(ConfigurationError, match="group_by"):
        review_table(linkage.result, linkage.registry, linkage.records, linkage.linker,
                     group_by="nowhere")
    with pytest.raises(ConfigurationError, match="top_k"):
        review_table(linkage.result, linkage.registry, linkage.records, linkage.linker, top_k=0)
    with pytest.raises(ConfigurationError, match="rows"):
        review_table(linkage.result, linkage.registry, linkage.records.take(np.arange(10)),
                     linkage.linker)


def test_repr_html_is_bounded(linkage) -> None:
    table = review_table(linkage.result, linkage.registry, linkage.records, linkage.linker,
                         statuses=("review", "verified"))
    assert len(table) > 1000
    html = table._repr_html_()
    assert html.count("<tr>") == 21  # header + 20 rows
    assert "more rows" in html and len(html) < 40_000
    html = linkage.result._repr_html_()
    assert html.count("<tr>") <= 11


def test_top_k_mask_matches_a_sort() -> None:
    rng = np.random.default_rng(0)
    right = rng.integers(0, 30, 500)
    weight = rng.normal(size=500)
    left = rng.permutation(500)
    mask = top_k_mask(right, weight, left, 3)
    for r in range(30):
        idx = np.flatnonzero(right == r)
        best = idx[np.lexsort((left[idx], -weight[idx]))][:3]
        assert set(np.flatnonzero(mask & (right == r)).tolist()) == set(best.tolist())


def test_scored_pairs_agree_with_the_linker(linkage) -> None:
    sp = scored_pairs(linkage.linker, linkage.registry, linkage.records)
    result = linkage.result
    best = top_k_mask(sp.right, sp.weight, sp.left, 1)
    got = np.full(sp.n_records, np.nan)
    got[sp.right[best]] = sp.weight[best]
    np.testing.assert_allclose(got, result["match_weight"], equal_nan=True)
