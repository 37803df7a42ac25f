"""Document metadata: what each seed's text states, what the manifest adds, and what stays unknown."""

from __future__ import annotations

import shutil

import pytest

from ingest.errors import ManifestError
from ingest.manifest import Manifest, ManifestEntry, load_manifest
from ingest.metadata import extract, is_title_like, parse_date
from ingest.model import Block, Status
from ingest.pipeline import doc_id_for, parse_document
from tests.conftest import CORPUS
from tests.ingest.helpers import CUSTOMS, DRAFT, GD, SZ2022, SZ2024, parse_written

# ---------------------------------------------------------------------------------------------
# parse_date


@pytest.mark.parametrize(("text", "iso"), [
    ("2014年5月23日", "2014-05-23"),
    ("2024年2月20日", "2024-02-20"),
    (" 2024 年 2 月 20 日 ", "2024-02-20"),
    ("２０２４年２月２０日", "2024-02-20"),
    ("二〇二四年二月二十日", "2024-02-20"),
    ("二〇二四年十二月三十一日", "2024-12-31"),
    ("二零一四年五月二十三日", "2014-05-23"),
    ("二〇二四年二月二十九日", "2024-02-29"),  # a leap year
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", [
    "2024年13月1日",
    "2024年2月30日",           # no such day
    "2023年2月29日",           # not a leap year
    "二〇二四年二月三十日",
    "2024年2月0日",
    "2024年2月20日发布",        # a date line is only a date
    "自2014年5月1日起",
    "2024-02-20",
    "2024年2月",
    "",
])
def test_parse_date_rejects(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(("text", "title_like"), [
    ("深圳海关优化营商环境 20 条", True),
    ("广东省支持外贸稳定增长实施方案", True),
    ("深圳市促进内外贸一体化发展实施方案（征求意见稿）", True),
    ("深圳市推动跨境电子商务高质量发展行动方案（2022-2025）", True),
    ("深圳市推动外贸稳规模稳份额稳增长工作措施", True),
    ("一、促进产业贸易紧密联动", False),
    ("附錄", False),
    ("为深入贯彻党的二十大精神，制定本措施。", False),
    ("各有关单位：", False),
])
def test_is_title_like(text, title_like):
    assert is_title_like(text) is title_like


def _blocks(*texts: str) -> list[Block]:
    return [Block(t, i * 100, i * 100 + len(t)) for i, t in enumerate(texts)]


def test_extract_notice_signature_and_issued():
    stated = extract(_blocks("深圳市商务局关于印发《深圳市推动外贸稳规模稳份额稳增长工作措施》的通知", "各有关单位：",
                             "《深圳市推动外贸稳规模稳份额稳增长工作措施》已经市政府同意，现予以印发，请认真贯彻执行。",
                             "特此通知。", "深圳市商务局", "2024年2月20日"))
    assert (stated.title, stated.issuer, stated.date, stated.status) == (
        "深圳市推动外贸稳规模稳份额稳增长工作措施", "深圳市商务局", "2024-02-20", Status.ISSUED)


def test_extract_a_date_without_a_signature():
    stated = extract(_blocks("某某实施方案", "二〇二四年二月二十日"))
    assert (stated.title, stated.issuer, stated.date, stated.status) == ("某某实施方案", None, "2024-02-20", Status.UNKNOWN)


def test_extract_draft_note_under_the_title():
    stated = extract(_blocks("深圳市促进内外贸一体化发展实施方案", "（征求意见稿）", "为深入贯彻…，制定本实施方案。"))
    assert (stated.title, stated.status) == ("深圳市促进内外贸一体化发展实施方案（征求意见稿）", Status.DRAFT)


def test_extract_states_nothing_when_nothing_is_stated():
    stated = extract(_blocks("为深入贯彻落实有关精神，结合实际，制定本方案。"))
    assert (stated.title, stated.issuer, stated.date, stated.status) == (None, None, None, Status.UNKNOWN)


def test_extract_signature_in_the_tail():
    stated = extract(_blocks("某某实施方案"), _blocks("抄送：市政府办公厅。", "深圳市商务局", "2024年2月20日"))
    assert (stated.issuer, stated.date) == ("深圳市商务局", "2024-02-20")
    assert ("issuer", "深圳市商务局 2024年2月20日") in stated.evidence


def test_extract_does_not_pair_the_preamble_end_with_the_tail_start():
    """The body stands between them: a unit name closing the preamble is no signature for a date after the body."""
    stated = extract(_blocks("某某实施方案", "深圳市商务局"), _blocks("2024年2月20日"))
    assert (stated.issuer, stated.date) == (None, "2024-02-20")


def test_a_signature_after_the_last_clause(tmp_path):
    doc = parse_written(tmp_path, "signed.txt", "深圳市外贸工作方案\n\n一、总体要求\n\n（一）加强组织。各部门要加强组织领导。（市商务局负责）\n\n"
                        "（二）强化支持。加大资金支持力度。（市财政局负责）\n\n深圳市商务局\n\n2024年2月20日\n")
    assert (doc.meta.title, doc.meta.issuer, doc.meta.date) == ("深圳市外贸工作方案", "深圳市商务局", "2024-02-20")
    assert doc.meta.provenance == {"title": "text", "issuer": "text", "date": "text"}
    assert [(c.clause_id, c.text) for c in doc.clauses][-2:] == [
        ("signed#1.2", "（二）强化支持。加大资金支持力度。（市财政局负责）"),
        ("signed#p2", "深圳市商务局\n2024年2月20日"),
    ]


# ---------------------------------------------------------------------------------------------
# The seeds, from their text alone

TEXT_ONLY = {
    SZ2024: ("深圳市推动外贸稳规模稳份额稳增长工作措施", "深圳市商务局", "2024-02-20", Status.ISSUED),
    GD: ("广东省支持外贸稳定增长实施方案", "广东省人民政府办公厅", "2014-05-23", Status.ISSUED),
    # the text names no issuer and no date; it says it was formulated (制定), not issued
    CUSTOMS: ("深圳海关优化营商环境 20 条", None, None, Status.UNKNOWN),
    # an excerpt from a site; no issuer, no date, no statement of issue
    SZ2022: ("深圳市推动跨境电子商务高质量发展行动方案（2022-2025）", None, None, Status.UNKNOWN),
    DRAFT: ("深圳市促进内外贸一体化发展实施方案（征求意见稿）", None, None, Status.DRAFT),
}


@pytest.mark.parametrize("doc_id", list(TEXT_ONLY))
def test_seed_metadata_from_the_text_alone(seeds_text_only, doc_id):
    meta = seeds_text_only[doc_id].meta
    assert (meta.title, meta.issuer, meta.date, meta.status) == TEXT_ONLY[doc_id]
    assert (meta.source_url, meta.publisher, meta.title_en) == (None, None, None)
    stated = {k for k, v in zip(("title", "issuer", "date"), TEXT_ONLY[doc_id]) if v is not None}
    if TEXT_ONLY[doc_id][3] is not Status.UNKNOWN:
        stated.add("status")
    assert meta.provenance == {k: "text" for k in stated}
    assert meta.doc_id == doc_id  # the file name


def test_seed_metadata_with_the_manifest(seeds):
    metas = {doc_id: doc.meta for doc_id, doc in seeds.items()}
    assert (metas[SZ2024].issuer, metas[SZ2024].date, metas[SZ2024].status) == ("深圳市商务局", "2024-02-20", Status.ISSUED)
    assert metas[SZ2024].source_url == "https://www.sz.gov.cn/cn/xxgk/zfxxgj/tzgg/content/post_11150327.html"
    assert (metas[GD].issuer, metas[GD].date, metas[GD].status) == ("广东省人民政府办公厅", "2014-05-23", Status.ISSUED)
    # the manifest names the customs office as issuer; still no date, status unknown
    assert (metas[CUSTOMS].issuer, metas[CUSTOMS].date, metas[CUSTOMS].status) == ("深圳海关", None, Status.UNKNOWN)
    assert metas[CUSTOMS].provenance["issuer"] == "text"
    # the site that published sz-2022 is its publisher, not its issuer
    assert (metas[SZ2022].issuer, metas[SZ2022].publisher, metas[SZ2022].date) == (None, "深圳市商务局", None)
    assert (metas[DRAFT].issuer, metas[DRAFT].date, metas[DRAFT].status) == (None, None, Status.DRAFT)
    assert {doc_id: m.title for doc_id, m in metas.items()} == {doc_id: t[0] for doc_id, t in TEXT_ONLY.items()}


def test_seeds_agree_with_the_manifest(seeds):
    """The manifest restates what the texts say; no seed gives a disagreement warning."""
    assert {doc_id: doc.warnings for doc_id, doc in seeds.items()} == {doc_id: () for doc_id in seeds}


# ---------------------------------------------------------------------------------------------
# Manifest and text together


def _copy_with_manifest(tmp_path, doc_id: str, entry: str):
    shutil.copy(CORPUS / f"{doc_id}.txt", tmp_path / f"{doc_id}.txt")
    (tmp_path / "manifest.toml").write_text(
        f'[[document]]\nid = "renamed"\nfile = "{doc_id}.txt"\n{entry}\n', encoding="utf-8")
    return parse_document(tmp_path / f"{doc_id}.txt", load_manifest(tmp_path / "manifest.toml"))


def test_a_manifest_conflict_is_a_warning_and_the_manifest_wins(tmp_path):
    doc = _copy_with_manifest(tmp_path, GD, 'title = "广东省外贸实施方案"\ndate = { value = "2014-05-30", from = "source page" }')
    assert doc.meta.doc_id == "renamed"
    assert (doc.meta.title, doc.meta.date) == ("广东省外贸实施方案", "2014-05-30")
    assert doc.meta.provenance == {"title": "manifest", "date": "source page", "issuer": "text", "status": "text"}
    assert doc.warnings == (
        "manifest title '广东省外贸实施方案' differs from the text's '广东省支持外贸稳定增长实施方案'; using the manifest",
        "manifest date '2014-05-30' differs from the text's '2014-05-23'; using the manifest",
    )
    assert doc.clauses[0].clause_id.startswith("renamed#")


def test_a_status_conflict_is_a_warning(tmp_path):
    doc = _copy_with_manifest(tmp_path, DRAFT, 'status = "issued"')
    assert doc.meta.status is Status.ISSUED
    assert doc.warnings == ("manifest status 'issued' differs from the text's 'draft'; using the manifest",)


def test_spacing_and_width_differences_are_no_conflict(tmp_path):
    doc = _copy_with_manifest(tmp_path, CUSTOMS, 'title = "深圳海关优化营商环境２０条"')
    assert doc.warnings == ()
    assert doc.meta.title == "深圳海关优化营商环境２０条"


def test_what_neither_states_stays_unknown(tmp_path):
    doc = _copy_with_manifest(tmp_path, CUSTOMS, 'source_url = "http://example.org/x"')
    assert (doc.meta.issuer, doc.meta.date, doc.meta.status, doc.meta.publisher) == (None, None, Status.UNKNOWN, None)
    assert doc.meta.source_url == "http://example.org/x"


def test_a_file_not_in_the_manifest_gets_an_id_from_its_name(tmp_path, manifest):
    target = tmp_path / "Guangdong Plan 2014.txt"
    shutil.copy(CORPUS / f"{GD}.txt", target)
    doc = parse_document(target, manifest)
    assert doc.meta.doc_id == "guangdong-plan-2014"
    assert doc.meta.title == "广东省支持外贸稳定增长实施方案"


@pytest.mark.parametrize(("name", "doc_id"), [
    ("Guangdong Plan 2014.txt", "guangdong-plan-2014"),
    ("深圳 方案（试行）.md", "深圳-方案-试行"),
    ("ＡＢＣ.txt", "abc"),
    ("---.txt", "document"),
])
def test_doc_id_for(name, doc_id, tmp_path):
    assert doc_id_for(tmp_path / name) == doc_id


# ---------------------------------------------------------------------------------------------
# Manifest validation


@pytest.mark.parametrize(("body", "message"), [
    ('[[document]]\nid = "a b"\n', r"id 'a b' must be a short name"),
    ('[[document]]\nid = "a"\n[[document]]\nid = "a"\n', r"#2: id 'a' is used twice"),
    ('[[document]]\nid = "a"\ndate = "2024/02/20"\n', r"\(a\): date '2024/02/20' must be YYYY-MM-DD"),
    ('[[document]]\nid = "a"\ndate = "2024-02-30"\n', r"\(a\): date '2024-02-30' must be YYYY-MM-DD"),
    ('[[document]]\nid = "a"\nstatus = "in force"\n', r"\(a\): status 'in force'; use issued, draft or unknown"),
    ('[[document]]\nid = "a"\ntitle = { value = "T", from = "guess" }\n', r"\(a\): title.from = 'guess'"),
    ('[[document]]\nid = "a"\ntitle = 3\n', r"\(a\): title must be a string"),
    ('[[document]\n', r"not valid TOML"),
])
def test_manifest_errors_name_the_entry_and_the_problem(tmp_path, body, message):
    path = tmp_path / "manifest.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ManifestError, match=message):
        load_manifest(path)


def test_a_missing_manifest_is_empty(tmp_path):
    manifest = load_manifest(tmp_path / "manifest.toml")
    assert manifest.entries == ()
    assert manifest.for_file(CORPUS / f"{GD}.txt") is None


def test_the_corpus_manifest_finds_each_seed(manifest):
    assert isinstance(manifest, Manifest)
    for doc_id in TEXT_ONLY:
        entry = manifest.for_file(CORPUS / f"{doc_id}.txt")
        assert entry is not None and entry.doc_id == doc_id


def test_a_manifest_without_a_folder_matches_entries_by_file_name():
    manifest = Manifest(None, (ManifestEntry("a", "a.txt"), ManifestEntry("b", "sub/b.txt"), ManifestEntry("c", None)))
    assert manifest.for_file(CORPUS / "b.txt").doc_id == "b"
    assert manifest.for_file(CORPUS / "a.txt").doc_id == "a"
    assert manifest.for_file(CORPUS / "c.txt") is None


def _meta_of(tmp_path, text: str, name: str = "doc.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_document(path).meta


def test_a_title_printed_over_several_lines_is_read_whole(tmp_path):
    meta = _meta_of(tmp_path, "某市粮食局 某市财政局\n\n关于印发《某市粮食购销违法违规\n\n行为举报奖励实施细则（试行）》的通知\n\n"
                              "各区县粮食局：\n\n现将有关细则印发给你们，请认真遵照执行。\n\n第一条 甲。\n\n第二条 乙。\n\n第三条 丙。\n")
    assert meta.title == "某市粮食购销违法违规行为举报奖励实施细则（试行）"


def test_a_forwarded_document_is_the_title_even_under_a_sites_record(tmp_path):
    meta = _meta_of(tmp_path, "\t标　　题：\t某办公厅转发某局关于加强减灾工作意见的通知\n\n\t发文机关：\t某市人民政府办公厅\n\n"
                              "各区人民政府：\n\n某局《关于加强减灾工作的意见》已经市政府同意，现转发给你们，请认真贯彻执行。\n\n"
                              "一、总体要求\n\n（一）加强组织。内容。\n")
    assert (meta.title, meta.issuer, meta.status) == ("关于加强减灾工作的意见", "某市人民政府办公厅", Status.ISSUED)


def test_a_document_number_says_the_document_was_issued(tmp_path):
    meta = _meta_of(tmp_path, "关于调整工作时间的通知\n\n劳社部发[2008]3号\n\n各省劳动厅：\n\n一、计算\n\n内容如下。\n")
    assert meta.status is Status.ISSUED


def test_an_order_is_issued_by_the_organ_that_heads_it(tmp_path):
    meta = _meta_of(tmp_path, "中华人民共和国国务院令\n\n第792号\n\n《中华人民共和国示例管理条例》已经2024年9月18日国务院第41次常务会议"
                              "通过，现予公布，自2024年12月1日起施行。\n\n总理　某某\n\n2024年9月30日\n\n中华人民共和国示例管理条例\n\n"
                              "第一条 甲。\n\n第二条 乙。\n\n第三条 丙。\n")
    assert (meta.title, meta.issuer, meta.date, meta.status) == (
        "中华人民共和国示例管理条例", "中华人民共和国国务院", "2024-09-30", Status.ISSUED)


def test_a_text_that_fixes_the_day_it_takes_effect_was_issued(tmp_path):
    law = "示例条例\n\n第一条 甲。\n\n第二条 乙。\n\n第三条 本条例自2020年1月1日起施行。\n"
    assert _meta_of(tmp_path, law).status is Status.ISSUED
    assert _meta_of(tmp_path, law.replace("2020年1月1日", "公布之日"), "b.txt").status is Status.UNKNOWN
    assert _meta_of(tmp_path, law.replace("示例条例", "示例条例（征求意见稿）"), "c.txt").status is Status.DRAFT


def test_a_notice_title_without_book_title_marks_names_the_plan(tmp_path):
    meta = _meta_of(tmp_path, "某省人民政府关于印发某省优化营商环境创新示范实施方案的通知\n\n各市人民政府：\n\n现将实施方案印发给你们。\n\n"
                              "一、总体要求\n\n（一）加强组织。内容。\n")
    assert (meta.title, meta.issuer) == ("某省优化营商环境创新示范实施方案", "某省人民政府")
    meta = _meta_of(tmp_path, "某省人民政府关于加强安全生产工作的通知\n\n各市人民政府：\n\n一、总体要求\n\n（一）加强组织。内容。\n",
                    "b.txt")
    assert meta.title == "某省人民政府关于加强安全生产工作的通知"  # a notice of its own is its own title
