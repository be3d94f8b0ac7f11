"""A mapping file is checked against its schema: an unknown key or a wrong shape is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from fraudnet.ingest import Mapping, MappingError

BAD = [
    (
        "table: transactions\ncolums: {Ref: txn_id}\n",
        "field 'colums': unknown key in mapping (did you mean 'columns'?)",
    ),
    ("table: transactions\ncolumns: [txn_id]\n", "field 'columns': must be a mapping"),
    (
        "table: transactions\ntimestamp_formats: '%d/%m/%Y'\n",
        "field 'timestamp_formats': must be a list",
    ),
    ("table: transactions\ndecimal: dot\n", "decimal must be one of point, comma"),
    ("table: transactions\nzones: {BST: 1}\n", "field 'zones.BST': must be a zone name"),
    (
        "table: transactions\nranges: {ts: [2015-01-01]}\n",
        "field 'ranges.ts': must be a list of two dates",
    ),
    (
        "table: transactions\nranges: {nope: [2015-01-01, today]}\n",
        "nope not columns of transactions",
    ),
    ("table: transactions\ndelimiter: ';;'\n", "field 'delimiter': must be one character"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_mappings_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(text)
    with pytest.raises(MappingError) as caught:
        Mapping.from_yaml(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_good_mapping_reads_every_key(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "table: transactions\ncolumns: {Ref: txn_id}\ndecimal: comma\nzones: {BST: '+01:00'}\n"
        "ranges: {ts: [2015-01-01, today]}\nencoding: latin-1\ndelimiter: ';'\n"
    )
    mapping = Mapping.from_yaml(path)
    assert (mapping.decimal, mapping.zones, mapping.ranges["ts"]) == (
        "comma",
        {"BST": "+01:00"},
        ("2015-01-01", "today"),
    )
    assert (mapping.encoding, mapping.delimiter) == ("latin-1", ";")
