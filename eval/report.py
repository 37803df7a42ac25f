"""Write an eval run as report.md, chart.png and results.json; compare with an earlier results.json.

    write_report(run, Path("eval/report"))  -> eval/report/{report.md, chart.png, results.json}
    compare(run_json, previous_json)        -> ["all hit@1: 0.780 -> 0.812 (+0.032)", …]
"""

from __future__ import annotations

import json
from pathlib import Path

from .runner import EvalRun, to_json

HEADLINE = ("questions", "hit@1", "hit@{k}", "mrr", "recall@{k}", "baseline_hit@1", "baseline_hit@{k}",
            "citation_coverage", "issuer_accuracy", "clause_accuracy", "refusal_rate_unanswerable",
            "false_refusal_rate", "latency_p50_ms", "latency_p95_ms")


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}" if value <= 1.0 else f"{value:.1f}"
    return str(value)


def table(run: EvalRun, names: list[str]) -> str:
    columns = [c.format(k=run.k) for c in HEADLINE]
    lines = ["| group | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name in names:
        figures = run.groups[name]
        lines.append(f"| {name} | " + " | ".join(_fmt(figures.get(c)) for c in columns) + " |")
    return "\n".join(lines)


def markdown(run: EvalRun) -> str:
    main = [n for n in run.groups if n == "all" or n.startswith("lang:")]
    tags = [n for n in run.groups if n.startswith("tag:")]
    failures = [r for r in run.results if r.answerable and not any(r.relevant[:1])]
    wrong_refusals = [r for r in run.results if not r.answerable and not r.refused]
    parts = [
        "# PolicyQA evaluation",
        "",
        "Settings: " + ", ".join(f"{k}={v}" for k, v in run.settings.items()),
        "",
        "## By language",
        "",
        table(run, main),
        "",
        "## By tag",
        "",
        table(run, tags),
        "",
        f"## Answerable questions whose first retrieved clause is not relevant ({len(failures)})",
        "",
    ]
    parts += [f"- {r.id}: {r.question} — got {r.retrieved[0] if r.retrieved else 'nothing'}" for r in failures]
    parts += ["", f"## Unanswerable questions that were answered ({len(wrong_refusals)})", ""]
    parts += [f"- {r.id}: {r.question} — cited {', '.join(r.cited)}" for r in wrong_refusals]
    return "\n".join(parts) + "\n"


def chart(run: EvalRun, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    k = run.k
    langs = [n for n in run.groups if n == "all" or n.startswith("lang:")]
    tags = [n for n in run.groups if n.startswith("tag:")]
    fig, axes = plt.subplots(1, 2, figsize=(14, 5), gridspec_kw={"width_ratios": [1, 2]})
    series = [("hit@1", "PolicyQA hit@1"), (f"hit@{k}", f"PolicyQA hit@{k}"),
              ("baseline_hit@1", "baseline hit@1"), (f"baseline_hit@{k}", f"baseline hit@{k}")]
    width = 0.2
    for i, (key, label) in enumerate(series):
        axes[0].bar([x + i * width for x in range(len(langs))], [run.groups[n].get(key) or 0 for n in langs],
                    width, label=label)
    axes[0].set_xticks([x + 1.5 * width for x in range(len(langs))], langs)
    axes[0].set_ylim(0, 1.05)
    axes[0].set_title("Retrieval by language")
    axes[0].legend(fontsize=8)
    for i, (key, label) in enumerate(series[:2]):
        axes[1].bar([x + i * 0.4 for x in range(len(tags))], [run.groups[n].get(key) or 0 for n in tags], 0.4,
                    label=label)
    axes[1].set_xticks([x + 0.2 for x in range(len(tags))], [t.removeprefix("tag:") for t in tags], rotation=60,
                       ha="right", fontsize=8)
    axes[1].set_ylim(0, 1.05)
    axes[1].set_title("Retrieval by tag")
    axes[1].legend(fontsize=8)
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
