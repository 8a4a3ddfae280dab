"""The loader contract and the text clean-up every format shares.

A loader turns one file into a `LoadedDocument`: its paragraphs (already cleaned,
one string each) plus whatever metadata the format carries.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from vectorstore.errors import LoadError


@dataclass
class LoadedDocument:
    """One transcript as read from disk, before ids and embeddings."""

    paragraphs: list[str]
    title: str = ""
    date: str = ""
    source_url: str = ""
    speakers: list[str] = field(default_factory=list)  # one per paragraph, "" where unknown


class Loader(Protocol):
    def load(self, path: Path) -> LoadedDocument:
        """Read ``path``; raise `LoadError` with a reason when it cannot be read."""
        ...


# --- shared text helpers ----------------------------------------------------

_WS = re.compile(r"\s+")


def clean(text: str) -> str:
    """Normalise Unicode (NBSP, zero-width and ligatures) and collapse white space."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u200b", "").replace("\ufeff", "")
    return _WS.sub(" ", text).strip()


def has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def read_text(path: Path, max_bytes: int | None = None) -> str:
    """Decode a text file: UTF-8 first, then the encoding charset-normalizer detects.

    Raises `LoadError` for an empty, binary, undecodable or oversized file.
    """
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise LoadError(str(path), f"file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit (QA_MAX_FILE_MB)")
        data = path.read_bytes()
    except OSError as err:
        raise LoadError(str(path), f"cannot read: {err.strerror or err}") from None
    if not data.strip():
        raise LoadError(str(path), "empty file")
    if looks_binary(data):
        raise LoadError(str(path), "binary content, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = list(from_bytes(data))
    if not results:
        raise LoadError(str(path), "not UTF-8 and no text encoding could be detected")
    # Transcripts here are English: among equally plausible guesses prefer Western encodings.
    best = min(results, key=lambda r: (r.chaos, r.encoding not in _WESTERN))
    return str(best)


_WESTERN = {"cp1252", "latin_1", "iso8859_15", "utf_16", "utf_16_le", "utf_16_be"}


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 kB mean binary."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) * 0.05


# Speaker turns in briefings: "MR. KIRBY:", "SENIOR ADMINISTRATION OFFICIAL:", "Q". The project's one
# speaker-label pattern: the loaders read a turn's speaker from it, and a quote is shown without it
# (`strip_speaker_label`).
SPEAKER_LABEL = re.compile(r"^(?P<label>[A-Z][A-Z.'’\- ]{1,60}[A-Z.]):\s+|^(?P<q>Q)(?:\s+|:\s*|$)")
_TITLES = {"MR": "Mr.", "MS": "Ms.", "MRS": "Mrs.", "DR": "Dr."}


def speaker_of(paragraph: str) -> str | None:
    """The speaker a paragraph opens with, or None when it continues the last turn.

    >>> speaker_of("MR. KIRBY:  Good afternoon.")
    'Mr. Kirby'
    >>> speaker_of("Q MR. KIRBY: So, two thoughts here.")  # an empty reporter turn, then the answer
    'Mr. Kirby'
    """
    m = SPEAKER_LABEL.match(paragraph)
    if not m:
        return None
    if m.group("q"):
        return "Q"
    words = m.group("label").replace(".", ". ").split()
    if len(words) > 1 and words[0] == "Q":
        words = words[1:]
    out = []
    for w in words:
        bare = w.rstrip(".")
        out.append(_TITLES.get(bare, bare.capitalize() if "-" not in bare else "-".join(p.capitalize() for p in bare.split("-"))))
    return " ".join(out).replace(" .", ".")


def speaker_label_end(text: str) -> int:
    """Where the words after a leading speaker label start; 0 when ``text`` opens with none.

    >>> text = "MS. ZAKHAROVA:  Good afternoon."
    >>> text[speaker_label_end(text):]
    'Good afternoon.'
    """
    m = SPEAKER_LABEL.match(text)
    return m.end() if m else 0


def strip_speaker_label(text: str) -> str:
    """``text`` without the speaker label it opens with ("MR. KIRBY:", "Q"), for quoting.

    >>> strip_speaker_label("Q MR. KIRBY: So, two thoughts here.")
    'So, two thoughts here.'
    >>> strip_speaker_label("Ukraine: a sentence that is not a turn.")
    'Ukraine: a sentence that is not a turn.'
    """
    return text[speaker_label_end(text):]


def assign_speakers(paragraphs: list[str], default: str = "") -> list[str]:
    """A speaker holds from their turn until the next one."""
    current, speakers = default, []
    for p in paragraphs:
        current = speaker_of(p) or current
        speakers.append(current)
    return speakers


_TERMINAL = tuple('.!?:;"”’)]…')


def join_broken_lines(lines: list[str]) -> list[str]:
    """Re-join lines split mid-sentence by a page break (one-paragraph-per-line files).

    >>> join_broken_lines(["We thank the ", "President. He", "spoke."])
    ['We thank the President. He spoke.']
    """
    paragraphs: list[str] = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if paragraphs and (not paragraphs[-1].endswith(_TERMINAL) or line[0].islower()):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
    return paragraphs


def split_paragraphs(text: str) -> list[str]:
    """Split a plain-text body into cleaned paragraphs.

    Blank lines separate blocks. In a hard-wrapped block (lines break anywhere) the
    lines are joined. A block whose lines mostly end sentences, or are too long to be
    wrapped, holds one paragraph per line; there a line ending mid-sentence is a
    page-break split and is joined to the next.

    >>> split_paragraphs("A wrapped\\nline of prose.\\n\\nNext.")
    ['A wrapped line of prose.', 'Next.']
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw: list[str] = []
    for block in re.split(r"\n[ \t\f\v]*\n", text):
        lines = [ln.rstrip() for ln in block.split("\n") if ln.strip()]
        if not lines:
            continue
        if _one_per_line(lines):
            raw.extend(join_broken_lines(lines))
        else:
            raw.append(" ".join(lines))
    return [c for c in (clean(p) for p in raw) if has_words(c)]


def _one_per_line(lines: list[str]) -> bool:
    if len(lines) < 2:
        return False
    if max(len(ln) for ln in lines) > _WRAP_WIDTH:
        return True
    ends = sum(1 for ln in lines[:-1] if ln.endswith(_TERMINAL))
    return ends >= 0.5 * (len(lines) - 1)


# Hard-wrapped prose keeps lines under this width; a longer line is a paragraph of its own.
_WRAP_WIDTH = 200
