"""Write an eval run as report.md, chart.png and results.json; compare with an earlier results.json.

    write_report(run, Path("eval/report"))  -> eval/report/{report.md, chart.png, results.json}
    compare(run_json, previous_json)        -> ["test/lang:en hit@1: 0.780 -> 0.812 (+0.032)", …]

Groups are named as in eval.runner.group_names: "all", "test", "test/lang:zh", "train/tag:scenario",
"test/kind:absent-figure"; figures are reported on the test split with train beside it.
"""

from __future__ import annotations

import json
from pathlib import Path

from .runner import EvalRun, cutoffs, to_json

RETRIEVAL = ("questions", "hit@1", "hit@{k}", "mrr", "recall@1", "recall@5", "recall@{k}")
ANSWERS = ("citation_coverage", "citation_precision", "issuer_accuracy", "clause_accuracy", "issuer_accuracy_cited",
           "clause_accuracy_cited", "responsible_accuracy", "responsible_exact",
           "refusal_rate_unanswerable", "false_refusal_rate", "short_figure", "figure_answered", "short_right",
           "latency_p50_ms", "latency_p95_ms")


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}" if value <= 1.0 else f"{value:.1f}"
    return str(value)


def baseline_names(run: EvalRun) -> list[str]:
    return sorted({n for r in run.results for n in r.baselines})


def columns(run: EvalRun, kind: str = "retrieval") -> list[str]:
    k = run.k
    if kind == "answers":
        return list(ANSWERS)
    names = list(dict.fromkeys(c.format(k=k) for c in RETRIEVAL if not c.startswith("recall@") or
                               int(c.format(k=k).split("@")[1]) in cutoffs(k)))
    for b in baseline_names(run):
        names += [f"{b}_hit@1", f"{b}_recall@{k}"]
    return names


def table(run: EvalRun, names: list[str], kind: str = "retrieval") -> str:
    cols = columns(run, kind)
    lines = ["| group | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for name in names:
        if name in run.groups:
            figures = run.groups[name]
            lines.append(f"| {name} | " + " | ".join(_fmt(figures.get(c)) for c in cols) + " |")
    return "\n".join(lines)


def headline_groups(run: EvalRun) -> list[str]:
    """all/train/test and their languages, in that order (those present)."""
    out = []
    for split in ("all", "train", "test"):
        prefix = "" if split == "all" else f"{split}/"
        if split in run.groups:
            out.append(split)
            out += [n for n in run.groups if n.startswith(f"{prefix}lang:")]
    return out


def _facet_rows(run: EvalRun, facet: str) -> list[str]:
    """Per tag (or kind): test then train rows side by side, or the unsplit rows when there is no split."""
    split_present = "test" in run.groups
    values = sorted({n.split("/")[-1] for n in run.groups if n.split("/")[-1].startswith(facet)})
    rows = []
    for v in values:
        rows += [f"test/{v}", f"train/{v}"] if split_present else [v]
    return rows


def reliability(results, bins: int = 10) -> list[dict]:
    """Predicted P(answers) of every retrieved clause against whether it holds evidence, in probability bins:
    [{"bin": "0.9-1.0", "mean_predicted": 0.95, "observed": 0.93, "count": 212}, …] (unanswerable: none does)."""
    pairs = [(p, bool(rel) and r.answerable) for r in results
             for p, rel in zip(r.evidence_scores, r.relevant or [False] * len(r.evidence_scores))]
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(p, y) for p, y in pairs if lo <= p < hi or (b == bins - 1 and p == hi)]
        if inside:
            out.append({"bin": f"{lo:.1f}-{hi:.1f}", "mean_predicted": round(sum(p for p, _ in inside) / len(inside), 4),
                        "observed": round(sum(y for _, y in inside) / len(inside), 4), "count": len(inside)})
    return out


def reliability_table(run: EvalRun) -> str:
    lines = ["| split | bin | mean predicted | observed | clauses |", "|---|---|---|---|---|"]
    for split in ("train", "test", None):
        chosen = [r for r in run.results if r.split == split]
        for row in reliability(chosen):
            lines.append(f"| {split or 'unsplit'} | {row['bin']} | {row['mean_predicted']:.3f} | {row['observed']:.3f} | "
                         f"{row['count']} |")
    return "\n".join(lines)


def markdown(run: EvalRun) -> str:
    failures = [r for r in run.results if r.answerable and not any(r.relevant[:1])]
    wrong_answers = [r for r in run.results if not r.answerable and not r.refused]
    wrong_refusals = [r for r in run.results if r.answerable and r.refused]
    no_short = [r for r in run.results if r.short_verbatim is False]
    parts = [
        "# PolicyQA evaluation", "",
        "Settings: " + ", ".join(f"{k}={v}" for k, v in run.settings.items()), "",
        "Tuning reads only the train split; the test split is what to report.", "",
        "## Retrieval", "", table(run, headline_groups(run)), "",
        "## Answers", "", table(run, headline_groups(run), "answers"), "",
        "## Retrieval by tag", "", table(run, _facet_rows(run, "tag:")), "",
        "## Answers by tag", "", table(run, _facet_rows(run, "tag:"), "answers"), "",
        "## Unanswerable questions by kind", "", table(run, _facet_rows(run, "kind:"), "answers"), "",
        "## Reliability of the answerability probabilities", "",
        "Every retrieved clause of the questions run: the probability that it answers, against whether it holds "
        "an evidence quote (never, for an unanswerable question).", "", reliability_table(run), "",
        f"## Answerable questions whose first retrieved clause is not relevant ({len(failures)})", "",
    ]
    parts += [f"- {r.id} ({r.split or '-'}): {r.question} — got {r.retrieved[0] if r.retrieved else 'nothing'}"
              for r in failures]
    parts += ["", f"## Unanswerable questions that were answered ({len(wrong_answers)})", ""]
    parts += [f"- {r.id} ({r.split or '-'}, {r.kind}): {r.question} — cited {', '.join(r.cited)}"
              for r in wrong_answers]
    parts += ["", f"## Answerable questions that were refused ({len(wrong_refusals)})", ""]
    parts += [f"- {r.id} ({r.split or '-'}): {r.question}" for r in wrong_refusals]
    parts += ["", f"## Answered figure questions without a verbatim short answer ({len(no_short)})", "",
              "`short_figure` in the tables: the share of answered figure questions (tagged numeric, or asking for "
              "days, a date, a percentage, an amount or a count) whose `short` is a substring of a cited clause; "
              "`short_right`: of those whose gold evidence gives a `short`, the share whose `short` holds it.", ""]
    parts += [f"- {r.id} ({r.split or '-'}): {r.question} — short {r.short!r}" for r in no_short]
    return "\n".join(parts) + "\n"


def chart(run: EvalRun, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    k = run.k
    groups = headline_groups(run)
    series = [("hit@1", "PolicyQA hit@1"), (f"recall@{k}", f"PolicyQA recall@{k}")]
    for b in baseline_names(run):
        series += [(f"{b}_hit@1", f"{b} hit@1"), (f"{b}_recall@{k}", f"{b} recall@{k}")]
    fig, ax = plt.subplots(figsize=(max(8, len(groups) * 1.4), 5))
    width = 0.8 / len(series)
    for i, (key, label) in enumerate(series):
        ax.bar([x + i * width for x in range(len(groups))], [run.groups[n].get(key) or 0 for n in groups],
               width, label=label)
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(groups))], groups, rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_title("Retrieval by split and language")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(run: EvalRun, folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"report": folder / "report.md", "chart": folder / "chart.png", "json": folder / "results.json"}
    paths["report"].write_text(markdown(run), encoding="utf-8")
    chart(run, paths["chart"])
    tmp = paths["json"].with_suffix(".json.tmp")
    tmp.write_text(json.dumps(to_json(run), ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(paths["json"])
    return paths


def compare(current: dict, previous: dict) -> list[str]:
    """One line per (group, metric) present in both runs whose value changed."""
    lines = []
    for group, figures in current["groups"].items():
        before = previous.get("groups", {}).get(group)
        if not before:
            continue
        for metric, value in figures.items():
            old = before.get(metric)
            if isinstance(value, (int, float)) and isinstance(old, (int, float)) and value != old:
                lines.append(f"{group} {metric}: {_fmt(old)} -> {_fmt(value)} ({value - old:+.3f})")
    return lines
