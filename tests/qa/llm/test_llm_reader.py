"""The LLM reader end to end with LangChain's fake chat models: what reaches the Answer,
what is dropped and why, streaming, follow-up rewriting and failures."""

import pytest
from langchain_core.language_models import FakeListChatModel, GenericFakeChatModel

from qa.chain import build_chain
from qa.engine import Engine
from qa.errors import ConfigError, ModelError
from qa.llm.models import ModelSpec, parse_spec
from qa.llm.reader import LLMReader, build_answer
from qa.retrieve import Passage
from qa.settings import Settings
from qa.types import NO_ANSWER, Answer

STUDENTS = ('"About 11,000 Azerbaijani students study in Russia, of which about 1,000 are financed through '
            'budget allocations. Every year, over 200 scholarships are granted," she said.')
TRADE = "The trade turnover in January-November 2018 amounted to $2.2 billion, which is 14% more than in 2017."
GIVEN = [Passage(f"p{i}", t, {"source": "interview.txt", "title": "Interview", "paragraph": i, "speaker": "Zakharova"},
                 score=0.5) for i, t in enumerate([TRADE, STUDENTS], start=1)]


def answer_for(output: str, k: int = 2) -> Answer:
    return build_answer("q?", output, GIVEN, GIVEN, k)


def test_verified_claims_make_the_answer_and_cite_their_quote():
    a = answer_for('About 11,000 Azerbaijani students study in Russia [2] "About 11,000 Azerbaijani students study in Russia".')
    assert not a.abstained and a.text == "About 11,000 Azerbaijani students study in Russia [1]."
    c = a.citations[0]
    assert c.verified and c.id == "p2" and STUDENTS[c.start:c.end] == "About 11,000 Azerbaijani students study in Russia"
    assert a.sentence == c.quote and a.confidence == 1.0
    assert not a.citations[1].verified and a.citations[1].quote == ""  # retrieved, not quoted


def test_a_made_up_quote_is_dropped_flagged_and_its_passage_marked_unverified():
    a = answer_for('Turnover reached $2.2 billion [1] "amounted to $2.2 billion". '
                   'Students live for free [2] "all students receive free housing".')
    assert a.text == "Turnover reached $2.2 billion [1]."
    assert any("Dropped 'Students live for free'" in n and "free housing" in n for n in a.notes)
    flagged = [c for c in a.citations if c.claimed]
    assert flagged and flagged[0].id == "p2" and not flagged[0].verified and flagged[0].quote == ""
    # half the claims verified; "Turnover reached $2.2 billion" shares 2 of 4 content words (2.2, billion) with its quote
    assert a.signals["claims"] == 2.0 and a.signals["claims_unverified"] == 1.0
    assert a.signals["support"] == pytest.approx(0.5, abs=1e-3) and a.confidence == pytest.approx(0.5 * (1 + 0.5) / 2, abs=1e-3)


def test_a_wrong_number_drops_the_claim():
    a = answer_for('Turnover reached $3.1 billion [1] "The trade turnover in January-November 2018"')
    assert a.abstained and a.text == NO_ANSWER
    assert any("3.1" in n for n in a.notes)


def test_an_answer_with_nothing_verified_abstains_but_reports_what_the_model_said():
    a = answer_for("Azerbaijan has about ten million people [1].")
    assert a.abstained and a.text == NO_ANSWER and a.generated.startswith("Azerbaijan has")
    assert "The model answered 'Azerbaijan has about ten million people [1].'" in a.notes[0]


def test_missing_markers_are_filled_from_the_quote_with_a_note():
    a = answer_for('Every year over 200 scholarships are granted. "over 200 scholarships are granted"')
    assert not a.abstained and a.citations[0].id == "p2" and a.citations[0].verified
    assert any("cites no passage" in n for n in a.notes)


def test_the_fixed_refusal_is_an_abstention_without_complaints():
    a = answer_for("The passages do not answer this question.")
    assert a.abstained and a.notes == [] and a.text == NO_ANSWER


def test_json_carries_verification():
    d = answer_for('Turnover reached $2.2 billion [1] "amounted to $2.2 billion". Other [2] "made up words here"').to_json()
    assert d["citations"][0]["verified"] is True and d["citations"][1]["claimed"] == "made up words here"
    assert d["notes"] and d["generated"]


# --- through the engine and the LangChain chain -------------------------------------------


@pytest.fixture
def engine_with(fixture_engine):
    fake_engine = fixture_engine

    def make(model) -> Engine:
        settings = fake_engine.settings.replace(reader="llm", llm_format="text")
        return Engine(settings, store=fake_engine.store, embedder=fake_engine.embedder, chat_model=model)
    return make


REAL = 'About 11,000 Azerbaijani students study in Russia [1] "About 11,000 Azerbaijani students study in Russia"'


def students_first(engine):
    # Whatever the fake embedder ranks first, the model's [1] must be the students paragraph.
    return next(i for i, p in enumerate(engine.retriever.retrieve("How many Azerbaijani students study in Russia?",
                                                                 n=4), start=1) if "11,000" in p.text)


def test_engine_streams_tokens_then_the_verified_answer(engine_with):
    probe = engine_with(GenericFakeChatModel(messages=iter([])))
    n = students_first(probe)
    engine = engine_with(GenericFakeChatModel(messages=iter([REAL.replace("[1]", f"[{n}]")])))
    events = list(engine.stream("How many Azerbaijani students study in Russia?"))
    tokens, answer = events[:-1], events[-1]
    assert len(tokens) > 3 and all(isinstance(t, str) for t in tokens)
    assert isinstance(answer, Answer) and "".join(tokens) == answer.generated
    assert not answer.abstained and answer.citations[0].verified and "11,000" in answer.citations[0].quote
    assert answer.timings_ms["read"] > 0 and answer.question == "How many Azerbaijani students study in Russia?"


def test_chain_stream_and_invoke(engine_with):
    probe = engine_with(GenericFakeChatModel(messages=iter([])))
    n = students_first(probe)
    engine = engine_with(GenericFakeChatModel(messages=iter([REAL.replace("[1]", f"[{n}]")] * 2)))
    chain = build_chain(engine)
    chunks = list(chain.stream("How many Azerbaijani students study in Russia?"))
    assert isinstance(chunks[-1], Answer) and all(isinstance(c, str) for c in chunks[:-1]) and len(chunks) > 3
    answer = chain.invoke("How many Azerbaijani students study in Russia?")
    assert isinstance(answer, Answer) and answer.citations[0].verified


def test_a_followup_is_rewritten_before_retrieval(engine_with):
    model = FakeListChatModel(responses=["How many of the Azerbaijani students get scholarships?",
                                         "The passages do not answer this question."])
    engine = engine_with(model)
    seen = []
    original = engine.retriever.retrieve
    engine.retriever.retrieve = lambda q, **kw: seen.append((q, kw.get("history"))) or original(q, **kw)
    a = engine.answer("and how many of them get scholarships?", history=["How many Azerbaijani students study in Russia?"])
    assert seen == [("How many of the Azerbaijani students get scholarships?", None)]
    assert a.notes[0] == "Follow-up read as: How many of the Azerbaijani students get scholarships?"
    assert a.question == "and how many of them get scholarships?"


def test_a_useless_rewrite_falls_back_to_the_previous_question(engine_with):
    engine = engine_with(FakeListChatModel(responses=["", "The passages do not answer this question."]))
    seen = []
    original = engine.retriever.retrieve
    engine.retriever.retrieve = lambda q, **kw: seen.append(q) or original(q, **kw)
    engine.answer("and how many of them get scholarships?", history=["How many Azerbaijani students study in Russia?"])
    assert seen == ["How many Azerbaijani students study in Russia? and how many of them get scholarships?"]


class Broken(GenericFakeChatModel):
    def _stream(self, *args, **kwargs):
        raise ConnectionError("connection refused")


def test_a_failing_model_is_a_clear_error(engine_with):
    engine = engine_with(Broken(messages=iter([])))
    with pytest.raises(ModelError, match="chat model .*failed: ConnectionError: connection refused"):
        engine.answer("How many Azerbaijani students study in Russia?")


def test_the_extractive_default_never_builds_a_chat_model(fixture_engine):
    fake_engine = fixture_engine
    events = list(fake_engine.stream("How many Azerbaijani students study in Russia?"))
    assert len(events) == 1 and isinstance(events[0], Answer)
    assert "chat_model" not in fake_engine.__dict__


def test_reader_with_no_passages_abstains():
    reader = LLMReader(GenericFakeChatModel(messages=iter([])), Settings.from_env({}, reader="llm"))
    assert reader.read("q?", []).abstained


# --- the model setting -------------------------------------------------------------------


@pytest.mark.parametrize("spec, parsed", [
    ("local", ModelSpec("local", "SmolLM2-135M-Instruct.Q4_1.gguf")),
    ("gguf:/models/x.gguf", ModelSpec("gguf", "/models/x.gguf")),
    ("ollama:llama3.2", ModelSpec("ollama", "llama3.2", "http://127.0.0.1:11434")),
    ("ollama:llama3.2@http://gpu:11434", ModelSpec("ollama", "llama3.2", "http://gpu:11434")),
    ("openai:qwen@http://127.0.0.1:8080/v1", ModelSpec("openai", "qwen", "http://127.0.0.1:8080/v1")),
])
def test_model_specs(spec, parsed):
    assert parse_spec(spec) == parsed


@pytest.mark.parametrize("spec, message", [
    ("gpt4", "is not a model spec"),
    ("openai:qwen", "needs its endpoint"),
    ("ollama:@http://x", "names no model"),
    ("ollama:m@ftp://x", "is not an http"),
])
def test_bad_model_specs_name_the_value(spec, message):
    with pytest.raises(ConfigError, match=message):
        Settings.from_env({"QA_READER": "llm", "QA_LLM": spec})


def test_a_missing_gguf_file_is_a_config_error(tmp_path):
    from qa.llm.models import chat_model

    with pytest.raises(ConfigError, match="no GGUF file"):
        chat_model(Settings.from_env({}, reader="llm", llm=f"gguf:{tmp_path}/none.gguf"))


def test_the_model_sees_the_part_of_a_long_passage_that_matches_the_question():
    from qa.llm.reader import focus

    long = "Opening remarks about the weather and the agenda. " * 30 + STUDENTS + " Closing remarks. " * 40
    shown = focus(long, "How many Azerbaijani students study in Russia?", 600)
    assert "About 11,000 Azerbaijani students" in shown and len(shown) <= 604
    assert shown.startswith("… ") and shown.endswith(" …")
    assert focus(TRADE, "anything", 600) == TRADE  # short passages are shown whole


def test_focus_splits_sentences_as_the_rest_of_the_project_does():
    """The window is centred on a sentence of vectorstore.sentences.sentence_spans (the splitter
    ingest and the readers use), so "Mr." does not end the sentence and the sentence is shown whole."""
    from qa.llm.reader import focus

    sentence = "Mr. Kirby said that 11,000 Azerbaijani students study in Russia."
    filler = "Nothing to see in this sentence at all. " * 10
    shown = focus(filler + sentence + " " + filler, "How many Azerbaijani students study in Russia?", len(sentence) + 4)
    assert sentence in shown
