"""BM25 over the stored paragraphs, derived from the Chroma store and cached beside it.

The index is rebuilt from the store whenever the store's generation changes, so it
cannot drift from Chroma: an ingest, an edit, a removal or a killed run all show up
as a new generation.
"""

from __future__ import annotations

import json
import re
import shutil
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from vectorstore.words import STOPWORDS, content_words  # noqa: F401  (STOPWORDS: for importers of this module)


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lower-cased stems without stop words; '11,000' and '11.000' both become '11000'.

    >>> tokenize("About 11,000 students study in Russia")
    ['11000', 'student', 'studi', 'russia']
    """
    return [w if w[0].isdigit() else _stem(w) for w in content_words(text)]


# Metadata kept in memory per record, so that fusion, filters and boosts never wait for Chroma.
FACETS = ("para_id", "speaker", "source", "date_start", "date_end")


class LexicalIndex:
    """bm25s over the stored records plus a small in-memory catalog of their facets.

    ``scores`` returns one BM25 score per record; ``facets[i]`` holds record i's
    para_id, speaker, source and date range.
    """

    def __init__(self, ids: list[str], bm25, facets: list[list] | None = None,
                 acronyms: dict[str, list[str]] | None = None) -> None:
        self.ids = ids
        self.bm25 = bm25
        self.facets = facets or [[pid, "", "", 0, 0] for pid in ids]
        self.position = {pid: i for i, pid in enumerate(ids)}
        self.acronyms = acronyms or {}  # "UNRWA" → ["United Nations Relief and Works Agency"]

    @classmethod
    def build(cls, records) -> "LexicalIndex":
        """From (id, text, metadata) triples."""
        import bm25s

        ids, corpus, facets, texts = [], [], [], []
        for pid, text, meta in records:
            ids.append(pid)
            texts.append(text)
            corpus.append(tokenize(text) or ["∅"])
            facets.append([meta.get("para_id") or pid, meta.get("speaker", ""), meta.get("source", ""),
                           int(meta.get("date_start", 0)), int(meta.get("date_end", 0))])
        bm25 = bm25s.BM25()
        if corpus:
            bm25.index(corpus, show_progress=False)
        return cls(ids, bm25, facets, find_acronyms(texts))

    def facet(self, pid: str) -> dict:
        i = self.position.get(pid)
        return dict(zip(FACETS, self.facets[i])) if i is not None else {}

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in tokenize(query) if t in self._vocab]
        if not tokens or not self.ids:
            return np.zeros(len(self.ids), dtype=np.float32)
        return self.bm25.get_scores(tokens)

    def containing(self, groups: list[list[str]]) -> np.ndarray:
        """Indices of the records holding, for every group of stems, at least one of them:
        an exhaustive lookup in the postings, with no ranking depth to cut it short."""
        if not groups or not self.ids:
            return np.zeros(0, dtype=np.int64)
        sc, found = self.bm25.scores, None
        for group in groups:
            cols = [self._vocab[t] for t in group if t in self._vocab]
            docs = np.unique(np.concatenate([sc["indices"][sc["indptr"][c]:sc["indptr"][c + 1]] for c in cols])) if cols else np.zeros(0, dtype=np.int64)
            found = docs if found is None else np.intersect1d(found, docs, assume_unique=True)
        return found.astype(np.int64)

    @property
    def vocabulary(self):
        return self._vocab.keys()

    def idf(self, token: str) -> float:
        """Inverse document frequency of a stemmed token; unseen tokens get the maximum."""
        n = len(self.ids)
        col = self._vocab.get(token)
        df = int(self._df[col]) if col is not None and col < len(self._df) else 0
        return float(np.log(1.0 + (n - df + 0.5) / (df + 0.5)))

    @cached_property
    def _df(self) -> np.ndarray:
        if not self.ids:
            return np.zeros(0, dtype=np.int64)
        return np.diff(np.asarray(self.bm25.scores["indptr"]))

    @property
    def _vocab(self) -> dict:
        return self.bm25.vocab_dict or {}

    # --- persistence ----------------------------------------------------------

    def save(self, folder: Path, generation: str) -> None:
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        self.bm25.save(str(tmp), show_progress=False)
        (tmp / "ids.json").write_text(json.dumps({"ids": self.ids, "facets": self.facets, "acronyms": self.acronyms}))
        (tmp / "generation").write_text(generation)  # written last: marks the copy complete
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)

    @classmethod
    def load(cls, folder: Path, generation: str) -> "LexicalIndex | None":
        """The cached index, or None when it is missing, partial or stale."""
        import bm25s

        try:
            if (folder / "generation").read_text() != generation:
                return None
            saved = json.loads((folder / "ids.json").read_text())
            return cls(saved["ids"], bm25s.BM25.load(str(folder), show_progress=False, verbosity=0), saved["facets"],
                       saved["acronyms"])
        except (OSError, ValueError, KeyError, TypeError):
            return None


_ACRONYM = re.compile(r"\b[A-Z][A-Z&]{2,7}\b")  # three letters or more: two-letter ones are too ambiguous
_CAP_RUN = re.compile(r"[A-Z][\w-]*(?:\s+(?:(?:and|of|for|the|on|in|to|de|du|des|la|&)\s+)*[A-Z][\w-]*)+(?:\s+\((?P<acr>[A-Z][A-Z&]{2,7})\))?")
_CONNECTORS = {"and", "of", "for", "the", "on", "in", "to", "de", "du", "des", "la", "&"}
_OPENERS = {"The", "In", "We", "Our", "This", "It", "As", "At", "For", "On", "Mr", "Ms", "Madam", "But", "And", "So", "If"}


def find_acronyms(texts) -> dict[str, list[str]]:
    """Acronyms of the corpus with the capitalised names they abbreviate: names seen three times
    with those initials, or once spelled out before the acronym in brackets; most frequent first.

    >>> find_acronyms(["The United Nations Relief and Works Agency (UNRWA) helps.", "UNRWA works."])
    {'UNRWA': ['United Nations Relief and Works Agency']}
    """
    texts = list(texts)
    seen = {a for t in texts for a in _ACRONYM.findall(t)}
    counts: dict[str, dict[str, int]] = {}
    for t in texts:
        for m in _CAP_RUN.finditer(t):
            words = m.group(0).split("(")[0].split()
            while words and words[0] in _OPENERS:
                words = words[1:]
            content = [i for i, w in enumerate(words) if w.lower() not in _CONNECTORS]
            for n in range(2, min(len(content), 8) + 1):  # every prefix of the name
                initials = "".join(words[i][0] for i in content[:n]).upper()
                if initials in seen:
                    name = " ".join(words[: content[n - 1] + 1])
                    names = counts.setdefault(initials, {})
                    names[name] = names.get(name, 0) + (10 if m.group("acr") == initials and n == len(content) else 1)
    out = {}
    for acr, names in sorted(counts.items()):
        kept = [n for n, c in sorted(names.items(), key=lambda kv: -kv[1]) if c >= 3][:2]
        if kept:
            out[acr] = kept
    return out
