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


def test_use_weights_reads_each_folder_with_its_own_span_adapter(tmp_path):
    from types import SimpleNamespace

    from benchmarks.train_reader import SPAN_ADAPTER, WEIGHTS, use_weights

    variant, bare = tmp_path / "variant", tmp_path / "bare"
    (variant / "span_adapter").mkdir(parents=True)
    bare.mkdir()
    engine = SimpleNamespace(reader=SimpleNamespace(models=None, spans=None))
    use_weights(engine, variant)
    assert engine.reader.models.folder == variant and engine.reader.spans.adapter == variant / "span_adapter"
    use_weights(engine, WEIGHTS)  # after a variant: the shipped adapter again, not the variant's
    assert engine.reader.spans.adapter == SPAN_ADAPTER
    use_weights(engine, variant)
    use_weights(engine, bare)  # a folder without an adapter reads with the shipped one
    assert engine.reader.models.folder == bare and engine.reader.spans.adapter == SPAN_ADAPTER


def test_train_reader_refuses_experimental_adapters_over_the_shipped_models(tmp_path, capsys):
    import pytest

    from benchmarks.train_reader import main

    with pytest.raises(SystemExit):
        main(["--span-adapter", str(tmp_path)])  # --out defaults to qa/reader/weights
    assert "give --out a folder of its own" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--span-folds", str(tmp_path), "--out", str(tmp_path / "out"), "--wiki-stages", "span"])
    assert "may have trained on them" in capsys.readouterr().err


def test_fold_adapters_are_found_in_either_layout(tmp_path):
    from benchmarks.train_reader import SPAN_FOLDS, fold_adapter

    assert fold_adapter(SPAN_FOLDS, 0) == SPAN_FOLDS / "f0"  # as shipped
    (tmp_path / "f3" / "adapter").mkdir(parents=True)  # as crossfit.py writes it
    assert fold_adapter(tmp_path, 3) == tmp_path / "f3" / "adapter"
    assert fold_adapter(tmp_path, 2) == tmp_path / "f2"


def test_train_reader_refuses_dev_test_and_outside_files_for_also(tmp_path, capsys):
    import pytest

    from benchmarks.train_reader import ROOT, main

    out = str(tmp_path / "out")
    for bad, said in ((ROOT / "data" / "gold" / "test.jsonl", "never learns from"),
                      (ROOT / "data" / "gold" / "dev.jsonl", "never learns from"),
                      (tmp_path / "mine.jsonl", "inside the repository")):
        with pytest.raises(SystemExit):
            main(["--also", str(bad), "--out", out])
        assert said in capsys.readouterr().err, bad
    with pytest.raises(SystemExit):  # an experiment never writes over the shipped models
        main(["--also", str(ROOT / "data" / "gold" / "extra" / "select2.jsonl")])
    assert "give --out a folder of its own" in capsys.readouterr().err


def test_also_files_join_the_fingerprint():
    from benchmarks.train_reader import ROOT, fingerprint
    from qa.reader.models import file_hash

    more, when = (ROOT / "data" / "gold" / "extra" / f"{n}.jsonl" for n in ("train_more", "train_when"))
    plain, extra = fingerprint(), fingerprint(also=(more,))
    assert "also" not in plain  # the shipped manifest's form while ALSO is empty
    assert extra["also"] == {"data/gold/extra/train_more.jsonl": file_hash(more)}
    assert fingerprint(also=(when,))["also"] != extra["also"]
    assert {k: v for k, v in extra.items() if k != "also"} == plain


def test_paired_difference_brackets_a_real_gain_and_not_noise():
    import random

    from benchmarks.compare_weights import paired_difference

    rng = random.Random(1)
    a = [float(rng.random() < 0.6) for _ in range(400)]
    better = [1.0 if rng.random() < 0.3 else x for x in a]  # some questions turned right, none wrong
    gain = paired_difference(a, better)
    assert gain["low"] > 0 and gain["low"] <= gain["difference"] <= gain["high"]
    noise = paired_difference(a, [float(rng.random() < 0.6) for _ in a])  # another reader, same skill
    assert noise["low"] < 0 < noise["high"]
    import pytest

    with pytest.raises(ValueError, match="equally long"):
        paired_difference(a, a[:-1])


def test_per_question_scores_answers_and_abstentions():
    from benchmarks.compare_weights import per_question, score

    results = [{"answers": ["a"], "f1": 0.5, "confidence": 0.9}, {"answers": [], "f1": 0.0, "confidence": 0.1},
               {"answers": [], "f1": 0.0, "confidence": 0.7}, {"answers": ["b"], "f1": 1.0, "confidence": 0.2}]
    assert [per_question(r, 0.5) for r in results] == [0.5, 1.0, 0.0, 0.0]
    assert score(results, 0.5)["f1"] == 0.375  # (0.5 + 1 + 0 + 0) / 4


def test_compare_weights_pools_only_the_transcript_sets(capsys):
    import pytest

    from benchmarks.compare_weights import main

    for bad in ("test", "dev,test", "dev,squad", ""):
        with pytest.raises(SystemExit):
            main(["qa/reader/weights", "--on", bad])
        assert "give dev, select, select2" in capsys.readouterr().err, bad
    for on, tune in (("select2", "select2"), ("dev,select2", "select,select2"), ("squad", "dev")):
        with pytest.raises(SystemExit):  # a threshold chosen on the questions it is scored on, or on another corpus
            main(["qa/reader/weights", "--on", on, "--tune-on", tune])
        assert "other than --on's" in capsys.readouterr().err, (on, tune)
    with pytest.raises(SystemExit):  # a misspelt type would silently select no question
        main(["qa/reader/weights", "--expected-type", "date,when"])
    assert "expected types are" in capsys.readouterr().err


def test_best_threshold_respects_the_false_abstention_bound():
    from benchmarks.compare_weights import best_threshold

    right = [{"answers": ["a"], "f1": 1.0, "confidence": c} for c in (0.9, 0.8, 0.7, 0.35)]
    wrong = [{"answers": [], "f1": 0.0, "confidence": c} for c in (0.3, 0.32, 0.34)]
    free = best_threshold(right + wrong)
    assert free == 0.35  # withholds nothing right, abstains on all three unanswerable
    confident_wrong = [{"answers": [], "f1": 0.0, "confidence": c} for c in (0.5, 0.45)]
    assert best_threshold(right + confident_wrong + wrong) == 0.51  # best F1, withholding 0.35's right answer
    assert best_threshold(right + confident_wrong + wrong, max_false_abstention=0.0) == 0.35


def test_compare_weights_pairs_saved_results_of_separate_runs(tmp_path, capsys):
    """Variants whose feature code differs run in separate checkouts; their saved results are
    scored and paired here, each threshold tuned on the other sets."""
    import json

    import pytest

    from benchmarks.compare_weights import main

    def saved(name, confidences, sets=("dev", "select2"), ids="s"):
        tune = [{"id": "d1", "set": "dev", "question": "Who?", "answers": ["a"], "f1": 1.0, "confidence": 0.9},
                {"id": "d2", "set": "dev", "question": "Who?", "answers": [], "f1": 0.0, "confidence": 0.5}]
        scored = [{"id": f"{ids}{i}", "set": "select2", "question": "Who?", "answers": ["a"] if i < 2 else [],
                   "f1": 1.0 if i < 2 else 0.0, "confidence": c} for i, c in enumerate(confidences)]
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps({name: [r for r in tune + scored if r["set"] in sets]}))
        return str(path)

    base = saved("base", [0.9, 0.3, 0.2, 0.8])  # at 0.51 (tuned on dev): right, withheld, abstains, answers
    better = saved("better", [0.9, 0.6, 0.2, 0.8])  # its second right answer is confident enough
    main(["--from-results", base, better, "--on", "select2", "--tune-on", "dev"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["folder"] for r in rows] == ["base", "better"] and [r["threshold"] for r in rows] == [0.51, 0.51]
    assert [r["f1"] for r in rows] == [0.5, 0.75] and rows[0]["questions"] == 4
    assert rows[1]["f1_difference_from_first"]["difference"] == 0.25
    with pytest.raises(SystemExit, match="has no results for dev"):
        main(["--from-results", base, saved("untuned", [0.9] * 4, sets=("select2",)), "--on", "select2",
              "--tune-on", "dev"])
    with pytest.raises(SystemExit, match="not the first folder's"):
        main(["--from-results", base, saved("other", [0.9] * 4, ids="x"), "--on", "select2", "--tune-on", "dev"])
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["qa/reader/weights", "--from-results", base, "--on", "select2"])
    assert "not both" in capsys.readouterr().err


def test_variant_patches_still_apply_to_the_tree():
    """The README's not-kept variants stay reproducible: each patch applies to the current code."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    patches = sorted((root / "benchmarks" / "variants").glob("*.patch"))
    assert patches
    for patch in patches:
        check = subprocess.run(["git", "apply", "--check", str(patch)], cwd=root, capture_output=True, text=True)
        assert check.returncode == 0, (patch.name, check.stderr)
