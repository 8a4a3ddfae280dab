"""The answer verifier: it can only lower a confidence; the shipped adapter is small, fresh and
reads (merged, int8 ONNX); the reader applies it to the answer it chose."""

import json

import pytest
from fakes import FakeEmbedder

from benchmarks.train_verifier import fingerprint, fit_logistic
from qa.reader import ExtractiveReader
from qa.reader.verify import FOLDER, AnswerVerifier, Combiner, marked
from qa.settings import Settings

MANIFEST = json.loads((FOLDER / "manifest.json").read_text())
QUESTION = "How many Azerbaijani students study in Russia?"
SENTENCE = "About 11,000 Azerbaijani students study in Russia, of which about 1,000 are financed through budget allocations."


@pytest.mark.parametrize("confidence", [0.01, 0.2, 0.5, 0.9, 0.99])
@pytest.mark.parametrize("logit", [-8.0, -1.0, 0.0, 1.0, 8.0])
def test_the_verifier_never_raises_a_confidence(confidence, logit):
    """A veto only: the reader never answers where, at the same threshold, it would have abstained."""
    a, b, c = MANIFEST["combiner"]
    assert Combiner(a, b, c).veto(confidence, logit) <= confidence


def test_a_doubting_verifier_lowers_a_confidence():
    a, b, c = MANIFEST["combiner"]
    assert b > 0  # a higher verifier logit means "right"
    assert Combiner(a, b, c).veto(0.9, -8.0) < 0.5


def test_marked_puts_the_span_between_brackets():
    assert marked(SENTENCE, 0, 12).startswith("[[ About 11,000 ]] Azerbaijani")


def test_the_combiner_fit_recovers_a_known_direction():
    """The logistic regression the combiner is fitted with: the label follows the second column only."""
    import numpy as np

    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 2))
    y = (X[:, 1] + 0.3 * rng.normal(size=400) > 0).astype(float)
    a, b, _ = fit_logistic(X, y)
    assert b > 2 and abs(a) < 0.5


def test_the_verifier_is_not_stale():
    """Retrain (python -m benchmarks.train_verifier) after changing its data, code, settings or the reader models."""
    assert MANIFEST["trained_from"] == fingerprint(), (
        "qa/reader/weights/verifier/ was trained from other data, code or reader: run python -m benchmarks.train_verifier")


def test_the_verifier_is_an_option_with_its_own_threshold():
    """Off by default: with it on, test's false abstention rose to 0.242, above the gate's 0.20 (README)."""
    assert not Settings().verify
    assert Settings.from_env({"QA_VERIFY": "1", "QA_MIN_CONFIDENCE": str(MANIFEST["threshold"])}).verify
    assert 0.0 < MANIFEST["threshold"] < Settings().min_confidence


def test_the_adapter_is_small_and_plain_tensors():
    weights = FOLDER / "adapter_model.safetensors"
    assert weights.stat().st_size < 5_000_000
    assert weights.read_bytes()[:2] != b"\x80\x04"  # a pickle would start with its protocol


class Doubting:
    """A fake verifier that halves every confidence and records what it was shown."""

    def __init__(self):
        self.seen = []

    def veto(self, question, sentence, start, end, confidence):
        self.seen.append(sentence[start:end])
        return confidence / 2, -1.0


def test_the_reader_verifies_the_answer_it_chose():
    from qa.retrieve import Passage

    p = Passage("p1", SENTENCE, {"source": "i.txt", "title": "I", "date": "", "speaker": "Ms. Zakharova", "paragraph": 1}, score=0.02)
    plain = ExtractiveReader(FakeEmbedder(), Settings.from_env({}, min_confidence=0.0)).read(QUESTION, [p])
    fake = Doubting()
    checked = ExtractiveReader(FakeEmbedder(), Settings.from_env({}, min_confidence=0.0), verifier=fake).read(QUESTION, [p])
    assert fake.seen == [plain.text] and checked.text == plain.text
    assert checked.confidence == pytest.approx(plain.confidence / 2)
    assert checked.signals["verifier"] == -1.0


@pytest.mark.slow
def test_the_merged_verifier_reads_which_question_a_span_answers(tmp_path, monkeypatch):
    """The shipped adapter, merged and exported to int8 ONNX. Each figure of the sentence scores
    higher under its own question than under the other's, and the issue's near miss (the roles
    swapped) scores below the right question. An unmerged base (a random head, or no LoRA deltas) fails this.
    The verifier is one signal among the answer model's: single scores can be wrong, its value is
    measured over held-out questions (README, "The answer verifier")."""
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path))
    v = AnswerVerifier()
    budget = "How many Azerbaijani students are financed through budget allocations?"
    near_miss = "How many Russian students study in Azerbaijan?"
    many, few = (0, 12), (SENTENCE.index("about 1,000"), SENTENCE.index("about 1,000") + len("about 1,000"))
    assert v.logit(QUESTION, SENTENCE, *many) > v.logit(QUESTION, SENTENCE, *few)
    assert v.logit(budget, SENTENCE, *few) > v.logit(budget, SENTENCE, *many)
    assert v.logit(budget, SENTENCE, *few) > 0 > v.logit(QUESTION, SENTENCE, *few)
    assert v.logit(QUESTION, SENTENCE, *many) > v.logit(near_miss, SENTENCE, *many)


@pytest.mark.slow
@pytest.mark.parametrize("question, answers", [
    (QUESTION, True),
    ("What is the population of Azerbaijan?", False),           # the issue's near misses
    ("How many Russian students study in Azerbaijan?", False),
])
def test_with_the_verifier_the_issue_examples_hold_on_the_corpus(corpus_store, question, answers):
    from qa.engine import Engine

    engine = Engine(Settings.from_env({}, store=str(corpus_store), verify=True, min_confidence=MANIFEST["threshold"]))
    a = engine.answer(question)
    assert (not a.abstained) == answers, (a.text, a.withheld, a.confidence, a.signals.get("verifier"))
    assert answers is False or "11,000" in a.text
