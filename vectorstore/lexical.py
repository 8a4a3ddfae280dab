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

_TOKEN = re.compile(r"\d+(?:[.,]\d{3})+(?!\d)|\d+(?:\.\d+)?|[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
STOPWORDS = frozenset(
    "a an the and or but if of at by for with about against between into through during before after above below "
    "to from up down in out on off over under again further then once here there when where why how all any both "
    "each few more most other some such no nor not only own same so than too very can will just should now is are "
    "was were be been being have has had having do does did doing i me my we our you your he him his she her it its "
    "they them their what which who whom this that these those am would could also said say says".split()
)


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
    out = []
    for tok in _TOKEN.findall(text.lower()):
        if tok[0].isdigit():
            out.append(re.sub(r"[.,](?=\d{3}(?!\d))", "", tok))
        elif tok not in STOPWORDS:
            out.append(_stem(tok.replace("’", "'")))
    return out


# Metadata kept in memory per record, so that fusion, filters and boosts never wait for Chroma.
FACETS = ("para_id", "speaker", "source", "date_start", "date_end")


class LexicalIndex:
    """bm25s over the stored records plus a small in-memory catalog of their facets.

    ``scores`` returns one BM25 score per record; ``facets[i]`` holds record i's
    para_id, speaker, source and date range.
    """

    def __init__(self, ids: list[str], bm25, facets: list[list] | None = None) -> None:
        self.ids = ids
        self.bm25 = bm25
        self.facets = facets or [[pid, "", "", 0, 0] for pid in ids]
        self.position = {pid: i for i, pid in enumerate(ids)}

    @classmethod
    def build(cls, records) -> "LexicalIndex":
        """From (id, text, metadata) triples."""
        import bm25s

        ids, corpus, facets = [], [], []
        for pid, text, meta in records:
            ids.append(pid)
            corpus.append(tokenize(text) or ["∅"])
            facets.append([meta.get("para_id") or pid, meta.get("speaker", ""), meta.get("source", ""),
                           int(meta.get("date_start", 0)), int(meta.get("date_end", 0))])
        bm25 = bm25s.BM25()
        if corpus:
            bm25.index(corpus, show_progress=False)
        return cls(ids, bm25, facets)

    def facet(self, pid: str) -> dict:
        i = self.position.get(pid)
        return dict(zip(FACETS, self.facets[i])) if i is not None else {}

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in tokenize(query) if t in self._vocab]
        if not tokens or not self.ids:
            return np.zeros(len(self.ids), dtype=np.float32)
        return self.bm25.get_scores(tokens)

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
        (tmp / "ids.json").write_text(json.dumps({"ids": self.ids, "facets": self.facets}))
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
            return cls(saved["ids"], bm25s.BM25.load(str(folder), show_progress=False, verbosity=0), saved["facets"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
