"""Reading the project's TOML files (scenarios, experiments, calibrations) the same way.

People write these files in whatever editor they have: Windows Notepad starts them with a
byte-order mark, old Mac editors end lines with a bare carriage return, and a path may name
a folder or a pipe by mistake. Each of these gets either the friendly reading (a mark is
skipped, any line end is a line end) or one line that says what is wrong with the file,
never a parser's bare "Invalid statement".
"""

from __future__ import annotations

import datetime
import errno
import json
import math
import re
import stat
import tomllib
from pathlib import Path

_AT = re.compile(r"\s*\(at line (\d+), column \d+\)")
_KEY = re.compile(r'^\s*("?)([^"=\s]+)\1\s*=')
_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"-]+)\s*\]\]?\s*(#.*)?$")


def file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file ('no such file', 'is a folder', ...), or None."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "is a symbolic link that leads back to itself (a loop)"
        if error.errno == errno.EACCES:
            return "cannot be read (permission denied)"
        return "no such file"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a pipe, socket or device)"
    return None


def read_toml(path: Path, error: type[Exception]) -> tuple[dict, str]:
    """The parsed table and the text (line ends made ``\\n``) of a TOML file.

    A byte-order mark is skipped and bare carriage returns count as line ends, so that the
    line numbers in later messages match what an editor shows.
    """
    problem = file_problem(path)
    if problem:
        raise error(f"{path}: {problem}")
    try:
        data = path.read_bytes()
    except OSError as failure:
        raise error(f"{path}: cannot read ({failure.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(f"{path}: cannot read: not UTF-8 text (save it as UTF-8)") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as failure:
        raise error(toml_message(path, text, failure)) from None


def toml_message(path: Path, text: str, failure: tomllib.TOMLDecodeError) -> str:
    """One line for a syntax error: the file, the line, and the key where one is to blame."""
    message = str(failure)
    found = _AT.search(message)
    reason = _AT.sub("", message)
    line = int(found.group(1)) if found else None
    where = f"{path}, line {line}" if line else str(path)
    source = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
    key, table = _KEY.match(source), _TABLE.match(source)
    if reason.startswith("Cannot overwrite a value") and key:
        return f"{where}: '{key.group(2)}' is set twice in the same table; keep one of them"
    if reason.startswith("Cannot declare") and table:
        return f"{where}: the table [{table.group(1)}] appears twice; merge the two into one"
    return f"{where}: not valid TOML: {reason}"


def as_written(value: object) -> str:
    """A value as it would stand in a TOML file, for messages: ``"80"`` for text,
    ``2030-01-01`` for a date, ``true`` for a switch, never Python's ``datetime.date(...)``."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(as_written(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {as_written(v)}" for k, v in value.items()) + " }"
    return str(value)


# --- where a key stands ------------------------------------------
def line_of(text: str, section: str | None, key: str, index: int = 0) -> int | None:
    """1-based line where ``key`` is set in ``[section]`` (the ``index``-th ``[[section]]``),
    or at the top level for ``section=None``; None if it cannot be found."""
    current, seen = None, -1
    pattern = re.compile(rf'^\s*("?){re.escape(key)}\1\s*=')
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            current = header.group(2).strip('"')
            if section is None and current == key:  # a top-level key written as a table
                return number
            if current == section:
                seen += 1
            continue
        if current == section and (section is None or seen == index) and pattern.match(line):
            return number
    return None
