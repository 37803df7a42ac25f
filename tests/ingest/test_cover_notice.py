"""A web page that sends a plan out under a cover notice, its headings in bold inline with their text."""

from __future__ import annotations

from ingest.model import ClauseKind, Status
from ingest.pipeline import parse_document, parse_text

PAGE = """<html><head><title>某市人民政府办公厅关于印发某市促进会展经济发展实施意见的通知</title></head><body>
<div class="header"><h1>某市人民政府办公厅</h1></div>
<div class="content">
<p>各区人民政府，市政府各部门、各直属机构：</p>
<p>　　现将《某市促进会展经济发展的实施意见》印发给你们，请认真贯彻执行。执行中遇到的问题，请径向市商务局反映。</p>
<p style="text-align:right">某市人民政府办公厅</p>
<p style="text-align:right">2022年5月10日</p>
<p style="text-align:center"><strong>某市促进会展经济发展的实施意见</strong></p>
<p>　　为加快会展经济发展，制定本意见。</p>
<p>　　<strong>一、指导思想。</strong>以新发展理念为引领，推动会展业高质量发展。</p>
<p>　　<strong>二、主要任务</strong></p>
<p>　　<strong>（一）培育品牌展会。</strong>支持举办中国某市科技交流会（简称“科交会”）等品牌展会。（市商务局、市科技局，各区（县级市）政府负责）</p>
<p>　　<strong>（二）完善场馆设施。</strong>推进场馆建设（3～12月）。（市发展改革委牵头，市住房城乡建设局配合）</p>
</div></body></html>
"""


def _page(tmp_path):
    path = tmp_path / "notice.html"
    path.write_text(PAGE, encoding="utf-8")
    return parse_document(path)


def test_the_title_is_the_plans_not_the_letterhead(tmp_path):
    meta = _page(tmp_path).meta
    assert (meta.title, meta.issuer, meta.date, meta.status) == (
        "某市促进会展经济发展的实施意见", "某市人民政府办公厅", "2022-05-10", Status.ISSUED)


def test_the_cover_notice_and_its_signature_stay_unnumbered_before_the_plan(tmp_path):
    doc = _page(tmp_path)
    unnumbered = [c.text for c in doc.clauses if c.kind is ClauseKind.UNNUMBERED]
    assert unnumbered[1].startswith("各区人民政府，市政府各部门、各直属机构：\n现将《某市")
    assert "某市人民政府办公厅\n2022年5月10日" in unnumbered


def test_bold_inline_headings_are_numbered_units(tmp_path):
    doc = _page(tmp_path)
    numbered = [(c.label, c.path[-1], c.text) for c in doc.clauses if c.kind is ClauseKind.NUMBERED]
    assert [n[:2] for n in numbered] == [("一、", "一、指导思想"), ("（一）", "（一）培育品牌展会"), ("（二）", "（二）完善场馆设施")]
    assert numbered[0][2] == "一、指导思想。以新发展理念为引领，推动会展业高质量发展。"
    _, s = parse_text("md", "**一、总体要求。**以新发展理念为引领。\n\n**二、主要任务。**推动会展业发展。\n")
    assert [(c.label, c.text) for c in s.clauses] == [("一、", "一、总体要求。以新发展理念为引领。"),
                                                       ("二、", "二、主要任务。推动会展业发展。")]


def test_units_are_agencies_only_and_roles_are_kept(tmp_path):
    doc = _page(tmp_path)
    first, second = [c for c in doc.clauses if c.label in ("（一）", "（二）")]
    assert first.responsible == ("市商务局", "市科技局", "各区政府")  # "（县级市）" is a scope, "科交会" an abbreviation
    assert "（简称“科交会”）" in first.text and "（3～12月）" in second.text
    assert (second.responsible, second.lead, second.support) == (
        ("市发展改革委", "市住房城乡建设局"), ("市发展改革委",), ("市住房城乡建设局",))
