"""Tables the simulator writes beside the canonical ones: ground truth for entity resolution."""

from __future__ import annotations

from fraudnet.schema.model import TEXT, Column, Table

PARTY_TRUTH = Table(
    name="party_truth",
    description="Simulated worlds only: which party records are the same real person or "
    "organisation, so entity resolution can be scored for precision and recall.",
    key=("party_id",),
    columns=(
        Column("party_id", TEXT, "A party record (parties.party_id).", required=True),
        Column("person_id", TEXT, "The real-world person or organisation behind it.", True),
        Column("source", TEXT, "Always ground_truth."),
    ),
    derived=True,
    ingestible=False,
)
