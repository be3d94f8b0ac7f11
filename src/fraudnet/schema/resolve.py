"""Tables written by entity resolution (`fraudnet resolve`) and analysts' link judgements."""

from __future__ import annotations

from fraudnet.schema.model import INTEGER, REAL, TEXT, TIMESTAMP, Column, Table

JUDGEMENTS = ("POSITIVE", "NEGATIVE", "UNSURE")

ENTITIES = Table(
    name="entities",
    description="One row per party: the entity (real person or organisation) it was resolved to. "
    "Entity ids are stable across runs: new parties join existing entities without renumbering.",
    key=("party_id",),
    columns=(
        Column("entity_id", TEXT, "Stable id of the resolved entity.", required=True),
        Column("party_id", TEXT, "Member party (parties.party_id).", required=True),
        Column(
            "match_probability",
            REAL,
            "Strongest link from this party to another member (1.0 if confirmed by an analyst); "
            "empty for an entity of one.",
        ),
        Column(
            "evidence",
            TEXT,
            "JSON: the party's strongest link in the entity (partner, match weight, fields that "
            "agreed) and how many links it has.",
        ),
        Column("entity_size", INTEGER, "Number of parties in the entity."),
        Column("entity_created_at", TIMESTAMP, "When this entity id was first assigned, UTC."),
        Column("resolved_at", TIMESTAMP, "The resolution run that wrote this row, UTC."),
    ),
    derived=True,
    ingestible=False,
)

ENTITY_LINKS = Table(
    name="entity_links",
    description="Scored pairs of parties at or above the match threshold, or judged by an analyst, "
    "with per-field evidence: which fields agreed, at which comparison level, with what weight.",
    key=("party_id_l", "party_id_r"),
    columns=(
        Column("party_id_l", TEXT, "One party of the pair (the smaller id).", required=True),
        Column("party_id_r", TEXT, "The other party of the pair.", required=True),
        Column("match_probability", REAL, "Splink match probability of the pair."),
        Column("match_weight", REAL, "Total match weight (log2 Bayes factor, prior included)."),
        Column(
            "agreed_fields",
            TEXT,
            "Comma-separated fields whose comparison level carried positive weight.",
        ),
        Column(
            "evidence",
            TEXT,
            "JSON list, one object per compared field: field, level, weight (log2 Bayes factor, "
            "term-frequency adjustment included) and the two values compared.",
        ),
        Column("judgement", TEXT, "Latest analyst judgement of the pair, if any.", enum=JUDGEMENTS),
        Column(
            "status",
            TEXT,
            "linked (used to build an entity), confirmed (analyst POSITIVE), cut (analyst "
            "NEGATIVE, or it would join parties an analyst kept apart).",
            enum=("linked", "confirmed", "cut"),
        ),
        Column("entity_id", TEXT, "The entity both parties ended in, if the same."),
        Column("resolved_at", TIMESTAMP, "The resolution run that wrote this row, UTC."),
    ),
    derived=True,
    ingestible=False,
)

IDENTIFIER_LINKS = Table(
    name="identifier_links",
    description="Parties linked (never merged) because they share a strong identifier: a device, "
    "IP, phone, email, address, document or card. Different people can share one.",
    key=("party_id_l", "party_id_r", "kind", "value"),
    columns=(
        Column("party_id_l", TEXT, "One party (the smaller id).", required=True),
        Column("party_id_r", TEXT, "The other party.", required=True),
        Column("kind", TEXT, "Identifier kind.", required=True),
        Column("value", TEXT, "The shared normalised identifier.", required=True),
        Column("n_parties", INTEGER, "How many parties share this identifier in all."),
        Column("same_entity", TEXT, "Entity id when both parties resolved to the same entity."),
        Column("resolved_at", TIMESTAMP, "The resolution run that wrote this row, UTC."),
    ),
    derived=True,
    ingestible=False,
)

LINK_JUDGEMENTS = Table(
    name="link_judgements",
    description="Analysts' decisions on whether two parties are the same entity; the latest per "
    "pair is respected by every later resolution run. Rows are only ever appended.",
    key=("party_id_l", "party_id_r", "decided_at"),
    columns=(
        Column("party_id_l", TEXT, "One party (the smaller id).", required=True),
        Column("party_id_r", TEXT, "The other party.", required=True),
        Column(
            "judgement",
            TEXT,
            "POSITIVE (same entity), NEGATIVE (never the same), UNSURE (no effect).",
            required=True,
            enum=JUDGEMENTS,
        ),
        Column("decided_by", TEXT, "Who decided.", required=True),
        Column("decided_at", TIMESTAMP, "When, UTC.", required=True),
        Column("reason", TEXT, "Why, in the analyst's words."),
    ),
    derived=True,
    ingestible=False,
)

ENTITY_CHANGES = Table(
    name="entity_changes",
    description="Entity ids that stopped being used or lost members in a run: merged into another "
    "entity, or split by a judgement. Appended by every resolution run.",
    key=("old_entity_id", "new_entity_id", "changed_at"),
    columns=(
        Column("old_entity_id", TEXT, "The entity id before the run.", required=True),
        Column("new_entity_id", TEXT, "Where (some of) its members are now.", required=True),
        Column("change", TEXT, "merged or split.", enum=("merged", "split")),
        Column("n_parties", INTEGER, "How many former members moved."),
        Column("changed_at", TIMESTAMP, "The run that made the change, UTC."),
    ),
    derived=True,
    ingestible=False,
)
