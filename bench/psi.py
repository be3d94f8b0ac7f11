"""PSI between two organisations: time and bytes for 100k requested x 1M held identifiers.

Runs the same functions the CLI runs (fraudnet.share.psi), one process playing both sides
in turn, on synthetic UK account ids with a known overlap, and checks the count found.
The machine is shared with other jobs: read times with the load averages recorded beside
them. Results: bench/results/psi.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from provenance import RunRecord

from fraudnet.share.psi import (
    answer_request,
    finish_request,
    read_request,
    read_response,
    start_request,
)

RESULTS = Path(__file__).parent / "results" / "psi.json"


def account_ids(prefix: str, count: int, start: int = 0) -> list[str]:
    return [f"GB-{prefix}-{n:08d}" for n in range(start, start + count)]


def one_run(requested: int, held: int, overlap: int, mode: str) -> dict[str, object]:
    """Time each step and size each message of one query; verify the count."""
    asked = account_ids("400000", overlap) + account_ids("111111", requested - overlap)
    holds = account_ids("400000", overlap) + account_ids("222222", held - overlap)
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    session, request = start_request("bank-a", "bank-b", "account", asked, mode)
    seconds["request"] = time.perf_counter() - t
    t = time.perf_counter()
    header, parsed = read_request(request, "request")
    response = answer_request(header, parsed, "bank-b", holds, mode)
    seconds["respond"] = time.perf_counter() - t
    t = time.perf_counter()
    reply, parts = read_response(response, "response")
    result = finish_request(session, reply, parts, "response")
    seconds["finish"] = time.perf_counter() - t
    if result.matched_count != overlap:
        raise SystemExit(f"PSI found {result.matched_count}, expected {overlap}")
    return {
        "mode": mode,
        "requested": requested,
        "held": held,
        "overlap": overlap,
        "found": result.matched_count,
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "total_seconds": round(sum(seconds.values()), 2),
        "request_bytes": len(request),
        "response_bytes": len(response),
        "total_bytes": len(request) + len(response),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requested", type=int, default=100_000)
    parser.add_argument("--held", type=int, default=1_000_000)
    parser.add_argument("--overlap", type=int, default=5_000)
    parser.add_argument("--modes", default="intersection,cardinality")
    args = parser.parse_args()
    record = RunRecord()
    runs = []
    for mode in args.modes.split(","):
        run = one_run(args.requested, args.held, args.overlap, mode)
        print(json.dumps(run))
        runs.append(run)
    peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "run": record.finish(),
                "library": "openmined-psi 2.0.6 (ECDH over P-256, GCS filter, fpr 1e-9)",
                "note": "one process plays both sides in turn; the machine is shared with other "
                "jobs (see the load averages), so times are an upper bound",
                "peak_rss_gib": round(peak_gib, 2),
                "runs": runs,
            },
            indent=1,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
