"""Property tests for the parser: generated documents that mix numbering schemes.

Whatever the mix (and with or without an annex table), every non-blank character lands in exactly
one clause or section heading, and the numbered units come out in document order, none lost and
none invented.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.blocks import split_blocks
from ingest.clauses import parse_structure
from ingest.header import read_header
from ingest.model import ClauseKind, ParsedDocument
from ingest.numbering import CN_NUMERAL, int_to_cn, match_label
from ingest.pipeline import parse_text
from tests.ingest.helpers import uncovered_and_overlaps

# Prose from characters that cannot start a label or a heading: no numerals (一 十 百 两 …), no 第, 附, 年/月/日,
# no brackets; every paragraph ends with "。", so it is never taken for a title, a signature or a cut line.
PROSE_CHARS = "政策支持企业发展市场服务贸易加快推进建设创新合作完善优化提升强化加大力度平台体系机制深圳外贸"
assert not set(PROSE_CHARS) & set(CN_NUMERAL + "第附年月日（）()")

REFERENCES = ["按照第{a}条规定", "依照本条例第{a}条、第{b}条", "第{a}条规定", "第{a}条、第{b}条", "第{a}条的",
              "第{a}条至第{b}条", "第{a}款所称", "（以下简称“三同”）", "依照第{a}条第{b}款"]

words = st.text(alphabet=PROSE_CHARS, min_size=2, max_size=20)
cn_numbers = st.integers(min_value=1, max_value=999)


@st.composite
def references(draw) -> str:
    template = draw(st.sampled_from(REFERENCES))
    return template.format(a=int_to_cn(draw(cn_numbers)), b=int_to_cn(draw(cn_numbers)))


@st.composite
def paragraphs(draw) -> str:
    """"加快推进建设，按照第三条规定深圳外贸。" and the like: 1–3 clauses of prose, maybe a reference, a full stop;
    maybe a page break inside a word of prose ("…工业园二\n\n期项目…"), never inside the reference (a line that
    is only "第三条" reads as a heading, whatever followed it on the page before)."""
    parts = draw(st.lists(words, min_size=1, max_size=3))
    if draw(st.booleans()):
        k = draw(st.integers(0, len(parts) - 1))
        cut = draw(st.integers(1, len(parts[k]) - 1))
        parts[k] = parts[k][:cut] + "\n\n" + parts[k][cut:]
    if draw(st.booleans()):
        parts.insert(draw(st.integers(0, len(parts))), draw(references()))  # at the start of the line, too
    return "，".join(parts) + "。"


@st.composite
def labels(draw) -> str:
    style = draw(st.sampled_from(["cn-dun", "cn-paren", "cn-paren-half", "ar-dot", "ar-paren", "di-tiao", "circled"]))
    n = draw(cn_numbers)
    return {
        "cn-dun": f"{int_to_cn(n)}、",
        "cn-paren": f"（{int_to_cn(n)}）",
        "cn-paren-half": f"({int_to_cn(n)})",
        "ar-dot": f"{n}.",
        "ar-paren": f"（{n}）",
        "di-tiao": f"第{int_to_cn(n)}条",
        "circled": chr(ord("①") + (n - 1) % 20),
    }[style]


@dataclass
class Generated:
    text: str
    labels: list[str]  # the numbered units' labels, in order
    annex_rows: int = 0


@st.composite
def documents(draw) -> Generated:
    """A policy document: numbering styles mixed at random, at most two 第X条 (three make a statute, where
    the article is the clause and its lists are items: see the statute properties below)."""
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append(draw(words) + "实施方案")  # a title
    lines += draw(st.lists(paragraphs(), max_size=3))  # preamble
    printed: list[str] = []
    for _ in range(draw(st.integers(1, 12))):
        label = draw(labels())
        if label.startswith("第") and sum(p.startswith("第") for p in printed) >= 2:
            label = label.replace("第", "（", 1).replace("条", "）")  # "第三条" -> "（三）"
        printed.append(label)
        gap = draw(st.sampled_from(["", " ", "\u3000"]))
        line = label + gap + draw(words)  # a heading line: "（三）加快推进"
        shape = draw(st.sampled_from(["heading", "text", "lead-in"]))
        if shape == "text":
            line += "。" + draw(paragraphs())  # or heading and text on one line
        elif shape == "lead-in":
            line += "，" + draw(words) + "以下方面："  # a lead-in announcing the parts that follow
        indent = draw(st.sampled_from(["", "\u3000\u3000", "  ", "## "]))
        lines.append(indent + line)
        lines += draw(st.lists(paragraphs(), max_size=2))
        if draw(st.integers(0, 4)) == 0:
            lines.append("按照上述" + draw(words) + "。")  # a paragraph that sums up what came before
    separators = draw(st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n", "\r\n", "\n \n"]),
                               min_size=len(lines), max_size=len(lines)))
    text = "".join(line + sep for line, sep in zip(lines, separators))
    rows = 0
    if draw(st.booleans()):
        annex, rows = draw(annexes())
        text += "\n" + annex
    return Generated(text, printed, rows)


@st.composite
def annexes(draw) -> tuple[str, int]:
    """附件, maybe a title and notes above, a task table (a cell a line, or a row a line), maybe notes below."""
    parts = ["附件" + draw(st.sampled_from(["", "1", "：任务分工表"]))]
    if draw(st.booleans()):
        parts.append(draw(words) + "任务分工表")
    parts += draw(st.lists(paragraphs(), max_size=2))
    one_cell_a_line = draw(st.booleans())
    rows = [("序号", "实施方案条款", "责任分工")]
    rows += [(str(n), draw(paragraphs()).replace("\n", ""), draw(st.sampled_from(["市商务局", "深圳海关牵头，各区负责"])))
             for n in range(1, draw(st.integers(1, 4)) + 1)]
    for row in rows:
        parts.append("\n".join("\t" + cell for cell in row) if one_cell_a_line else "\t" + "\t".join(row) + "\n\n")
        if row[0] != "序号" and draw(st.integers(0, 4)) == 0:
            parts.append(draw(paragraphs()))  # a note between rows
    parts += draw(st.lists(paragraphs(), max_size=2))  # notes below the table
    return "\n\n".join(parts) + "\n", len(rows) - 1


def _parse(text: str) -> ParsedDocument:
    _, structure = parse_text("gen", text)
    return ParsedDocument(meta=None, path="gen", sha256="", text=text, clauses=structure.clauses,  # type: ignore[arg-type]
                          sections=structure.sections, levels=structure.levels, warnings=structure.warnings)


@settings(max_examples=150, deadline=None)
@given(documents())
def test_every_character_lands_in_exactly_one_clause_or_heading(doc):
    parsed = _parse(doc.text)
    uncovered, overlaps = uncovered_and_overlaps(parsed)
    assert uncovered == [], [doc.text[i] for i in uncovered]
    assert overlaps == []


@settings(max_examples=150, deadline=None)
@given(documents())
def test_numbered_units_come_out_in_document_order(doc):
    parsed = _parse(doc.text)
    # a unit whose lead-in announces short parts is one clause, its parts its items
    units = sorted([(c.start, k, label) for c in parsed.clauses if c.label and c.kind is not ClauseKind.ANNEX_ROW
                    for k, label in enumerate([c.label] + [i.label for i in c.items])] +
                   [(s.start, 0, s.label) for s in parsed.sections])
    assert [label for _, _, label in units] == doc.labels  # every label once, nothing from prose or references
    rows = [c for c in parsed.clauses if c.kind is ClauseKind.ANNEX_ROW]
    assert [c.number for c in rows] == [str(n) for n in range(1, doc.annex_rows + 1)]
    assert [c.position for c in parsed.clauses] == list(range(len(parsed.clauses)))
    assert [c.start for c in parsed.clauses] == sorted(c.start for c in parsed.clauses)
    assert len({c.clause_id for c in parsed.clauses}) == len(parsed.clauses)


@settings(max_examples=200, deadline=None)
@given(references(), words)
def test_a_reference_is_never_a_label(reference, rest):
    assert match_label(reference + rest + "。") is None
    assert match_label(rest + reference + "。") is None


def test_references_in_and_at_the_start_of_sentences_are_not_headings():
    text = ("第一条 为了促进外贸发展，制定本办法。\n\n"
            "第二条 企业按照第三条规定办理手续。\n\n"
            "第三条 依照本条例第五条、第八条的规定执行。\n\n"
            "第五条、第八条所列情形除外。\n\n"                 # a reference at the start of a line
            "鼓励企业发展“同线同标同质”\n\n（以下简称“三同”）产品。\n\n"
            "第三条规定的期限届满的，依法处理。\n")
    _, structure = parse_text("t", text)
    assert [c.label for c in structure.clauses] == ["第一条", "第二条", "第三条"]
    assert structure.clauses[-1].text.split("\n") == [
        "第三条 依照本条例第五条、第八条的规定执行。", "第五条、第八条所列情形除外。", "鼓励企业发展“同线同标同质”",
        "（以下简称“三同”）产品。", "第三条规定的期限届满的，依法处理。"]
    assert structure.warnings == ()


def test_mixed_schemes_nest_in_the_order_first_used():
    """一、 > （一） > 1. > （1） > 第一条 > ①: a unit with children is a section, or an intro when text follows its heading."""
    text = "前言加快推进。\n\n一、政策\n\n（一）支持\n\n1.企业。发展市场。\n\n（1）服务\n\n第一条 贸易\n\n① 平台\n"
    assert [b.text for b in split_blocks(text)] == [
        "前言加快推进。", "一、政策", "（一）支持", "1.企业。发展市场。", "（1）服务", "第一条 贸易", "① 平台"]
    structure = parse_structure("t", split_blocks(text))
    assert [(c.label, c.kind.value, c.clause_id) for c in structure.clauses] == [
        ("", "unnumbered", "t#p1"), ("1.", "intro", "t#1.1.1"), ("①", "numbered", "t#1.1.1.1.1.1")]
    assert [s.label for s in structure.sections] == ["一、", "（一）", "（1）", "第一条"]
    assert structure.clauses[-1].path == ("一、政策", "（一）支持", "1.企业", "（1）服务", "第一条 贸易", "① 平台")
    assert structure.levels == ("cn-dun", "cn-paren", "ar-dot", "ar-paren", "di-条", "circled")


# ---------------------------------------------------------------------------------------------
# Statutes: generated laws with chapters, articles with lead-ins and lists (项, 目), paragraphs (款) after the
# lists, inserted articles (第X条之Y) and a LawRefBook metadata header.


@dataclass
class GeneratedStatute:
    text: str
    articles: list[tuple[str, str, list[str]]]  # (label, the article's lines joined, its item labels)
    chapters: list[str]  # the chapter and section headings' labels, in order (not those of a table of contents)


@st.composite
def statute_articles(draw, label: str) -> tuple[list[str], list[str]]:
    """The lines of one article and the labels of its items and sub-items."""
    lines = [label + draw(st.sampled_from([" ", "\u3000"])) + draw(paragraphs()).replace("\n\n", "")]
    items: list[str] = []
    for _ in range(draw(st.integers(0, 2))):  # 款: a paragraph, or a lead-in and its list
        if draw(st.booleans()):
            lines.append(draw(paragraphs()))
            continue
        lines[-1] = lines[-1].removesuffix("。") + "："
        for n in range(1, draw(st.integers(1, 5)) + 1):
            item = f"（{int_to_cn(n)}）"
            items.append(item)
            lines.append(item + draw(words) + "；")
            if draw(st.integers(0, 3)) == 0:
                lines[-1] = lines[-1].removesuffix("；") + "："
                for k in range(1, draw(st.integers(1, 3)) + 1):
                    items.append(f"{k}.")
                    lines.append(f"{k}." + draw(words) + "；")
        if draw(st.booleans()):
            lines.append(draw(paragraphs()))  # a paragraph after the list: the article's, not the last item's
    return lines, items


@st.composite
def statutes(draw) -> GeneratedStatute:
    lines: list[str] = []
    titled = draw(st.booleans())  # a statute's title tells it; without one, three articles or more do
    if titled:
        lines += ["# " + draw(words) + "法", "2018年12月29日 第十三届全国人民代表大会常务委员会第七次会议通过",
                  "<!-- INFO END -->"]
    articles: list[tuple[str, str, list[str]]] = []
    number = 0
    chapters = draw(st.integers(1, 3))
    titles = [draw(words) if draw(st.booleans()) else None for _ in range(chapters)]
    if any(titles) and draw(st.booleans()):  # a table of contents listing the chapters
        lines += ["目　　录"] + [f"第{int_to_cn(k)}章 {t}" for k, t in enumerate(titles, start=1) if t]
    paths: list[list[str]] = [[]]
    for chapter, title in enumerate(titles, start=1):
        if title:
            paths.append([f"第{int_to_cn(chapter)}章"])
            spaced = " ".join(title) if draw(st.booleans()) and len(title) <= 3 else title
            lines.append(draw(st.sampled_from(["## ", ""])) + f"第{int_to_cn(chapter)}章 {spaced}")
        sections = draw(st.integers(0, 2)) if title else 0  # 第一节, 第二节 inside the chapter
        for n in range(draw(st.integers(1 if titled or chapter > 1 else 3, 5))):
            if sections and n < sections:
                lines.append(f"第{int_to_cn(n + 1)}节 " + draw(words))
                paths[-1].append(f"第{int_to_cn(n + 1)}节")
            number += 1
            labels_ = [f"第{int_to_cn(number)}条"]
            labels_ += [f"第{int_to_cn(number)}条之{int_to_cn(k)}" for k in range(1, draw(st.integers(0, 2)) + 1)]
            for label in labels_:
                article, items = draw(statute_articles(label))
                lines += article
                articles.append((label, "".join(article), items))
    separators = draw(st.lists(st.sampled_from(["\n", "\n\n", "\r\n"]), min_size=len(lines), max_size=len(lines)))
    return GeneratedStatute("".join(line + sep for line, sep in zip(lines, separators)), articles,
                            [label for path in paths for label in path])


def _parse_statute(text: str) -> ParsedDocument:
    _, structure = parse_text("gen", text)
    return ParsedDocument(meta=None, path="gen", sha256="", text=text, clauses=structure.clauses,  # type: ignore[arg-type]
                          sections=structure.sections, levels=structure.levels, warnings=structure.warnings,
                          markup_spans=read_header(text).spans)


def _squeeze(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=150, deadline=None)
@given(statutes())
def test_every_article_is_one_whole_clause_and_every_body_character_is_in_one(doc):
    parsed = _parse_statute(doc.text)
    by_label = {}
    for c in parsed.clauses:
        by_label.setdefault(c.label, []).append(c)
    for label, text, items in doc.articles:
        found = by_label.get(label, [])
        assert len(found) == 1, (label, [c.label for c in parsed.clauses])
        assert _squeeze(found[0].text) == _squeeze(text)
        assert [i.label for i in found[0].items] == items
        for item in found[0].items:
            # an item is its own line and its sub-items' lines, never a paragraph after the list
            lines = found[0].text[item.start:item.end].split("\n")
            assert lines[0].startswith(item.label) and all(match_label(line) for line in lines)
    assert [c.label for c in parsed.clauses if c.label] == [label for label, _, _ in doc.articles]
    assert [s.label for s in parsed.sections] == doc.chapters
    assert len({c.clause_id for c in parsed.clauses}) == len(parsed.clauses)
    owners = [0] * len(doc.text)
    for start, end in [(c.start, c.end) for c in parsed.clauses] + [(s.start, s.end) for s in parsed.sections] + \
            list(parsed.markup_spans):
        for i in range(start, end):
            owners[i] += 1
    assert [doc.text[i] for i, n in enumerate(owners) if n != 1 and not doc.text[i].isspace()] == []
