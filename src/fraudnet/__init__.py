"""fraudnet: fight criminal networks with networks.

The public Python API; the CLI and HTTP API are thin layers over these functions::

    import fraudnet
    store = fraudnet.open_store("fraudnet.duckdb")          # or engine="spark"
    fraudnet.ingest(store, "payments.csv", table="transactions")
    fraudnet.table_counts(store).to_pandas()
"""

from __future__ import annotations

import os

# OpenMP threads (LightGBM, scikit-learn) that spin while they wait hold a core a busy
# machine's other work needs: with two other busy processes on a 2-core machine a detection
# run scored in 30 s spinning, 17 s sleeping (identical results). Read when the OpenMP
# runtime loads, so it is set before anything imports it; a user's own setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

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
