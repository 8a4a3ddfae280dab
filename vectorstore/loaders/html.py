"""HTML transcripts: the main text through a real parser, without navigation or scripts."""

from __future__ import annotations

from pathlib import Path

from vectorstore.loaders.base import LoadedDocument, assign_speakers, clean, has_words, read_text, split_paragraphs

_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template", "svg", "iframe")
_BLOCKS = ("p", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "td", "dd", "dt")


class HtmlLoader:
    def __init__(self, max_bytes: int | None = None):
        self.max_bytes = max_bytes

    def load(self, path: Path) -> LoadedDocument:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(read_text(path, self.max_bytes), "html.parser")
        title = clean(soup.title.get_text()) if soup.title else ""
        date = _meta_date(soup)
        for tag in soup(_DROP):
            tag.decompose()
        root = soup.find("main") or soup.find("article") or soup.body or soup
        blocks = [b for b in root.find_all(_BLOCKS) if not b.find(_BLOCKS)]
        if blocks:
            paragraphs = [clean(b.get_text(" ")) for b in blocks]
            paragraphs = [p for p in paragraphs if has_words(p)]
        else:
            paragraphs = split_paragraphs(root.get_text("\n"))
        if not title:
            h1 = soup.find("h1")
            title = clean(h1.get_text(" ")) if h1 else ""
        return LoadedDocument(paragraphs=paragraphs, title=title, date=date, speakers=assign_speakers(paragraphs))


def _meta_date(soup) -> str:
    for attrs in ({"name": "date"}, {"property": "article:published_time"}, {"name": "dcterms.date"}):
        tag = soup.find("meta", attrs=attrs)
        if tag and tag.get("content"):
            return tag["content"][:10]
    time = soup.find("time", attrs={"datetime": True})
    return time["datetime"][:10] if time else ""
