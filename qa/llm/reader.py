"""The generative reader: a LangChain chat model writes the answer, `verify` decides what stays.

>>> reader = LLMReader(chat_model(settings), settings)            # doctest: +SKIP
>>> for event in reader.stream(question, passages):               # doctest: +SKIP
...     print(event if isinstance(event, str) else event.text)    # tokens, then the verified Answer

Only verified claims reach ``Answer.text``; each cites the passage its quote was found in,
numbered as in ``Answer.citations``. What was dropped, and why, is in ``Answer.notes``; an
answer with no verified claim is an abstention that still reports what the model said.
"""

from __future__ import annotations

import re
import threading
from typing import Any, Iterator, Sequence

from qa.errors import ModelError
from qa.llm import structured
from qa.llm.citations import cite, with_context
from qa.llm.grounding import support
from qa.llm.prompt import REFUSAL, answer_messages
from qa.llm.verify import parse_claims, verify
from qa.retrieve import Passage
from qa.settings import Settings
from qa.types import NO_ANSWER, Answer, Citation
from vectorstore.sentences import sentence_spans
from vectorstore.words import content_words, words


class LLMReader:
    def __init__(self, model: Any, settings: Settings, extractive: Any = None, lock: Any = None):
        self.model = model  # a LangChain BaseChatModel; nothing is loaded until the first question
        self.settings = settings
        self.lock = lock or threading.RLock()  # held for the extractive reader, never while the model writes
        # `qa.reader.ExtractiveReader`: picks the sentences shown in the JSON format, and the span
        # when the model's own short answer does not hold (`qa.llm.structured`).
        self.extractive = extractive

    def read(self, question: str, passages: Sequence[Passage], k: int = 5) -> Answer:
        answer = None
        for event in self.stream(question, passages, k):
            answer = event
        return answer

    def stream(self, question: str, passages: Sequence[Passage], k: int = 5) -> Iterator[str | Answer]:
        """Text as the model writes it, then the verified `Answer` (verification needs the whole text)."""
        passages = list(passages)
        notes: list[str] = []
        if self.settings.llm_format == "json" and self.extractive is not None and passages:
            with self.lock:
                shown = structured.shown_sentences(question, passages, self.extractive)
            if not shown:
                yield Answer(question, NO_ANSWER, "", True, 0.0, [])
                return
            try:
                output = yield from self._generate(structured.messages(question, shown),
                                                   response_format=structured.response_format(len(shown)))
            except ModelError as err:  # a server that rejects JSON-schema output
                output, notes = "", [f"The JSON format failed ({err}); answered in free text."]
            if output:
                with self.lock:
                    extractive = self.extractive.read(question, passages, k)
                answer = structured.build_structured_answer(question, output, shown, passages, k, extractive,
                                                            self.settings.min_confidence)
                if answer is None:  # it accepted the schema but wrote something else: a model too small to follow it
                    extractive.generated = output
                    extractive.notes.insert(0, f"The model did not write the JSON asked for ({output[:80]!r}); the "
                                               f"answer shown is the extractive reader's.")
                    extractive.signals = {**extractive.signals, "claims": 1.0, "claims_unverified": 1.0}
                    answer = extractive
                yield answer
                return
        given = passages[: self.settings.llm_passages]
        if not given:
            yield Answer(question, NO_ANSWER, "", True, 0.0, [])
            return
        messages = answer_messages(question, [focus(p.text, question, self.settings.llm_passage_chars) for p in given])
        output = yield from self._generate(messages)
        answer = build_answer(question, output, given, passages, k, self.settings.min_confidence)
        answer.notes = notes + answer.notes
        yield answer

    def _generate(self, messages, **kwargs) -> Iterator[str]:
        """Yields the model's tokens; returns the whole text."""
        output = ""
        try:
            for chunk in self.model.stream(messages, **kwargs):
                token = chunk.content if isinstance(chunk.content, str) else "".join(
                    part.get("text", "") for part in chunk.content if isinstance(part, dict))
                if token:
                    output += token
                    yield token
        except ModelError:
            raise
        except Exception as err:  # connection refused, timeout, a model that crashed
            raise ModelError(f"The chat model ({self.settings.llm}) failed: {type(err).__name__}: {err}") from err
        return output


def build_answer(question: str, output: str, given: list[Passage], passages: list[Passage], k: int,
                 min_confidence: float = 0.0) -> Answer:
    """The `Answer` for ``output``, written by a model that saw ``given`` numbered from 1.

    Its confidence comes from verification: the share of the model's claims that were verified,
    times the mean of ``(1 + support) / 2`` over them, where `grounding.support` is the share of a
    claim's content words its quote carries (a verified claim in its own words scores 0.5). Below
    ``min_confidence`` the verified answer is withheld, as the extractive reader's is."""
    if is_refusal(output):
        return Answer(question, NO_ANSWER, "", True, 0.0, with_context(passages, [], k), generated=output)
    claims = verify(parse_claims(output), [p.text for p in given], [str(p.meta.get("speaker", "")) for p in given])
    kept = [c for c in claims if c.verified]
    citations: list[Citation] = []
    numbered: dict[tuple[int, int, int], int] = {}
    parts = []
    for c in kept:
        key = (c.passage, c.start, c.end)
        if key not in numbered:
            p = given[c.passage - 1]
            citations.append(cite(p, passages, c.start, c.end))
            numbered[key] = len(citations)
        parts.append(f"{c.text} [{numbered[key]}].")
    notes = [f"Note: {c.text!r}: {c.note}." for c in kept if c.note]
    dropped = [c for c in claims if not c.verified]
    for c in dropped:
        notes.append(f"Dropped {c.text!r}: {c.problem}.")
        cited = [m for m in c.markers if 1 <= m <= len(given)]
        if cited:  # shown with the quote the model claimed, flagged as not verified
            citations.append(cite(given[cited[0] - 1], passages, 0, 0, verified=False, claimed=c.quote or c.text))
    signals = {"claims": float(len(claims)), "claims_unverified": float(len(dropped))}
    if not kept:
        if claims:
            notes.insert(0, f"The model answered {output.strip()!r}, but none of it could be verified in the passages.")
        return Answer(question, NO_ANSWER, "", True, 0.0, with_context(passages, citations, k), generated=output,
                      notes=notes, signals=signals)
    text = " ".join(parts)
    signals["support"] = sum(support(c.text, c.quote or c.text) for c in kept) / len(kept)
    confidence = len(kept) / len(claims) * (1 + signals["support"]) / 2
    if confidence < min_confidence:
        notes.insert(0, f"The verified answer {text!r} was withheld: its confidence {confidence:.2f} is below "
                        f"{min_confidence:.2f}.")
        return Answer(question, NO_ANSWER, "", True, confidence, with_context(passages, citations, k), generated=output,
                      notes=notes, signals=signals, withheld=text)
    return Answer(question, text, citations[0].quote, False, confidence, with_context(passages, citations, k),
                  generated=output, notes=notes, signals=signals)


def is_refusal(output: str) -> bool:
    flat = re.sub(r"\s+", " ", output).strip().lower()
    return not flat or flat.startswith(REFUSAL.lower().rstrip(".")) or flat.startswith("the passages do not")


def focus(text: str, question: str, chars: int) -> str:
    """At most ``chars`` characters of a passage, centred on the sentence that shares the most
    words with the question: a long passage's answer is often past its first lines.

    >>> focus("Filler one. Filler two. The students number 11,000. Filler three.", "How many students?", 30)
    '… The students number 11,000. …'
    """
    if len(text) <= chars:
        return text
    asked = set(content_words(question, min_len=3, question=True))
    spans = [(start, end) for start, end, _ in sentence_spans(text)]
    best = max(spans, key=lambda se: len(asked & set(words(text[se[0]:se[1]]))), default=(0, 0))
    mid = (best[0] + best[1]) // 2
    start = max(0, min(mid - chars // 2, len(text) - chars))
    # snap to word boundaries inside the window
    if start > 0:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + chars)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    core = text[start:end].strip()
    return ("… " if start > 0 else "") + core + (" …" if end < len(text) else "")
