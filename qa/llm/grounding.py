"""Are a claim's words backed by its own quote? Numbers, names and negations must be.

A verified quote proves only that some words are in the transcript. The claim around it is
the model's own sentence, so the words that carry its meaning are checked against the quote:

* every **number**, in digits or in words, by value: "twelve thousand" = "12,000" = "12 thousand",
  no more often than the quote has it; and every word of letters and digits ("G20", "133rd");
* every **name** (a capitalised word that is not a common word of the passage), case-insensitively,
  or the cited paragraph's speaker;
* **negation**: the claim's negations are in its quote, and the quote's clause has no negation the
  claim lacks ("Russia supports the regime" is not backed by "the regime" in "Russia does not support the regime").

>>> grounding_problem("About 11,000 Azerbaijani students study in Russia",
...                   "about 11,000 Azerbaijani students study in Russia", "About 11,000 Azerbaijani students study in Russia")
''
>>> grounding_problem("Twelve thousand students study in Russia", "11,000 Azerbaijani students study in Russia",
...                   "About 11,000 Azerbaijani students study in Russia")
'the number Twelve thousand is not in its quote'
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from vectorstore.words import NEGATIONS, QUESTION_WORDS, STOPWORDS, WORD as _WORD

_DIGITS = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:(?:st|nd|rd|th|s)\b)?"
                     r"(?:\s*-?\s*(thousand|million|billion|trillion)\b|(bn|mln|m)\b)?", re.I)
_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
          "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "mln": 1_000_000, "m": 1_000_000,
           "billion": 1_000_000_000, "bn": 1_000_000_000, "trillion": 1_000_000_000_000}
_NUMBER_NAMES = frozenset([*_UNITS, "hundred", "thousand", "million", "billion", "trillion"])
_NUMBER_WORD = "|".join([*_UNITS, "hundred", "thousand", "million", "billion", "trillion"])
_NUMBER_WORDS = re.compile(rf"\b(?:an?\s+(?=hundred|thousand|million|billion|trillion))?(?:{_NUMBER_WORD})"
                           rf"(?:[\s-]+(?:and[\s-]+)?(?:{_NUMBER_WORD}))*\b", re.I)
# Capitalised words that are not names: the stop words, plus sentence openers and titles
# (months and weekdays are names enough).
_COMMON = STOPWORDS | QUESTION_WORDS | frozenset({
    "as", "since", "until", "while", "yes", "less", "every", "many", "however", "thus", "around", "nearly", "almost",
    "approximately", "roughly", "mr", "mrs", "ms", "dr", "among", "per", "yet",
})
_CLAUSE_END = re.compile(r"[.;:!?,()\[\]—–]|\s-\s")
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})


def fold(text: str) -> str:
    """Unicode compatibility forms (full-width digits, ligatures), typographic quotes and dashes
    as ASCII, format characters (zero-width spaces) removed. Look-alike letters from another
    script (Cyrillic "а") stay different: they are other words."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def _stem(w: str) -> str:
    w = w.casefold()
    return w[:-2] if w.endswith("'s") else w


def number_counts(text: str) -> Counter[float]:
    """How often each number value occurs in ``text`` (a scaled number counts by both values)."""
    return Counter(v for v, _ in _numbers(text))


def number_values(text: str) -> dict[float, str]:
    """Every number in ``text`` by its value, with how it was written; a scaled number also
    counts by its bare figure ("$2.2 billion" holds 2.2e9 and 2.2).

    >>> sorted(number_values("about 11,000 students, 2.5% and twelve thousand, $2.2 billion"))
    [2.2, 2.5, 11000.0, 12000.0, 2200000000.0]
    """
    out: dict[float, str] = {}
    for value, written in _numbers(text):
        out.setdefault(value, written)
    return out


def _numbers(text: str) -> list[tuple[float, str]]:
    """(value, as written) for every number of ``text``, in order, repeats kept."""
    text = fold(text)
    out: list[tuple[float, str]] = []
    taken: set[int] = set()
    for m in _DIGITS.finditer(text):
        taken.update(range(m.start(), m.end()))
        whole, frac, scale = m.group(1), m.group(2), m.group(3) or m.group(4)
        value = float(whole.replace(",", "") + (f".{frac}" if frac else ""))
        out.append((value, m.group(0).strip()))
        if scale:
            out.append((value * _SCALES[scale.lower()], m.group(0).strip()))
    for m in _NUMBER_WORDS.finditer(text):
        if m.start() in taken:  # "billion" of "$2.2 billion"
            continue
        value = _word_value(m.group(0))
        if value is not None:
            out.append((float(value), m.group(0)))
    return out


_CODE = re.compile(r"\b(?=[^\W_]*\d)(?=[^\W_]*[^\W\d_])[^\W_]+\b")  # "G20", "COVID19", "133rd": letters and digits


def codes(text: str) -> list[str]:
    """Words mixing letters and digits, lower-cased ("G20" → "g20")."""
    return [c.casefold() for c in _CODE.findall(fold(text))]


def _word_value(phrase: str) -> int | None:
    total, current = 0, 0
    seen = False
    for w in re.split(r"[\s-]+", phrase.lower()):
        if w == "and":
            continue
        if w in ("a", "an"):
            current, seen = 1, True
        elif w in _UNITS:
            current, seen = current + _UNITS[w], True
        elif w == "hundred":
            current, seen = max(current, 1) * 100, True
        elif w in _SCALES:
            total, current, seen = total + max(current, 1) * _SCALES[w], 0, True
    return total + current if seen else None


def negations(text: str) -> list[str]:
    """The negation words of ``text``, in order: not, never, no, n't, ...

    >>> negations("Russia doesn't support it, and never will"), negations("Russia supports it")
    (["doesn't", 'never'], [])
    """
    return [w for w in _WORD.findall(fold(text)) if w.casefold() in NEGATIONS or w.casefold().endswith("n't")]


def names(claim: str, passage: str) -> list[str]:
    """Capitalised words of the claim that are names: not common words, and not a word the
    passage itself writes in lower case (a claim's first word is capitalised anyway)."""
    lower_words = set(_WORD.findall(fold(passage)))
    out = []
    for w in _WORD.findall(fold(claim)):
        if w[:1].isupper() and w.casefold() not in _COMMON and w.casefold() not in _NUMBER_NAMES and _stem(w) not in lower_words and w.lower() not in lower_words:
            out.append(w)
    return out


def clause_around(passage: str, start: int, end: int) -> str:
    """The clause of ``passage`` that holds ``passage[start:end]``: out to the nearest comma,
    semicolon, bracket or sentence end on each side. Its negation is the quote's."""
    left = max((m.end() for m in _CLAUSE_END.finditer(passage, 0, start)), default=0)
    right = _CLAUSE_END.search(passage, end)
    return passage[left: right.start() if right else len(passage)]


def grounding_problem(claim: str, quote: str, clause: str, passage: str = "", speaker: str = "") -> str:
    """Why ``claim`` is not backed by its verified ``quote`` ("" when it is). ``clause`` is the
    quote's clause in the passage (for negation), ``passage`` the whole paragraph (to tell names
    from sentence-initial common words), ``speaker`` the paragraph's speaker (a claim may name them)."""
    quoted = number_counts(quote)
    for value, written in _numbers(claim):
        if value not in quoted:
            return f"the number {written} is not in its quote"
    claimed = number_counts(claim)
    for value, times in claimed.items():
        if times > quoted[value]:  # "on 23 and 23 June" from "on 22 and 23 June"
            return f"the number {number_values(claim)[value]} is {times} times in the claim, {quoted[value]} in its quote"
    quote_codes = Counter(codes(quote))
    for code, times in Counter(codes(claim)).items():
        if times > quote_codes[code]:
            return f"{code!r} is not in its quote" if not quote_codes[code] else f"{code!r} is more often in the claim"
    quote_words = {_stem(w) for w in _WORD.findall(fold(quote))} | {_stem(w) for w in _WORD.findall(fold(speaker))}
    for name in names(claim, passage or quote):
        if _stem(name) not in quote_words:
            return f"the name {name} is not in its quote"
    quoted, said, claimed = negations(quote), negations(clause or quote), negations(claim)
    if claimed and not quoted:
        return f"it says {claimed[0]!r}, but its quote is not negated"
    if said and not claimed:
        return f"its quote is negated ({said[0]!r}), the claim is not"
    if len(claimed) > len(quoted) or len(said) > len(claimed):  # "It is not the case that ... no idea"
        return f"it has {len(claimed)} negations ({', '.join(claimed)}), its quote {len(quoted)} and their clause {len(said)}"
    return ""


_CONTENT_STOP = _COMMON | {"said", "says", "say", "stated", "noted", "according"}


def support(claim: str, quote: str) -> float:
    """Share of the claim's content words (stems of 5 letters) that its quote contains, in [0, 1]:
    how much of the model's wording the transcript's words carry.

    >>> support("About 11,000 students study in Russia", "About 11,000 Azerbaijani students study in Russia")
    1.0
    """
    def stems(text: str) -> set[str]:
        return {w.casefold()[:5] for w in _WORD.findall(fold(text)) if w.casefold() not in _CONTENT_STOP and len(w) > 2}

    mine = stems(claim)
    return round(len(mine & stems(quote)) / len(mine), 4) if mine else 1.0
