"""The default reader: three decisions, each made by a model learned from `data/gold/train.jsonl`.

1. **Which sentence answers.** Every sentence of the top paragraphs gets evidence features
   (question words and names it carries, retrieval rank, embedding cosine for the best few);
   the sentence model ranks them.
2. **Which span of it.** The best sentences are parsed; candidates come from entities, number
   phrases, noun chunks and their completions (`qa.reader.candidates`); the span model scores
   each by type fit, closeness to the question's words in text and in the parse, the neural
   span extractor's score for it (`qa.reader.neural`), and more.
3. **Whether to answer.** The answer model gives a calibrated probability that the short
   answer is right, from features that catch near misses (names found only as variants,
   prepositions that moved, rare question words missing). Below `QA_MIN_CONFIDENCE` it abstains.

Every answer and quote is a verbatim slice of its paragraph.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from typing import Callable, Sequence

from qa.qtype import SENTENCE
from qa.reader.candidates import load_nlp, spans_of
from qa.reader.features import (
    ANSWER_FEATURES, SPAN_FEATURES, Candidate, Sentence, answer_row, sentence_rows, span_rows, words_of,
)
from qa.reader.models import Models
from qa.reader.neural import SpanModel, SpanScorer
from qa.reader.question import Question, analyze
from qa.reader.verify import Verifier
from qa.retrieve import Passage
from qa.settings import Settings
from qa.types import NO_ANSWER, Answer, Citation
from vectorstore.loaders.base import strip_speaker_label
from vectorstore.sentences import quote_spans as _quote_spans

EMBEDDED = 8   # sentences re-scored with the embedder (one batch); each costs a few ms on 2 cores
PARSED = 4     # best sentences parsed for candidate spans
_TYPED = {"percent", "money", "date", "count"}  # types whose spans patterns and NER find reliably


class ExtractiveReader:
    def __init__(self, embedder, settings: Settings, idf: Callable[[str], float] | None = None,
                 models: Models | None = None, spans: SpanScorer | None = None, verifier: Verifier | None = None):
        self.embedder = embedder
        self.settings = settings
        self.idf = idf or (lambda term: 5.0)
        self.models = models or Models()
        self.spans = spans or SpanModel()
        self.verifier = verifier  # None: the answer model's confidence stands
        # Made here, not lazily, so two first questions at once cannot make two; its thread starts on first use.
        self._neural_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="span-model")

    @cached_property
    def nlp(self):
        return load_nlp()

    def read(self, question: str, passages: Sequence[Passage], k: int = 5) -> Answer:
        passages = list(passages)
        if not passages:
            return Answer(question, NO_ANSWER, "", True, 0.0, [])
        q = analyze(question, self.idf)
        sentences = self.rank_sentences(q, passages[: self.settings.read_passages])
        if not sentences:
            return Answer(question, NO_ANSWER, "", True, 0.0, self._citations(passages, [], None, k))
        candidates = self.rank_candidates(q, sentences) if q.qtype is not SENTENCE else []
        top = candidates[0] if candidates else None
        best = top.sentence if top is not None else sentences[0]
        confidence, signals = self.confidence(q, best, top, candidates, sentences)
        text = top.text if top is not None else _strip_label(best.text)
        citations = self._citations(passages, sentences, best, k)
        if confidence < self.settings.min_confidence:
            return Answer(question, NO_ANSWER, "", True, confidence, citations, withheld=text, signals=signals)
        return Answer(question, text, best.text, False, confidence, citations, signals=signals)

    # --- 1. sentences -----------------------------------------------------------

    def sentences(self, q: Question, passages: list[Passage]) -> list[Sentence]:
        """Every sentence of ``passages`` with its lexical evidence; the best few embedded."""
        total = q.total_weight
        out: list[Sentence] = []
        max_score = max(p.score for p in passages) or 1.0
        for rank, p in enumerate(passages):
            pw = words_of(p.text)
            context = sum(t.weight for t in q.terms if t.text in pw) / total
            spans = _quote_spans(p.text)
            for i, (start, end, text) in enumerate(spans):
                w = words_of(text)
                matched = {t.text for t in q.terms if t.text in w}
                lexical = sum(t.weight for t in q.terms if t.text in matched) / total
                s = Sentence(p, rank, start, end, text, i, len(spans), lexical, context, matched)
                echo = 0.6 if text.rstrip().endswith("?") or p.meta.get("speaker") == "Q" else 1.0
                s.prescore = (0.55 * lexical + 0.2 * context + 0.25 * p.score / max_score) * echo
                out.append(s)
        out.sort(key=lambda s: s.prescore, reverse=True)
        top = out[:EMBEDDED]
        if top:
            vecs = self.embedder.embed([q.text] + [_strip_label(s.text) for s in top])
            for s, sim in zip(top, vecs[1:] @ vecs[0]):
                s.cosine = float(sim)
        rows = sentence_rows(q, out, max_score)
        for s, row in zip(out, rows):
            s.features = row
        return out

    def rank_sentences(self, q: Question, passages: list[Passage]) -> list[Sentence]:
        out = self.sentences(q, passages)
        probs = self.models.predict("sentence", [s.features for s in out])
        for s, p in zip(out, probs or [s.prescore for s in out]):
            s.prob = p
        out.sort(key=lambda s: s.prob, reverse=True)
        return out

    # --- 2. spans ------------------------------------------------------------------

    def candidates(self, q: Question, sentences: list[Sentence]) -> list[Candidate]:
        """Candidate spans of the best sentences, with their features. A span of the wrong type
        (money for "what percentage") is no candidate when its sentence has one of the right type."""
        pool = sentences[:PARSED]
        # The span model (ONNX, one thread, the GIL released) scores while spaCy parses.
        scoring = self._neural_worker.submit(self.spans.scores, q.text, [s.text for s in pool])
        docs = {id(s): doc for s, doc in zip(pool, self.nlp.pipe([s.text for s in pool]))}
        for s, spans in zip(pool, scoring.result()):
            s.neural = spans  # one batch: the neural span model's scores, features of each span
        out: list[Candidate] = []
        for order, s in enumerate(pool):
            label_end = len(s.text) - len(_strip_label(s.text))  # never answer with "MR. KIRBY:"
            for span in spans_of(s.text, docs[id(s)]):
                if span.start < label_end:
                    continue
                words = {w for w in re.findall(r"[\w’'-]+", span.text.lower())}
                if not words or words <= q.words:
                    continue  # the question's own words are not its answer
                out.append(Candidate(s, span, order))
        rows = span_rows(q, out, docs)
        gap = SPAN_FEATURES.index("fit_gap_sentence")
        kept = []
        for c, row in zip(out, rows):
            c.features = row
            if q.qtype.name in _TYPED and row[gap] >= 9:
                continue
            kept.append(c)
        return kept

    def rank_candidates(self, q: Question, sentences: list[Sentence]) -> list[Candidate]:
        out = self.candidates(q, sentences)
        probs = self.models.predict("span", [c.features for c in out])
        if probs is None:  # before training: the best-fitting type in the best sentence
            probs = [c.sentence.prob * (1.0 if c.span.label in q.qtype.labels else 0.3) for c in out]
        for c, p in zip(out, probs):
            c.prob = p
        out.sort(key=lambda c: c.prob, reverse=True)
        return out

    # --- 3. whether to answer ----------------------------------------------------------

    def confidence(self, q: Question, best: Sentence, top: Candidate | None, ranked: list[Candidate],
                   sentences: list[Sentence]) -> tuple[float, dict[str, float]]:
        """Calibrated P(the short answer is right), and the features it was computed from."""
        row = answer_row(q, best, top, ranked, sentences)
        signals = {k: v for k, v in zip(ANSWER_FEATURES, row) if v == v}  # NaN dropped
        if q.qtype is SENTENCE:  # a sentence is the answer: the sentence model's probability
            return best.prob, signals
        probs = self.models.predict("answer", [row])
        p = probs[0] if probs else (top.prob if top is not None else 0.0)
        if self.verifier is not None and top is not None:
            p, signals["verifier"] = self.verifier.veto(q.text, top.sentence.text, top.span.start, top.span.end, p)
        return p, signals

    # --- citations ---------------------------------------------------------------------

    def _citations(self, passages: list[Passage], sentences: list[Sentence], best: Sentence | None, k: int) -> list[Citation]:
        best_by_passage: dict[str, Sentence] = {}
        for s in sentences:
            best_by_passage.setdefault(s.passage.id, s)
        order = list(passages)
        if best is not None:
            order.remove(best.passage)
            order.insert(0, best.passage)
        rank_of = {p.id: r for r, p in enumerate(passages, start=1)}
        out = []
        for p in order[:k]:
            s = best if best is not None and p is best.passage else best_by_passage.get(p.id)
            start, end = (s.start, s.end) if s else (0, 0)
            out.append(Citation.from_passage(p, start, end, rank=rank_of[p.id]))
        return out


_strip_label = strip_speaker_label  # the one speaker-label pattern, the one ingest reads speakers with


__all__ = ["ExtractiveReader"]
