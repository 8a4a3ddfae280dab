"""The JSON path of the LLM reader (QA_LLM_FORMAT=json), with fake models returning each case of
the schema: an agreeing answer, a disagreeing one, words not in the sentences, a refusal, output
that is not the schema's, and a server that rejects JSON-schema output."""

import json

import pytest
from langchain_core.language_models import BaseChatModel, FakeListChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from qa.llm.reader import LLMReader
from qa.llm.structured import Shown, build_structured_answer, parse, response_format
from qa.retrieve import Passage
from qa.settings import Settings
from qa.types import NO_ANSWER, Answer, Citation

STUDENTS = ("About 11,000 Azerbaijani students study in Russia, of which about 1,000 are financed through budget "
            "allocations. Every year, over 200 scholarships are granted.")
TRADE = "The trade turnover in 2018 amounted to $2.2 billion, which is 14% more than in 2017."
P = [Passage("p1", STUDENTS, {"source": "a.txt", "paragraph": 4, "speaker": "Maria Zakharova"}, 0.5, 0.7),
     Passage("p2", TRADE, {"source": "a.txt", "paragraph": 9, "speaker": "Maria Zakharova"}, 0.4, 0.3)]
FIRST = STUDENTS.index(".") + 1
SHOWN = [Shown(P[0], 0, FIRST), Shown(P[1], 0, len(TRADE)), Shown(P[0], FIRST + 1, len(STUDENTS))]
Q = "How many Azerbaijani students study in Russia?"
BROAD = "How many study in Russia?"  # a longer answer's "Azerbaijani students" are then not the question's words


def extractive(text="About 11,000", confidence=0.8, abstained=False):
    c = Citation.from_passage(P[0], 0, FIRST, rank=1)
    return Answer(Q, NO_ANSWER if abstained else text, c.quote, abstained, confidence, [c],
                  withheld=text if abstained else "")


def build(output, ext=None, min_confidence=0.2, question=Q):
    return build_structured_answer(question, json.dumps(output) if isinstance(output, dict) else output, SHOWN, P, 3,
                                   ext or extractive(), min_confidence)


def test_an_agreeing_answer_no_longer_than_the_span_confirms_it():
    for answer in ("about 11,000", "11,000"):
        a = build({"sentences": [1], "answer": answer})
        assert not a.abstained and a.text == "About 11,000" and a.confidence == 0.8
        c = a.citations[0]
        assert c.id == "p1" and c.quote == STUDENTS[:FIRST] and P[0].text[c.start:c.end] == c.quote
        assert a.signals["claims_unverified"] == 0.0 and a.generated
        assert f"The model answered {answer!r}, which agrees with the extractive span" in a.notes[0]


def test_of_two_agreeing_answers_the_longer_is_shown_quoting_its_sentence():
    a = build({"sentences": [1], "answer": "About 11,000 Azerbaijani students"}, question=BROAD)
    assert a.text == "About 11,000 Azerbaijani students" and "the longer of the two is shown" in a.notes[0]
    c = a.citations[0]
    assert a.sentence == c.quote == STUDENTS[:FIRST] and P[0].text[c.start:c.end] == c.quote
    assert a.confidence == 0.8 and a.signals["claims_unverified"] == 0.0


def test_a_longer_answer_whose_other_words_repeat_the_question_gives_way_to_the_shorter():
    a = build({"sentences": [1], "answer": "About 11,000 Azerbaijani students"})  # Q asks about Azerbaijani students
    assert a.text == "About 11,000" and "the shorter is shown: the longer one's other words repeat" in a.notes[0]
    a = build({"sentences": [1], "answer": "11,000"}, ext=extractive("About 11,000 Azerbaijani students"))
    assert a.text == "11,000" and a.sentence == STUDENTS[:FIRST] and "the shorter is shown" in a.notes[0]
    a = build({"sentences": [1], "answer": "11,000"}, ext=extractive("About 11,000 Azerbaijani students"), question=BROAD)
    assert a.text == "About 11,000 Azerbaijani students" and "the longer of the two is shown" in a.notes[0]


def test_an_agreeing_answer_to_a_withheld_span_keeps_it_withheld():
    a = build({"sentences": [1], "answer": "11,000"}, ext=extractive(abstained=True))
    assert a.abstained and a.text == NO_ANSWER and a.withheld == "About 11,000"
    assert "which stays withheld" in a.notes[0] and "is shown" not in a.notes[0]


def test_a_grounded_but_disagreeing_answer_gives_way_to_the_extractive_span():
    a = build({"sentences": [1], "answer": "1,000"})  # in the sentence, but not what was asked
    assert a.text == "About 11,000" and "The model answered '1,000'" in a.notes[0] and "extractive" in a.notes[0]
    assert a.signals["claims_unverified"] == 1.0


@pytest.mark.parametrize("answer, why", [
    ("About 12,000", "the number 12,000 is not in its quote"),
    ("11,000 Turkish students", "the name Turkish is not in its quote"),
    ("roughly 11,000 pupils", "it has words that are not in the sentences shown"),
])
def test_an_answer_not_made_of_the_sentences_words_is_never_shown(answer, why):
    a = build({"sentences": [1], "answer": answer})
    assert a.text == "About 11,000" and answer not in a.text
    assert why in a.notes[0]


def test_an_answer_found_in_another_shown_sentence_is_cited_there():
    a = build({"sentences": [2], "answer": "About 11,000 Azerbaijani students"}, question=BROAD)
    assert a.text == "About 11,000 Azerbaijani students" and a.citations[0].quote == STUDENTS[:FIRST]
    assert "cited sentence 2; its answer is in sentence 1" in a.notes[1]


def test_a_refusal_abstains_and_keeps_the_extractive_span_withheld():
    a = build({"sentences": [], "answer": ""})
    assert a.abstained and a.text == NO_ANSWER and a.withheld == "About 11,000"
    assert "no sentence that answers" in a.notes[0]


def test_min_confidence_applies_to_the_models_answer():
    a = build({"sentences": [1], "answer": "About 11,000 Azerbaijani students"}, ext=extractive(confidence=0.1),
              question=BROAD)
    assert a.abstained and a.withheld == "About 11,000 Azerbaijani students" and "withheld" in a.notes[0]


def test_output_that_is_not_the_schemas_is_no_answer_of_its_own():
    assert build("[1] About 11,000 students") is None
    assert parse('{"sentences": [9, 1, 1], "answer": " About  11,000 "}', 3).ids == [1]
    assert parse('{"answer": "x"}', 3) is None


def test_the_schema_lets_the_model_cite_only_shown_sentences():
    schema = response_format(3)["json_schema"]["schema"]
    assert schema["properties"]["sentences"]["items"]["enum"] == [1, 2, 3]
    assert schema["required"] == ["sentences", "answer"]


class _Extractive:
    """Stands in for the extractive reader: its sentence ranking and its answer."""

    settings = Settings.from_env({})
    idf = staticmethod(lambda term: 2.0)

    def rank_sentences(self, q, passages):
        from types import SimpleNamespace
        return [SimpleNamespace(passage=s.passage, start=s.start, end=s.end) for s in SHOWN]

    def read(self, question, passages, k=5):
        return extractive()


class Scripted(BaseChatModel):
    """Answers with ``responses`` in turn, records what it was sent; ``rejects_json`` mimics a server
    without JSON-schema output (an HTTP 400 on ``response_format``)."""

    responses: list
    rejects_json: bool = False
    sent: list = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        if self.rejects_json and "response_format" in kwargs:
            raise ValueError("400: response_format is not supported")
        self.sent.append((messages[-1].content, kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self.responses.pop(0)))])


def test_the_reader_sends_the_schema_and_numbers_the_sentences():
    model = Scripted(responses=['{"sentences": [1], "answer": "About 11,000"}'], sent=[])
    a = LLMReader(model, Settings.from_env({}, reader="llm"), extractive=_Extractive()).read(Q, P)
    assert a.text == "About 11,000" and not a.abstained
    prompt, kwargs = model.sent[0]
    assert prompt.startswith("[1] About 11,000 Azerbaijani students") and "[3] Every year" in prompt
    assert kwargs["response_format"]["json_schema"]["schema"]["properties"]["sentences"]["items"]["enum"] == [1, 2, 3]


def test_a_server_that_rejects_json_schema_gets_free_text():
    model = Scripted(responses=['About 11,000 Azerbaijani students study in Russia [1] '
                                '"About 11,000 Azerbaijani students study in Russia"'], rejects_json=True, sent=[])
    a = LLMReader(model, Settings.from_env({}, reader="llm"), extractive=_Extractive()).read(Q, P)
    assert not a.abstained and a.text.startswith("About 11,000 Azerbaijani students")
    assert "JSON format failed" in a.notes[0]
    assert "response_format" not in model.sent[0][1]  # the second call asked for free text


def test_a_model_that_ignores_the_schema_gets_the_extractive_answer():
    reader = LLMReader(FakeListChatModel(responses=["Students study in Russia."]), Settings.from_env({}, reader="llm"),
                       extractive=_Extractive())
    a = reader.read(Q, P)
    assert a.text == "About 11,000" and "did not write the JSON" in a.notes[0]
