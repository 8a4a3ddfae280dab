"""Structured answers: the model picks numbered sentences and writes a short answer in JSON.

The sentences shown are the extractive reader's best few (its learned sentence model ranks every
sentence of the retrieved paragraphs), numbered in that order. The schema (`schema`) lets the
model write only the numbers of shown sentences and a short answer; an empty choice is a refusal.

The model's short answer is checked: it must be made of the words of a shown sentence (the
verifier's rules: every number, name and negation of it in that sentence, `qa.llm.grounding`; and
every content word too) and agree with the extractive reader's span (one contains the other, as
"About 11,000" and "11,000"). Of two agreeing answers the longer is shown ("Mphanda Nkuwa" over
"Mphanda", "March 2023" over "2023"): over every fifth train factoid (440 questions) that rule
scored best of four (`python -m benchmarks.llm_agreement`). The model's answer is quoted from its
sentence, so the quote is verbatim by construction, with the extractive reader's calibrated
confidence. An answer that fails gives way to the extractive span, and a note says what the
model wrote and why; an empty choice is a refusal and abstains. So the model never puts words
into `Answer.text` that the transcript lacks.

>>> schema(3)["properties"]["sentences"]["items"]
{'type': 'integer', 'enum': [1, 2, 3]}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from qa.llm.citations import cite, with_context
from qa.llm.grounding import grounding_problem, support
from qa.retrieve import Passage
from qa.types import NO_ANSWER, Answer
from vectorstore.words import content_words

SHOWN = 6       # sentences shown to the model
CHOSEN_MAX = 2  # sentences it may cite
ANSWER_CHARS = 80
AGREES = "which agrees with the extractive span"  # in the note of every grounded, agreeing answer

SYSTEM = ("You answer questions from numbered sentences of transcripts. Reply in JSON only: \"sentences\" "
          "lists the numbers of the sentences that contain the answer, \"answer\" is the shortest phrase that "
          "answers, copied from those sentences. If no sentence answers the question, reply with an empty "
          "\"sentences\" list and an empty \"answer\".")
EXAMPLE = ('[1] The minister said trade grew by 12% last year.\n[2] Talks will resume in March.\n\n'
           'Question: By how much did trade grow last year?',
           '{"sentences": [1], "answer": "12%"}')


def schema(n: int) -> dict:
    """The JSON the model must write: sentence numbers from 1..n, then a short answer."""
    return {"type": "object",
            "properties": {"sentences": {"type": "array", "items": {"type": "integer", "enum": list(range(1, n + 1))},
                                         "maxItems": CHOSEN_MAX},
                           "answer": {"type": "string", "maxLength": ANSWER_CHARS}},
            "required": ["sentences", "answer"]}


def response_format(n: int) -> dict:
    """OpenAI's and llama.cpp's ``response_format`` for `schema`."""
    return {"type": "json_schema", "json_schema": {"name": "answer", "strict": True, "schema": schema(n)}}


@dataclass
class Shown:
    """A sentence shown to the model: where it is in its paragraph."""
    passage: Passage
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.passage.text[self.start:self.end]


def messages(question: str, shown: list[Shown]) -> list[tuple[str, str]]:
    numbered = "\n".join(f"[{n}] {s.text}" for n, s in enumerate(shown, start=1))
    return [("system", SYSTEM), ("human", EXAMPLE[0]), ("ai", EXAMPLE[1]),
            ("human", f"{numbered}\n\nQuestion: {question}")]


@dataclass
class Choice:
    ids: list[int]
    answer: str


def parse(output: str, n: int) -> Choice | None:
    """The model's JSON; None when it is not the schema's (a server that ignored the schema)."""
    m = re.search(r"\{.*\}", output, flags=re.S)
    try:
        data = json.loads(m.group(0) if m else output)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("sentences"), list) or not isinstance(data.get("answer", ""), str):
        return None
    ids = [i for i in dict.fromkeys(data["sentences"]) if isinstance(i, int) and 1 <= i <= n][:CHOSEN_MAX]
    return Choice(ids, " ".join(str(data.get("answer", "")).split()))


def checked(answer: str, sentence: str) -> str:
    """Why the model's short answer may not stand for ``sentence`` ("" if it may)."""
    if not answer:
        return "it gave no answer"
    problem = grounding_problem(answer, sentence, sentence, sentence)
    if problem and not problem.startswith("its quote is negated"):  # a short answer need not repeat the clause's "not"
        return problem
    if support(answer, sentence) < 1.0:
        return "it has words that are not in the sentences shown"
    return ""


def agrees(a: str, b: str) -> bool:
    """One answer's words are a run of the other's (`answer_words`).

    >>> agrees("About 11,000", "11000"), agrees("1", "415 million"), agrees("12%", "$1.2 billion"), agrees("12%", "$12 million")
    (True, False, False, False)
    """
    x, y = answer_words(a), answer_words(b)
    if not x or not y:
        return False
    short, long = sorted((x, y), key=len)
    return any(long[i:i + len(short)] == short for i in range(len(long) - len(short) + 1))


def longer(a: str, b: str) -> bool:
    """``a`` has more words than ``b`` (`answer_words`): of two agreeing answers, the one shown.

    >>> longer("March 2023", "2023"), longer("the 2023", "2023")
    (True, False)
    """
    return len(answer_words(a)) > len(answer_words(b))


def adds_question_words(longer_answer: str, shorter_answer: str, question: str) -> bool:
    """Most of the content words ``longer_answer`` adds to ``shorter_answer`` are the question's own
    (compared by their first five letters, so "battles" repeats "battle"): "175 million Americans"
    asked "How many Americans ...?" adds nothing the question lacks, so the shorter is shown.

    >>> q = "How many Americans have received a vaccine?"
    >>> adds_question_words("175 million Americans", "175 million", q), adds_question_words("175 million doses", "175 million", q)
    (True, False)
    """
    def stems(text: str) -> list[str]:
        return [w[:5] for w in content_words(text, question=True)]

    extra = stems(longer_answer)
    for w in stems(shorter_answer):
        if w in extra:
            extra.remove(w)
    asked = set(stems(question))
    return bool(extra) and 2 * sum(w in asked for w in extra) > len(extra)


def model_shown(model: str, span: str, question: str) -> bool:
    """Whether the model's answer, not the extractive span, is shown when the two agree: the longer
    of the two is (it completes "Mphanda" to "Mphanda Nkuwa"), unless the words it adds mostly
    repeat the question; a tie goes to the span.

    >>> model_shown("March 2023", "2023", "When did talks resume?")
    True
    >>> model_shown("solidum", "Latin word solidum", "From which Latin word does solidarity originate?")
    True
    >>> model_shown("175 million Americans", "175 million", "How many Americans have received a vaccine?")
    False
    """
    if len(answer_words(model)) == len(answer_words(span)):
        return False
    if longer(model, span):
        return not adds_question_words(model, span, question)
    return adds_question_words(span, model, question)


def answer_words(text: str) -> list[str]:
    """Lower-cased words without articles; a number is one word with its decimal point or comma
    ("1.2" is not "12"), thousands separators dropped; "%" and currency signs are words. Not
    `vectorstore.words.words`: that one drops the signs and splits a decimal comma ("1,5"), and
    changing it would change retrieval.

    >>> answer_words("About $1.63 billion, the 10.000 and 5%")
    ['about', '$', '1.63', 'billion', '10000', 'and', '5', '%']
    """
    text = re.sub(r"(?<=\d)[.,](?=\d{3}(?!\d))", "", text.lower())
    return [w for w in re.findall(r"\d+(?:[.,]\d+)*|[^\W\d_]+|[%$€£¥]", text) if w not in ("a", "an", "the")]


def build_structured_answer(question: str, output: str, shown: list[Shown], passages: list[Passage], k: int,
                            extractive: Answer, min_confidence: float) -> Answer | None:
    """The `Answer` for the model's JSON ``output``, given the extractive reader's answer to the
    same question; None when the output is not the schema's."""
    choice = parse(output, len(shown))
    if choice is None:
        return None
    offered = extractive.withheld if extractive.abstained else extractive.text
    signals = {"claims": 1.0, "claims_unverified": 0.0}
    if not choice.ids and not choice.answer:
        return Answer(question, NO_ANSWER, "", True, extractive.confidence, with_context(passages, [], k), generated=output,
                      notes=["The model found no sentence that answers the question."], withheld=offered, signals=signals)
    chosen = [shown[i - 1] for i in choice.ids]
    home = next((s for s in chosen + [s for s in shown if s not in chosen] if not checked(choice.answer, s.text)), None)
    extractive.generated = output
    if home is not None and agrees(choice.answer, offered):
        show_model = model_shown(choice.answer, offered, question)
        if len(answer_words(choice.answer)) == len(answer_words(offered)):
            which = "the span is shown"
        elif show_model == longer(choice.answer, offered):
            which = "the longer of the two is shown"
        else:
            which = "the shorter is shown: the longer one's other words repeat the question"
        note = f"The model answered {choice.answer!r}, {AGREES} {offered!r}; {which}."
        if not show_model:
            if extractive.abstained:
                note = f"The model answered {choice.answer!r}, {AGREES} {offered!r}, which stays withheld."
            extractive.notes = [note] + extractive.notes
            extractive.signals = {**extractive.signals, **signals}
            return extractive
        notes = [note] + ([] if home in chosen or not chosen else [
            f"The model cited sentence {choice.ids[0]}; its answer is in sentence {shown.index(home) + 1}."])
        context = with_context(passages, [cite(home.passage, passages, home.start, home.end)], k)
        if extractive.confidence < min_confidence:
            notes.insert(0, f"The answer {choice.answer!r} was withheld: its confidence {extractive.confidence:.2f} "
                            f"is below {min_confidence:.2f}.")
            return Answer(question, NO_ANSWER, "", True, extractive.confidence, context, generated=output,
                          notes=notes, withheld=choice.answer, signals=signals)
        return Answer(question, choice.answer, home.text, False, extractive.confidence, context, generated=output,
                      notes=notes, signals=signals)
    why = checked(choice.answer, " ".join(s.text for s in chosen) or shown[0].text) if home is None else (
        f"the extractive reader read {offered!r}" if offered else "the extractive reader found no answer")
    signals["claims_unverified"] = 1.0
    extractive.notes = [f"The model answered {choice.answer!r}, but {why}; the answer shown is the extractive "
                        f"reader's."] + extractive.notes
    extractive.signals = {**extractive.signals, **signals}
    return extractive


def shown_sentences(question: str, passages: list[Passage], extractive, n: int = SHOWN) -> list[Shown]:
    """The extractive reader's ``n`` best sentences of ``passages``, best first."""
    from qa.reader.question import analyze

    ranked = extractive.rank_sentences(analyze(question, extractive.idf), passages[: extractive.settings.read_passages])
    return [Shown(s.passage, s.start, s.end) for s in ranked[:n]]
