"""Tables of the analyst's workspace: users, their roles, and the hash-chained audit log."""

from __future__ import annotations

from fraudnet.schema.model import BOOLEAN, INTEGER, TEXT, TIMESTAMP, Column, Table

ROLES = ("viewer", "analyst", "supervisor", "admin", "partner")

USERS = Table(
    name="users",
    description="People who may use the workspace: a role, an organisation and an argon2 "
    "password hash (never the password). Disabled users keep their row so the audit log "
    "still names them.",
    key=("user_id",),
    columns=(
        Column("user_id", TEXT, "Login name, unique in the store.", required=True),
        Column("role", TEXT, "What the user may do.", required=True, enum=ROLES),
        Column("organisation", TEXT, "The organisation the user works for.", required=True),
        Column("password_hash", TEXT, "argon2id hash in PHC string form.", required=True),
        Column("disabled", BOOLEAN, "True once disabled: the user can no longer act."),
        Column("created_at", TIMESTAMP, "When the user was added, UTC."),
        Column("disabled_at", TIMESTAMP, "When the user was disabled, UTC."),
    ),
    derived=True,
    ingestible=False,
)

WORKSPACE_SETTINGS = Table(
    name="workspace_settings",
    description="Settings of the workspace held in the store, such as the organisation that owns "
    "the store's own records (set when its first non-partner user is added).",
    key=("name",),
    columns=(
        Column("name", TEXT, "Setting name, e.g. organisation.", required=True),
        Column("value", TEXT, "Setting value.", required=True),
    ),
    derived=True,
    ingestible=False,
)

REVIEW_BUDGETS = Table(
    name="review_budgets",
    description="Each organisation's per-day review budget: how many alerts its team reviews a "
    "day (the console greys the rest for later days). One row per organisation, replaced when a "
    "supervisor or admin changes it; every change is in the audit log with the old value.",
    key=("organisation",),
    columns=(
        Column("organisation", TEXT, "The organisation the budget is for.", required=True),
        Column("budget_per_day", INTEGER, "Alerts a day, 1 to 100000; empty means no budget."),
        Column("set_by", TEXT, "Who last set it (users.user_id).", required=True),
        Column("set_at", TIMESTAMP, "When it was last set, UTC.", required=True),
    ),
    derived=True,
    ingestible=False,
)

AUDIT_LOG = Table(
    name="audit_log",
    description="Append-only record of every read of a person's details, decision, export, share "
    "and user change. Each entry's hash covers the entry and the previous entry's hash, so an "
    "edited, deleted, inserted or reordered entry breaks the chain (`fraudnet audit verify`).",
    key=("seq",),
    columns=(
        Column("seq", INTEGER, "Position in the chain, 1, 2, 3, ... without gaps.", required=True),
        Column("at", TIMESTAMP, "When it happened, UTC.", required=True),
        Column("user_id", TEXT, "Who acted (users.user_id, or cli:<account> for a shell).", True),
        Column("action", TEXT, "What was done, e.g. read_party, add_user.", required=True),
        Column("subject", TEXT, "What it was done to: a party, account, case or user id."),
        Column("reason", TEXT, "Why, in the user's words.", required=True),
        Column("detail", TEXT, "JSON object with anything else worth keeping (canonical form)."),
        Column("prev_hash", TEXT, "Hash of the entry before (64 zeros for the first).", True),
        Column("hash", TEXT, "SHA-256 of this entry's canonical serialisation, hex.", True),
    ),
    derived=True,
    ingestible=False,
)

AUDIT_ANCHOR = Table(
    name="audit_anchor",
    description="The audit chain's head signed with a key kept outside the store (HMAC-SHA-256): "
    "cutting the tail off or rewriting the whole chain no longer matches it.",
    key=("seq",),
    columns=(
        Column("seq", INTEGER, "Sequence number of the head entry when signed.", required=True),
        Column("hash", TEXT, "Hash of that head entry.", required=True),
        Column("mac", TEXT, "HMAC-SHA-256 of seq and hash under the audit key, hex.", True),
        Column("signed_at", TIMESTAMP, "When it was signed, UTC."),
    ),
    derived=True,
    ingestible=False,
)

CASE_STATUSES = ("open", "closed")

CASES = Table(
    name="cases",
    description="Investigations an analyst opened: a title, the organisation that owns it and, "
    "optionally, the network it is about. Only users of that organisation can read it.",
    key=("case_id",),
    columns=(
        Column("case_id", TEXT, "Case id (CASE- and random hex), not guessable.", required=True),
        Column("organisation", TEXT, "The organisation that owns the case.", required=True),
        Column("title", TEXT, "Short title in the analyst's words.", required=True),
        Column("network_id", TEXT, "The network the case is about (networks.network_id)."),
        Column("status", TEXT, "open or closed.", required=True, enum=CASE_STATUSES),
        Column("created_by", TEXT, "Who opened it (users.user_id).", required=True),
        Column("created_at", TIMESTAMP, "When it was opened, UTC.", required=True),
    ),
    derived=True,
    ingestible=False,
)

CASE_NOTES = Table(
    name="case_notes",
    description="Notes written on a case, appended only, with who wrote them and when.",
    key=("note_id",),
    columns=(
        Column("note_id", TEXT, "Note id (NOTE- and random hex).", required=True),
        Column("case_id", TEXT, "The case (cases.case_id).", required=True),
        Column("author", TEXT, "Who wrote it (users.user_id).", required=True),
        Column("written_at", TIMESTAMP, "When, UTC.", required=True),
        Column("text", TEXT, "The note.", required=True),
    ),
    derived=True,
    ingestible=False,
)

CASE_SHARES = Table(
    name="case_shares",
    description="Packages shared with a partner organisation: a snapshot of a case taken when "
    "it was shared, with nothing personal in it. A partner user sees only the packages "
    "shared with its own organisation.",
    key=("share_id",),
    columns=(
        Column("share_id", TEXT, "Package id (PKG- and random hex), not guessable.", True),
        Column("case_id", TEXT, "The case shared (cases.case_id).", required=True),
        Column("partner", TEXT, "The partner organisation it was shared with.", required=True),
        Column("shared_by", TEXT, "Who shared it (users.user_id).", required=True),
        Column("shared_at", TIMESTAMP, "When, UTC.", required=True),
        Column("reason", TEXT, "Why, in the sharer's words.", required=True),
        Column("contents", TEXT, "JSON snapshot: case title, network summary and roles."),
    ),
    derived=True,
    ingestible=False,
)
