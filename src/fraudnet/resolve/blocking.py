"""Blocking keys: which pairs of parties Splink scores, with a cap on a key's group size.

Only pairs that agree exactly on one key are scored. A key value shared by a huge group
(Smith in London, "unit 4" with no town, a name-built email reused by hundreds) adds
n(n-1)/2 pairs that are nearly all different people: on a simulated world of 875,000
parties such groups made 1.27 billion candidate pairs. So each key is a column of the
prepared parties, null where its value is held by more than `MAX_BLOCK_SIZE` parties:
the equi-join then never builds those pairs, and the cost grows with the number of parties
times the cap, not with the square of a group. A pair inside a capped group is still scored
when another key brings it (the same Smith in London shares a date of birth or a postcode).
What was skipped is counted per key in `BlockingReport`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl
from splink import block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator

MAX_BLOCK_SIZE = 50
"""Parties one key value may group; above it the value blocks nothing. A person has a few
records, so a larger group is mostly other people (FEBRL's largest is 53: one postcode)."""

WIDE_BLOCK_SIZE = 5
"""The cap of keys that many different people share (a name, a name in a town, a house and
street, an email): their groups above a handful are namesakes and neighbours, and their true
pairs also share a date of birth or a postcode. `bench/resolve_keys.py` measures what each
key alone finds, with these caps and with every key at MAX_BLOCK_SIZE."""

SEPARATOR = "\x1f"


@dataclass(frozen=True, slots=True)
class KeyPart:
    """One normalised column, or its first `length` characters."""

    column: str
    length: int | None = None

    def expr(self) -> pl.Expr:
        value = pl.col(self.column)
        return value if self.length is None else value.str.slice(0, self.length)

    def sql(self) -> str:
        return self.column if self.length is None else f"substr({self.column}, 1, {self.length})"


@dataclass(frozen=True, slots=True)
class BlockingKey:
    """Pairs agreeing exactly on all parts are candidates (unless the group is too big)."""

    name: str
    parts: tuple[KeyPart, ...]
    cap: int = MAX_BLOCK_SIZE

    @property
    def column(self) -> str:
        return f"block_{self.name}"

    @property
    def columns(self) -> set[str]:
        return {part.column for part in self.parts}

    def value(self) -> pl.Expr:
        """The key as one text value; null when any part is missing."""
        return pl.concat_str([p.expr() for p in self.parts], separator=SEPARATOR)

    def capped(self, frame: pl.DataFrame) -> tuple[pl.Series, KeyCount]:
        """The key column (null in groups above the cap) and what it generates."""
        cap = self.cap
        value = frame.select(self.value().alias(self.column))[self.column]
        sizes = _group_sizes(value)
        kept = pl.select(pl.when(sizes <= cap).then(value)).to_series().alias(self.column)
        return kept, KeyCount.from_sizes(self.name, value, sizes, cap)

    def rule(self) -> BlockingRuleCreator:
        return block_on(self.column)

    def training_rule(self) -> BlockingRuleCreator:
        """The same pairs, with the compared columns named in the rule: Splink's EM leaves
        the comparisons of columns a training rule blocks on untrained, as it must."""
        return block_on(*(part.sql() for part in self.parts), self.column)


@dataclass(frozen=True, slots=True)
class SwappedKey(BlockingKey):
    """Pairs whose parts agree crosswise: given and family name written the other way round.

    Its column holds the parts in reverse order and is compared with the column of the
    key it mirrors; it is null where either side's group is above the cap."""

    mirrors: BlockingKey = field(default_factory=lambda: BlockingKey("", ()))

    def value(self) -> pl.Expr:
        return pl.concat_str([p.expr() for p in reversed(self.parts)], separator=SEPARATOR)

    def capped(self, frame: pl.DataFrame) -> tuple[pl.Series, KeyCount]:
        cap = self.cap
        both = frame.select(self.value().alias("swapped"), self.mirrors.value().alias("plain"))
        swapped = both["swapped"]
        plain_sizes = both.group_by("plain").len().rename({"plain": "swapped", "len": "n_r"})
        matched = both.select("swapped").join(plain_sizes, on="swapped", how="left")
        n_l = _group_sizes(swapped)
        n_r = matched["n_r"].fill_null(0).cast(pl.Int64)
        ok = (n_l <= cap) & (n_r <= cap) & (n_r > 0)
        kept = pl.select(pl.when(ok).then(swapped)).to_series().alias(self.column)
        count = KeyCount.crosswise(self.name, swapped, n_r, ok, cap)
        return kept, count

    def rule(self) -> BlockingRuleCreator:
        return CustomRule(f"l.{self.mirrors.column} = r.{self.column}")

    def training_rule(self) -> BlockingRuleCreator:
        return self.rule()


def _group_sizes(value: pl.Series) -> pl.Series:
    """For each row, how many rows share its (non-null) value; 0 for a null."""
    frame = pl.DataFrame({"v": value})
    sizes = frame.select(pl.len().over("v").cast(pl.Int64).alias("n"))["n"]
    return pl.select(pl.when(value.is_null()).then(0).otherwise(sizes)).to_series()


@dataclass(frozen=True, slots=True)
class KeyCount:
    """What one key generates: candidate pairs kept, and the groups and pairs capped."""

    key: str
    cap: int
    pairs: int
    capped_groups: int
    capped_parties: int
    pairs_skipped: int
    largest_group: int

    @classmethod
    def from_sizes(cls, key: str, value: pl.Series, sizes: pl.Series, cap: int) -> KeyCount:
        groups = pl.DataFrame({"v": value, "n": sizes}).drop_nulls("v").unique("v")["n"]
        pairs = groups * (groups - 1) // 2
        over = groups > cap
        return cls(
            key=key,
            cap=cap,
            pairs=int(pairs.filter(~over).sum()),
            capped_groups=int(over.sum()),
            capped_parties=int(groups.filter(over).sum()),
            pairs_skipped=int(pairs.filter(over).sum()),
            largest_group=int(groups.max() or 0),  # type: ignore[arg-type]
        )

    @classmethod
    def crosswise(
        cls, key: str, value: pl.Series, n_r: pl.Series, ok: pl.Series, cap: int
    ) -> KeyCount:
        """Ordered matches a -> b; each unordered pair is matched both ways, so halve."""
        frame = pl.DataFrame({"v": value, "n_r": n_r, "ok": ok}).filter(pl.col("n_r") > 0)
        kept = frame.filter("ok")
        over = frame.filter(~pl.col("ok"))
        return cls(
            key=key,
            cap=cap,
            pairs=int(kept["n_r"].sum()) // 2,
            capped_groups=int(over["v"].n_unique()),
            capped_parties=over.height,
            pairs_skipped=int(over["n_r"].sum()) // 2,
            largest_group=int(frame["n_r"].max() or 0),  # type: ignore[arg-type]
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "cap": self.cap,
            "pairs": self.pairs,
            "capped_groups": self.capped_groups,
            "capped_parties": self.capped_parties,
            "pairs_skipped": self.pairs_skipped,
            "largest_group": self.largest_group,
        }


@dataclass(frozen=True, slots=True)
class BlockingReport:
    """Per key, the candidate pairs it generates (before overlap with other keys) and what
    its cap skipped (`cap`: the largest cap; each key says its own)."""

    cap: int
    keys: tuple[KeyCount, ...]

    @property
    def pairs(self) -> int:
        return sum(k.pairs for k in self.keys)

    @property
    def pairs_skipped(self) -> int:
        return sum(k.pairs_skipped for k in self.keys)

    def as_dict(self) -> dict[str, Any]:
        return {"cap": self.cap, "keys": [k.as_dict() for k in self.keys]}


def _key(name: str, *parts: str | tuple[str, int], cap: int = MAX_BLOCK_SIZE) -> BlockingKey:
    made = [KeyPart(p) if isinstance(p, str) else KeyPart(*p) for p in parts]
    return BlockingKey(name, tuple(made), cap)


def _wide(name: str, *parts: str | tuple[str, int]) -> BlockingKey:
    """A key whose large groups are mostly different people: capped at WIDE_BLOCK_SIZE."""
    return _key(name, *parts, cap=WIDE_BLOCK_SIZE)


NAMES = _wide("names", "given_name", "family_name")

PREDICTION_KEYS: tuple[BlockingKey, ...] = (
    NAMES,
    SwappedKey("names_swapped", NAMES.parts, WIDE_BLOCK_SIZE, mirrors=NAMES),
    _key("dob_given_initial", "dob", ("given_name", 1)),
    _key("dob_family_initial", "dob", ("family_name", 1)),
    _key("dob_city", "dob", "city"),
    _key("dob_postcode_area", "dob", ("postcode", 2)),
    # A name kept intact plus the town finds records whose other name, date of birth and
    # street were all mistyped (about 0.6% of FEBRL3's true pairs).
    _wide("family_city", "family_name", "city"),
    _wide("given_city", "given_name", "city"),
    _key("postcode", "postcode"),
    _wide("address", "address"),
    _key("phone", "phone"),
    _wide("email", "email"),
)
"""Pairs are scored when they agree on at least one of these keys."""

TRAINING_KEYS: tuple[BlockingKey, ...] = (
    _key("dob", "dob"),
    # EM's names pass: the names at the ordinary cap, so that a world of namesakes (every
    # name held by more than WIDE_BLOCK_SIZE parties) still has pairs to train on.
    _key("names_em", "given_name", "family_name"),
    _key("names_dob", "given_name", "family_name", "dob"),
    _key("names_postcode", "given_name", "family_name", "postcode"),
    _key("email_own", "email_own"),
)
"""Keys used only to train: EM blocked on date of birth or on the names, and near-certain
matches (an email counts as one only when it is more than the name: see
`normalise.email_built_from_names`)."""


def keys_for(present: set[str], keys: tuple[BlockingKey, ...]) -> list[BlockingKey]:
    """The keys whose columns are all present in the data."""
    return [key for key in keys if key.columns <= present]


def add_blocking_keys(
    prepared: pl.DataFrame, present: set[str]
) -> tuple[pl.DataFrame, BlockingReport]:
    """The prepared parties with one capped column per usable key, and what each generates."""
    columns, counts = [], []
    for key in keys_for(present, PREDICTION_KEYS + TRAINING_KEYS):
        column, count = key.capped(prepared)
        columns.append(column)
        if key in PREDICTION_KEYS:
            counts.append(count)
    return prepared.with_columns(columns), BlockingReport(MAX_BLOCK_SIZE, tuple(counts))


def prediction_rules(present: set[str]) -> list[BlockingRuleCreator | dict[str, Any]]:
    """Splink rules over the capped key columns."""
    return [key.rule() for key in keys_for(present, PREDICTION_KEYS)]


def training_rule(name: str, present: set[str]) -> BlockingRuleCreator | None:
    """The training rule of a training or prediction key, if its columns are present."""
    for key in keys_for(present, PREDICTION_KEYS + TRAINING_KEYS):
        if key.name == name:
            return key.training_rule()
    return None
