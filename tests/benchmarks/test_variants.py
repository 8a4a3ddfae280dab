"""The scorers behind the README's comparisons of reader variants."""

import doctest

import benchmarks.compare_weights as cw


def test_doctests():
    result = doctest.testmod(cw)
    assert result.failed == 0 and result.attempted > 0


def test_score_applies_the_threshold_and_ranks_right_answers():
    results = [
        {"answers": ["a"], "f1": 1.0, "confidence": 0.9},   # right, answered
        {"answers": ["b"], "f1": 0.0, "confidence": 0.6},   # wrong, answered
        {"answers": ["c"], "f1": 1.0, "confidence": 0.2},   # right, withheld at 0.5
        {"answers": [], "f1": 0.0, "confidence": 0.1},      # unanswerable, abstained
    ]
    s = cw.score(results, 0.5)
    assert s["f1"] == round((1 + 0 + 0 + 1) / 4, 4)
    assert s["answerable_f1"] == round(1 / 3, 4)
    assert s["top_answer_right"] == 2
    assert s["auc"] == 0.75  # right {0.9, 0.2} over the rest {0.6, 0.1}: 3 of 4 pairs
    flipped = [{**r, "confidence": 1 - r["confidence"]} for r in results]
    assert cw.score(flipped, 0.5)["auc"] == 0.25
    assert cw.score(results, 0.0)["f1"] == round((1 + 0 + 1 + 0) / 4, 4)


def test_answer_seeds_doctests():
    import benchmarks.answer_seeds as seeds

    result = doctest.testmod(seeds)
    assert result.failed == 0 and result.attempted > 0


def test_use_weights_reads_a_variant_with_its_own_span_adapter(tmp_path):
    from types import SimpleNamespace

    from benchmarks.train_reader import WEIGHTS, use_weights
    from qa.reader.neural import SpanModel

    shipped = object()
    engine = SimpleNamespace(reader=SimpleNamespace(models=None, spans=shipped))
    use_weights(engine, tmp_path)  # a variant without an adapter keeps the reader's
    assert engine.reader.models.folder == tmp_path and engine.reader.spans is shipped
    use_weights(engine, WEIGHTS)  # the shipped folder: its adapter is the reader's already
    assert engine.reader.spans is shipped
    (tmp_path / "span_adapter").mkdir()
    use_weights(engine, tmp_path)
    assert isinstance(engine.reader.spans, SpanModel) and engine.reader.spans.adapter == tmp_path / "span_adapter"


def test_fold_adapters_are_found_in_either_layout(tmp_path):
    from benchmarks.train_reader import SPAN_FOLDS, fold_adapter

    assert fold_adapter(SPAN_FOLDS, 0) == SPAN_FOLDS / "f0"  # as shipped
    (tmp_path / "f3" / "adapter").mkdir(parents=True)  # as crossfit.py writes it
    assert fold_adapter(tmp_path, 3) == tmp_path / "f3" / "adapter"
    assert fold_adapter(tmp_path, 2) == tmp_path / "f2"
