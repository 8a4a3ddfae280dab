"""Check what a model wrote against the passages it was given; keep only what holds.

A model's output is split into claims: a sentence, the ``[n]`` markers it carries and
the quote in double quotes after it. A claim is verified when its quote, with white space
normalised, appears verbatim in a passage, and every number in the claim appears in a
passage that verified a claim. Nothing is matched by similarity: a quote is either in the
transcript or it is not.

>>> passages = ["About 11,000 Azerbaijani students study in Russia, of which 1,000 on grants."]
>>> [c] = verify(parse_claims('About 11,000 study there [1] "About 11,000 Azerbaijani students study in Russia".'), passages)
>>> c.verified, passages[0][c.start:c.end]
(True, 'About 11,000 Azerbaijani students study in Russia')
>>> [c] = verify(parse_claims('About 12,000 study there [1] "About 11,000 Azerbaijani students"'), passages)
>>> c.verified, c.problem
(False, 'the number 12,000 is not in the cited passages')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MIN_QUOTE_WORDS = 2  # a one-word "quote" ("Russia") supports nothing

_QUOTE = re.compile(r'"([^"\n]+)"|“([^”\n]+)”')
_MARKER = re.compile(r"\[(\d{1,3})\]")
_MARKERS_RUN = re.compile(r"\s*(?:\[\d{1,3}\][\s,;]*)+")
_LABEL = re.compile(r"^\s*(?:answer|quote|claim|source|citation)s?\s*:\s*", re.I)
# A claim ends after its quote and the markers that follow it; an opening quote is followed
# by a letter, so only closing quotes match.
_CLAIM_END = re.compile(r'(["”](?:\s*\[\d{1,3}\])*)[.;,]?\s+(?=[^\s\[])')
# The claim's own quote comes last, after a marker, colon, dash or full stop; a quote right
# after a word ("called it a \"red line\"") is part of the sentence and stays in it.
_TRAILING_QUOTE = re.compile(r'(?:\]|[.:\-–—])[\s\[\]\d:\-–—]*("[^"\n]+"|“[^”\n]+”)[\s.;,\[\]\d]*$')
_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*")
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


@dataclass
class Claim:
    text: str                                    # the sentence, markers and quote removed
    markers: list[int] = field(default_factory=list)  # passages the model cited, 1-based
    quote: str = ""                              # the quote the model gave ("" if none)
    passage: int = 0                             # 1-based passage that verified it; 0 if none
    start: int = 0                               # the verified span in that passage
    end: int = 0
    verified: bool = False
    problem: str = ""                            # why it was not verified
    note: str = ""                               # verified, but worth saying (a wrong marker)


def parse_claims(output: str) -> list[Claim]:
    """Claims in the order written. A quote on a line of its own belongs to the claim before it."""
    claims: list[Claim] = []
    for line in output.splitlines():
        for segment in _CLAIM_END.sub("\\1\n", line).split("\n"):
            quotes = [a or b for a, b in _QUOTE.findall(segment)]
            markers = [int(m) for m in _MARKER.findall(segment)]
            tail = _TRAILING_QUOTE.search(segment)
            text = segment[: tail.start(1)] + segment[tail.end(1):] if tail else segment
            text = _LABEL.sub("", _BULLET.sub("", _MARKERS_RUN.sub(" ", text)))
            text = re.sub(r"\s+", " ", text).strip(" :-–—")
            text = re.sub(r"\s+([.,;:!?])", r"\1", text).rstrip(" .,;")
            if not text.strip(".,;:!? ") and not quotes:
                if claims:
                    claims[-1].markers += [m for m in markers if m not in claims[-1].markers]
                continue
            quote = max(quotes, key=len) if quotes else ""
            if not text.strip(".,;:!? ") and claims and not claims[-1].quote:
                claims[-1].quote = quote  # "Quote [1]: ..." on the line after its claim
                claims[-1].markers += [m for m in markers if m not in claims[-1].markers]
                continue
            claims.append(Claim(text=text if text.strip(".,;:!? ") else quote, markers=markers, quote=quote))
    return claims


def verify(claims: list[Claim], passages: list[str]) -> list[Claim]:
    """Mark each claim verified or not, in place; ``passages[n-1]`` is passage ``[n]``."""
    for c in claims:
        _verify_quote(c, passages)
    cited_numbers = set()
    for c in claims:
        if c.verified:
            cited_numbers |= numbers_in(passages[c.passage - 1])
    for c in claims:
        if c.verified:
            missing = [n for n in _NUMBER.findall(c.text) if _norm_number(n) not in cited_numbers]
            if missing:
                c.verified, c.problem = False, f"the number {missing[0]} is not in the cited passages"
    return claims


def _verify_quote(c: Claim, passages: list[str]) -> None:
    # Without a quote, the claim's own words must be a verbatim quote.
    evidence = c.quote or c.text.rstrip(".")
    if len(evidence.split()) < MIN_QUOTE_WORDS:
        c.problem = "it quotes nothing from the passages" if not c.quote else f"the quote “{c.quote}” is too short to support it"
        return
    bad = [m for m in c.markers if not 1 <= m <= len(passages)]
    if bad:
        c.note = f"it cites [{bad[0]}], but only {len(passages)} passages were given"
    order = [m for m in c.markers if 1 <= m <= len(passages)]
    order += [n for n in range(1, len(passages) + 1) if n not in order]
    for n in order:
        span = find_verbatim(evidence, passages[n - 1])
        if span:
            c.passage, (c.start, c.end), c.verified = n, span, True
            if c.markers and n not in c.markers:
                c.note = c.note or f"it cites [{c.markers[0]}], but the quote is in [{n}]"
            elif not c.markers:
                c.note = f"it cites no passage; the quote is in [{n}]"
            return
    where = f" in [{order[0]}]" if c.markers and order else " in any passage"
    c.problem = f"the quote “{evidence}” is not{where}"


def find_verbatim(quote: str, text: str) -> tuple[int, int] | None:
    """The span of ``text`` that ``quote`` matches, white space and typographic quotes normalised.

    An ellipsis in the quote stands for omitted words: its pieces must appear in order.

    >>> find_verbatim("11,000  students", "About 11,000\\nstudents study")
    (6, 21)
    """
    pieces = [p.strip(" .,;:") for p in _ELLIPSIS.split(quote.strip())]
    pieces = [p for p in pieces if p]
    if not pieces:
        return None
    flat, index = _normalise(text)
    pos, start = 0, None
    for piece in pieces:
        needle = _normalise(piece)[0]
        hit = flat.find(needle, pos)
        if hit < 0:
            return None
        start = hit if start is None else start
        pos = hit + len(needle)
    return index[start], index[pos - 1] + 1


def _normalise(text: str) -> tuple[str, list[int]]:
    """``text`` with runs of white space as one space and typographic quotes folded, plus
    the original offset of every kept character."""
    out, index = [], []
    space = False
    for i, ch in enumerate(text.translate(_FOLD)):
        if ch.isspace():
            if not space and out:
                out.append(" ")
                index.append(i)
            space = True
            continue
        space = False
        out.append(ch)
        index.append(i)
    return "".join(out).rstrip(), index


def numbers_in(text: str) -> set[str]:
    """Numbers as digits only: "11,000" and "11000" are the same number.

    >>> sorted(numbers_in("about 11,000 students, 2.5% and 1,000"))
    ['1000', '11000', '2.5']
    """
    return {_norm_number(n) for n in _NUMBER.findall(text)}


def _norm_number(n: str) -> str:
    return n.replace(",", "").rstrip(".")
