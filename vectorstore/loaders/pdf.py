"""PDF transcripts through pypdf."""

from __future__ import annotations

import statistics
from pathlib import Path

from vectorstore.errors import LoadError
from vectorstore.loaders.base import LoadedDocument, assign_speakers, clean, has_words

_TERMINAL = tuple('.!?:;"”’)')


class PdfLoader:
    def __init__(self, max_bytes: int | None = None):
        self.max_bytes = max_bytes

    def load(self, path: Path) -> LoadedDocument:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            if self.max_bytes is not None and path.stat().st_size > self.max_bytes:
                raise LoadError(str(path), f"file is over the {self.max_bytes / 1e6:.0f} MB limit (QA_MAX_FILE_MB)")
            reader = PdfReader(str(path))
            if reader.is_encrypted:
                raise LoadError(str(path), "encrypted PDF")
            pages = [page.extract_text() or "" for page in reader.pages]
            title = clean(str((reader.metadata or {}).get("/Title") or ""))
        except LoadError:
            raise
        except (PdfReadError, OSError, ValueError, KeyError, TypeError) as err:
            raise LoadError(str(path), f"unreadable PDF ({type(err).__name__}: {err})") from None
        paragraphs = _paragraphs("\n".join(pages))
        if not paragraphs:
            raise LoadError(str(path), "PDF has no extractable text (scanned image?)")
        return LoadedDocument(paragraphs=paragraphs, title=title, speakers=assign_speakers(paragraphs))


def _paragraphs(text: str) -> list[str]:
    """PDF text has a line break at every visual line. A paragraph ends at a blank line
    or at a line that ends a sentence well short of the typical line width."""
    lines = [ln.strip() for ln in text.replace("\r", "\n").split("\n")]
    widths = [len(ln) for ln in lines if ln]
    if not widths:
        return []
    full = statistics.median(widths)
    out: list[str] = []
    current: list[str] = []
    for ln in lines:
        if not ln:
            if current:
                out.append(" ".join(current))
                current = []
            continue
        current.append(ln)
        if ln.endswith(_TERMINAL) and len(ln) < 0.8 * full:
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return [c for c in (clean(p) for p in out) if has_words(c)]
