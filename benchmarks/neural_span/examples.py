"""Print 10 dev examples (first 8 answerable + first 2 unanswerable, in dev order) as a markdown table."""
import json, sys
p = json.load(open(sys.argv[1]))
items = list(p.items())
sel = [x for x in items if x[1]["gold"]][:8] + [x for x in items if not x[1]["gold"]][:2]
print("| id | question | gold | predicted (top span) | score (span - null) |\n|---|---|---|---|---|")
for i, d in sel:
    g = " / ".join(d["gold"]) or "(unanswerable)"
    pred = d["pred"] if d["score"] > 0 else f"(abstain; top span: {d['pred']})"
    print(f"| {i} | {d['question']} | {g} | {pred} | {d['score']:+.2f} |")
