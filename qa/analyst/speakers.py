"""Who a question names: speaker labels of the store, found by name, surname, title, role or,
for UN speeches, by country name, adjective or possessive.

>>> cat = SpeakerCatalog(["Mr. Kirby", "Kenya", "Maria Zakharova"], packaged_aliases())
>>> [(m.labels, m.text) for m in cat.mentions("What did the Kenyan delegate and Zakharova say?")]
[(('Kenya',), 'Kenyan'), (('Maria Zakharova',), 'Zakharova')]
>>> cat.mentions("What did the NSC spokesman say?")[0].labels
('Mr. Kirby',)
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

# Speaker labels that are not anyone's words: reporters, moderators, operators.
NOT_SPEAKERS = frozenset({"", "Q", "Moderator", "Operator", "Aide"})
_HONORIFICS = {"mr", "ms", "mrs", "dr", "director", "admiral", "ambassador", "secretary", "general", "the"}


@dataclass(frozen=True)
class Alias:
    label: str  # the speaker label as stored ("Mr. Kirby", "Kenya")
    alias: str  # how a question may name it ("the NSC spokesman", "Kenyan")
    type: str  # label | surname | name | role | adjective
    since: str = ""  # a role held only inside these dates (YYYY-MM-DD; "" = open)
    until: str = ""


@dataclass(frozen=True)
class Mention:
    """Where a question names a speaker; ``labels`` has several entries when the words fit
    more than one (a role held by two people at different times)."""

    labels: tuple[str, ...]
    text: str
    start: int
    end: int
    aliases: tuple[Alias, ...] = ()

    @property
    def adjective(self) -> bool:
        return all(a.type == "adjective" for a in self.aliases)


@lru_cache(maxsize=1)
def packaged_aliases() -> tuple[Alias, ...]:
    """The alias tables shipped with the package: officials' names and roles, country names
    and adjectives."""
    out: list[Alias] = []
    for name in ("officials.tsv", "countries.tsv"):
        text = resources.files("qa.analyst").joinpath(name).read_text(encoding="utf-8")
        for row in csv.DictReader(text.splitlines(), delimiter="\t"):
            out.append(Alias(row["label"], row["alias"], row["type"], row.get("since") or "", row.get("until") or ""))
    return tuple(out)


@lru_cache(maxsize=1)
def country_labels() -> frozenset[str]:
    """Speaker labels that are countries or bodies of the UN General Debate (countries.tsv)."""
    text = resources.files("qa.analyst").joinpath("countries.tsv").read_text(encoding="utf-8")
    return frozenset(row["label"] for row in csv.DictReader(text.splitlines(), delimiter="\t"))


class SpeakerCatalog:
    """Aliases of the speakers a store holds, matched in one pass of one compiled pattern."""

    def __init__(self, labels: Iterable[str], aliases: Iterable[Alias] = ()):
        present = sorted({lb for lb in labels if lb not in NOT_SPEAKERS and not lb.startswith("Q ")})
        self.labels = tuple(present)
        table: dict[str, list[Alias]] = {}
        for lb in present:
            table.setdefault(lb.lower(), []).append(Alias(lb, lb, "label"))
            surname = _surname(lb)
            if surname:
                table.setdefault(surname.lower(), []).append(Alias(lb, surname, "surname"))
        keep = set(present)
        for a in aliases:
            if a.label in keep:
                table.setdefault(a.alias.lower(), []).append(a)
        self._table = table
        # Longest alias first, so "Democratic Republic of the Congo" wins over "Congo".
        names = sorted(table, key=len, reverse=True)
        self._pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])", re.I) if names else None

    def mentions(self, question: str) -> list[Mention]:
        """Every speaker alias in ``question``, left to right, without overlaps.

        Short aliases ("US", "UK") and aliases that are also common words ("Turkey", "Chad")
        must be written with their capitals, unless the whole question is lower case.
        """
        if self._pattern is None:
            return []
        lower_only = question == question.lower()
        out: list[Mention] = []
        for m in self._pattern.finditer(question):
            rows = self._table[m.group(0).lower()]
            written = m.group(0)
            if not lower_only and not _cased_ok(written, rows):
                continue
            if lower_only and len(written) <= 3:
                continue
            labels = tuple(dict.fromkeys(a.label for a in rows))
            out.append(Mention(labels, written, m.start(), m.end(), tuple(rows)))
        return out

    def by_date(self, mention: Mention, since: str, until: str) -> tuple[str, ...]:
        """The labels a mention can mean inside a date window: a role counts for whoever held
        it then ("the Press Secretary" in 2021 is Psaki)."""
        keep = []
        for a in mention.aliases:
            lo, hi = a.since, a.until
            if until and lo and until < lo[: len(until)]:
                continue
            if since and hi and since[: len(hi)] > hi:
                continue
            keep.append(a.label)
        return tuple(dict.fromkeys(keep)) or mention.labels

    def is_country(self, label: str) -> bool:
        return label in country_labels()


def _surname(label: str) -> str:
    """'Mr. Kirby' → 'Kirby', 'Maria Zakharova' → 'Zakharova'; '' for countries and bodies."""
    if label in country_labels():
        return ""
    words = [w for w in re.split(r"[\s]+", label) if w]
    if len(words) < 2 or words[0].rstrip(".").lower() not in _HONORIFICS and not _looks_personal(words):
        return ""
    last = words[-1]
    return last if last[:1].isupper() and last.lower() not in _HONORIFICS else ""


def _looks_personal(words: list[str]) -> bool:
    """Two capitalised words, neither a common noun of office names ("Senior Administration Official")."""
    return len(words) == 2 and all(w[:1].isupper() for w in words) and not any(
        w.lower() in {"official", "administration", "senior", "crew", "member", "force", "one"} for w in words)


def _cased_ok(written: str, rows: list[Alias]) -> bool:
    """Short aliases ("US") and everyday words ("Turkey", "Chad") count only as written in the
    table; any other alias in any case ("the press secretary")."""
    return any(written == a.alias or (len(a.alias) > 3 and a.alias.lower() not in _COMMON_WORDS) for a in rows)


# Aliases that are everyday English words too: they name a speaker only when capitalised.
_COMMON_WORDS = {"chad", "turkey", "jordan", "china", "guinea", "niger", "mali", "togo", "peru", "cuba", "chile",
                 "georgia", "young", "grenada", "jamaica", "panama", "malta", "iran", "oman", "india", "israel",
                 "monaco", "nauru", "palau", "samoa", "tonga", "fiji", "haiti", "polish", "spain", "greece"}
