"""A fast rule-based sentence splitter that keeps character offsets.

Used to cut long paragraphs into windows at ingest and to find the supporting
sentence at answer time, so it must be quick and must never lose a character.

>>> [text for _, _, text in sentence_spans("Mr. Kirby spoke. He left at 3 p.m. Then rain.")]
['Mr. Kirby spoke.', 'He left at 3 p.m. Then rain.']
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_ABBREV = {
    "mr", "ms", "mrs", "dr", "st", "no", "nos", "vs", "v", "gen", "lt", "col", "sgt", "adm", "gov", "sen", "rep",
    "prof", "jr", "sr", "u.s", "u.n", "u.k", "e.g", "i.e", "etc", "jan", "feb", "mar", "apr", "aug", "sep", "sept",
    "oct", "nov", "dec", "a.m", "p.m", "inc", "co", "corp", "art", "para", "h.e", "amb", "pres", "approx", "fig",
}


def sentence_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sentence) for each sentence, with ``text[start:end] == sentence``."""
    spans: list[tuple[int, int, str]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        word = re.search(r"([\w.]+)$", text[start:m.start()])
        last = word.group(1).lower() if word else ""
        if m.group(0).startswith(".") and (last in _ABBREV or len(last) == 1 and last.isalpha()):
            continue  # "Mr." or an initial, not the end of a sentence
        end = m.end()
        if text[start:end].strip():
            spans.append(_trimmed(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_trimmed(text, start, len(text)))
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int, str]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end, text[start:end]


def split_sentences(text: str) -> list[str]:
    return [s for _, _, s in sentence_spans(text)]
