"""A real browser: Debian's Chromium, driven by Playwright, asks the served chat one Chinese and one English
question and checks the citation cards. Skipped (with how to install it) where Chromium is missing."""

import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("POLICYQA_TEST_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(real_service):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium` "
                    "(`make test` does this when run as root)")
    import uvicorn

    from app.api import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(real_service.settings, qa=real_service), host="127.0.0.1", port=port,
                            log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 60
    while not srv.started and time.time() < deadline:
        time.sleep(0.1)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server, wait_until="domcontentloaded")
        page.locator("#question textarea").wait_for(timeout=60_000)
        yield page
        browser.close()


def _ask(page, question: str):
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    card = page.locator("#citations .pqa-card").first
    page.wait_for_function(
        "q => document.querySelector('#chat') && document.querySelector('#chat').innerText.includes(q)",
        arg=question[:12], timeout=60_000)
    card.wait_for(timeout=60_000)
    return card


def test_chinese_and_english_questions_show_the_right_citation_cards(page):
    SCREENSHOTS.mkdir(exist_ok=True)
    card = _ask(page, "广东省出口退税审批要在多少个工作日内完成？")
    assert card.get_attribute("data-clause-id") == "gd-2014-stabilize-trade#6.18"
    assert card.locator(".pqa-label").inner_text() == "（十八）"
    assert card.locator(".pqa-issuer").inner_text() == "广东省人民政府办公厅"
    page.screenshot(path=str(SCREENSHOTS / "chat-zh.png"), full_page=True)

    page.wait_for_timeout(500)
    _ask(page, "What does article 16 of Shenzhen Customs' 20 measures say?")
    page.wait_for_function(
        "() => document.querySelector('#citations .pqa-card')?.dataset.clauseId === "
        "'sz-customs-business-environment-20#16'", timeout=60_000)
    card = page.locator("#citations .pqa-card").first
    assert card.locator(".pqa-issuer").inner_text() == "深圳海关"
    assert "According to" in page.locator("#chat").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "chat-en.png"), full_page=True)
