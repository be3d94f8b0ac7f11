"""Reads JSON Lines text: one object per line, numbers kept as written, repeated keys refused."""

from __future__ import annotations

import json
from typing import Any

from fraudnet.ingest.container import has_bad_utf8, printable
from fraudnet.ingest.rows import TextRows, check_column_names


class _RepeatedKey(ValueError):
    pass


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise _RepeatedKey(key)
        obj[key] = value
    return obj


def _text(value: Any) -> str | None:
    """A JSON value as the text a CSV would hold: numbers as written, objects as JSON."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def parse_line(line: str) -> tuple[dict[str, Any] | None, str | None]:
    if has_bad_utf8(line):
        return None, "invalid UTF-8"
    try:
        value = json.loads(
            line, parse_float=str, parse_int=str, parse_constant=str, object_pairs_hook=_object
        )
    except _RepeatedKey as err:
        return None, f"key {str(err)!r} appears twice in the JSON object"
    except (ValueError, RecursionError):
        return None, "not a JSON object"
    if not isinstance(value, dict):
        return None, "not a JSON object"
    return value, None


def read_jsonl_text(text: str, file: str) -> TextRows:
    """Objects of `text`, one per non-blank line; columns are the keys in order of appearance."""
    objects: list[tuple[int, dict[str, Any]]] = []
    rejected: list[tuple[int, str, str]] = []
    records = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip(" \t\r") == "":
            continue
        records += 1
        obj, reason = parse_line(line)
        if obj is None:
            rejected.append((number, reason or "not a JSON object", printable(line)))
        else:
            objects.append((number, obj))
    keys = list(dict.fromkeys(k for _, obj in objects for k in obj))
    rows = TextRows(check_column_names(keys, file) if keys else [])
    rows.values = [[] for _ in rows.columns]
    for number, obj in objects:
        rows.add(number, [_text(obj.get(k)) for k in keys])
    rows.rejected, rows.physical_records = rejected, records
    return rows
