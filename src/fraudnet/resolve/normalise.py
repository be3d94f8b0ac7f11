"""Normalise names, dates, addresses, postcodes, phones and emails before they are compared.

Vectorised Polars expressions over the whole `parties` table (millions of rows in seconds).
The same code serves both engines, so a pair is compared on identical values on DuckDB and
on Spark. Empty strings become null: Splink treats null as "no evidence", not disagreement.
"""

from __future__ import annotations

import polars as pl
import pyarrow as pa

from fraudnet.engine.types import conform
from fraudnet.schema import get_table

NAME_TITLES = r"^(mr|mrs|ms|miss|mx|dr|prof|sir|dame|rev|lord|lady)\.?\s+"
UK_POSTCODE = r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$"

PREPARED_COLUMNS = (
    "party_id",
    "given_name",
    "family_name",
    "dob",
    "address",
    "postcode",
    "city",
    "phone",
    "email",
    "email_user",
    "email_own",
)
"""The columns Splink compares (plus the id), in the order they are handed to it."""


def blank_to_null(expr: pl.Expr) -> pl.Expr:
    """Trimmed text, with empty strings as null."""
    text = expr.cast(pl.String).str.strip_chars()
    return pl.when(text.str.len_chars() > 0).then(text).otherwise(None)


def plain_text(expr: pl.Expr) -> pl.Expr:
    """Lower case, accents removed, punctuation dropped or made a space, single-spaced."""
    text = expr.cast(pl.String).str.normalize("NFKD").str.replace_all(r"\p{M}", "")
    text = text.str.to_lowercase().str.replace_all(r"['’`.]", "")
    text = text.str.replace_all(r"[^a-z0-9]+", " ")
    return blank_to_null(text)


def name_part(expr: pl.Expr) -> pl.Expr:
    """A given or family name: plain text without a leading title (Mr, Dr, ...)."""
    return blank_to_null(plain_text(expr).str.replace(NAME_TITLES, ""))


def split_full_name(name: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Given and family name from a full name: 'Family, Given' or 'Given ... Family'."""
    text = name.cast(pl.String)
    has_comma = text.str.contains(",")
    before, after = text.str.extract(r"^([^,]*),"), text.str.extract(r",(.*)$")
    words = name_part(text)
    last = words.str.extract(r"(\S+)$")
    rest = words.str.extract(r"^(.*)\s+\S+$")
    given = pl.when(has_comma).then(name_part(after)).otherwise(rest)
    family = pl.when(has_comma).then(name_part(before)).otherwise(last)
    return given, family


def postcode(expr: pl.Expr) -> pl.Expr:
    """Upper case without spaces or punctuation ('sw1a 1aa' -> 'SW1A1AA')."""
    text = expr.cast(pl.String).str.to_uppercase().str.replace_all(r"[^A-Z0-9]", "")
    return blank_to_null(text)


def phone(expr: pl.Expr, default_country_code: str = "44") -> pl.Expr:
    """Digits only, international form: '07700 900123' and '+44 7700 900123' -> '447700900123'."""
    raw = expr.cast(pl.String).str.strip_chars().str.replace_all(r"\(0\)", "")
    digits = raw.str.replace_all(r"[^0-9]", "")
    international = raw.str.starts_with("+") | digits.str.starts_with("00")
    digits = pl.when(digits.str.starts_with("00")).then(digits.str.slice(2)).otherwise(digits)
    national = pl.lit(default_country_code) + digits.str.slice(1)
    uk_trunk = digits.str.starts_with("0") & ~international & (digits.str.len_chars() >= 10)
    text = pl.when(uk_trunk).then(national).otherwise(digits)
    return pl.when(text.str.len_chars() >= 6).then(text).otherwise(None)


def email(expr: pl.Expr) -> pl.Expr:
    """Lower case, trimmed; anything without exactly one '@' is treated as missing."""
    text = expr.cast(pl.String).str.strip_chars().str.to_lowercase()
    valid = text.str.contains(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    return pl.when(valid).then(text).otherwise(None)


def email_built_from_names(user: pl.Expr, given: pl.Expr, family: pl.Expr) -> pl.Expr:
    """True where an email's user part is nothing but the record's names ('olivia.patel',
    'o_patel', 'patel.olivia'): anyone of that name could hold it, so it repeats the name
    evidence instead of adding its own."""
    local = user.str.replace(r"\+.*$", "").str.replace_all(r"[._\-]", "")
    surname = family.str.replace_all(r"[^a-z0-9]", "")
    initial = given.str.slice(0, 1)
    given_first = (
        local.str.starts_with(initial)
        & local.str.ends_with(surname)
        & (local.str.len_chars() > surname.str.len_chars())
    )
    family_first = local.str.starts_with(surname) & local.str.slice(
        surname.str.len_chars()
    ).str.starts_with(initial)
    return local.str.contains(r"^[a-z]+$") & (given_first | family_first)


def date_text(expr: pl.Expr) -> pl.Expr:
    """A DATE as 'YYYY-MM-DD' text, so typos (one digit) can be scored by edit distance."""
    return expr.cast(pl.Date).dt.strftime("%Y-%m-%d")


def normalise_parties(parties: pa.Table) -> pl.DataFrame:
    """The `parties` table reduced to the normalised columns Splink compares."""
    frame = pl.from_arrow(conform(parties, get_table("parties")))
    assert isinstance(frame, pl.DataFrame)
    split_given, split_family = split_full_name(pl.col("name"))
    person_given = pl.coalesce(name_part(pl.col("given_name")), split_given)
    person_family = pl.coalesce(name_part(pl.col("family_name")), split_family)
    is_org = pl.col("kind") == "org"
    # An organisation's name is one name: kept whole (in family_name), never split.
    org_name = pl.coalesce(plain_text(pl.col("name")), person_family)
    given = pl.when(is_org).then(None).otherwise(person_given)
    family = pl.when(is_org).then(org_name).otherwise(person_family)
    return (
        frame.select(
            pl.col("party_id").cast(pl.String),
            given.alias("given_name"),
            family.alias("family_name"),
            date_text(pl.col("dob")).alias("dob"),
            plain_text(pl.col("address")).alias("address"),
            postcode(pl.col("postcode")).alias("postcode"),
            plain_text(pl.col("city")).alias("city"),
            phone(pl.col("phone")).alias("phone"),
            email(pl.col("email")).alias("email"),
        )
        .with_columns(pl.col("email").str.extract(r"^([^@]+)@").alias("email_user"))
        .with_columns(
            pl.when(
                email_built_from_names(
                    pl.col("email_user"), pl.col("given_name"), pl.col("family_name")
                )
            )
            .then(None)
            .otherwise(pl.col("email"))
            .alias("email_own")
        )
    )
