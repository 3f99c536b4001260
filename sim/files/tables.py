"""Tables users write in Excel: CSV (comma or semicolon, as German Excel saves it) or the
first sheet of an .xlsx file, read as rows of cells; comments (#) and empty rows left out."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any


def read_rows(
    path: Path, fail: type[Exception], what: str
) -> tuple[list[tuple[int, list[Any]]], bool]:
    """(row number, cells) of every row that is not empty or a '#' comment, and whether
    numbers may use a decimal comma (a CSV separated by ';', as German Excel writes it)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from zipfile import BadZipFile

        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (OSError, BadZipFile, KeyError, ValueError) as error:
            raise fail(f"{path}: cannot read as an Excel file ({error})") from None
        try:
            sheet = book.worksheets[0]
            rows = [
                (n, list(cells))
                for n, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
        finally:
            book.close()
        comma = False
    elif suffix == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise fail(f"{path}: cannot read: not UTF-8 text (save the CSV as UTF-8)") from None
        except OSError as error:
            raise fail(f"{path}: cannot read ({error.strerror})") from None
        lines = text.splitlines()
        header = next(
            (line for line in lines if line.strip() and not line.lstrip().startswith("#")), ""
        )
        comma = header.count(";") > header.count(",")
        reader = csv.reader(lines, delimiter=";" if comma else ",")
        rows = [(n, row) for n, row in enumerate(reader, start=1)]
    else:
        raise fail(f"{path}: {what} must be a .csv or .xlsx file")
    kept = []
    for n, cells in rows:
        texts = ["" if c is None else str(c).strip() for c in cells]
        if not any(texts) or texts[0].startswith("#"):
            continue
        kept.append((n, cells))
    return kept, comma


def number_in(cell: Any, comma: bool) -> float | None:
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip()
    if comma:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
