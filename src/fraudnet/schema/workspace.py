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
