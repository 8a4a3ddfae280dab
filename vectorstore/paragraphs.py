"""Paragraph records: a stable id and the metadata a citation needs.

>>> recs = to_records("a/b.txt", LoadedDocument(["Hello.", "Hello.", "Bye."]), file_sha="f")
>>> [(r.paragraph, r.text) for r in recs]
[(1, 'Hello.'), (3, 'Bye.')]
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from vectorstore.loaders.base import LoadedDocument


@dataclass(frozen=True)
class Record:
    """One paragraph as stored: id, text and flat metadata (Chroma takes no None)."""

    id: str
    text: str
    source: str
    paragraph: int  # 1-based position in the document, counting repeated paragraphs
    title: str = ""
    date: str = ""
    speaker: str = ""
    source_url: str = ""
    root: str = ""
    file_sha: str = ""
    doc_records: int = 0  # how many records the document has, windows included: a complete document is detectable
    # A paragraph too long for the encoder is stored as sentence windows; each window
    # carries its whole paragraph so that citations still quote the paragraph.
    window: int = 0
    para_id: str = ""
    paragraph_text: str = ""

    def metadata(self) -> dict[str, Any]:
        start, end = date_bounds(self.date)
        return {
            "source": self.source,
            "paragraph": self.paragraph,
            "title": self.title,
            "date": self.date,
            "date_start": start,
            "date_end": end,
            "speaker": self.speaker,
            "source_url": self.source_url,
            "root": self.root,
            "file_sha": self.file_sha,
            "doc_records": self.doc_records,
            "window": self.window,
            "para_id": self.para_id or self.id,
            "paragraph_text": self.paragraph_text,
        }


def paragraph_id(source: str, text: str) -> str:
    """Hash of the source plus the white-space-normalised text."""
    norm = " ".join(text.split())
    return hashlib.blake2b(f"{source}\x00{norm}".encode(), digest_size=16).hexdigest()


def to_records(source: str, doc: LoadedDocument, *, file_sha: str, root: str = "") -> list[Record]:
    """Records for a document; an exact repeat of an earlier paragraph is stored once."""
    seen: set[str] = set()
    kept: list[tuple[int, str, str]] = []
    speakers = doc.speakers or [""] * len(doc.paragraphs)
    for i, (text, speaker) in enumerate(zip(doc.paragraphs, speakers), start=1):
        pid = paragraph_id(source, text)
        if pid in seen:
            continue
        seen.add(pid)
        kept.append((i, text, speaker))
    return [
        Record(
            id=paragraph_id(source, text), text=text, source=source, paragraph=i, title=doc.title,
            date=doc.date, speaker=speaker, source_url=doc.source_url, root=root, file_sha=file_sha,
            doc_records=len(kept),
        )
        for i, text, speaker in kept
    ]


_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def date_bounds(date: str) -> tuple[int, int]:
    """A date, possibly partial, as the yyyymmdd range it covers; (0, 0) when unknown.

    >>> date_bounds("2023")
    (20230101, 20231231)
    """
    m = _DATE.match(date or "")
    if not m:
        return 0, 0
    y, mo, d = m.group(1), m.group(2), m.group(3)
    if d:
        v = int(f"{y}{mo}{d}")
        return v, v
    if mo:
        return int(f"{y}{mo}01"), int(f"{y}{mo}31")
    return int(f"{y}0101"), int(f"{y}1231")
