"""The numbers the three learned models see. One function per model; each returns rows in the
order of its ``*_FEATURES`` tuple, so training (`benchmarks/train_reader.py`) and reading
(`qa.reader.extractive`) compute them with the same code.

Missing values are NaN (LightGBM routes them), e.g. the cosine of a sentence that was not embedded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from qa.qtype import _RULES, SENTENCE
from qa.reader.candidates import LABELS, ORIGINS, Span
from qa.reader.neural import span_features
from qa.reader.question import Question, Term, plain_words
from qa.retrieve import Passage
from vectorstore.lexical import STOPWORDS, tokenize
from vectorstore.words import HYPHENATED_WORD, negated

NAN = float("nan")
QTYPES = tuple(dict.fromkeys([kind.name for _, kind in _RULES] + ["entity", SENTENCE.name]))
_PREPS = ("in", "on", "at", "by", "since", "from", "to", "of", "for", "until", "about", "than", "with", "over")
_WORDS = HYPHENATED_WORD


@dataclass
class Sentence:
    """One sentence of a retrieved paragraph, with its evidence features."""

    passage: Passage
    rank: int       # the paragraph's retrieval rank, 0-based
    start: int      # offsets within the paragraph
    end: int
    text: str
    index: int      # position of the sentence within its paragraph
    count: int      # sentences in the paragraph
    lexical: float = 0.0
    context: float = 0.0
    matched: set[str] = field(default_factory=set)
    features: list[float] = field(default_factory=list)
    prescore: float = 0.0
    cosine: float = NAN
    prob: float = 0.0
    neural: list | None = None  # the span model's (start, end, score) within it (parsed sentences only)


@lru_cache(maxsize=8192)
def words_of(text: str) -> frozenset[str]:
    """Stems and exact lower-cased words of a text, for term matching."""
    low = {w.lower() for w in _WORDS.findall(text)}
    low |= {re.sub(r"[.,](?=\d{3}(?!\d))", "", w) for w in low if w[:1].isdigit()}
    return frozenset(low | set(tokenize(text)))


def _share(terms: list[Term], words: frozenset[str]) -> float:
    return sum(1 for t in terms if t.text in words) / len(terms) if terms else 1.0


def _missing_idf(q: Question, words: frozenset[str]) -> float:
    return max((t.weight for t in q.terms if t.text not in words), default=0.0)


def _partial_names(q: Question, words: frozenset[str]) -> float:
    """Names found only as a variant ("Russian" asked, "Russia" written): a sign of swapped roles."""
    n = 0
    for t in q.names:
        if t.text in words or len(t.text) < 5:
            continue
        if any(w[:5] == t.text[:5] and w != t.text for w in words if len(w) >= 5):
            n += 1
    return float(n)


SENTENCE_FEATURES = (
    "lexical", "context", "names_sent", "names_par", "numbers_sent", "numbers_par", "missing_idf_sent",
    "missing_idf_par", "partial_names", "rank", "retrieval", "dense", "cosine", "length", "is_question",
    "position", "sentences", "matched", "bigrams", "qtype", "typed", "speaker_boost", "date_boost", "years_par",
    "speaker_named", "names_meta",
)


def sentence_rows(q: Question, sentences: list[Sentence], max_score: float) -> list[list[float]]:
    qbigrams = _bigrams(q.text)
    qtype = QTYPES.index(q.qtype.name) if q.qtype.name in QTYPES else -1
    qprefixes = q.words | {w[:5] for w in q.words if len(w) >= 5}
    paragraphs: dict[int, list[float]] = {}  # a paragraph's features, once for all its sentences
    rows = []
    for s in sentences:
        sw = words_of(s.text)
        par = paragraphs.get(id(s.passage))
        if par is None:
            par = paragraphs[id(s.passage)] = _paragraph_row(q, s.passage, qprefixes)
        names_par, numbers_par, missing_idf_par, partial_names, years_par, speaker_named, names_meta = par
        rows.append([
            s.lexical, s.context, _share(q.names, sw), names_par, _share(q.numbers, sw), numbers_par,
            _missing_idf(q, sw), missing_idf_par, partial_names, float(s.rank),
            s.passage.score / max_score if max_score else 0.0, s.passage.dense or NAN, s.cosine,
            float(len(s.text.split())), float(s.text.rstrip().endswith("?") or s.passage.meta.get("speaker") == "Q"),
            s.index / max(1, s.count), float(s.count), float(len(s.matched)),
            len(qbigrams & _bigrams(s.text)) / len(qbigrams) if qbigrams else NAN, float(qtype),
            float(_typed_count(q, s.text)), s.passage.signals.get("speaker", 0.0), s.passage.signals.get("date", 0.0),
            years_par, speaker_named, names_meta,
        ])
    return rows


def _paragraph_row(q: Question, passage: Passage, qprefixes: set[str]) -> list[float]:
    """names_par, numbers_par, missing_idf_par, partial_names, years_par, speaker_named, names_meta."""
    pw, meta = words_of(passage.text), passage.meta
    years_par = NAN
    if q.years:
        lo, hi = int(meta.get("date_start", 0) or 0) // 10000, int(meta.get("date_end", 0) or 0) // 10000
        years_par = float(any(y in pw or (lo and lo <= int(y) <= hi) for y in q.years))
    mw = _meta_words(meta)
    return [_share(q.names, pw), _share(q.numbers, pw), _missing_idf(q, pw), _partial_names(q, pw), years_par,
            float(bool(qprefixes & mw)) if mw else NAN, _share(q.names, pw | mw)]


def _meta_words(meta: dict) -> frozenset[str]:
    """Words of the paragraph's speaker and their 5-letter prefixes, so that "Kenya's address"
    or "the Kenyan delegate" meet the speaker "Kenya"."""
    return _meta_words_of(str(meta.get("speaker", "")))


@lru_cache(maxsize=4096)
def _meta_words_of(text: str) -> frozenset[str]:
    words = {w.lower() for w in _WORDS.findall(text) if len(w) >= 4 and w.lower() not in STOPWORDS}
    return frozenset(words | {w[:5] for w in words})


def _bigrams(text: str) -> set[tuple[str, str]]:
    toks = tokenize(text)
    return set(zip(toks, toks[1:]))


def _typed_count(q: Question, text: str) -> int:
    """Spans of the wanted type that patterns find (no parse): 0 at once for a type they never label."""
    from qa.reader.candidates import PLAIN_LABELS, spans_of

    labels = set(q.qtype.labels) & PLAIN_LABELS
    return sum(1 for c in spans_of(text) if c.label in labels) if labels else 0


SPAN_FEATURES = (
    "sent_prob", "sent_order", "lexical", "cosine", "rank", "qtype", "origin", "label", "type_fit", "tokens", "chars",
    "has_digit", "capitalised", "is_year", "in_question", "repeats_term", "gap", "near_terms", "dep_distance",
    "position", "unit_after", "head_in", "prev_prep", "next_is_noun", "nested_in", "contains", "repeats", "negated",
    "wants_year", "fit_gap_sentence", "fit_gap_all", "neural_exact", "neural_overlap", "neural_contains",
)


@dataclass
class Candidate:
    sentence: Sentence
    span: Span
    order: int  # the sentence's place by sentence probability, 0-based
    features: list[float] = field(default_factory=list)
    prob: float = 0.0

    @property
    def start(self) -> int:  # offsets within the paragraph
        return self.sentence.start + self.span.start

    @property
    def end(self) -> int:
        return self.sentence.start + self.span.end

    @property
    def text(self) -> str:
        return self.span.text


def span_rows(q: Question, candidates: list[Candidate], docs: dict[int, object]) -> list[list[float]]:
    """``docs`` maps id(sentence) → its spaCy parse, for token positions and the dependency tree."""
    qtype = QTYPES.index(q.qtype.name) if q.qtype.name in QTYPES else -1
    texts = [c.text.lower() for c in candidates]
    fits = [_fit(q, c.span) for c in candidates]
    best_fit: dict[int, int] = {}
    for c, f in zip(candidates, fits):
        best_fit[id(c.sentence)] = min(f, best_fit.get(id(c.sentence), f))
    anchors: dict[int, tuple[list[int], list]] = {}  # per sentence, shared by its candidates
    rows = []
    for c, fit in zip(candidates, fits):
        s, sp = c.sentence, c.span
        doc = docs.get(id(s))
        cwords = plain_words(sp.text)
        content = {w for w in cwords if w not in STOPWORDS}
        ctoks = set(tokenize(sp.text))
        before = s.text[:sp.start].split()
        after = s.text[sp.end:].split()
        if id(s) not in anchors:
            anchors[id(s)] = _anchors(s, doc)
        gap, near, dep = _closeness(s, sp, doc, anchors[id(s)])
        rows.append([
            s.prob, float(c.order), s.lexical, s.cosine, float(s.rank), float(qtype), float(ORIGINS.index(sp.origin)),
            float(LABELS.index(sp.label)), float(fit), float(len(sp.text.split())), float(len(sp.text)),
            float(bool(re.search(r"\d", sp.text))), sum(1 for w in sp.text.split() if w[:1].isupper()) / max(1, len(sp.text.split())),
            float(bool(re.fullmatch(r"(?:19|20)\d\d", sp.text))),
            len(content & q.words) / len(content) if content else 1.0,
            float(bool(ctoks & {t.text for t in q.terms})), gap, near, dep, sp.start / max(1, len(s.text)),
            float(bool(q.unit) and any(w.lower().startswith(q.unit) for w in after[:3])),
            float(bool(q.head) and q.head in sp.text.lower()),
            float(_PREPS.index(before[-1].lower()) if before and before[-1].lower() in _PREPS else -1),
            float(bool(after) and after[0][:1].islower() and after[0].isalpha()),
            float(sum(1 for o in candidates if o is not c and o.sentence is s and o.span.start <= sp.start and sp.end <= o.span.end)),
            float(sum(1 for o in candidates if o is not c and o.sentence is s and sp.start <= o.span.start and o.span.end <= sp.end)),
            float(texts.count(sp.text.lower()) - 1),
            float(negated(s.text)), float(q.wants_year),
            float(fit - best_fit[id(s)]), float(fit - min(fits)),  # a better-typed candidate exists
            *span_features(s.neural, sp.start, sp.end),
        ])
    return rows


def _fit(q: Question, sp: Span) -> int:
    """0 for the label the question wants most, higher for worse fits, 9 for a wrong type."""
    if sp.label in q.qtype.labels:
        return q.qtype.labels.index(sp.label)
    return len(q.qtype.labels) if sp.label == "NP" else 9


def _anchors(s: Sentence, doc) -> tuple[list[int], list]:
    """Where the question's words are in ``s``: their character offsets, and their tokens in ``doc``."""
    positions = [m.start() for m in _WORDS.finditer(s.text) if _matches(m.group(0), s.matched)]
    at = set(positions)
    return positions, [t for t in doc if t.idx in at] if doc is not None and positions else []


def _closeness(s: Sentence, sp: Span, doc, anchors: tuple[list[int], list]) -> tuple[float, float, float]:
    """Word gap to the nearest question word, question words within 5 words, and the
    dependency-tree distance from the span's root to the nearest question word."""
    positions, tokens = anchors
    if not positions:
        return NAN, 0.0, NAN
    words_between = []
    for p in positions:
        if p < sp.start:
            words_between.append(len(s.text[p:sp.start].split()) - 1)
        elif p >= sp.end:
            words_between.append(len(s.text[sp.end:p].split()))
    gap = float(min(words_between)) if words_between else 0.0
    near = float(sum(1 for w in words_between if w <= 5))
    dep = NAN
    if doc is not None:
        span = doc.char_span(sp.start, sp.end, alignment_mode="expand")
        if span is not None and len(span):
            root = span.root
            targets = [t for t in tokens if not (sp.start <= t.idx < sp.end)]
            if targets:
                dep = float(min(_tree_distance(root, t) for t in targets))
    return gap, near, dep


def _matches(word: str, matched: set[str]) -> bool:
    low = word.lower()
    return low in matched or (tokenize(low) or [""])[0] in matched


def _tree_distance(a, b) -> int:
    up = {}
    node, d = a, 0
    while True:
        up[node.i] = d
        if node.head.i == node.i or d > 40:
            break
        node, d = node.head, d + 1
    node, d = b, 0
    while node.i not in up and d <= 40:
        if node.head.i == node.i:
            return d + 1 + max(up.values())
        node, d = node.head, d + 1
    return d + up.get(node.i, 0)


ANSWER_FEATURES = (
    "span_prob", "second_prob", "margin", "sent_prob", "best_sent_prob", "lexical", "context", "names_sent",
    "names_par", "numbers_sent", "numbers_par", "missing_idf_sent", "missing_idf_par", "partial_names", "cosine",
    "rank", "qtype", "type_fit", "terms", "names", "years_par", "name_order", "prep_mismatch", "unit_in_sentence",
    "in_question", "agreeing", "negated", "has_candidate", "speaker_named", "names_meta", "share",
    "candidates_likely", "sent_margin", "years_sent",
)


def answer_row(q: Question, best: Sentence, top: Candidate | None, ranked: list[Candidate],
               sentences: list[Sentence]) -> list[float]:
    """Evidence about the chosen answer, for the model that decides whether to give it."""
    f = dict(zip(SENTENCE_FEATURES, best.features))
    # Variants of the top answer ("11,000", "About 11,000", "11,000 Azerbaijani students") agree
    # with it; only spans that do not overlap it compete.
    same = [c for c in ranked if top is not None and _overlaps(c, top)]
    rivals = [c for c in ranked if top is not None and not _overlaps(c, top)]
    second = max((c.prob for c in rivals), default=0.0)
    agreeing = sum(c.prob for c in same)
    span = dict(zip(SPAN_FEATURES, top.features)) if top is not None else {}
    total = sum(c.prob for c in ranked)
    pw = words_of(best.passage.text)
    return [
        top.prob if top else NAN, second if top else NAN, (top.prob - second) if top else NAN, best.prob,
        max((s.prob for s in sentences), default=0.0), f["lexical"], f["context"], f["names_sent"], f["names_par"],
        f["numbers_sent"], f["numbers_par"], f["missing_idf_sent"], f["missing_idf_par"], f["partial_names"],
        best.cosine, float(best.rank), f["qtype"], span.get("type_fit", NAN), float(len(q.terms)), float(len(q.names)),
        f["years_par"], _name_order(q, best.text), _prep_mismatch(q, best.passage.text, pw),
        float(bool(q.unit) and q.unit in best.text.lower()), span.get("in_question", NAN), agreeing if top else NAN,
        float(negated(best.text)), float(top is not None), f["speaker_named"], f["names_meta"],
        (agreeing / total) if top is not None and total else NAN, float(sum(1 for c in rivals if c.prob >= 0.5)),
        best.prob - next((s.prob for s in sentences if s is not best), 0.0),
        float(any(y in best.text for y in q.years)) if q.years else NAN,
    ]


def _overlaps(c: Candidate, top: Candidate) -> bool:
    """The same text, or overlapping offsets in the same sentence."""
    if c.text.lower() == top.text.lower():
        return True
    return c.sentence is top.sentence and c.span.start < top.span.end and top.span.start < c.span.end


def _name_order(q: Question, sentence: str) -> float:
    """1 when the question's names occur in the sentence in the question's order, 0 when reversed."""
    low = sentence.lower()
    pos = [low.find(t.text) for t in q.names]
    pos = [p for p in pos if p >= 0]
    if len(pos) < 2:
        return NAN
    return float(pos == sorted(pos))


def _prep_mismatch(q: Question, paragraph: str, words: frozenset[str]) -> float:
    """Names that follow a different preposition in the question than in the paragraph
    ("students in Azerbaijan" asked, "students of Azerbaijan" written): roles may be swapped."""
    qlow, plow = q.text.lower(), paragraph.lower()
    n = 0
    for t in q.names:
        m = re.search(rf"\b(\w+)\s+{re.escape(t.text)}\b", qlow)
        if not m or m.group(1) not in _PREPS or t.text not in words:
            continue
        found = {x.group(1) for x in re.finditer(rf"\b(\w+)\s+{re.escape(t.text)}\b", plow)}
        if found and m.group(1) not in found:
            n += 1
    return float(n)
