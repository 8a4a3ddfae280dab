"""LoRA (or full) fine-tune of all-MiniLM-L6-v2 as a SQuAD2-style span extractor."""
import os, sys, json, time, argparse, random
os.environ["OMP_NUM_THREADS"] = "1"; os.environ["MKL_NUM_THREADS"] = "1"; os.environ["HF_HUB_OFFLINE"] = "1"
import torch
torch.set_num_threads(1)
from common import *
from transformers import AutoModelForQuestionAnswering

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
print(vars(args), flush=True)
torch.manual_seed(0); random.seed(0)
tok = tokenizer()
D = os.path.join(WORK, "data")
train = json.load(open(f"{D}/train.json")); held = json.load(open(f"{D}/holdout.json"))
feats = train_features(tok, train)
print("train examples", len(train), "features", len(feats), flush=True)
model = AutoModelForQuestionAnswering.from_pretrained(base_path())
if args.mode == "lora":
    from peft import LoraConfig, get_peft_model, TaskType
    cfg = LoraConfig(task_type=TaskType.QUESTION_ANS if args.task == "qa" else None, r=args.r, lora_alpha=2 * args.r, lora_dropout=0.1,
                     target_modules=args.targets.split(","), modules_to_save=["qa_outputs"])
    model = get_peft_model(model, cfg)
    model.print_trainable_parameters()
params = [p for p in model.parameters() if p.requires_grad]
opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
steps_per_epoch = (len(feats) + args.bs - 1) // args.bs
total = steps_per_epoch * args.epochs
warm = int(0.06 * total)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / max(1, warm), max(0.0, (total - s) / max(1, total - warm))))
log = {"args": vars(args), "epochs": []}
best = -1; t_start = time.time(); train_secs = 0.0; n_seen = 0
for ep in range(args.epochs):
    model.train()
    # length-bucketed shuffle: shuffle, then sort within chunks of 8 batches to cut padding
    idx = list(range(len(feats))); random.shuffle(idx)
    chunks = [sorted(idx[i:i + 8 * args.bs], key=lambda j: len(feats[j]["input_ids"])) for i in range(0, len(idx), 8 * args.bs)]
    batches = [c[i:i + args.bs] for c in chunks for i in range(0, len(c), args.bs)]
    random.shuffle(batches)
    t0 = time.time(); tot = 0.0
    for bi, b in enumerate(batches):
        batch = collate([feats[j] for j in b])
        out = model(**batch)
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step(); sched.step(); opt.zero_grad()
        tot += out.loss.item(); n_seen += len(b)
        if bi % 20 == 0:
            el = time.time() - t0
            print(f"ep {ep} batch {bi}/{len(batches)} loss {tot/(bi+1):.3f} {(bi+1)*args.bs/el:.2f} ex/s elapsed {(time.time()-t_start)/60:.1f} min", flush=True)
    ep_secs = time.time() - t0; train_secs += ep_secs
    model.eval()
    te = time.time()
    preds = predict(torch_runner(model), tok, held)
    m = score(preds, held)
    ev_secs = time.time() - te
    rec = dict(epoch=ep + 1, train_loss=tot / len(batches), epoch_secs=ep_secs, ex_per_s=len(feats) / ep_secs,
               holdout=m, holdout_eval_secs=ev_secs)
    log["epochs"].append(rec); print(json.dumps(rec), flush=True)
    crit = m["overall_F1_with_null"]
    if crit > best:
        best = crit
        if args.mode == "lora":
            model.save_pretrained(args.out)
        else:
            model.save_pretrained(args.out); tok.save_pretrained(args.out)
        log["best_epoch"] = ep + 1
        print("saved", args.out, flush=True)
    if (time.time() - t_start) / 60 > args.max_minutes and ep + 1 < args.epochs:
        print("time limit reached, stopping", flush=True); log["stopped_early"] = True; break
log["train_secs"] = train_secs; log["wall_secs"] = time.time() - t_start
json.dump(log, open(f"{args.out}_trainlog.json", "w"), indent=1)
print("done", json.dumps({"train_min": train_secs / 60, "wall_min": log["wall_secs"] / 60, "best_epoch": log.get("best_epoch")}), flush=True)
