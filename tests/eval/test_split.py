"""The train/test split: assigned once, stratified by language and kind, never moved by new questions."""

from collections import Counter

from eval.gold import GoldQuestion, Split, load_gold, parse_line, select_split
from eval.split import assign_splits, stratum, write_splits


def _q(i: int, lang: str = "zh", tags: tuple[str, ...] = ("numeric",), split: Split | None = None) -> GoldQuestion:
    return GoldQuestion(f"q-{i:03d}", lang, "问题", True, (), tags, split)


def test_about_forty_percent_of_each_stratum_is_test():
    questions = [_q(i) for i in range(50)] + [_q(100 + i, "en", ("scenario",)) for i in range(20)]
    splits = assign_splits(questions)
    zh = Counter(splits[q.id] for q in questions if q.lang == "zh")
    en = Counter(splits[q.id] for q in questions if q.lang == "en")
    assert zh["test"] == 20 and zh["train"] == 30  # 40 % of 50
    assert en["test"] == 8 and en["train"] == 12   # 40 % of 20


def test_existing_splits_are_kept_and_new_questions_do_not_move_old_ones():
    old = [_q(i) for i in range(10)]
    first = assign_splits(old)
    fixed = [GoldQuestion(q.id, q.lang, q.question, q.answerable, q.evidence, q.tags, Split(first[q.id]))
             for q in old]
    second = assign_splits(fixed + [_q(50 + i) for i in range(10)])
    assert all(second[q.id] == first[q.id] for q in old)
    assert Counter(second.values())["test"] == 8  # the stratum as a whole stays at 40 %


def test_stratum_prefers_the_most_specific_kind():
    assert stratum(_q(1, "en", ("numeric", "unanswerable", "absent-figure"))) == ("en", "absent-figure")
    assert stratum(_q(2, "zh", ("colloquial", "scenario"))) == ("zh", "scenario")
    assert stratum(_q(3, "zh", ("tax",))) == ("zh", "other")


def test_write_splits_adds_the_field_and_keeps_the_rest(tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text('{"id": "a", "lang": "zh", "question": "出口退税？", "answerable": false, "evidence": [], '
                    '"tags": ["unanswerable"]}\n{"id": "b", "lang": "zh", "question": "q", "answerable": false, '
                    '"evidence": [], "split": "test"}\n', encoding="utf-8")
    assert write_splits(path, {"a": "train", "b": "train"}) == 1
    lines = path.read_text(encoding="utf-8").splitlines()
    a, b = parse_line(lines[0], "a"), parse_line(lines[1], "b")
    assert (a.split, b.split, a.question, a.tags) == (Split.TRAIN, Split.TEST, "出口退税？", ("unanswerable",))


# train-extra.jsonl is written for training only (every line "split": "train"); the 60/40 share is that of split-gold
TRAIN_ONLY = ("trx-", "trf-", "trg-", "trm-", "trn-", "trp-", "trt-", "trq-", "trs-")


def test_every_gold_question_has_a_split_stratified_by_language():
    gold = load_gold()
    assert all(q.split is not None for q in gold)
    assert all(q.split == "train" for q in gold if q.id.startswith(TRAIN_ONLY))
    assigned = [q for q in gold if not q.id.startswith(TRAIN_ONLY)]
    for lang in ("zh", "en"):
        mine = [q for q in assigned if q.lang == lang]
        share = len(select_split(mine, "test")) / len(mine)
        assert 0.35 <= share <= 0.45, (lang, share)
