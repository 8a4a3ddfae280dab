"""The neural span model: the shipped LoRA adapter merged into the packaged MiniLM, exported to
int8 ONNX on first use, and read as span features."""

import math

import pytest

from qa.reader.neural import ADAPTER, LOW, SpanModel, span_features

QUESTION = "How many Azerbaijani students study in Russia?"
ANSWERING = "About 11,000 Azerbaijani students study in Russian universities, the minister said."
UNRELATED = "The weather in Geneva was pleasant throughout the week of the conference."


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    import os

    old = os.environ.get("QA_CACHE_DIR")
    os.environ["QA_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    try:
        m = SpanModel()
        m.session  # export now, into this module's cache folder
        yield m
    finally:
        if old is None:
            os.environ.pop("QA_CACHE_DIR")
        else:
            os.environ["QA_CACHE_DIR"] = old


def test_the_adapter_is_small_and_plain_tensors():
    weights = ADAPTER / "adapter_model.safetensors"
    assert weights.stat().st_size < 5_000_000
    assert not weights.read_bytes()[:2] == b"\x80\x04"  # a pickle would start with its protocol


def test_the_merged_model_finds_the_answer_and_not_in_an_unrelated_sentence(model):
    """An unmerged base (a random span head) fails this: the answer must be the best span, and
    the unrelated sentence must score below its own "no answer"."""
    answering, unrelated = model.scores(QUESTION, [ANSWERING, UNRELATED])
    a, b, score = answering[0]
    assert "11,000" in ANSWERING[a:b] and b - a <= len("About 11,000")
    assert max(s for _, _, s in unrelated) < 0 < score - max(s for _, _, s in unrelated)


def test_offsets_point_into_each_context_also_past_one_window(model):
    long = " ".join(["The delegation discussed trade, energy and transport corridors at length."] * 30) + " " + ANSWERING
    (spans,) = model.scores(QUESTION, [long])
    a, b, _ = spans[0]
    assert "11,000" in long[a:b] and a > len(long) // 2  # found in a later window, offsets in the whole text


def test_the_export_is_made_once_and_reused(model):
    path = model.onnx_path
    stamp = path.stat().st_mtime_ns
    assert SpanModel().onnx_path == path and path.stat().st_mtime_ns == stamp


def test_span_features_without_scores_are_missing_not_low():
    assert all(math.isnan(v) for v in span_features(None, 0, 5))
    assert span_features([], 0, 5) == [LOW, LOW, LOW]
    # overlap and containment see a span that is not exactly the candidate
    assert span_features([(0, 12, 2.0)], 6, 12) == [LOW, 2.0, 2.0]
