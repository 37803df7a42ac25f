"""How well the parser cuts real statutes into articles: the 40 law files of the STARD development set.

    .venv/bin/python bench/parser_articles.py [--stard DIR] [--failures N]

The ground truth comes from the raw Markdown, independently of the parser: in the LawRefBook format
every article starts a line with its label and a space ("第五条 区内企业可以…", "第二百八十七条之二 明知…")
and runs to the next article, the next heading or the end of the file. A heading is a markdown heading
(## 第二章 …) or a short line without sentence punctuation right above an article ("（三）动产与权利担保"
in the 担保制度 interpretation: its sections are printed so); lines of zero-width spaces are blank.
An article counts as parsed when exactly one clause of its law is labelled as printed and that
clause's text is the whole article (compared NFKC-normalised, whitespace removed, as the gold
matching rule does). The queries' evidence is checked too: each `quote` must lie in the clause
labelled with its `article_label` in the evidence's file.

Prints the share of articles parsed, the failures, the evidence check and the ingest time.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from ingest.model import ParsedDocument
from ingest.pipeline import parse_document
from ingest.text import squash

ROOT = Path(__file__).resolve().parent.parent
_CANDIDATES = (ROOT.parent / "shared/external/stard-dev", ROOT.parent.parent / "shared/external/stard-dev")
# "第五条 " / "第二百八十七条之二 " at the start of a line, then a space (ASCII or ideographic)
_ARTICLE = re.compile(r"^(第[〇零一二三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?)[ \u3000]")


_INVISIBLE = " \t\u3000\u200b\u200c\u200d\u2060\ufeff"


def default_stard_dir() -> Path | None:
    return next((p for p in _CANDIDATES if (p / "docs").is_dir()), None)


def norm(text: str) -> str:
    return squash(text)


@dataclass(frozen=True, slots=True)
class Article:
    file: str
    label: str
    text: str  # the raw lines of the article, joined


def ground_truth(path: Path) -> list[Article]:
    """The articles of one LawRefBook Markdown file, read from its lines alone."""
    articles: list[Article] = []
    current: tuple[str, list[str]] | None = None
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip(_INVISIBLE)]
    for i, line in enumerate(lines):
        m = _ARTICLE.match(line)
        heading = line.startswith("#") or (
            len(line) <= 30 and not re.search(r"[，。；：,;:]", line) and i + 1 < len(lines)
            and bool(_ARTICLE.match(lines[i + 1])))
        if m or heading:
            if current:
                articles.append(Article(path.name, current[0], "\n".join(current[1])))
            current = (m.group(1), [line]) if m else None
        elif current:
            current[1].append(line)
    if current:
        articles.append(Article(path.name, current[0], "\n".join(current[1])))
    return articles


@dataclass(frozen=True, slots=True)
class Result:
    articles: int
    parsed: int
    failures: list[str]
    evidence: int
    evidence_ok: int
    evidence_failures: list[str]
    seconds: float

    @property
    def share(self) -> float:
        return self.parsed / self.articles if self.articles else 0.0


def measure(stard: Path) -> Result:
    files = sorted((stard / "docs").glob("*.md"))
    started = time.perf_counter()
    docs: dict[str, ParsedDocument] = {f.name: parse_document(f) for f in files}
    seconds = time.perf_counter() - started
    total = parsed = 0
    failures: list[str] = []
    for f in files:
        by_label: dict[str, list] = {}
        for c in docs[f.name].clauses:
            by_label.setdefault(c.label, []).append(c)
        for article in ground_truth(f):
            total += 1
            found = by_label.get(article.label, [])
            if len(found) == 1 and norm(found[0].text) == norm(article.text):
                parsed += 1
                continue
            if not found:
                why = "no clause with this label"
            elif len(found) > 1:
                why = f"{len(found)} clauses with this label"
            else:
                got, want = norm(found[0].text), norm(article.text)
                why = ("clause holds only part of the article" if want.startswith(got) else
                       "clause holds more than the article" if got.startswith(want) else "clause text differs")
                why += f" ({len(got)} of {len(want)} characters): …{got[-30:]}"
            failures.append(f"{f.name} {article.label}: {why}")
    evidence = ok = 0
    evidence_failures: list[str] = []
    queries = stard / "queries.jsonl"
    if queries.exists():
        for line in queries.read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            for ev in q["evidence"]:
                evidence += 1
                doc = docs.get(ev["file"])
                found = [c for c in doc.clauses if c.label == ev["article_label"]] if doc else []
                if len(found) == 1 and norm(ev["quote"]) in norm(found[0].text):
                    ok += 1
                else:
                    evidence_failures.append(f"{q['id']} {ev['file']} {ev['article_label']}: "
                                             f"{len(found)} clauses with the label, quote not in one")
    return Result(total, parsed, failures, evidence, ok, evidence_failures, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stard", type=Path, default=default_stard_dir(),
                        help="the STARD development set folder (with docs/ and queries.jsonl)")
    parser.add_argument("--failures", type=int, default=50, help="how many failures to list")
    args = parser.parse_args()
    if args.stard is None or not (args.stard / "docs").is_dir():
        parser.error(f"no STARD set at {args.stard}; pass --stard DIR (the folder holding docs/ and queries.jsonl)")
    r = measure(args.stard)
    print(f"articles parsed as one whole clause, labelled as printed: {r.parsed} of {r.articles} "
          f"({100 * r.share:.2f} %)")
    for failure in r.failures[:args.failures]:
        print("  " + failure)
    if len(r.failures) > args.failures:
        print(f"  … and {len(r.failures) - args.failures} more")
    print(f"evidence quotes in the clause of their article: {r.evidence_ok} of {r.evidence}")
    for failure in r.evidence_failures[:args.failures]:
        print("  " + failure)
    print(f"parse time of the {len(list((args.stard / 'docs').glob('*.md')))} law files: {r.seconds:.2f} s")


if __name__ == "__main__":
    main()
