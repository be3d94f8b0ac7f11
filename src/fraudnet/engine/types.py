"""Arrow types of the logical column types, so both engines hand back identical tables."""

from __future__ import annotations

import pyarrow as pa

from fraudnet.schema.model import Table

ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(),
    "DECIMAL(18,2)": pa.decimal128(18, 2),
    "TIMESTAMP": pa.timestamp("us"),
    "DATE": pa.date32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
}


def arrow_schema(table: Table) -> pa.Schema:
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.type]) for c in table.columns])


def conform(data: pa.Table, table: Table) -> pa.Table:
    """Select and cast `data` to the declared columns of `table` (missing columns become null)."""
    arrays = []
    for col in table.columns:
        target = ARROW_TYPES[col.type]
        if col.name in data.column_names:
            arr = data.column(col.name)
            if arr.type != target:
                if pa.types.is_timestamp(arr.type) and arr.type.tz is not None:
                    arr = arr.cast(pa.timestamp(arr.type.unit, tz="UTC")).cast(
                        pa.timestamp("us", tz="UTC")
                    )
                    arr = pa.chunked_array(
                        [c.cast(pa.int64()).cast(pa.timestamp("us")) for c in arr.chunks],
                        type=pa.timestamp("us"),
                    )
                else:
                    arr = arr.cast(target)
        else:
            arr = pa.nulls(data.num_rows, target)
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, schema=arrow_schema(table))
