"""Whether a sentence is about a topic: it names the topic's phrase, or all its content words.

A topic may offer alternatives: "Da'esh (ISIS)", "the Bretton Woods institutions or system".

>>> t = Topic.of("the Black Sea Grain Initiative")
>>> t.matches("We renewed the Black Sea Grain Initiative last year.")
True
>>> t.matches("The initiative to ship grain across the Black Sea saved lives.")
True
>>> t.matches("Grain prices rose.")
False
>>> Topic.of("Ukraine").matches("Ukrainian farmers")
True
>>> [o.phrase for o in Topic.of("the Bretton Woods institutions or system").options]
['bretton woods institutions', 'bretton woods system']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from vectorstore.lexical import tokenize
from vectorstore.words import phrase

# Words that frame a topic without being it: "the situation in Gaza" is about Gaza.
_FRAME = {"situat", "issu", "question", "matter", "topic", "subject", "develop", "latest", "current", "recent",
          "ongo", "regard", "respect", "relat", "state", "thing", "news", "updat", "effort", "role", "term"}
_MIN_PREFIX = 5  # a stem this long also matches words it begins ("ukrain" → "Ukrainian")


@dataclass(frozen=True)
class Phrase:
    phrase: str  # normalised, without a leading article ("black sea grain initiative")
    stems: tuple[str, ...]  # content stems every matching sentence holds

    @classmethod
    def of(cls, text: str) -> "Phrase":
        key = phrase(re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I))
        all_stems = tuple(dict.fromkeys(tokenize(text)))
        return cls(key, tuple(s for s in all_stems if s not in _FRAME) or all_stems)

    def matches(self, sentence: str, words: set[str]) -> bool:
        if self.phrase and f" {self.phrase} " in f" {phrase(sentence)} ":
            return True
        return bool(self.stems) and all(_has(words, s) for s in self.stems)

    def coverage(self, words: set[str], idf: Callable[[str], float]) -> float:
        """The idf-weighted share of the stems that ``words`` hold."""
        total = sum(idf(s) for s in self.stems)
        return sum(idf(s) for s in self.stems if _has(words, s)) / total if total else 0.0


@dataclass(frozen=True)
class Topic:
    text: str  # as the question put it ("the Black Sea Grain Initiative")
    options: tuple[Phrase, ...]  # any of them will do

    @classmethod
    def of(cls, text: str, acronyms: dict[str, list[str]] | None = None) -> "Topic":
        """``acronyms`` (`LexicalIndex.acronyms`) adds the spelled-out name of an acronym, and the
        acronym of a spelled-out name, as alternatives."""
        alts = alternatives(text)
        alts += spelled(alts, acronyms or {})
        return cls(text.strip(), tuple(Phrase.of(a) for a in dict.fromkeys(alts) if tokenize(a)))

    def __bool__(self) -> bool:
        return any(o.stems for o in self.options)

    @property
    def stems(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for o in self.options for s in o.stems))

    def matches(self, sentence: str) -> bool:
        words = set(tokenize(sentence))
        return any(o.matches(sentence, words) for o in self.options)

    def coverage(self, sentence: str, idf: Callable[[str], float]) -> float:
        words = set(tokenize(sentence))
        return max((1.0 if o.matches(sentence, words) else o.coverage(words, idf) for o in self.options), default=0.0)

    def stem_groups(self, vocabulary) -> list[list[list[str]]]:
        """Per option, per stem: the vocabulary stems it matches (itself, or longer ones it begins)."""
        return [[_expand(s, vocabulary) for s in o.stems] for o in self.options]


def alternatives(text: str) -> list[str]:
    """'Da'esh (ISIS)' → ["Da'esh", 'ISIS']; 'the X institutions or system' → ['the X institutions', 'the X system']."""
    t = text.strip()
    out: list[str] = []
    for inner in re.findall(r"\(([^()]+)\)", t):
        out.append(inner.strip())
    t = re.sub(r"\s*\([^()]*\)", "", t).strip()
    parts = [p.strip() for p in re.split(r"\s+or\s+|\s*/\s*", t) if p.strip()]
    if len(parts) > 1:
        first = parts[0].split()
        for i, p in enumerate(parts[1:], start=1):
            if len(p.split()) == 1 and len(first) > 1:  # "institutions or system": the head is shared
                parts[i] = " ".join(first[:-1] + [p])
    return parts + out


def spelled(alts: list[str], acronyms: dict[str, list[str]]) -> list[str]:
    """The other form of each alternative that is a known acronym or a known acronym's name.

    >>> spelled(["UNRWA"], {"UNRWA": ["United Nations Relief and Works Agency"]})
    ['United Nations Relief and Works Agency']
    >>> spelled(["the United Nations Relief and Works Agency"], {"UNRWA": ["United Nations Relief and Works Agency"]})
    ['UNRWA']
    """
    names = {phrase(n): acr for acr, ns in acronyms.items() for n in ns}
    out: list[str] = []
    for a in alts:
        bare = re.sub(r"^(?:the)\s+", "", a.strip(), flags=re.I)
        key = re.sub(r"(?<=[A-Z])s$", "", bare)  # "SDGs" → "SDG"
        if key.isupper() and key in acronyms:
            out += acronyms[key]
        elif phrase(bare) in names:
            out.append(names[phrase(bare)])
    return out


def _expand(stem: str, vocabulary) -> list[str]:
    if len(stem) >= _MIN_PREFIX:
        return [v for v in vocabulary if v.startswith(stem)]
    return [stem] if stem in vocabulary else []


def _has(words: set[str], stem: str) -> bool:
    return stem in words or (len(stem) >= _MIN_PREFIX and any(w.startswith(stem) for w in words))
