"""fraudnet: fight criminal networks with networks.

The public Python API; the CLI and HTTP API are thin layers over these functions::

    import fraudnet
    store = fraudnet.open_store("fraudnet.duckdb")          # or engine="spark"
    fraudnet.ingest(store, "payments.csv", table="transactions")
    fraudnet.table_counts(store).to_pandas()
"""

from __future__ import annotations

from fraudnet.ingest import IngestResult, ingest
from fraudnet.store import export_table, open_store, quarantine_summary, table_counts

__version__ = "0.1.0"

__all__ = [
    "IngestResult",
    "__version__",
    "export_table",
    "ingest",
    "open_store",
    "quarantine_summary",
    "table_counts",
]
