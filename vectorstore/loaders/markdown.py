"""Markdown transcripts (`.md`): YAML front matter, hard wraps, escapes, inline HTML."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from vectorstore.errors import LoadError
from vectorstore.loaders.base import LoadedDocument, assign_speakers, clean, read_text, split_paragraphs

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: any ASCII punctuation can be escaped
_STRUCK = re.compile(r"<(s|del|strike)>.*?</\1>", re.S | re.I)  # struck words were corrected in the record
_TAG = re.compile(r"</?[a-zA-Z][^>\n]*>")
_EMPHASIS = re.compile(r"(?<!\\)(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_HEADING = re.compile(r"^#{1,6}\s+", re.M)


class MarkdownLoader:
    def __init__(self, max_bytes: int | None = None):
        self.max_bytes = max_bytes

    def load(self, path: Path) -> LoadedDocument:
        text = read_text(path, self.max_bytes).replace("\r\n", "\n")
        meta, body = _front_matter(text, path)
        body = _STRUCK.sub("", body)
        body = _TAG.sub("", body)
        body = _HEADING.sub("", body)
        body = _EMPHASIS.sub(r"\2", body)
        paragraphs = [_ESCAPE.sub(r"\1", p) for p in split_paragraphs(body)]
        paragraphs = [p for p in paragraphs if p]
        return LoadedDocument(
            paragraphs=paragraphs,
            title=clean(str(meta.get("title") or "")),
            date=_date(meta.get("date")),
            source_url=str(meta.get("source_url") or ""),
            speakers=assign_speakers(paragraphs),
        )


def _front_matter(text: str, path: Path) -> tuple[dict, str]:
    m = _FRONT.match(text)
    if not m:
        return {}, text
    import yaml

    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        raise LoadError(str(path), f"malformed YAML front matter{where}") from None
    if not isinstance(meta, dict):
        raise LoadError(str(path), "front matter is not a mapping of keys to values")
    return meta, text[m.end():]


def _date(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value or "")[:10]
