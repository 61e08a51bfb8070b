"""Writing files that hold personal data: atomically, privately, never over an input.

Every file vnlink writes (results, models, indexes) goes through
:func:`atomic_writer`: the bytes go to a temporary file in the target's own
folder, which is flushed to disk and then renamed over the target
(``os.replace``). A failed write (full disk, a crash, an exception) leaves
the previous file as it was and no half-written file behind. New files get
mode ``0600`` (owner read/write only) by default.

:func:`check_output` refuses, before any work starts, an output that exists
(unless ``overwrite``), that is one of the inputs, or whose folder is missing
or not writable.

Results meant for spreadsheets: :func:`write_csv` neutralizes text cells that
a spreadsheet would run as a formula (OWASP "CSV injection": a leading ``=``,
``+``, ``-``, ``@``, tab or carriage return gets a ``'`` in front), and
:func:`write_xlsx` writes a workbook whose ID and phone columns are text,
so Excel keeps their leading zeros.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> path = write_csv(folder / "out.csv", ["id", "note"], [["001", "=1+1"], ["002", "ok"]])
>>> path.read_text(encoding="utf-8-sig").splitlines()
['id,note', "001,'=1+1", '002,ok']
>>> oct(path.stat().st_mode & 0o777)
'0o600'
>>> write_csv(path, ["id"], [])
Traceback (most recent call last):
...
vnlink.exceptions.OutputPathError: the output file out.csv exists: ...
"""

from __future__ import annotations

import contextlib
import csv
import math
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from vnlink.exceptions import OutputPathError

__all__ = [
    "FILE_MODE",
    "FORMULA_PREFIXES",
    "atomic_writer",
    "check_output",
    "is_text_column",
    "neutralize",
    "same_file",
    "write_csv",
    "write_text",
    "write_xlsx",
]

#: Mode of every file vnlink creates (owner read and write only).
FILE_MODE = 0o600

#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: Words of the column names kept as text in workbooks (IDs and phones).
_TEXT_COLUMN_WORDS = frozenset({"id", "cccd", "cmnd", "phone", "sdt", "ma", "so", "stt", "bhyt"})


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name the same file (hard links and symlinks included).

    >>> same_file("x/../a.csv", "a.csv")
    True
    """
    pa, pb = Path(a), Path(b)
    with contextlib.suppress(OSError):
        if pa.exists() and pb.exists():
            return os.path.samefile(pa, pb)
    return pa.resolve() == pb.resolve()


def check_output(
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    inputs: Iterable[str | os.PathLike[str] | None] = (),
    what: str = "output",
) -> Path:
    """Refuse ``path`` as an output unless it can be written safely; return it as a Path.

    Checked: ``path`` is not one of ``inputs``; it does not exist unless
    ``overwrite``; it is not a folder; its folder exists and is writable.
    Call it before the work starts, so a long run does not end in a refusal.

    Raises
    ------
    OutputPathError
        With a one-line message saying what to do.
    """
    target = Path(path)
    for source in inputs:
        if source is not None and str(source) != "-" and same_file(target, source):
            raise OutputPathError(
                f"the {what} file {target.name} is also an input: write to another file"
            )
    if target.is_dir():
        raise OutputPathError(f"the {what} path {target} is a folder: give a file name")
    if target.exists() and not overwrite:
        raise OutputPathError(
            f"the {what} file {target.name} exists: choose another name, or pass --force "
            "(overwrite=True) to replace it"
        )
    folder = target.parent
    if not folder.is_dir():
        raise OutputPathError(f"the folder of the {what} file does not exist: {folder}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputPathError(f"the folder of the {what} file is not writable: {folder}")
    return target


@contextlib.contextmanager
def atomic_writer(
    path: str | os.PathLike[str],
    *,
    binary: bool = False,
    encoding: str = "utf-8",
    errors: str = "strict",
    newline: str | None = None,
    overwrite: bool = True,
    inputs: Iterable[str | os.PathLike[str] | None] = (),
    mode: int = FILE_MODE,
    what: str = "output",
) -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path``; on success move it over ``path`` atomically.

    The temporary file is created with ``mode`` (default ``0600``), written,
    flushed and synced to disk, then renamed to ``path`` with ``os.replace``.
    If the block raises, the temporary file is removed and ``path`` is
    untouched. ``overwrite`` and ``inputs`` are checked first, as in
    :func:`check_output`.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_writer(target) as handle:
    ...     _ = handle.write("xin chào")
    >>> target.read_text(encoding="utf-8")
    'xin chào'
    """
    target = check_output(path, overwrite=overwrite, inputs=inputs, what=what)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        os.fchmod(fd, mode)
        handle: IO[Any]
        if binary:
            handle = os.fdopen(fd, "wb")
        else:
            handle = os.fdopen(fd, "w", encoding=encoding, errors=errors, newline=newline)
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where possible
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def write_text(
    path: str | os.PathLike[str], text: str, *, overwrite: bool = True, what: str = "output"
) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically with mode 0600; return the path."""
    with atomic_writer(path, overwrite=overwrite, what=what) as handle:
        handle.write(text)
    return Path(path)


def neutralize(value: str) -> str:
    """``value`` with a ``'`` in front when a spreadsheet would read it as a formula.

    >>> neutralize("=HYPERLINK(\\"http://x\\")"), neutralize("@SUM(A1)"), neutralize("Lan")
    ('\\'=HYPERLINK("http://x")', "'@SUM(A1)", 'Lan')
    """
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_cell(value: Any, guard: bool) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, str):
        return neutralize(value) if guard else value
    if isinstance(value, tuple):
        text = ";".join(map(str, value))
        return neutralize(text) if guard else text
    return value


def write_csv(
    path: str | os.PathLike[str],
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    overwrite: bool = False,
    formula_guard: bool = True,
    inputs: Iterable[str | os.PathLike[str] | None] = (),
    encoding: str = "utf-8-sig",
) -> Path:
    """Write a CSV file atomically (UTF-8 with a BOM, so Excel shows Vietnamese); return the path.

    Text cells starting with ``= + - @``, tab or carriage return get a leading
    ``'`` unless ``formula_guard=False``; numbers are written as they are.
    ``path`` may be ``"-"`` for standard output (no BOM).
    """
    guarded = (
        [_csv_cell(v, formula_guard) for v in row] for row in rows
    )
    names = [neutralize(h) if formula_guard else h for h in header]
    if str(path) == "-":
        import sys

        writer = csv.writer(sys.stdout)
        writer.writerow(names)
        writer.writerows(guarded)
        sys.stdout.flush()
        return Path("-")
    # errors="replace": a lone surrogate (possible only in strings passed through the API)
    # cannot be encoded; it becomes "?" rather than failing the whole write
    with atomic_writer(path, encoding=encoding, errors="replace", newline="",
                       overwrite=overwrite, inputs=inputs) as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        writer.writerows(guarded)
    return Path(path)


def is_text_column(name: str) -> bool:
    """Whether a column holds IDs or phone numbers (kept as text in workbooks).

    >>> is_text_column("record_id"), is_text_column("corrected_phone"), is_text_column("score")
    (True, True, False)
    """
    from vnlink.normalize.text import fold

    folded = fold(str(name)).lower()
    for ch in " -./":
        folded = folded.replace(ch, "_")
    return bool(_TEXT_COLUMN_WORDS & set(folded.split("_"))) or "dien_thoai" in folded


def load_openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError as error:
        raise ImportError(
            "reading and writing .xlsx workbooks needs openpyxl: pip install 'vnlink[excel]' "
            "(or save the sheet as CSV UTF-8)"
        ) from error
    return openpyxl


def write_xlsx(
    path: str | os.PathLike[str],
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    overwrite: bool = False,
    inputs: Iterable[str | os.PathLike[str] | None] = (),
    sheet: str = "vnlink",
) -> Path:
    """Write an ``.xlsx`` workbook atomically (needs openpyxl: ``vnlink[excel]``); return the path.

    Every text cell is stored as text, never as a formula. Columns named
    for IDs and phones (:func:`is_text_column`) are stored as text with the
    text number format ``@``, so Excel keeps a CCCD's leading zero.
    """
    openpyxl = load_openpyxl()
    from openpyxl.cell import WriteOnlyCell

    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet(title=sheet)
    text_columns = [is_text_column(h) for h in header]
    ws.append([_text_cell(ws, WriteOnlyCell, str(h)) for h in header])
    for row in rows:
        cells: list[Any] = []
        for value, as_text in zip(row, text_columns, strict=True):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                cells.append(None)
            elif isinstance(value, tuple):
                cells.append(_text_cell(ws, WriteOnlyCell, ";".join(map(str, value))))
            elif as_text or isinstance(value, str):
                cells.append(_text_cell(ws, WriteOnlyCell, str(value), as_text))
            elif isinstance(value, float) and math.isinf(value):
                cells.append(_text_cell(ws, WriteOnlyCell, str(value)))
            else:
                cells.append(value)
        ws.append(cells)
    with atomic_writer(path, binary=True, overwrite=overwrite, inputs=inputs) as handle:
        book.save(handle)
    return Path(path)


def _text_cell(ws: Any, cell_type: Any, text: str, number_format_text: bool = False) -> Any:
    """A cell holding ``text`` as a string (never a formula, even when it starts with ``=``)."""
    cell = cell_type(ws, value=None)
    # openpyxl reads a value starting with "=" as a formula: set the string directly
    cell._value = _xml_safe(text)
    cell.data_type = "s"
    if number_format_text:
        cell.number_format = "@"
    return cell


def _xml_safe(text: str) -> str:
    """``text`` without the control characters XML cannot hold (openpyxl would refuse it)."""
    if text.isprintable():
        return text
    return "".join(ch for ch in text if ch in "\t\n\r" or (
        ord(ch) >= 32 and not 0xD800 <= ord(ch) <= 0xDFFF and ord(ch) not in (0xFFFE, 0xFFFF)))
