"""The review desk: review tables and pages, clerks' decisions, labels and active learning.

- :func:`review_table` — each record in ``review`` next to its candidates, field by field;
- :func:`write_review_page` — one self-contained offline HTML page for clerks;
- :func:`read_decisions`, :func:`apply_review`, :func:`pair_labels`, :func:`labels_to_truth` —
  the page's exported decisions read back as overrides and as labels;
- :class:`LabelStore`, :class:`ActiveLearner`, :func:`fit_with_labels` — labels saved after
  every answer, the pairs worth labelling, and the model corrected by them;
- :func:`run_labeller` — the terminal labeller behind ``vnlink label``.
"""

from vnlink.review.active import ActiveLearner, fit_with_labels
from vnlink.review.decisions import apply_review, labels_to_truth, pair_labels, read_decisions
from vnlink.review.labels import LabelStore
from vnlink.review.page import write_review_page
from vnlink.review.table import ReviewTable, review_table
from vnlink.review.terminal import run_labeller

__all__ = [
    "ActiveLearner",
    "LabelStore",
    "ReviewTable",
    "apply_review",
    "fit_with_labels",
    "labels_to_truth",
    "pair_labels",
    "read_decisions",
    "review_table",
    "run_labeller",
    "write_review_page",
]
