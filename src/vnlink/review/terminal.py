"""The terminal labeller behind ``vnlink label``: one pair at a time, saved after every answer.

It shows a record and a registry candidate side by side (``≠`` marks a field
whose normalized values differ, ``=`` one that agrees), and asks::

    Cùng một người? [y] có / [n] không / [u] chưa chắc / [b] quay lại / [f] xong:

``y``/``n``/``u`` label the pair and save the label file at once; ``b`` (back)
takes the last answer back and asks it again; ``f`` (finish), ``q`` or the end
of input stop. Started again on the same label file, it resumes: the pairs
already labelled are taught to the learner and not asked again.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable
from typing import Any, TextIO

import numpy as np

from vnlink.review.active import ActiveLearner
from vnlink.review.labels import LabelStore
from vnlink.review.table import FIELDS as _FIELDS
from vnlink.review.table import normalized_values, typed_values

__all__ = ["PROMPT", "format_pair", "run_labeller"]

_ANSWERS = {"y": "same", "yes": "same", "c": "same", "co": "same", "có": "same",
            "n": "different", "no": "different", "k": "different", "khong": "different",
            "không": "different", "u": "unsure", "?": "unsure",
            "b": "back", "back": "back", "f": "finish", "finish": "finish", "q": "finish",
            "quit": "finish", "xong": "finish"}

PROMPT = ("Cùng một người? [y] có / [n] không / [u] chưa chắc / [b] quay lại / [f] xong "
          "(same person? y/n/u/back/finish): ")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_pair(learner: ActiveLearner, pair: dict[str, Any], *, width: int = 36) -> str:
    """The pair as lines of text: each field typed on both sides, differences marked."""
    i = int(pair["pool_index"])
    sp = learner.pool
    rec_row = np.asarray([sp.right[i]], dtype=np.int64)
    reg_row = np.asarray([sp.left[i]], dtype=np.int64)
    typed_rec = typed_values(learner.records, learner.linker.records_schema_, rec_row)
    typed_reg = typed_values(learner.registry, learner.linker.registry_schema_, reg_row)
    norm_rec = normalized_values(sp.right_table, rec_row)
    norm_reg = normalized_values(sp.left_table, reg_row)
    lines = [f"bản ghi {pair['record_id']}  ↔  người {pair['person_id']}   "
             f"(xác suất {pair['match_probability']:.3f}, khối {pair['blocking_rule']})",
             f"{'':12}{'bản ghi (record)':<{width}}   {'sổ hộ tịch (registry)':<{width}}"]
    for field, label in _FIELDS.items():
        a, b = typed_rec[field][0], typed_reg[field][0]
        na, nb = norm_rec[field][0], norm_reg[field][0]
        mark = " " if not na or not nb else ("=" if _fold(na) == _fold(nb) else "≠")
        lines.append(f"{label:<12}{_clip(a, width):<{width}} {mark} {_clip(b, width)}")
    return "\n".join(lines)


def run_labeller(learner: ActiveLearner, store: LabelStore, *, ask: Callable[[str], str] = input,
                 out: TextIO | None = None, batch: int = 10, limit: int | None = None) -> int:
    """Ask for labels until ``finish`` (or ``limit`` answers); return the answers given.

    Every answer is saved to ``store`` before the next pair is shown.
    """
    stream = out if out is not None else sys.stdout
    settled = store.pairs()
    learner.teach_many(settled)
    for row in store.rows:  # pairs set aside as unsure are not asked again
        if row["decision"] == "unsure":
            i = learner._index.get((row["record_id"], row["candidates"]))
            if i is not None:
                learner.labelled[i] = True
                learner._unsure = {*getattr(learner, "_unsure", set()), i}
    if len(store):
        print(f"tiếp tục: đã có {len(store)} nhãn (resumed: {len(store)} labels)", file=stream)
    answered = 0
    queue: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    while limit is None or answered < limit:
        if not queue:
            queue = learner.propose(batch)
            if not queue:
                print("hết cặp để gán nhãn (no pairs left)", file=stream)
                break
        pair = queue[0]
        print("", file=stream)
        print(f"[{len(store)} nhãn]", format_pair(learner, pair), sep="\n", file=stream)
        stream.flush()
        try:
            reply = ask(PROMPT)
        except EOFError:
            break
        answer = _ANSWERS.get(reply.strip().lower())
        if answer is None:
            print("trả lời y, n, u, b hoặc f (answer y, n, u, b or f)", file=stream)
            continue
        if answer == "finish":
            break
        if answer == "back":
            last = store.undo()
            if last is None or not history:
                print("chưa có câu trả lời nào để quay lại (nothing to take back)", file=stream)
                continue
            prev = history.pop()
            learner.forget(prev["record_id"], prev["person_id"])
            queue.insert(0, prev)
            answered -= 1
            print("đã bỏ câu trả lời trước (took the last answer back)", file=stream)
            continue
        queue.pop(0)
        store.add(pair["record_id"], pair["person_id"], answer)
        learner.teach(pair["record_id"], pair["person_id"],
                      None if answer == "unsure" else answer == "same")
        history.append(pair)
        answered += 1
        print(f"đã lưu (saved) → {store.path.name}", file=stream)
    print(f"xong: {answered} câu trả lời, {len(store)} nhãn trong {store.path.name} "
          f"(done: {answered} answers)", file=stream)
    stream.flush()
    return answered
