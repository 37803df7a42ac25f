"""The evaluation and training commands of `policyqa` (eval, tune, split-gold), on top of the app's CLI.

    policyqa eval --corpus ../shared/external/stard-dev/docs --gold ../shared/external/stard-dev/queries.jsonl --k 10
    policyqa tune ranker --external-docs … --external-gold …   -> retrieval/models/ranker.{txt,json,card.json}, adapter.npz
    policyqa tune answerability                                 -> app/models/answerability.json
    policyqa tune intents --external-gold …                     -> retrieval/models/intents.json

eval sits on top of the other packages: it adds its commands to the app's command line, so the app never
imports eval. The console script `policyqa` is this module's `main`.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from app.cli import IndexDirOption, _err, _fail, _settings, app
from app.cli import main as app_main
from app.service import PolicyQA
from app.settings import Settings
from ingest.errors import PolicyQAError
from ingest.progress import RichProgress
from retrieval.builds import IndexDir

from .gold import load_gold, select_split
from .report import compare, headline_groups, table, write_report
from .runner import run_eval, to_json
from .split import assign_splits, write_splits


def eval_index_dir(settings: Settings, corpus: Path) -> Path:
    """Where `policyqa eval --corpus DIR` keeps DIR's index: one folder per corpus path, inside the index folder,
    so a second run finds it and (the input being unchanged) does no work: index/eval/docs-3f2a9c1e."""
    resolved = corpus.resolve()
    digest = hashlib.sha256(str(resolved).encode()).hexdigest()[:8]
    return settings.index_dir / "eval" / f"{resolved.name[:40]}-{digest}"


def corpus_settings(settings: Settings, corpus: Path) -> Settings:
    """The settings for evaluating on (or training with) another folder of documents: its own index cache, and
    its own resources/ when it has one, else the configured glossary, aliases and dictionary."""
    own = corpus / "resources"
    return settings.model_copy(update={"corpus_dir": corpus, "index_dir": eval_index_dir(settings, corpus),
                                       "resources_dir": own if own.is_dir() else settings.resources})


@app.command("eval")
def eval_command(gold: Annotated[Optional[list[Path]], typer.Option("--gold", help="gold JSONL file (repeatable; default eval/gold/*.jsonl)")] = None,
                 corpus: Annotated[Optional[Path], typer.Option("--corpus", help="evaluate on this folder of documents (indexed into a cache under the index folder)")] = None,
                 split: Annotated[str, typer.Option("--split", help="train, test or all")] = "all",
                 k: Annotated[int, typer.Option("--k", min=1, max=50)] = 5,
                 as_json: Annotated[bool, typer.Option("--json", help="print the figures as JSON")] = False,
                 report: Annotated[Optional[Path], typer.Option("--report", help="write report.md, chart.png, results.json here")] = None,
                 compare_to: Annotated[Optional[Path], typer.Option("--compare", help="an earlier results.json: print the deltas")] = None,
                 baseline: Annotated[bool, typer.Option("--baseline/--no-baseline", help="run the baselines beside")] = True,
                 index_dir: IndexDirOption = None) -> None:
    """Run gold questions: retrieval, answer and latency figures per split, beside the baselines.

    Builds the index first when there is none; with --corpus, on that folder (plain BM25 baseline beside).
    """
    if split not in ("train", "test", "all"):
        raise _fail(f"--split {split!r} must be train, test or all", 2)
    settings = _settings(index_dir)
    if corpus is not None:
        if not corpus.is_dir():
            raise _fail(f"--corpus {corpus} is not a folder of documents", 2)
        settings = corpus_settings(settings, corpus)
    qa = PolicyQA(settings)
    previous = None
    if compare_to is not None:
        try:
            previous = json.loads(compare_to.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise _fail(f"cannot read {compare_to} as an earlier results.json: {exc}", 2) from None
    try:
        questions = select_split(load_gold(list(gold) if gold else None), split)
        if not questions:
            raise _fail(f"no questions in split {split!r} of the gold files", 2)
        with RichProgress() as progress:
            if corpus is not None or IndexDir(settings.index_dir).current() is None:
                _err(f"indexing {settings.corpus_dir} into {settings.index_dir} (cached: unchanged input is not re-embedded)")
                ingest_report = qa.ingest(progress=progress)
                for problem in ingest_report.errors:
                    _err(f"warning: {problem}")
            baselines = ("naive", "bm25") if baseline and corpus is not None else ("naive",) if baseline else ()
            run = run_eval(qa, questions, k=k, baselines=baselines, progress=progress)
    except PolicyQAError as exc:
        raise _fail(exc) from None
    data = to_json(run)
    if as_json:
        sys.stdout.write(json.dumps({"k": k, "settings": run.settings, "groups": run.groups}, ensure_ascii=False) + "\n")
    else:
        typer.echo(table(run, headline_groups(run)))
        typer.echo(table(run, headline_groups(run), "answers"))
    if report is not None:
        paths = write_report(run, report)
        _err(f"report written: {paths['report']}, {paths['chart']}, {paths['json']}")
    if previous is not None:
        for line in compare(data, previous) or ["no differences"]:
            _err(line)


tune = typer.Typer(add_completion=False, no_args_is_help=True, help="Train the learned parts on the gold train split.")
app.add_typer(tune, name="tune")


def _training_sets(split_gold: list[Path] | None, external_docs: Path | None, external_gold: Path | None,
                   index_dir: Path | None) -> list:
    """The gold train split over the configured corpus, and the external set (all its questions) if given."""
    from .train import TrainingSet  # LightGBM and scikit-learn: only for training

    settings = _settings(index_dir)
    qa = PolicyQA(settings)
    if IndexDir(settings.index_dir).current() is None:
        qa.ingest()
    sets = [TrainingSet("gold-train", qa, select_split(load_gold(list(split_gold) if split_gold else None), "train"))]
    if (external_docs is None) != (external_gold is None):
        raise _fail("give both --external-docs and --external-gold, or neither", 2)
    if external_docs is not None:
        qa_ext = PolicyQA(corpus_settings(settings, external_docs))
        qa_ext.ingest()
        sets.append(TrainingSet(external_gold.stem if external_gold.stem != "queries" else external_docs.parent.name,
                                qa_ext, load_gold([external_gold])))
    return sets


GoldOption = Annotated[Optional[list[Path]], typer.Option("--gold", help="gold files (default eval/gold/*.jsonl); only their train split is read")]
ExternalDocs = Annotated[Optional[Path], typer.Option("--external-docs", help="an external development corpus, e.g. ../shared/external/stard-dev/docs")]
ExternalGold = Annotated[Optional[Path], typer.Option("--external-gold", help="its questions, e.g. ../shared/external/stard-dev/queries.jsonl")]


@tune.command("ranker")
def tune_ranker(gold: GoldOption = None, external_docs: ExternalDocs = None, external_gold: ExternalGold = None,
                folds: Annotated[int, typer.Option("--folds", min=2, max=20)] = 5,
                out: Annotated[Path, typer.Option("--out", help="folder for ranker.txt, ranker.json, ranker.card.json")] = Path("retrieval/models"),
                cache: Annotated[Optional[Path], typer.Option("--cache", help="keep the ranking examples as JSON here (e.g. /tmp/policyqa-ranker); delete it after a change of index or search")] = None,
                adapter: Annotated[bool, typer.Option("--adapter/--no-adapter", help="also fit the question adapter the ranker ranks with (adapter.npz; on the external set's questions)")] = True,
                index_dir: IndexDirOption = None) -> None:
    """Train the question adapter and the LambdaRank ranker; every set's figures are also reported out of fold.
    Re-run `policyqa ingest` after."""
    from .train import train_ranker

    try:
        with RichProgress() as progress:
            sets = _training_sets(gold, external_docs, external_gold, index_dir)
            card = train_ranker(sets, out_dir=out, folds=folds,
                                fold_set=sets[1].name if len(sets) > 1 else None, progress=progress,
                                cache_dir=cache, adapt=adapter)
    except PolicyQAError as exc:
        raise _fail(exc) from None
    sys.stdout.write(json.dumps({"sets": card["sets"], "out_of_fold": card["out_of_fold"], "adapter": card["adapter"]},
                                ensure_ascii=False,
                                indent=1) + "\n")
    if adapter and card["adapter"] is None:
        _err("no question adapter: it is fitted on the external set's Chinese questions (--external-docs, "
             "--external-gold); the ranker was trained without one, and any old adapter.npz removed")
    _err(f"written: {out / 'ranker.txt'}, {out / 'ranker.json'}, {out / 'ranker.card.json'}"
         + (f", {out / 'adapter.npz'}" if card["adapter"] is not None else "") + "; "
         "re-run `policyqa ingest` so builds use it")


@tune.command("answerability")
def tune_answerability(gold: GoldOption = None, external_docs: ExternalDocs = None, external_gold: ExternalGold = None,
                       k: Annotated[int, typer.Option("--k", min=1, max=50)] = 10,
                       out: Annotated[Path, typer.Option("--out")] = Path("app/models/answerability.json"),
                       index_dir: IndexDirOption = None) -> None:
    """Fit the calibrated answerability model and its threshold (out-of-fold) on the train split."""
    from .train import train_answerability

    try:
        with RichProgress() as progress:
            sets = _training_sets(gold, external_docs, external_gold, index_dir)
            card = train_answerability(sets, out_path=out, k=k, progress=progress)
    except PolicyQAError as exc:
        raise _fail(exc) from None
    sys.stdout.write(json.dumps(card, ensure_ascii=False, indent=1) + "\n")
    _err(f"written: {out}")


@tune.command("intents")
def tune_intents(gold: GoldOption = None, external_gold: ExternalGold = None,
                 written: Annotated[Optional[Path], typer.Option("--written", help="the team's training questions (default eval/intent_questions.jsonl)")] = None,
                 folds: Annotated[int, typer.Option("--folds", min=2, max=20)] = 5,
                 out: Annotated[Path, typer.Option("--out")] = Path("retrieval/models/intents.json")) -> None:
    """Fit the intent classifier (advice, in force, injection, smalltalk) and its threshold (out of fold) on the train split;
    the external set's questions (all answerable) are negatives. Re-fit `tune answerability` after."""
    from .intent_train import WRITTEN, load_examples, summary, train_intents

    try:
        examples = load_examples(select_split(load_gold(list(gold) if gold else None), "train"),
                                 {external_gold.parent.name if external_gold.stem == "queries" else external_gold.stem:
                                  load_gold([external_gold])} if external_gold is not None else None,
                                 written or WRITTEN)
        card = train_intents(examples, out_path=out, folds=folds)
    except PolicyQAError as exc:
        raise _fail(exc) from None
    sys.stdout.write(json.dumps(card, ensure_ascii=False, indent=1) + "\n")
    _err(summary(card["out_of_fold"].items()))
    _err(f"written: {out}")


@app.command("split-gold")
def split_gold(files: Annotated[list[Path], typer.Argument(help="gold files; questions without a split get one")]) -> None:
    """Assign the train/test split once to questions that have none (stratified by language and kind)."""
    try:
        splits = assign_splits(load_gold(list(files)))
        for path in files:
            typer.echo(f"{path}: {write_splits(path, splits)} question(s) given a split")
    except PolicyQAError as exc:
        raise _fail(exc) from None


def main() -> None:
    """The `policyqa` console script: the app's commands and these, with the app's error handling."""
    app_main()


if __name__ == "__main__":
    main()
