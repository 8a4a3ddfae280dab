"""LoRA (or full) fine-tune of all-MiniLM-L6-v2 as a SQuAD2-style span extractor.

Command line: see RESULTS.md ("Reproduce"). ``train_span_model`` is the same loop as a function
(used by crossfit.py): with ``held`` it evaluates each epoch and keeps the best epoch (by holdout
overall F1), without it it keeps the final epoch."""
import os, sys, json, time, argparse, random
os.environ["OMP_NUM_THREADS"] = "1"; os.environ["MKL_NUM_THREADS"] = "1"; os.environ["HF_HUB_OFFLINE"] = "1"
import torch
torch.set_num_threads(1)
from common import *
from transformers import AutoModelForQuestionAnswering

DEFAULTS = dict(mode="lora", epochs=3, lr=5e-4, r=16, targets="query,key,value,dense", bs=16, max_minutes=40, task="none")


def train_span_model(tok, train, out, held=None, mode="lora", epochs=3, lr=5e-4, r=16,
                     targets="query,key,value,dense", bs=16, max_minutes=40, task="none",
                     seed=0, max_batches=None, log=print, args=None, select_best=True):
    """Fine-tune on `train` (prep.py examples) and save the adapter (or full model) to `out`,
    plus `{out}_trainlog.json`. Returns (model in eval mode, log dict). With `held` and select_best, the saved
    model is the best epoch (holdout overall F1), else the final epoch; the returned model is the final epoch."""
    log(json.dumps(args if args is not None else dict(mode=mode, epochs=epochs, lr=lr, r=r, targets=targets, bs=bs,
                                                      out=out, max_minutes=max_minutes, task=task, seed=seed,
                                                      max_batches=max_batches, n_train=len(train),
                                                      holdout=held is not None)))
    torch.manual_seed(seed); random.seed(seed)
    feats = train_features(tok, train)
    log(f"train examples {len(train)} features {len(feats)}")
    model = AutoModelForQuestionAnswering.from_pretrained(base_path())
    if mode == "lora":
        from peft import LoraConfig, get_peft_model, TaskType
        cfg = LoraConfig(task_type=TaskType.QUESTION_ANS if task == "qa" else None, r=r, lora_alpha=2 * r, lora_dropout=0.1,
                         target_modules=targets.split(","), modules_to_save=["qa_outputs"])
        model = get_peft_model(model, cfg)
        model.print_trainable_parameters()
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    steps_per_epoch = (len(feats) + bs - 1) // bs
    total = steps_per_epoch * epochs
    warm = int(0.06 * total)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / max(1, warm), max(0.0, (total - s) / max(1, total - warm))))
    tlog = {"args": args if args is not None else dict(mode=mode, epochs=epochs, lr=lr, r=r, targets=targets, bs=bs,
                                                       task=task, seed=seed, max_batches=max_batches, n_train=len(train)),
            "epochs": []}

    def save():
        model.save_pretrained(out)
        if mode != "lora":
            tok.save_pretrained(out)

    best = -1; t_start = time.time(); train_secs = 0.0; n_seen = 0
    for ep in range(epochs):
        model.train()
        # length-bucketed shuffle: shuffle, then sort within chunks of 8 batches to cut padding
        idx = list(range(len(feats))); random.shuffle(idx)
        chunks = [sorted(idx[i:i + 8 * bs], key=lambda j: len(feats[j]["input_ids"])) for i in range(0, len(idx), 8 * bs)]
        batches = [c[i:i + bs] for c in chunks for i in range(0, len(c), bs)]
        random.shuffle(batches)
        if max_batches:
            batches = batches[:max_batches]  # smoke test only
        t0 = time.time(); tot = 0.0; n_ep = 0
        for bi, b in enumerate(batches):
            batch = collate([feats[j] for j in b])
            o = model(**batch)
            o.loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step(); sched.step(); opt.zero_grad()
            tot += o.loss.item(); n_seen += len(b); n_ep += len(b)
            if bi % 20 == 0:
                el = time.time() - t0
                log(f"ep {ep} batch {bi}/{len(batches)} loss {tot/(bi+1):.3f} {(bi+1)*bs/el:.2f} ex/s elapsed {(time.time()-t_start)/60:.1f} min")
        ep_secs = time.time() - t0; train_secs += ep_secs
        model.eval()
        rec = dict(epoch=ep + 1, train_loss=tot / len(batches), epoch_secs=ep_secs, ex_per_s=n_ep / ep_secs)
        if held is not None:
            te = time.time()
            preds = predict(torch_runner(model), tok, held)
            m = score(preds, held)
            rec.update(holdout=m, holdout_eval_secs=time.time() - te)
        tlog["epochs"].append(rec); log(json.dumps(rec))
        if held is not None and select_best:
            crit = rec["holdout"]["overall_F1_with_null"]
            if crit > best:
                best = crit
                save()
                tlog["best_epoch"] = ep + 1
                log(f"saved {out}")
        if (time.time() - t_start) / 60 > max_minutes and ep + 1 < epochs:
            log("time limit reached, stopping"); tlog["stopped_early"] = True; break
    if held is None or not select_best:  # no selection: keep the final epoch
        save(); tlog["final_epoch"] = len(tlog["epochs"]); log(f"saved {out} (final epoch)")
    tlog["train_secs"] = train_secs; tlog["wall_secs"] = time.time() - t_start
    json.dump(tlog, open(f"{out}_trainlog.json", "w"), indent=1)
    log("done " + json.dumps({"train_min": train_secs / 60, "wall_min": tlog["wall_secs"] / 60,
                              "best_epoch": tlog.get("best_epoch"), "final_epoch": tlog.get("final_epoch")}))
    model.eval()
    return model, tlog


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="lora", choices=["lora", "full"])
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--r", type=int, default=16)
    ap.add_argument("--targets", default="query,key,value,dense")
    ap.add_argument("--bs", type=int, default=16)
    ap.add_argument("--out", default=os.path.join(WORK, "adapter"))
    ap.add_argument("--max_minutes", type=float, default=40)
    ap.add_argument("--task", default="none", choices=["none", "qa"], help="qa = peft TaskType.QUESTION_ANS (peft 0.21.2 drops token_type_ids in its forward!)")
    args = ap.parse_args()
    tok = tokenizer()
    D = os.path.join(WORK, "data")
    train = json.load(open(f"{D}/train.json")); held = json.load(open(f"{D}/holdout.json"))
    train_span_model(tok, train, args.out, held=held, mode=args.mode, epochs=args.epochs, lr=args.lr, r=args.r,
                     targets=args.targets, bs=args.bs, max_minutes=args.max_minutes, task=args.task,
                     log=lambda s: print(s, flush=True), args=vars(args))


if __name__ == "__main__":
    main()
