"""clean_line: markdown and indentation off, everything else verbatim."""

from __future__ import annotations

import pytest

from ingest.markup import clean_line


@pytest.mark.parametrize(("line", "expected"), [
    # markdown headings, as in sz-2022-cross-border-ecommerce
    ("### 一、总体要求", ("一、总体要求", True)),
    ("## **五、实施金融创新助企惠企行动**", ("五、实施金融创新助企惠企行动", True)),
    ("## 深圳市推动跨境电子商务高质量发展行动方案（2022-2025）", ("深圳市推动跨境电子商务高质量发展行动方案（2022-2025）", True)),
    ("# 标题 #", ("标题", True)),
    ("   ## 三个空格内仍是标题", ("三个空格内仍是标题", True)),
    # bold measure headings
    ("(一)**加强平台企业培育引进**。大力培育", ("(一)加强平台企业培育引进。大力培育", False)),
    ("**（三）推进产业园区提质增效。**推动产业园区", ("（三）推进产业园区提质增效。推动产业园区", False)),
    # indentation: full-width spaces (gd-2014), tabs, blanks, BOM, a trailing CR
    ("\u3000\u3000（一）完善进口目录和贴息政策。", ("（一）完善进口目录和贴息政策。", False)),
    ("\t序号", ("序号", False)),
    ("\ufeff一、总体要求\r", ("一、总体要求", False)),
    ("\u00a0 1、 总体要求  ", ("1、 总体要求", False)),
    # links: the text, unescaped; an empty text gives the address
    ("[http://commerce.sz.gov.cn/post\\\\_10194106.html](http://commerce.sz.gov.cn/post_10194106.html))",
     ("http://commerce.sz.gov.cn/post_10194106.html)", False)),
    ("见[商务局网站](http://a.cn)。", ("见商务局网站。", False)),
    ("[](http://a.cn/x)", ("http://a.cn/x", False)),
    # horizontal rules vanish; a dash that starts a line of text does not
    ("---", ("", False)),
    ("* * *", ("", False)),
    ("___", ("", False)),
    ("---**产业规模质量国内领先**。力争", ("---产业规模质量国内领先。力争", False)),
    # text that only looks like markup stays
    ("#号不是标题", ("#号不是标题", False)),
    ("推进“保税+ERP”监管改革", ("推进“保税+ERP”监管改革", False)),
    ("", ("", False)),
])
def test_clean_line(line, expected):
    assert clean_line(line) == expected
