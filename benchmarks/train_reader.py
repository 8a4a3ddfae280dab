"""Rebuild the reader's three models from `data/gold/train.jsonl` (and `ALSO`) and print the dev metrics.

    python -m benchmarks.train_reader --store .store          # writes qa/reader/weights/

Each model is a LightGBM text file. The stages are cross-fitted: the sentence model's
out-of-fold probabilities choose the sentences whose spans are scored, and the span model's
out-of-fold probabilities feed the answer model, so every model trains on inputs like those
it sees when reading. Folds group questions by source document. The span model's neural span
scores come, for each training question, from the fold adapter trained without its fold
(`benchmarks/neural_span/folds/`). The answer model's
out-of-fold probabilities are calibrated (Platt) and its threshold is the one with the best dev
F1; `data/gold/test.jsonl` is never read. The manifest records hashes of the data, the
feature code and these settings; `tests/qa/reader/test_models.py` fails when they drift.
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import json
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np

from qa.evaluate.gold import GoldQuestion, load_gold
from qa.evaluate.metrics import best_over, f1_score, is_relevant, normalize_answer
from qa.reader import extractive
from qa.reader.candidates import LABELS, ORIGINS
from qa.reader.extractive import ExtractiveReader
from qa.reader.features import ANSWER_FEATURES, SENTENCE_FEATURES, SPAN_FEATURES
from qa.reader.models import WEIGHTS, Models, file_hash, platt
from qa.reader.question import analyze

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT / "data" / "gold" / "train.jsonl"
DEV = ROOT / "data" / "gold" / "dev.jsonl"
# Encyclopedic articles and questions written for this project (SQuAD 2.0 layout, checked by
# `benchmarks.check_wiki`), read over a store of their own paragraphs. The shipped models do not
# learn from them (`--wiki-stages` does; the README has the measurements): with them, the reader got
# worse at telling its right answers from its wrong ones on the SQuAD subset.
WIKI = ROOT / "data" / "gold" / "extra" / "wiki"
WIKI_STAGES: tuple[str, ...] = ()
# More gold files of the transcripts' questions the shipped models learn from, beside TRAIN
# (`--also` replaces them for an experiment). Their hashes join the manifest's fingerprint.
# None so far: the README's variants table has the runs with `--also` and why they were not kept.
ALSO: tuple[Path, ...] = ()
CODE = [ROOT / "qa" / "reader" / f for f in ("features.py", "candidates.py", "question.py", "extractive.py", "neural.py")] + \
    [ROOT / "qa" / "qtype.py", ROOT / "vectorstore" / "words.py", ROOT / "vectorstore" / "sentences.py", Path(__file__)]
# The neural span model's weights: the shipped adapter (dev, test, reading) and one adapter per
# fold, trained without that fold's questions (`benchmarks/neural_span/crossfit.py`, see its
# RESULTS.md), so that the span scores a training question gets are as unseen as a new question's.
SPAN_ADAPTER = ROOT / "qa" / "reader" / "weights" / "span_adapter"
SPAN_FOLDS = ROOT / "benchmarks" / "neural_span" / "folds"
FOLDS = 5
SEED = 13
PARAMS = {
    "sentence": dict(objective="binary", learning_rate=0.05, num_leaves=15, min_data_in_leaf=20, feature_fraction=0.8,
                     bagging_fraction=0.8, bagging_freq=1, lambda_l2=1.0, num_boost_round=300),
    "span": dict(objective="binary", learning_rate=0.05, num_leaves=31, min_data_in_leaf=20, feature_fraction=0.8,
                 bagging_fraction=0.8, bagging_freq=1, lambda_l2=1.0, num_boost_round=400),
    "answer": dict(objective="binary", learning_rate=0.03, num_leaves=7, min_data_in_leaf=20, feature_fraction=0.8,
                   bagging_fraction=0.8, bagging_freq=1, lambda_l2=2.0, num_boost_round=250),
}
CATEGORICAL = {"sentence": ["qtype"], "span": ["qtype", "origin", "label"], "answer": ["qtype"]}
# Prior knowledge the trees must respect whatever the data: a candidate of a worse-fitting type
# (a larger type_fit) never scores higher, all else equal.
MONOTONE = {"span": {"type_fit": -1, "fit_gap_sentence": -1, "fit_gap_all": -1}}
FEATURES = {"sentence": SENTENCE_FEATURES, "span": SPAN_FEATURES, "answer": ANSWER_FEATURES}


def settings_hash() -> str:
    blob = json.dumps({"params": PARAMS, "monotone": MONOTONE, "folds": FOLDS, "seed": SEED, "embedded": extractive.EMBEDDED,
                       "parsed": extractive.PARSED, "labels": LABELS, "origins": ORIGINS}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def fingerprint(adapter: Path = SPAN_ADAPTER, folds: Path = SPAN_FOLDS, also: tuple[Path, ...] = ALSO) -> dict:
    """What the shipped models depend on; a test compares it with the repository's files."""
    adapters = [adapter / "adapter_model.safetensors"] + \
        [fold_adapter(folds, k) / "adapter_model.safetensors" for k in range(FOLDS)]
    out = {"train": file_hash(TRAIN), "dev": file_hash(DEV), "code": file_hash(*CODE), "settings": settings_hash(),
           "span_adapters": file_hash(*adapters)}
    if also:
        out["also"] = {str(p.relative_to(ROOT)): file_hash(p) for p in also}
    return out


def wiki_files() -> list[Path]:
    return sorted(WIKI.glob("*.json"))


def wiki_gold(settings, progress: bool):
    """(engine over the encyclopedic paragraphs, their questions grouped by article)."""
    import tempfile

    from qa.evaluate.squad import squad_engine

    articles = [a for f in wiki_files() for a in json.loads(f.read_text(encoding="utf-8"))["data"]]
    merged = Path(tempfile.gettempdir()) / f"qa-wiki-{file_hash(*wiki_files())}.json"
    merged.write_text(json.dumps({"version": "wiki", "data": articles}), encoding="utf-8")
    engine, gold = squad_engine(merged, settings, progress=progress)
    article = {qa["id"]: a["title"] for a in articles for p in a["paragraphs"] for qa in p["qas"]}
    # The article is the fold group, as the source document is for transcripts.
    return engine, [GoldQuestion(g.id, g.question, g.answers, g.evidence, {"source": "wiki:" + article[g.id]})
                    for g in gold]


def train_booster(name: str, X: np.ndarray, y: np.ndarray, threads: int = 2, seed: int = SEED):
    import lightgbm

    p = dict(PARAMS[name])
    rounds = p.pop("num_boost_round")
    cats = [FEATURES[name].index(c) for c in CATEGORICAL[name]]
    data = lightgbm.Dataset(X, y, feature_name=list(FEATURES[name]), categorical_feature=cats, free_raw_data=False)
    p.update(seed=seed, deterministic=True, num_threads=threads, verbose=-1, force_row_wise=True)
    if name in MONOTONE:
        p["monotone_constraints"] = [MONOTONE[name].get(f, 0) for f in FEATURES[name]]
    return lightgbm.train(p, data, num_boost_round=rounds)


def out_of_fold(name: str, X: np.ndarray, y: np.ndarray, groups: np.ndarray, seed: int = SEED) -> np.ndarray:
    """Each row's probability from a model that did not see its group's rows."""
    folds = np.array([fold_of(g) for g in groups])
    oof = np.zeros(len(y))
    for f in range(FOLDS):
        test = folds == f
        if test.any() and (~test).any() and len(set(y[~test])) > 1:
            oof[test] = train_booster(name, X[~test], y[~test], seed=seed).predict(X[test])
    return oof


def cross_fit(items: list[dict], key: str, name: str, X, y, groups, owners, stages=WIKI_STAGES):
    """Set ``prob`` on every object under ``item[key]``: out of fold for the training rows (the
    answerable questions), from the full model for the rest; sort each item's list by it; return
    the full model."""
    model = train_booster(name, X, y)
    for (_, obj), p in zip(owners, out_of_fold(name, X, y, groups)):
        obj.prob = float(p)
    for it in items:
        if (not it["gold"].answers or (it["wiki"] and name not in stages)) and it[key]:
            for obj, p in zip(it[key], model.predict(np.asarray([o.features for o in it[key]]))):
                obj.prob = float(p)
        it[key].sort(key=lambda o: o.prob, reverse=True)
    return model


def _contains(text: str, answers: tuple[str, ...]) -> bool:
    t = f" {normalize_answer(text)} "
    return any(f" {normalize_answer(a)} " in t for a in answers if normalize_answer(a))


def group_of(g: GoldQuestion) -> str:
    return g.extra.get("source") or g.extra.get("near_source") or g.id


def fold_adapter(folds: Path, k: int) -> Path:
    """Fold k's adapter: ``f{k}/`` as shipped, or ``f{k}/adapter/`` as crossfit.py writes it."""
    return folds / f"f{k}" / "adapter" if (folds / f"f{k}" / "adapter").is_dir() else folds / f"f{k}"


@functools.cache
def fold_span_models(folds: Path = SPAN_FOLDS) -> list:
    from qa.reader.neural import SpanModel

    return [SpanModel(fold_adapter(folds, k)) for k in range(FOLDS)]


def use_weights(engine, folder: Path) -> None:
    """Read with the models in ``folder``, and with its span adapter when it has its own."""
    from qa.reader.neural import SpanModel

    engine.reader.models = Models(folder=folder)
    own = folder / "span_adapter"
    engine.reader.spans = SpanModel(own) if own.is_dir() else SpanModel()  # never the previous folder's


def fold_of(group: str) -> int:
    """A group's fold, fixed by its name alone: the neural span model's folds are the same."""
    return int(hashlib.md5(group.encode()).hexdigest(), 16) % FOLDS


def collect(engine, reader: ExtractiveReader, gold: list[GoldQuestion], progress: bool) -> list[dict]:
    """Questions with their analysed sentences (stage 1 features and labels)."""
    from tqdm import tqdm

    out = []
    n = max(engine.settings.k, engine.settings.read_passages)
    for g in tqdm(gold, desc="retrieve + sentences", disable=not progress, dynamic_ncols=True):
        passages = engine.retriever.retrieve(g.question, n=n)
        q = analyze(g.question, reader.idf)
        sents = reader.sentences(q, passages[: engine.settings.read_passages])
        labels = []
        for s in sents:
            if not g.answers:
                labels.append(0)
            elif _contains(s.text, g.answers):
                labels.append(1 if is_relevant(s.passage.text, g.evidence) else -1)  # -1: same words elsewhere, ignored
            else:
                labels.append(0)
        out.append({"gold": g, "q": q, "sentences": sents, "labels": labels, "wiki": group_of(g).startswith("wiki:")})
    return out


def stage_rows(items: list[dict], key: str, label_key: str, answerable_only: bool, wiki: bool = True):
    X, y, groups, owners = [], [], [], []
    for i, it in enumerate(items):
        if (answerable_only and not it["gold"].answers) or (it["wiki"] and not wiki):
            continue
        for obj, lab in zip(it[key], it[label_key]):
            if lab < 0:
                continue
            X.append(obj.features)
            y.append(lab)
            groups.append(group_of(it["gold"]))
            owners.append((i, obj))
    return np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64), np.asarray(groups), owners


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", default=".store", help="an ingested store of data/transcripts (default .store)")
    ap.add_argument("--out", type=Path, default=WEIGHTS, help="where the model files go (default qa/reader/weights)")
    ap.add_argument("--no-dev-eval", action="store_true", help="skip the final qa eval run on dev")
    ap.add_argument("--cache", type=Path, help="keep the retrieval and sentence stage here between runs (local iteration)")
    ap.add_argument("--wiki-stages", help=f"comma-separated stages that learn from {WIKI.relative_to(ROOT)}/ "
                                          "(sentence,span,answer; default none): an experiment, see the README")
    ap.add_argument("--span-adapter", type=Path, default=SPAN_ADAPTER,
                    help="the neural span adapter the reader ships with (an experiment: copied into --out)")
    ap.add_argument("--span-folds", type=Path, default=SPAN_FOLDS,
                    help="its five cross-fitted fold adapters, f0..f4/ (default benchmarks/neural_span/folds)")
    ap.add_argument("--also", type=Path, action="append",
                    help="another gold file to learn from beside train.jsonl (repeatable; default: "
                         f"{', '.join(str(p.relative_to(ROOT)) for p in ALSO) or 'none'}); never dev or test")
    args = ap.parse_args(argv)
    # Arguments are checked before anything is loaded.
    stages = tuple(filter(None, args.wiki_stages.split(","))) if args.wiki_stages is not None else WIKI_STAGES
    if set(stages) - set(FEATURES):
        ap.error(f"--wiki-stages takes {', '.join(FEATURES)}; got {args.wiki_stages!r}")
    experimental = (args.span_adapter.resolve(), args.span_folds.resolve()) != (SPAN_ADAPTER.resolve(), SPAN_FOLDS.resolve())
    if experimental and args.out.resolve() == WEIGHTS.resolve():
        ap.error("--span-adapter/--span-folds are for experiments: give --out a folder of its own "
                 "(to ship new adapters, copy them over qa/reader/weights/span_adapter and benchmarks/neural_span/folds)")
    also = tuple(p.resolve() for p in args.also) if args.also is not None else ALSO
    if any(p.name in ("dev.jsonl", "test.jsonl") for p in also):
        ap.error(f"--also: the reader never learns from dev.jsonl or test.jsonl; got {', '.join(map(str, args.also))}")
    if not all(p.is_relative_to(ROOT) and p.is_file() for p in also):
        ap.error(f"--also takes gold files inside the repository (their hashes go into the manifest); got "
                 f"{', '.join(map(str, args.also))}")
    if also != ALSO and args.out.resolve() == WEIGHTS.resolve():
        ap.error("--also is for experiments: give --out a folder of its own (to ship, set ALSO in this script)")
    if experimental and stages:
        ap.error("--wiki-stages with --span-adapter/--span-folds: the encyclopedic questions would be scored by "
                 "an adapter that may have trained on them")
    random.seed(SEED)
    from qa.engine import Engine
    from qa.settings import Settings

    progress = sys.stderr.isatty()
    t0 = time.perf_counter()
    engine = Engine(Settings.from_env(store=args.store, verify=False))  # the answer model alone: the verifier reads on top of it
    engine.retriever.lexical()
    untrained = Models(folder=args.out / "__none__")
    # Sentences are embedded here with their question, as at answer time before ingest stored
    # sentence vectors; the shipped models read those stored vectors. A retrain on the stored
    # vectors scored lower on the selection set (F1 0.621 against 0.634: README, "How the reader decides").
    reader = ExtractiveReader(engine.embedder, engine.settings, idf=engine.retriever.idf, models=untrained)
    train = load_gold(TRAIN) + [g for p in also for g in load_gold(p)]
    wiki_engine, wiki, wiki_reader = None, [], None
    if stages:
        wiki_engine, wiki = wiki_gold(engine.settings, progress)
        wiki_reader = ExtractiveReader(wiki_engine.embedder, wiki_engine.settings, idf=wiki_engine.retriever.idf,
                                       models=untrained)
    if args.cache and args.cache.exists():
        import pickle  # a local scratch cache of this script's own output, never shipped

        items = pickle.loads(args.cache.read_bytes())
    else:
        items = collect(engine, reader, train, progress)
        if wiki:
            items += collect(wiki_engine, wiki_reader, wiki, progress)
        if args.cache:
            import pickle

            args.cache.write_bytes(pickle.dumps(items))
    items = [it for it in items if stages or not it.get("wiki")]  # a cache may hold them
    for it in items:
        it.setdefault("wiki", False)
    if wiki and not any(it["wiki"] for it in items):  # a cache written without them
        items += collect(wiki_engine, wiki_reader, wiki, progress)

    # 1. Sentences: out-of-fold probabilities order each question's sentences.
    X, y, groups, owners = stage_rows(items, "sentences", "labels", answerable_only=True, wiki="sentence" in stages)
    print(f"sentence rows {len(y)}, positives {int(y.sum())}", file=sys.stderr)
    sentence_model = cross_fit(items, "sentences", "sentence", X, y, groups, owners, stages)

    # 2. Spans of the best sentences, with neural span scores from the fold's model (the shipped
    # model for encyclopedic questions: none of them was in its training).
    from tqdm import tqdm

    from qa.reader.neural import SpanModel

    folds, shipped = fold_span_models(args.span_folds), SpanModel(args.span_adapter)
    for it in tqdm(items, desc="candidates", disable=not progress, dynamic_ncols=True):
        r = wiki_reader if it["wiki"] else reader
        r.spans = shipped if it["wiki"] else folds[fold_of(group_of(it["gold"]))]
        it["candidates"] = r.candidates(it["q"], it["sentences"])
        golds = it["gold"].answers
        it["span_labels"] = [int(bool(golds) and best_over(f1_score, c.text, golds) >= 0.5) for c in it["candidates"]]
    X, y, groups, owners = stage_rows(items, "candidates", "span_labels", answerable_only=True, wiki="span" in stages)
    print(f"span rows {len(y)}, positives {int(y.sum())}", file=sys.stderr)
    span_model = cross_fit(items, "candidates", "span", X, y, groups, owners, stages)

    print("transcripts " + diagnostics([it for it in items if not it["wiki"]]), file=sys.stderr)
    if wiki:
        print("encyclopedic " + diagnostics([it for it in items if it["wiki"]]), file=sys.stderr)

    # 3. Whether to answer: label = the top candidate is right (F1 >= 0.5).
    rows, labels, groups, preds = [], [], [], []
    from qa.reader.features import answer_row

    for it in items:
        if it["q"].qtype.name == "sentence" or (it["wiki"] and "answer" not in stages):
            continue
        top = it["candidates"][0] if it["candidates"] else None
        best = top.sentence if top else it["sentences"][0]
        rows.append(answer_row(it["q"], best, top, it["candidates"], it["sentences"]))
        f1 = best_over(f1_score, top.text, it["gold"].answers) if top and it["gold"].answers else 0.0
        labels.append(int(f1 >= 0.5))
        groups.append(group_of(it["gold"]))
        preds.append((it["gold"], top.text if top else ""))
    # Rounded as in answer_table.csv, so that a test can retrain this model from the table exactly.
    X, y, groups = np.round(np.asarray(rows, dtype=np.float64), 6), np.asarray(labels, dtype=np.float64), np.asarray(groups)
    print(f"answer rows {len(y)}, positives {int(y.sum())}", file=sys.stderr)
    oof = out_of_fold("answer", X, y, groups)
    answer_model = train_booster("answer", X, y)
    ab = fit_platt(oof, y)
    calibrated = np.array([platt(p, ab) for p in oof])
    threshold, oof_metrics = choose_threshold(calibrated, preds)
    print(f"out-of-fold on train: threshold {threshold:.2f} -> {oof_metrics}", file=sys.stderr)
    domain = np.array([group_of(p[0]).startswith("wiki:") for p in preds])
    by_domain = {}
    for name, mask in (("transcripts", ~domain), ("encyclopedic", domain)):
        if mask.any() and domain.any():
            by_domain[name] = rounded(scores_at(threshold, calibrated[mask], [p for p, m in zip(preds, mask) if m]))
            print(f"  {name}: {by_domain[name]}", file=sys.stderr)

    args.out.mkdir(parents=True, exist_ok=True)
    if args.span_adapter.resolve() != (args.out / "span_adapter").resolve():
        shutil.rmtree(args.out / "span_adapter", ignore_errors=True)  # no file of an earlier adapter left
        shutil.copytree(args.span_adapter, args.out / "span_adapter")
    for name, model in (("sentence", sentence_model), ("span", span_model), ("answer", answer_model)):
        model.save_model(str(args.out / f"{name}.txt"))
    with open(args.out / "answer_table.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(list(ANSWER_FEATURES) + ["label"])
        for row, lab in zip(X.tolist(), y.tolist()):
            w.writerow([("" if v != v else repr(v)) for v in row] + [int(lab)])
    trained_from = fingerprint(args.span_adapter, args.span_folds, also)
    if stages:  # so that the staleness test rejects these models if they are ever shipped by mistake
        trained_from.update(wiki=file_hash(*wiki_files()), wiki_stages=list(stages))
    manifest = {
        "trained_from": trained_from,
        "calibration": {"platt": ab, "method": "Platt scaling of out-of-fold answer-model probabilities"},
        "threshold": threshold,
        "train": {"questions": len(train), "answerable": sum(1 for g in train if g.answers), "out_of_fold": oof_metrics,
                  **({"encyclopedic": {"questions": len(wiki), "answerable": sum(1 for g in wiki if g.answers),
                                       "stages": list(stages), "out_of_fold_by_domain": by_domain}} if wiki else {})},
        "seconds": round(time.perf_counter() - t0, 1),
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest, indent=2))
    if not args.no_dev_eval:
        threshold, dev_metrics = evaluate_dev(args.store, threshold, args.out)
        manifest["threshold"] = threshold
        manifest["dev"] = dev_metrics
        (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        print(json.dumps({"dev": dev_metrics}, indent=2))
    return 0


def diagnostics(items: list[dict]) -> str:
    """Where answerable questions are lost: sentence choice, candidate recall, span choice."""
    ans = [it for it in items if it["gold"].answers and it["q"].qtype.name != "sentence"]
    if not ans:
        return "no answerable questions"
    sent1 = sum(1 for it in ans if it["sentences"] and _contains(it["sentences"][0].text, it["gold"].answers))
    cand = sum(1 for it in ans if any(l for l in it["span_labels"]))
    top = sum(1 for it in ans if it["candidates"] and best_over(f1_score, it["candidates"][0].text, it["gold"].answers) >= 0.5)
    return (f"answerable {len(ans)}: best sentence holds the answer {sent1 / len(ans):.3f}, "
            f"a right candidate exists {cand / len(ans):.3f}, top candidate right {top / len(ans):.3f}")


def read_table(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The answer model's training table, as written beside it."""
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    X = np.array([[float(v) if v != "" else np.nan for v in r[:-1]] for r in rows], dtype=np.float64)
    return X, np.array([float(r[-1]) for r in rows])


def fit_platt(p: np.ndarray, y: np.ndarray) -> list[float]:
    """a, b of P = sigmoid(a * logit(p) + b), by Newton's method on the log-loss."""
    x = np.log(np.clip(p, 1e-6, 1 - 1e-6) / (1 - np.clip(p, 1e-6, 1 - 1e-6)))
    a, b = 1.0, 0.0
    for _ in range(50):
        z = 1 / (1 + np.exp(-(a * x + b)))
        g = np.array([np.sum((z - y) * x), np.sum(z - y)])
        w = z * (1 - z)
        H = np.array([[np.sum(w * x * x), np.sum(w * x)], [np.sum(w * x), np.sum(w)]]) + 1e-6 * np.eye(2)
        step = np.linalg.solve(H, g)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-8:
            break
    return [round(float(a), 6), round(float(b), 6)]


def scores_at(t: float, probs: np.ndarray, preds: list[tuple[GoldQuestion, str]]) -> dict:
    """Mean F1 (abstaining on an unanswerable question scores 1), coverage and answered precision
    when answering above ``t``."""
    f1s, answered, right = [], 0, 0
    for p, (g, text) in zip(probs, preds):
        if p < t:
            f1s.append(0.0 if g.answers else 1.0)
        else:
            f = best_over(f1_score, text, g.answers) if g.answers else 0.0
            f1s.append(f)
            answered += 1
            right += f >= 0.5
    return {"f1": sum(f1s) / len(f1s), "coverage": answered / len(f1s), "answered_precision": right / max(1, answered)}


def rounded(m: dict) -> dict:
    return {k: round(v, 4) for k, v in m.items()}


def choose_threshold(probs: np.ndarray, preds: list[tuple[GoldQuestion, str]]) -> tuple[float, dict]:
    """The abstention threshold with the best mean F1 (compared unrounded)."""
    best = (-1.0, 0.5, {})
    for t in np.arange(0.1, 0.91, 0.01):
        m = scores_at(t, probs, preds)
        if m["f1"] > best[0] + 1e-9:
            best = (m["f1"], round(float(t), 2), rounded(m))
    return best[1], best[2]


def evaluate_dev(store: str, threshold: float, folder: Path = WEIGHTS) -> tuple[float, dict]:
    """Dev metrics of the models in ``folder``, at the threshold with the best dev F1 (the
    out-of-fold one breaks ties)."""
    from qa.engine import Engine
    from qa.evaluate.run import evaluate, summarize, QuestionResult
    from qa.settings import Settings

    engine = Engine(Settings.from_env(store=store, min_confidence=0.0, verify=False))
    use_weights(engine, folder)  # the models just written, not the shipped ones
    m = evaluate(engine, load_gold(DEV), k=5)
    results = [QuestionResult(**q) for q in m["questions"]]

    def at(t: float) -> list[QuestionResult]:
        out = []
        for r in results:
            if r.confidence < t:
                ok = not r.answers
                out.append(QuestionResult(**{**r.__dict__, "prediction": "", "abstained": True,
                                             "exact_match": float(ok), "f1": float(ok), "cited_relevant": None}))
            else:
                out.append(r)
        return out

    grid = [round(float(t), 2) for t in np.arange(0.1, 0.91, 0.02)]
    best = max(grid, key=lambda t: (summarize(at(t), 5)["f1"], -abs(t - threshold)))
    m = summarize(at(best), 5)
    return best, {k: m[k] for k in ("f1", "exact_match", "answerable", "unanswerable", "citation_precision",
                                    "answered_precision", "coverage")}


if __name__ == "__main__":
    sys.exit(main())
