"""What the reader needs to know about a question, computed once per question.

>>> q = analyze("How many Azerbaijani students study in Russia?")
>>> q.qtype.name, q.unit, [t.text for t in q.names]
('count', 'studen', ['azerbaijani', 'russia'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from qa.qtype import AnswerType, expected_type
from vectorstore.lexical import STOPWORDS, tokenize
from vectorstore.words import QUESTION_TERM

# Question words that carry no content.
QWORDS = frozenset({"how", "many", "much", "what", "which", "who", "whom", "whose", "when", "where", "why", "did",
                    "does", "do", "according", "tell", "name", "kind", "type", "number", "amount", "percentage",
                    "year", "date", "time"})
_WORD = QUESTION_TERM
_HEAD = re.compile(r"\b(?:which|what)\s+(?:(?:two|three|other|new|\w+ian|\w+ese)\s+)?([a-z]+?)(?:s|es)?\b"
                   r"(?!\s+(?:is|was|are|were|did|does|do|has|have)\b\s+(?:the|a)\b)")
_NOT_HEADS = {"is", "was", "are", "were", "did", "does", "do", "has", "have", "the", "a", "kind", "type", "percentage",
              "share", "year", "date", "day", "month", "time", "amount", "number"}
_UNIT = re.compile(r"\b[Hh]ow (?:many|much)\s+(?:of\s+)?(?:(?:the|its|their|[A-Z]\w+|\w+(?:ian|ese|i))\s+)?([a-z]+)")


@dataclass
class Term:
    text: str      # as matched: a stem, or the lower-cased word for a proper name
    weight: float  # IDF
    proper: bool


@dataclass
class Question:
    text: str
    qtype: AnswerType
    terms: list[Term]
    head: str = ""           # "Which initiative ..." → "initiative"
    unit: str = ""           # "How many students ..." → "studen" (a stem prefix)
    wants_year: bool = False
    words: set[str] = field(default_factory=set)  # lower-cased words, possessives dropped
    years: set[str] = field(default_factory=set)

    @property
    def names(self) -> list[Term]:
        return [t for t in self.terms if t.proper and not t.text[0].isdigit()]

    @property
    def numbers(self) -> list[Term]:
        return [t for t in self.terms if t.text[0].isdigit()]

    @property
    def total_weight(self) -> float:
        return sum(t.weight for t in self.terms) or 1.0


def analyze(question: str, idf: Callable[[str], float] | None = None) -> Question:
    idf = idf or (lambda term: 5.0)
    qtype = expected_type(question)
    return Question(
        text=question,
        qtype=qtype,
        terms=question_terms(question, idf),
        head=head_noun(question),
        unit=count_unit(question) if qtype.name in ("count", "amount") else "",
        wants_year=bool(re.search(r"\b(what|which) year\b", question.lower())),
        words=plain_words(question),
        years=set(re.findall(r"\b(?:19|20)\d\d\b", question)),
    )


def question_terms(question: str, idf: Callable[[str], float]) -> list[Term]:
    """Content words of the question with IDF weights; capitalised names stay exact."""
    out: dict[str, Term] = {}
    for i, word in enumerate(_WORD.findall(question)):
        low = word.lower()
        if low in STOPWORDS or low in QWORDS:
            continue
        low = re.sub(r"['’]s$", "", low)
        word = re.sub(r"['’]s$", "", word)
        proper = (word[0].isupper() and i > 0) or word[0].isdigit()
        toks = tokenize(word)
        if not toks:
            continue
        stem = toks[0]
        key = stem if word[0].isdigit() else low if proper else stem
        out.setdefault(key, Term(key, max(idf(stem), 0.5), proper))
    return list(out.values())


def head_noun(question: str) -> str:
    """The noun after which/what ("Which initiative ..." → "initiative"), if any."""
    m = _HEAD.search(question.lower())
    if not m or m.group(1) in _NOT_HEADS:
        return ""
    return m.group(1)


def count_unit(question: str) -> str:
    """The counted noun's stem: "How many Azerbaijani students ..." → "studen"."""
    m = _UNIT.search(question)
    if not m or m.group(1) in STOPWORDS or m.group(1) in QWORDS:
        return ""
    return m.group(1).rstrip("s")[:6]


def plain_words(text: str) -> set[str]:
    """Lower-cased words without possessive endings."""
    return {re.sub(r"['’]s$", "", w.lower()) for w in re.findall(r"[\w’'-]+", text)}
