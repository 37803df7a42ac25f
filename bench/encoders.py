"""Dense-only retrieval per encoder, to choose the default encoder stack by measurement (train split only).

    .venv/bin/python bench/encoders.py [--external-docs ../shared/external/stard-dev/docs
                                        --external-gold ../shared/external/stard-dev/queries.jsonl]

For each (question language, passage language, encoder) it ranks clauses by their best passage's cosine and
prints hit@5 (gold train split, answerable questions) and recall@10 (the external set). It reads the built
indexes: the primary encoder (multilingual-e5-small) is indexed over Chinese passages and English reference
translations, the cross encoder (USE) over the Chinese passages; both embed the question.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from app.service import PolicyQA  # noqa: E402
from app.settings import Settings  # noqa: E402
from eval.cli import corpus_settings  # noqa: E402
from eval.gold import load_gold, select_split  # noqa: E402
from eval.metrics import mean, recall_at_k, relevance  # noqa: E402


def ranked_texts(qa: PolicyQA, question: str, language: str, encoder: str, k: int) -> list[str]:
    index = qa.index
    dense = index.dense.get((language, encoder))
    if dense is None:
        return []
    embedder = qa.encoders.primary if encoder == "primary" else qa.encoders.cross
    ids, _ = dense.search(embedder.embed_query(question), k * 4)
    out: list[int] = []
    for p in ids:
        c = int(index.passage_clause[language][p])
        if c not in out:
            out.append(c)
    return [index.clauses[c].text for c in out[:k]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--external-docs", type=Path)
    parser.add_argument("--external-gold", type=Path)
    args = parser.parse_args()
    qa = PolicyQA(Settings())
    train = [q for q in select_split(load_gold(), "train") if q.answerable]
    combos = [("zh", "zh"), ("en", "en"), ("en", "zh")]
    print("gold train split, dense only, hit@5 (encoder: e5 = multilingual-e5-small, use = USE multilingual v3)")
    for q_lang, p_lang in combos:
        questions = [q for q in train if q.lang == q_lang]
        for encoder, name in (("primary", "e5"), ("cross", "use")):
            if (p_lang, encoder) not in qa.index.dense:
                continue
            hits = [any(relevance(ranked_texts(qa, q.question, p_lang, encoder, 5), q.evidence)) for q in questions]
            print(f"  {q_lang} questions vs {p_lang} passages, {name}: hit@5 {mean(hits):.3f} ({len(questions)} questions)")
    if args.external_docs and args.external_gold:
        qa_ext = PolicyQA(corpus_settings(Settings(), args.external_docs))
        questions = load_gold([args.external_gold])
        for encoder, name in (("primary", "e5"), ("cross", "use")):
            r = [recall_at_k(ranked_texts(qa_ext, q.question, "zh", encoder, 10), q.evidence, 10) for q in questions]
            print(f"external set, zh questions vs zh passages, {name}: recall@10 {mean(r):.3f} ({len(questions)} questions)")


if __name__ == "__main__":
    main()
