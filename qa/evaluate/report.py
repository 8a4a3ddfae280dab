"""`qa eval --report DIR`: report.md, report.json and PNG charts."""

from __future__ import annotations

import json
from pathlib import Path


def metrics_table(m: dict) -> str:
    a, u, r = m["answerable"], m["unanswerable"], m["retrieval"]
    rows = [
        ("questions", m["n"]),
        ("exact match (all)", f"{m['exact_match']:.3f}"),
        ("F1 (all)", f"{m['f1']:.3f}"),
        (f"answerable: EM / F1 (n={a['n']})", f"{a['exact_match']:.3f} / {a['f1']:.3f}"),
        ("answerable: false abstention", f"{a['false_abstention']:.3f}"),
        (f"unanswerable: abstention accuracy (n={u['n']})", f"{u['abstention_accuracy']:.3f}"),
        (f"retrieval recall@1 / @5 / @{r['k']} (n={r['n']})", f"{r['recall@1']:.3f} / {r['recall@5']:.3f} / {r['recall@k']:.3f}"),
        ("retrieval MRR", f"{r['mrr']:.3f}"),
        ("answered precision (share of given answers that are right)", f"{m['answered_precision']:.3f}"),
        ("coverage (share of questions answered)", f"{m['coverage']:.3f}"),
        ("calibration error (ECE, 10 bins)", f"{m['calibration']['ece']:.3f}"),
        ("citation precision", f"{m['citation_precision']:.3f}"),
        ("quotes verbatim", f"{m['quotes_verbatim']:.3f}"),
        ("latency p50 / p95 (ms)", f"{m['latency_ms']['p50']:.0f} / {m['latency_ms']['p95']:.0f}"),
    ]
    if "lists" in m:
        li = m["lists"]
        rows.append((f"list questions: speaker P / R / F1 (n={li['n']})", f"{li['precision']:.3f} / {li['recall']:.3f} / {li['f1']:.3f}"))
        rows.append(("list questions: read as lists; warm p50 (ms)", f"{li['read_as_list']:.3f}; {li['latency_ms_p50']:.0f}"))
    if "statements" in m:
        st = m["statements"]
        rows.append((f"statements: citations by speaker & in dates / on topic (n={st['n']}, {st['citations']} cited)",
                     f"{st['speaker_and_dates']:.3f} / {st['on_topic']:.3f}"))
        rows.append(("statements: answered / 'none' right", f"{st['answered']:.3f} / {st['none_right']:.3f}"))
    if "verifier" in m:
        v = m["verifier"]
        rows.append(("LLM claims unverified, caught by the verifier", f"{v['unverified_caught']} of {v['claims']} ({v['share_caught']:.3f})"))
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def write_report(m: dict, folder: Path, title: str = "") -> None:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.json").write_text(json.dumps(m, indent=2, ensure_ascii=False))
    _charts(m, folder)
    failing = [q for q in m["questions"] if not q["passed"]]
    lines = [f"# Evaluation report{': ' + title if title else ''}", "", "| metric | value |", "|---|---|"]
    for row in metrics_table(m).splitlines():
        key, _, value = row.rpartition("  ")
        lines.append(f"| {key.strip()} | {value.strip()} |")
    lines += ["", "![metrics](metrics.png)", "", "![calibration](calibration.png)", "", "![latency](latency.png)", "",
              f"## Failing questions ({len(failing)} of {m['n']})", "",
              "| id | question | expected | got | cited source |", "|---|---|---|---|---|"]
    for q in failing:
        expected = " / ".join(q["answers"]) or "(abstain)"
        got = "(abstained)" if q["abstained"] else q["prediction"]
        lines.append(f"| {q['id']} | {_cell(q['question'])} | {_cell(expected)} | {_cell(got)} | {_cell(q['source'])} |")
    (folder / "report.md").write_text("\n".join(lines) + "\n")


def _cell(text: str) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 160 else text[:157] + "…"


def _charts(m: dict, folder: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = ["EM", "F1", "answerable F1", "abstention acc.", "recall@1", "recall@5", "MRR", "citation prec."]
    values = [m["exact_match"], m["f1"], m["answerable"]["f1"], m["unanswerable"]["abstention_accuracy"],
              m["retrieval"]["recall@1"], m["retrieval"]["recall@5"], m["retrieval"]["mrr"], m["citation_precision"]]
    fig, ax = plt.subplots(figsize=(8, 3.5))
    bars = ax.bar(names, values, color="#3b6ea5")
    ax.set_ylim(0, 1)
    ax.bar_label(bars, fmt="%.2f")
    ax.set_title("Answer and retrieval quality")
    plt.setp(ax.get_xticklabels(), rotation=20, ha="right")
    fig.tight_layout()
    fig.savefig(folder / "metrics.png", dpi=100)
    plt.close(fig)

    _calibration_chart(m, folder, plt)

    lat = [q["latency_ms"] for q in m["questions"]]
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.hist(lat, bins=30, color="#a5553b")
    for q, style in (("p50", "--"), ("p95", ":")):
        ax.axvline(m["latency_ms"][q], color="black", linestyle=style, label=f"{q} {m['latency_ms'][q]:.0f} ms")
    ax.set_xlabel("ms per question")
    ax.set_title("Answer latency")
    ax.legend()
    fig.tight_layout()
    fig.savefig(folder / "latency.png", dpi=100)
    plt.close(fig)


def _calibration_chart(m: dict, folder: Path, plt) -> None:
    """Reliability diagram (confidence against accuracy) and risk-coverage curve, side by side."""
    from qa.evaluate.metrics import calibration_bins

    pairs = [(q["confidence"], q["right"]) for q in m["questions"]]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.8))
    xs, ys, ns = [], [], []
    for lo, hi, members in calibration_bins(pairs):
        if members:
            xs.append(sum(c for c, _ in members) / len(members))
            ys.append(sum(1 for _, r in members if r) / len(members))
            ns.append(len(members))
    left.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect calibration")
    left.plot(xs, ys, marker="o", color="#3b6ea5", label=f"reader (ECE {m['calibration']['ece']:.3f})")
    for x, y, n in zip(xs, ys, ns):
        left.annotate(str(n), (x, y), textcoords="offset points", xytext=(4, -10), fontsize=7)
    _unit_square(left, "confidence", "share of answers right", "Reliability (n per bin)")
    rc = m["calibration"]["risk_coverage"]
    right.plot([p["coverage"] for p in rc], [1 - p["precision"] for p in rc], marker=".", color="#a5553b")
    right.axvline(m["coverage"], color="black", linestyle="--", label=f"at the threshold: coverage {m['coverage']:.2f}")
    _unit_square(right, "coverage (most confident share answered)", "risk (share of answers wrong)", "Risk-coverage")
    fig.tight_layout()
    fig.savefig(folder / "calibration.png", dpi=100)
    plt.close(fig)


def _unit_square(ax, xlabel: str, ylabel: str, title: str) -> None:
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8, loc="upper left")
