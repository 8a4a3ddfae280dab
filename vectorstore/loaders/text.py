"""Plain-text transcripts (`.txt`): interviews and UN speeches."""

from __future__ import annotations

import re
from pathlib import Path

from vectorstore.loaders.base import LoadedDocument, assign_speakers, read_text, split_paragraphs
from vectorstore.loaders.un import un_speech_metadata


class TextLoader:
    """Blank-line blocks are paragraphs; one-paragraph-per-line files are re-joined
    where a page break split a sentence. UN speeches (``ISO3_78_2023.txt``) get the
    country as speaker and the session year as date."""

    def __init__(self, max_bytes: int | None = None):
        self.max_bytes = max_bytes

    def load(self, path: Path) -> LoadedDocument:
        paragraphs = split_paragraphs(read_text(path, self.max_bytes))
        un = un_speech_metadata(path.name)
        if un:
            country, year = un
            return LoadedDocument(
                paragraphs=paragraphs,
                title=f"{country}: address to the UN General Debate, {year}",
                date=str(year),
                speakers=assign_speakers(paragraphs, default=country),
            )
        title = _title(paragraphs)
        return LoadedDocument(paragraphs=paragraphs, title=title, speakers=assign_speakers(paragraphs, _byline(title)))


def _title(paragraphs: list[str]) -> str:
    """A short first paragraph without a closing full stop is the title."""
    if paragraphs and len(paragraphs[0]) <= 150 and not re.search(r"[.!?]$", paragraphs[0]):
        return paragraphs[0]
    return ""


_BYLINE = re.compile(r"^((?:[A-Z][a-z'’-]+ ){1,3}[A-Z][a-z'’-]+): ")


def _byline(title: str) -> str:
    """'Maria Zakharova: Russia and ...' names the person the interview quotes."""
    m = _BYLINE.match(title)
    return m.group(1) if m else ""
