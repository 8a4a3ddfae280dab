"""One loader per file format, chosen by extension.

>>> loader_for(Path("speech.txt")).__class__.__name__
'TextLoader'
"""

from __future__ import annotations

from pathlib import Path

from vectorstore.loaders.base import LoadedDocument, Loader
from vectorstore.loaders.html import HtmlLoader
from vectorstore.loaders.markdown import MarkdownLoader
from vectorstore.loaders.pdf import PdfLoader
from vectorstore.loaders.text import TextLoader

_BY_SUFFIX = {
    ".txt": TextLoader,
    ".md": MarkdownLoader,
    ".markdown": MarkdownLoader,
    ".html": HtmlLoader,
    ".htm": HtmlLoader,
    ".pdf": PdfLoader,
}

SUPPORTED = tuple(sorted(_BY_SUFFIX))


def loader_for(path: Path, max_bytes: int | None = None) -> Loader | None:
    """The loader for ``path``'s extension, or None when the format is unsupported."""
    cls = _BY_SUFFIX.get(path.suffix.lower())
    return cls(max_bytes) if cls else None


__all__ = ["LoadedDocument", "Loader", "loader_for", "SUPPORTED"]
