"""Check what a model wrote against the passages it was given; keep only what holds.

A model's output is split into claims: a sentence, the ``[n]`` markers it carries and the
quote after it. A claim is verified when

1. its quote is in a passage word for word (`find_verbatim`: on word boundaries; case, white
   space, typographic quotes and dashes do not count; an ellipsis only within one sentence), and
2. its own words are backed by that quote (`qa.llm.grounding`): every number, name and negation
   of the claim is in it, and any words the claim puts in quotation marks are in the passage.

Nothing is matched by similarity: a quote is either in the transcript or it is not.

>>> passages = ["About 11,000 Azerbaijani students study in Russia, of which 1,000 on grants."]
>>> [c] = verify(parse_claims('About 11,000 study there [1] "about 11,000 Azerbaijani students study in Russia".'), passages)
>>> c.verified, passages[0][c.start:c.end]
(True, 'About 11,000 Azerbaijani students study in Russia')
>>> [c] = verify(parse_claims('About 12,000 study there [1] "About 11,000 Azerbaijani students"'), passages)
>>> c.verified, c.problem
(False, 'the number 12,000 is not in its quote')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from qa.llm.grounding import clause_around, fold, grounding_problem
from vectorstore.sentences import sentence_spans

MIN_QUOTE_WORDS = 2  # a one-word "quote" ("Russia") supports nothing
MAX_ELLIPSIS_GAP = 12  # words an ellipsis may stand for; more, and the pieces say something else

# Double or typographic quotes; single quotes only around two or more words, so that an
# apostrophe ("Russia's") never opens one.
_QUOTE = re.compile(r'"([^"\n]+)"|“([^”\n]+)”|(?<![\w\'])[\'‘]([^\'‘’\n]+\s[^\'‘’\n]+)[\'’](?![\w])')
_MARKER = re.compile(r"\[(\d{1,3})\]")
_MARKERS_RUN = re.compile(r"\s*(?:\[\d{1,3}\][\s,;]*)+")
_LABEL = re.compile(r"^\s*(?:answer|quote|claim|source|citation)s?\s*:\s*", re.I)
# A claim ends after its quote and the markers that follow it; an opening quote is followed
# by a letter, so only closing quotes match.
_CLAIM_END = re.compile(r'(["”](?:\s*\[\d{1,3}\])*)[.;,]?\s+(?=[^\s\[])')
# The claim's own quote comes last, after a marker, colon, dash or full stop; a quote right
# after a word ("called it a \"red line\"") is part of the sentence and stays in it.
_TRAILING_QUOTE = re.compile(r'(?:\]|[.:\-–—])[\s\[\]\d:\-–—]*("[^"\n]+"|“[^”\n]+”|\'[^\'\n]+\s[^\'\n]+\'|‘[^’\n]+’)'
                             r'[\s.;,\[\]\d]*$')
_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_ELLIPSIS = re.compile(r"\s*(?:\[\s*)?\.{3,}(?:\s*\])?\s*")  # ... and [...] (fold turns … into ...)
_EDGE = " .,;:!?\"'()[]-"


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
            quotes = _quotes(segment)
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


def verify(claims: list[Claim], passages: list[str], speakers: list[str] | None = None) -> list[Claim]:
    """Mark each claim verified or not, in place; ``passages[n-1]`` is passage ``[n]`` and
    ``speakers[n-1]`` its speaker (a claim may name the person it quotes)."""
    speakers = speakers or [""] * len(passages)
    for c in claims:
        _verify_quote(c, passages)
        if not c.verified:
            continue
        passage = passages[c.passage - 1]
        problem = grounding_problem(c.text, c.quote or c.text, clause_around(passage, c.start, c.end), passage,
                                    speakers[c.passage - 1] if c.passage <= len(speakers) else "")
        for inline in _inline_quotes(c.text):
            if not find_verbatim(inline, passage):
                problem = problem or f"the quotation “{inline}” is not in [{c.passage}]"
        if problem:
            c.verified, c.problem = False, problem
    return claims


def _inline_quotes(text: str) -> list[str]:
    """Words the claim itself puts in quotation marks: they are presented as the transcript's."""
    return _quotes(text)


def _quotes(text: str) -> list[str]:
    return [next(g for g in groups if g) for groups in _QUOTE.findall(text)]


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
    """The span of ``text`` that ``quote`` matches, or None.

    Differences that do not change the words are ignored: letter case, white space, typographic
    quotes and dashes, Unicode compatibility forms, leading and trailing punctuation. The match
    must start and end on word boundaries ("1,000 students" is not in "11,000 students"). An
    ellipsis stands for omitted words: its pieces must appear in order, in one sentence, with at
    most `MAX_ELLIPSIS_GAP` words between them.

    >>> find_verbatim("11,000  students", "About 11,000\\nstudents study")
    (6, 21)
    >>> find_verbatim("1,000 students", "About 11,000 students") is None
    True
    """
    pieces = [p.strip(_EDGE) for p in _ELLIPSIS.split(fold(quote).strip())]
    needles = [n for n in (_normalise(p)[0] for p in pieces) if n]
    if not needles:
        return None
    flat, index = _normalise(text)
    for first in _occurrences(flat, needles[0], 0):
        end = _chain(flat, needles, first + len(needles[0]))
        if end is None:
            continue
        start, stop = index[first], index[end - 1] + 1
        if len(needles) == 1 or _one_sentence(text, start, stop):
            return start, stop
    return None


def _occurrences(flat: str, needle: str, pos: int) -> Iterator[int]:
    """Where ``needle`` occurs in ``flat`` from ``pos`` on, on word boundaries at both ends."""
    hit = flat.find(needle, pos)
    while hit >= 0:
        if _boundary(flat, hit, needle[0], before=True) and _boundary(flat, hit + len(needle), needle[-1], before=False):
            yield hit
        hit = flat.find(needle, hit + 1)


def _boundary(flat: str, at: int, edge: str, before: bool) -> bool:
    if not edge.isalnum():
        return True
    if before:
        # not inside a word, nor inside a number ("1,000" in "11,000")
        return at == 0 or not (flat[at - 1].isalnum() or (flat[at - 1] in ",." and at > 1 and flat[at - 2].isdigit()
                                                           and edge.isdigit()))
    return at >= len(flat) or not (flat[at].isalnum() or (flat[at] in ",." and at + 1 < len(flat)
                                                          and flat[at + 1].isdigit() and edge.isdigit()))


def _chain(flat: str, needles: list[str], pos: int) -> int | None:
    """The end of the ellipsis pieces after the first, each the nearest occurrence after the
    previous piece and at most `MAX_ELLIPSIS_GAP` words after it."""
    for needle in needles[1:]:
        hit = next(_occurrences(flat, needle, pos), -1)
        if hit < 0 or len(flat[pos:hit].split()) > MAX_ELLIPSIS_GAP:
            return None
        pos = hit + len(needle)
    return pos


def _one_sentence(text: str, start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e, _ in sentence_spans(text))


def _normalise(text: str) -> tuple[str, list[int]]:
    """``text`` folded (`grounding.fold`, lower case) with runs of white space as one space,
    plus the original offset of every kept character."""
    out, index = [], []
    space = False
    for i, ch in enumerate(text):
        for f in fold(ch).casefold():
            if f.isspace():
                if not space and out:
                    out.append(" ")
                    index.append(i)
                space = True
                continue
            space = False
            out.append(f)
            index.append(i)
    while out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index
