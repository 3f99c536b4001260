"""Problems in a file's tables said as the project's one line: file, line, key, value as
written, what is allowed, and a "did you mean" for a near miss.

The file models (``sim.files.models``, the calibration's settings) carry the "allowed" text
as each field's description, so a limit and its message are written in one place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError

from sim.files.tomlfile import as_written, line_of
from sim.params import suggest


def located(path: Path, text: str, section: str | None, key: str) -> str:
    """``file, line N`` of a key, or the file alone where the key is not written."""
    line = line_of(text, section, key)
    return f"{path}, line {line}" if line else str(path)


def explain(
    error: ValidationError,
    model: type[BaseModel],
    table: dict,
    path: Path,
    text: str,
    section: str,
) -> str:
    """pydantic's report on one table of a file as the project's one line.

    The first problem in the order a reader meets the file (keys as written, then keys that
    are missing), named with its file, line, key and value as written, and what is allowed:
    the field's description, which the file models write as a reader's phrase ("whole number
    from 1 to 1000"). Unknown keys and values of a fixed list get a "did you mean".
    """
    order = list(table)

    def rank(e: dict) -> int:
        key = str(e["loc"][0]) if e["loc"] else ""
        return order.index(key) if key in order else len(order)

    first = min(error.errors(), key=rank)
    key = str(first["loc"][0]) if first["loc"] else ""
    at, what, fields = located(path, text, section, key), f"[{section}]", list(model.model_fields)
    if first["type"] == "extra_forbidden":
        return (
            f"{at}: unknown key '{key}' in {what}{suggest(key, fields)}; "
            f"allowed: {', '.join(fields)}"
        )
    if key not in table or first["type"] == "string_pattern_mismatch":  # missing or blank
        return f"{path}: {what} needs a {key}"
    field = model.model_fields[key]
    choices = _choices(field.annotation)
    hint = suggest(str(table[key]), choices) if choices and isinstance(table[key], str) else ""
    return (
        f"{at}: {key} = {as_written(table[key])} is not allowed{hint}; "
        f"allowed: {field.description or ', '.join(map(str, choices))}"
    )


def _choices(annotation: Any) -> tuple:
    """The values of a ``Literal[...]`` field (also inside ``| None``), else ()."""
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    for arg in get_args(annotation):
        if get_origin(arg) is Literal:
            return get_args(arg)
    return ()


def inline_table[M: BaseModel](
    model: type[M],
    table: dict,
    error: type[Exception],
    where: str,
    what: str,
) -> M:
    """A small inline table (``{ low = 0, high = 1 }``) checked against ``model``, its
    first problem said as one line: an unknown key with a "did you mean", or a value as
    written with the field's allowed values. ``what`` names the table in the message
    (e.g. "the prior of tie_decay")."""
    try:
        return model.model_validate(table)
    except ValidationError as problem:
        first = problem.errors()[0]
        key = str(first["loc"][0]) if first["loc"] else ""
        keys = tuple(model.model_fields)
        if first["type"] == "extra_forbidden":
            raise error(
                f"{where}: unknown key '{key}' in {what}{suggest(key, keys)}; allowed: "
                f"{', '.join(keys)}"
            ) from None
        field = model.model_fields.get(key)
        allowed = field.description if field is not None else ""
        raise error(
            f"{where}: {key} = {as_written(table.get(key))} in {what} is not allowed; "
            f"allowed: {allowed}"
        ) from None


def checked_table[M: BaseModel](
    raw: dict, key: str, model: type[M], error: type[Exception], path: Path, text: str
) -> M:
    """Table ``[key]`` of a file checked against ``model``, its first problem as one line."""
    table = raw.get(key, {})
    if not isinstance(table, dict):
        raise error(f"{located(path, text, None, key)}: '{key}' must be a table [{key}]")
    try:
        return model.model_validate(table)
    except ValidationError as problem:
        raise error(explain(problem, model, table, path, text, key)) from None
