"""Cross-fitted fold models of the span extractor, for use as a reader feature on its own training questions.

Group of a train.jsonl item = source or near_source or id; fold = md5(group) % 5. For each fold f: train on all
train.jsonl examples (prep.py's train.json + holdout.json) whose fold != f, with the shipped adapter's settings
(lora, task qa = token types 0, 3 epochs, lr 5e-4, r 16, batch 16, seed 0, 1 thread), keep the final epoch,
merge + export to ONNX + int8 per-channel as export.py does, and score the fold's held-out questions with
span_model.span_scores (one question per call, as check_span_model.py).

    $PY crossfit.py --folds 0,1,2,3,4 --epochs 3
    $PY crossfit.py --extra --folds 0,1,2,3,4,all --outdir DIR   # + prep.py's extra.json (README: not kept)

With --extra every fold also trains on extra.json: the encyclopedic questions, and the train_more.jsonl
questions whose context document is outside the fold. Fold "all" trains on everything (the adapter
to ship) and, holding nothing out, writes no heldout_preds.json.
Writes $NEURAL_SPAN_WORK/folds/: f{f}/adapter/, f{f}/model.int8.onnx, f{f}/heldout_preds.json, folds.json
(id -> group, fold), log.txt, summary.json.
"""
import os, sys, json, time, argparse, hashlib, shutil
os.environ["OMP_NUM_THREADS"] = "1"; os.environ["MKL_NUM_THREADS"] = "1"; os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
import torch
torch.set_num_threads(1)
from common import *
from train import train_span_model
from export import load_merged, export_onnx
import span_model

K = 5


def group_of(d):
    return d.get("source") or d.get("near_source") or d["id"]


def fold_of(group, k=K):
    return int(hashlib.md5(group.encode()).hexdigest(), 16) % k


def heldout_scores(onnx_path, exs):
    """check_span_model.py-style: span_model.span_scores on one question per call, with the given model."""
    span_model.ONNX_PATH = onnx_path; span_model._sess = span_model._tok = None
    preds = {}
    for e in exs:
        s = span_model.span_scores(e["question"], e["context"])
        preds[e["id"]] = (e["context"][s[0][0]:s[0][1]], s[0][2], s) if s else ("", -1e9, [])
    span_model._sess = None
    return preds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", default="0,1,2,3,4")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--outdir", default=os.path.join(WORK, "folds"))
    ap.add_argument("--extra", action="store_true",
                    help="also train on prep.py's extra.json (train_more.jsonl outside the fold, and the encyclopedic questions)")
    ap.add_argument("--max_batches", type=int, default=None, help="smoke test: batches per epoch")
    ap.add_argument("--eval_epochs", action="store_true", help="also score the fold's held-out set (torch fp32) after each epoch (no selection, final epoch kept)")
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    logf = open(f"{args.outdir}/log.txt", "a")

    def log(s):
        line = time.strftime("%Y-%m-%d %H:%M:%S ") + str(s)
        print(line, flush=True); logf.write(line + "\n"); logf.flush()

    log(f"crossfit start {vars(args)} pid {os.getpid()}")
    tok = tokenizer()
    D = os.path.join(WORK, "data")
    ex = {e["id"]: e for n in ("train", "holdout") for e in json.load(open(f"{D}/{n}.json"))}
    jl = read_jsonl(f"{MAIN}/data/gold/train.jsonl")
    assert len(ex) == len(jl) == len({d["id"] for d in jl}), (len(ex), len(jl))
    extra = json.load(open(f"{D}/extra.json")) if args.extra else []
    # A transcript question's fold is its context document's, named as the reader's groups name it
    # (else a fold adapter could train on questions about its held-out documents); the encyclopedic
    # ones ("wiki:" groups) are in no fold.
    extra_fold = {}
    for e in extra:
        if not e["group"].startswith("wiki:"):
            assert os.path.isfile(f"{TRANS}/{e['group']}"), (e["id"], e["group"])
            extra_fold[e["id"]] = fold_of(e["group"])
    assign = {d["id"]: dict(group=group_of(d), fold=fold_of(group_of(d))) for d in jl}
    json.dump(assign, open(f"{args.outdir}/folds.json", "w"), indent=0)
    sp = f"{args.outdir}/summary.json"
    summary = json.load(open(sp)) if os.path.exists(sp) else {}
    summary["settings"] = dict(extra=args.extra, mode="lora", task="qa", epochs=args.epochs, lr=5e-4, r=16, bs=16, seed=0, threads=1,
                               keep="final epoch", quant="dynamic QInt8 per-channel", max_batches=args.max_batches,
                               heldout_scoring="span_model.span_scores, one question per call, token types 0, threshold 0",
                               group="source or near_source or id", fold="md5(group) % 5")
    summary.setdefault("folds", {})
    for f in [x if x == "all" else int(x) for x in args.folds.split(",")]:
        t_fold = time.time()
        fd = f"{args.outdir}/f{f}"; os.makedirs(fd, exist_ok=True)
        train = [ex[d["id"]] for d in jl if assign[d["id"]]["fold"] != f]  # train.jsonl order
        held = [ex[d["id"]] for d in jl if assign[d["id"]]["fold"] == f]
        assert not {assign[e["id"]]["group"] for e in train} & {assign[e["id"]]["group"] for e in held}
        more = [e for e in extra if extra_fold.get(e["id"]) != f]  # fold "all": everything (the shipped adapter)
        train += more
        log(f"fold {f}: train {len(train)} ({sum(1 for e in train if e['answers'])} answerable), "
            f"held-out {len(held)} ({sum(1 for e in held if e['answers'])} answerable), "
            f"groups {len({assign[e['id']]['group'] for e in held})} held-out")
        adapter = f"{fd}/adapter"
        model, tlog = train_span_model(tok, train, adapter, held=held if args.eval_epochs and held else None, select_best=False,
                                       mode="lora", task="qa", epochs=args.epochs, lr=5e-4, r=16, bs=16, seed=0,
                                       max_minutes=1e9, max_batches=args.max_batches, log=log)
        del model
        t0 = time.time()
        merged = load_merged(adapter)
        fp32, int8, xres = export_onnx(merged, tok, fd, t0)
        del merged
        os.remove(fp32)
        log(f"fold {f}: exported {int8} {json.dumps(xres)}")
        if not held:  # fold "all": nothing held out to score
            summary["folds"][str(f)] = dict(n_train=len(train), train_min=tlog["train_secs"] / 60, export=xres,
                                            onnx=int8, adapter=adapter)
            json.dump(summary, open(sp, "w"), indent=1)
            log(f"fold {f} done: train {tlog['train_secs'] / 60:.1f} min")
            continue
        t1 = time.time()
        preds = heldout_scores(int8, held)
        m = score(preds, held); eval_secs = time.time() - t1
        json.dump({e["id"]: dict(question=e["question"], gold=e["answers"], pred=preds[e["id"]][0], score=preds[e["id"]][1])
                   for e in held}, open(f"{fd}/heldout_preds.json", "w"), indent=1)
        rec = dict(n_train=len(train), n_train_answerable=sum(1 for e in train if e["answers"]),
                   n_heldout=len(held), n_heldout_answerable=sum(1 for e in held if e["answers"]),
                   train_min=tlog["train_secs"] / 60, train_wall_min=tlog["wall_secs"] / 60,
                   train_loss_per_epoch=[r["train_loss"] for r in tlog["epochs"]],
                   ex_per_s_per_epoch=[r["ex_per_s"] for r in tlog["epochs"]],
                   heldout_F1_never_abstain=m["ans_F1_never_abstain"], heldout_overall_F1_with_null=m["overall_F1_with_null"],
                   heldout=m, heldout_eval_secs=eval_secs, export=xres,
                   fold_wall_min=(time.time() - t_fold) / 60, onnx=int8, adapter=adapter)
        if args.eval_epochs:
            rec["heldout_torch_fp32_per_epoch"] = [r["holdout"] for r in tlog["epochs"]]
        summary["folds"][str(f)] = rec
        json.dump(summary, open(sp, "w"), indent=1)
        log(f"fold {f} done: train {rec['train_min']:.1f} min, held-out F1 never-abstain {m['ans_F1_never_abstain']:.3f}, "
            f"overall F1 {m['overall_F1_with_null']:.3f}, fold wall {rec['fold_wall_min']:.1f} min")
    log("crossfit done")


if __name__ == "__main__":
    main()
