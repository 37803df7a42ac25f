"""A real browser: Debian's Chromium, driven by Playwright, uses the served chat as a person would: a question and
its follow-up, the answer streaming in, a citation link opening the document viewer at the highlighted clause,
the Markdown export, and a 390-px phone screen. Skipped (with how to install it) where Chromium is missing.

Screenshots go to test-artifacts/ (or POLICYQA_TEST_SCREENSHOTS, e.g. docs/screenshots to refresh those)."""

import os
from pathlib import Path

import pytest

from app.api import create_app
from eval.fixtures import serving

CHROMIUM = os.environ.get("POLICYQA_TEST_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("POLICYQA_TEST_SCREENSHOTS", ROOT / "test-artifacts"))
REFUNDS = "广东省出口退税审批要在多少个工作日内完成？"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# records every length the last assistant message had, to see the answer arrive in pieces
WATCH_STREAM = """() => {
  window.__lengths = [];
  const chat = document.querySelector('#chat');
  new MutationObserver(() => {
    const bots = chat.querySelectorAll('[data-testid=bot]');
    if (bots.length) window.__lengths.push(bots[bots.length - 1].innerText.length);
  }).observe(chat, {subtree: true, childList: true, characterData: true});
}"""


@pytest.fixture(scope="module")
def server(real_service):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium` "
                    "(`make test` does this when run as root)")
    with serving(create_app(real_service.settings, qa=real_service)) as (host, port):
        yield f"http://{host}:{port}"


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


def _open(browser, server, **viewport):
    context = browser.new_context(viewport=viewport or {"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.goto(server, wait_until="domcontentloaded")
    page.locator("#question textarea").wait_for(timeout=60_000)
    return page


@pytest.fixture
def page(browser, server):
    page = _open(browser, server)
    yield page
    page.context.close()


def _ask(page, question: str, *, clause_id: str | None = None):
    """Ask and wait until the answer is complete (its citation cards are shown)."""
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    page.wait_for_function("q => [...document.querySelectorAll('#chat [data-testid=user]')].pop()?.innerText"
                           ".includes(q)", arg=question[:10], timeout=60_000)
    if clause_id:
        page.wait_for_function("id => document.querySelector('#citations .pqa-card')?.dataset.clauseId === id",
                               arg=clause_id, timeout=60_000)
    else:
        page.locator("#citations .pqa-card, #citations .pqa-none b").first.wait_for(timeout=60_000)
    page.wait_for_function("() => !document.querySelector('#citations')?.innerText.includes('Searching')",
                           timeout=60_000)
    return page.locator("#citations .pqa-card").first


def _last_answer(page) -> str:
    return page.locator("#chat [data-testid=bot]").last.inner_text()


def test_chinese_and_english_questions_show_the_right_citation_cards(page):
    card = _ask(page, REFUNDS, clause_id="gd-2014-stabilize-trade#6.18")
    assert card.locator(".pqa-label").inner_text() == "（十八）"
    assert card.locator(".pqa-issuer").inner_text() == "广东省人民政府办公厅"
    page.screenshot(path=str(SCREENSHOTS / "chat-zh.png"), full_page=True)

    page.locator("#new-conversation").click()
    card = _ask(page, "What does article 16 of Shenzhen Customs' 20 measures say?",
                clause_id="sz-customs-business-environment-20#16")
    assert card.locator(".pqa-issuer").inner_text() == "深圳海关"
    assert "According to" in _last_answer(page)
    page.screenshot(path=str(SCREENSHOTS / "chat-en.png"), full_page=True)


def test_a_follow_up_streams_in_and_uses_the_conversation(page):
    page.evaluate(WATCH_STREAM)
    _ask(page, "深圳对海外仓建设有哪些支持措施？", clause_id="sz-2024-foreign-trade-measures#3.10")
    lengths = page.evaluate("window.__lengths")
    growing = sorted(set(n for n in lengths if n > 10))
    assert len(growing) >= 5, f"the answer did not arrive in pieces: {lengths}"
    final = len(_last_answer(page))
    assert growing[0] < final / 4  # the frame came well before the rest

    card = _ask(page, "这些措施由哪些部门负责？", clause_id="sz-2024-foreign-trade-measures#3.10")
    answer = _last_answer(page)
    assert "责任单位：市商务局、交通运输局、各区政府" in answer and "现有语料中没有" not in answer
    assert "市商务局" in card.locator(".pqa-resp").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "chat-follow-up.png"), full_page=True)


def test_a_citation_link_opens_the_viewer_at_the_highlighted_clause(page):
    card = _ask(page, REFUNDS, clause_id="gd-2014-stabilize-trade#6.18")
    with page.context.expect_page() as opened:
        card.locator(".pqa-open").click()
    viewer = opened.value
    viewer.wait_for_load_state("domcontentloaded")
    assert "/documents/gd-2014-stabilize-trade?" in viewer.url and "#clause=gd-2014-stabilize-trade%236.18" in viewer.url
    target = viewer.locator('[id="clause-gd-2014-stabilize-trade#6.18"]')
    viewer.wait_for_function("() => document.querySelector('.clause.target') !== null", timeout=10_000)
    assert "target" in target.get_attribute("class")
    assert target.locator("details").get_attribute("open") is not None
    mark = target.locator("mark")
    assert "在20个工作日内完成退（免）税审批手续" in mark.inner_text()
    box = mark.bounding_box()
    height = viewer.evaluate("window.innerHeight")
    assert box and 0 <= box["y"] < height, f"the marked quote is not in view: {box}, viewport height {height}"
    assert viewer.locator(".clause mark").count() == 1
    assert "within 20 working days" in target.locator(".en").inner_text()
    viewer.screenshot(path=str(SCREENSHOTS / "viewer-clause.png"))
    # the [1] marker in the chat text links to the same place
    marker = page.locator("#chat [data-testid=bot]").last.locator("a", has_text="[1]")
    assert "#clause=gd-2014-stabilize-trade%236.18" in marker.get_attribute("href")


def test_the_conversation_exports_as_markdown(page):
    _ask(page, REFUNDS, clause_id="gd-2014-stabilize-trade#6.18")
    _ask(page, "该条由哪些部门负责？", clause_id="gd-2014-stabilize-trade#6.18")
    page.wait_for_function("() => !document.querySelector('#export').disabled", timeout=10_000)
    with page.expect_download() as download:
        page.locator("#export").click()
    md = Path(download.value.path()).read_text(encoding="utf-8")
    assert md.startswith("# PolicyQA 对话 Conversation")
    assert md.index(REFUNDS) < md.index("该条由哪些部门负责？")
    assert md.count("- 条款 Clause: gd-2014-stabilize-trade#6.18") == 2
    assert "- 发文机关 Issuer: 广东省人民政府办公厅 · 日期 Date: 2014-05-23" in md
    assert "- 链接 Link: </documents/gd-2014-stabilize-trade?clause=" in md
    # the single answer, from the link above the cards
    href = page.locator("#answer-md").get_attribute("href")
    body = page.request.get(page.url.rstrip("/") + href).text()
    assert body.startswith("## 问题 Question\n该条由哪些部门负责？")


def test_text_is_shown_as_text_and_buttons_need_no_emoji_font(page):
    _ask(page, '<img src=x onerror="window.__pwned=1"> 出口退税审批要多少个工作日？')
    assert page.locator("#chat img[src=x]").count() == 0
    assert page.evaluate("window.__pwned === undefined")
    assert '<img src=x onerror="window.__pwned=1">' in page.locator("#chat [data-testid=user]").last.inner_text()
    for button in ("#thumbs-up", "#thumbs-down"):
        label = page.locator(button).inner_text()
        assert label and all(ord(ch) < 0x2000 or 0x3000 <= ord(ch) <= 0x9FFF for ch in label), label


def test_the_page_works_on_a_390px_phone(browser, server):
    page = _open(browser, server, width=390, height=844)
    try:
        card = _ask(page, REFUNDS, clause_id="gd-2014-stabilize-trade#6.18")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        card.scroll_into_view_if_needed()
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        page.screenshot(path=str(SCREENSHOTS / "phone-390.png"), full_page=True)
        with page.context.expect_page() as opened:
            card.locator(".pqa-open").click()
        viewer = opened.value
        viewer.wait_for_function("() => document.querySelector('.clause.target') !== null", timeout=10_000)
        assert viewer.evaluate("document.documentElement.scrollWidth") <= 390
        viewer.screenshot(path=str(SCREENSHOTS / "phone-390-viewer.png"))
    finally:
        page.context.close()
