"""Speed of Vietnamese name normalization through the bulk path (``parse_names``).

Two figures:

- names/s on 1,000,000 names with realistic repetition (common surnames,
  middle and given names, and the ways clerks type them: no marks, upper
  case, the other tone position, Telex residue, mojibake, stray spaces,
  blanks);
- distinct names/s on a column where every value is different (the cost
  of the scalar path per distinct value).

Caches are cleared before each measured run. Both wall-clock and CPU
(``process_time``, i.e. one core) rates are reported: on a shared machine the
CPU figure is the fair one. ``python_ops_per_us`` times a fixed pure-Python
loop, so figures from machines of different speed can be compared. Run with
``--quick`` for a seconds-long check.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import parse_args, peak_memory_mb, timer, write_results

from vnlink.normalize import legacy, names, phonetic, syllables, text
from vnlink.normalize.legacy import encode_legacy
from vnlink.normalize.names import parse_names
from vnlink.normalize.text import fold

# Shares from vietnam-facts.md §6 (Lê Trung Hoa 2005 via Wikipedia); the rest spread thin.
SURNAMES = [
    ("Nguyễn", 38.4), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.1), ("Hoàng", 2.6),
    ("Huỳnh", 2.5), ("Phan", 4.5), ("Vũ", 2.0), ("Võ", 1.9), ("Đặng", 2.1), ("Bùi", 2.0),
    ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Trương", 1.0),
    ("Đinh", 0.8), ("Đoàn", 0.6), ("Lâm", 0.5), ("Mai", 0.5), ("Trịnh", 0.5), ("Cao", 0.4),
    ("Lương", 0.4), ("Tạ", 0.3), ("Châu", 0.3), ("Thái", 0.3), ("Quách", 0.2), ("Tô", 0.2),
    ("Hà", 0.4), ("La", 0.1), ("Tôn Nữ", 0.05), ("Kiều", 0.2), ("Lạc", 0.05), ("Ksor", 0.05),
]  # fmt: skip
MIDDLE_F = ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Kim", "Mỹ", "Thúy", "Bảo", "Minh",
            "Hoài", "Phương", "Thị Ngọc", "Thị Thu", "Hồng", "Xuân", "Khánh", "Diệu", ""]
MIDDLE_M = ["Văn", "Văn", "Văn", "Hữu", "Đức", "Quốc", "Công", "Quang", "Đình", "Minh",
            "Thanh", "Ngọc", "Xuân", "Hoàng", "Tuấn", "Gia", "Anh", "Văn Minh", "Trọng", ""]
GIVEN_F = """Linh Thảo Nhi Trang Anh Ngân Ngọc Như Thư Vy Hoa Hương Lan Mai Hà Hạnh Hằng
Hồng Hải Huyền Hòa Thủy Loan Nga Nhung Oanh Phương Quyên Tâm Trâm Tú Tuyết Uyên Vân Yến
Chi Dung Giang Hiền Khuê Liên Ly Nguyệt Nhàn Phượng Quỳnh Sương Thắm Thơ Thoa Trinh Tuyền
Vi Ánh Bích Diễm Hậu Kiều Lệ Mến Mừng Xuân Hiếu Châu Diệp Hạ Thanh Thúy Khánh Duyên""".split()  # noqa: SIM905
GIVEN_M = """Huy Tuấn Đạt Duy Hiếu Anh Minh Nam Long Bảo Hùng Hưng Hải Khánh Khang Khoa Khôi
Kiên Lộc Lợi Mạnh Phúc Phong Phát Quân Sơn Tâm Tân Thắng Thành Tiến Tín Toàn Trí Trung
Tú Tùng Việt Vinh Bình Cường Dũng Giang Hậu Hiệp Khải Luân Nhân Quang Quyết Sang Sinh
Tài Thái Thịnh Thông Trọng Trường Vĩnh Đông Hiển Hoàn Lực Nhật Phú Sáng Thiện Thuận Vượng
Hoàng Thủy Thụy Tám Lâm Đức Hòa Hòa Quý Kỳ Sỹ Nghĩa Hoàng Lân Luận""".split()  # noqa: SIM905

TELEX = str.maketrans({"ễ": "eex", "ị": "ij", "ầ": "aaf", "ơ": "ow", "ư": "uw", "ă": "aw"})


def _one_name(rng: random.Random) -> str:
    surname = rng.choices([s for s, _ in SURNAMES], weights=[w for _, w in SURNAMES])[0]
    female = rng.random() < 0.5
    middle = rng.choice(MIDDLE_F if female else MIDDLE_M)
    given = rng.choice(GIVEN_F if female else GIVEN_M)
    return " ".join(p for p in (surname, middle, given) if p)


def _as_typed(name: str, rng: random.Random) -> str | None:
    r = rng.random()
    if r < 0.55:
        return name
    if r < 0.72:
        return fold(name).title()
    if r < 0.82:
        return name.upper()
    if r < 0.86:
        return name.replace("òa", "oà").replace("ủy", "uỷ").replace("ỏe", "oẻ")
    if r < 0.88:
        return "  " + name.replace(" ", "  ") + " "
    if r < 0.90:
        return name.translate(TELEX)
    if r < 0.92:
        return encode_legacy(name, "utf-8")
    if r < 0.93:
        return encode_legacy(name, rng.choice(["vni", "tcvn3"]))
    if r < 0.95:
        return fold(name)
    if r < 0.96:
        return None
    if r < 0.965:
        return rng.choice(["", "không rõ", "N/A", "x"])
    return name


def realistic(n: int, seed: int = 1) -> list[str | None]:
    """``n`` names typed as clerks type them: a population of people, each typed once."""
    rng = random.Random(seed)
    return [_as_typed(_one_name(rng), rng) for _ in range(n)]


def distinct(n: int, seed: int = 2) -> list[str]:
    """``n`` different strings (full names plus a distinguishing extra word when needed)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    extras = GIVEN_F + GIVEN_M
    while len(out) < n:
        name = _one_name(rng)
        if name in seen:
            name = f"{name.split()[0]} {rng.choice(extras)} {name.split(maxsplit=1)[-1]}"
        if name in seen:
            name = _as_typed(name, rng) or name
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def _clear_caches() -> None:
    for func in (names._word, names._single, syllables.analyse_syllable, syllables._repair,
                 text.fold_word, legacy._fix, legacy._word_score,
                 phonetic.ascii_syllable_key):  # fmt: skip
        func.cache_clear()


def _python_speed() -> float:
    """Simple Python operations per microsecond (dict lookups and string splits), CPU time."""
    table = {str(i): i for i in range(1000)}
    keys = list(table) * 200
    start = time.process_time()
    total = 0
    for key in keys:
        total += table[key] + len(key.split())
    return len(keys) * 2 / ((time.process_time() - start) * 1e6)


def main() -> None:
    args = parse_args(__doc__ or "")
    n_total = 50_000 if args.quick else 1_000_000
    n_distinct = 10_000 if args.quick else 200_000
    column = realistic(n_total)
    n_unique = len(set(column))
    _clear_caches()
    cpu = time.process_time()
    with timer() as t_bulk:
        cols = parse_names(column)
    cpu_bulk = time.process_time() - cpu
    assert len(cols["name"]) == n_total
    unique_column = distinct(n_distinct)
    _clear_caches()
    cpu = time.process_time()
    with timer() as t_distinct:
        parse_names(unique_column)
    cpu_distinct = time.process_time() - cpu
    figures = {
        "names": n_total,
        "distinct_in_names": n_unique,
        "seconds": round(t_bulk["seconds"], 3),
        "names_per_second": round(n_total / t_bulk["seconds"]),
        "cpu_seconds": round(cpu_bulk, 3),
        "names_per_cpu_second": round(n_total / cpu_bulk),
        "distinct_names": n_distinct,
        "distinct_seconds": round(t_distinct["seconds"], 3),
        "distinct_names_per_second": round(n_distinct / t_distinct["seconds"]),
        "distinct_cpu_seconds": round(cpu_distinct, 3),
        "distinct_names_per_cpu_second": round(n_distinct / cpu_distinct),
        "python_ops_per_us": round(_python_speed(), 2),
        "peak_memory_mb": round(peak_memory_mb(), 1),
    }
    write_results("normalize", args.quick, figures)


if __name__ == "__main__":
    main()
