"""The web face's pure parts: the token bucket, choosing the visitor's language, the
HTML builders' escaping, and the served apps' page with no font from outside."""

from __future__ import annotations

import re
from pathlib import Path

import textual_serve

from frontdesk.cli.serve import local_page
from frontdesk.web.html import attrs, esc
from frontdesk.web.limits import RateLimit
from frontdesk.web.words import choose_language


async def _app(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
    return None


def test_a_bucket_allows_a_burst_then_the_rate() -> None:
    now = [0.0]
    bucket = RateLimit(_app, rate=2.0, burst=3, clock=lambda: now[0])
    assert [bucket.allow("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.allow("a") == 0.5  # empty: the next token in half a second
    assert bucket.allow("b") == 0.0  # another client has its own bucket
    now[0] += 0.5
    assert bucket.allow("a") == 0.0
    now[0] += 100
    assert [bucket.allow("a") for _ in range(3)] == [0.0, 0.0, 0.0]  # never above the burst


def test_the_buckets_kept_are_bounded() -> None:
    bucket = RateLimit(_app, rate=1.0, burst=1, clock=lambda: 0.0)
    bucket.MAX_CLIENTS = 10
    for n in range(50):
        bucket.allow(f"10.0.0.{n}")
    assert len(bucket._buckets) == 10


def test_the_visitors_language() -> None:
    assert choose_language("pl", "ro", "en") == "pl"
    assert choose_language("xx", "ro-RO,ro;q=0.9,en;q=0.8", "en") == "ro"
    assert choose_language(None, "en;q=0.5, cy;q=0.9", "en") == "cy"
    assert choose_language(None, "de, fr;q=0.8", "cy") == "cy"
    assert choose_language(None, "pl;q=0, en;q=0.1", "ro") == "en"
    assert choose_language(None, "pl;q=bad", "en") == "en"
    assert choose_language(None, None, "xx") == "en"


def test_html_builders_escape_everything() -> None:
    assert esc('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"
    assert attrs(data_status='/t/"><script>', class_="x") == (
        ' data-status="/t/&quot;&gt;&lt;script&gt;" class="x"'
    )
    assert attrs(data_poll=None) == ""


def test_the_served_apps_page_loads_its_font_from_this_server() -> None:
    template = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    page = local_page(template.read_text(encoding="utf-8"))
    addresses = set(re.findall(r"https?://[^\s\"')]+", page))
    assert addresses <= {"http://www.w3.org/2000/svg"}  # an XML namespace, never fetched
    assert "{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf" in page
    font = template.parents[1] / "static" / "fonts" / "RobotoMono-VariableFont_wght.ttf"
    assert font.exists()


def test_the_served_page_listens_for_larger_text_before_textual_starts() -> None:
    from frontdesk.ui.served import TEXT_SCALE_URL

    template = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    page = local_page(template.read_text(encoding="utf-8"))
    assert f'const PREFIX = "{TEXT_SCALE_URL}"' in page
    assert page.index(TEXT_SCALE_URL) < page.index("js/textual.js")


def test_only_a_browser_is_asked_for_larger_text() -> None:
    from frontdesk.ui.served import set_browser_text_scale

    class FakeApp:
        def __init__(self, is_web: bool) -> None:
            self.is_web = is_web
            self.opened: list[tuple[str, bool]] = []

        def open_url(self, url: str, *, new_tab: bool = True) -> None:
            self.opened.append((url, new_tab))

    browser, terminal = FakeApp(True), FakeApp(False)
    for app in (browser, terminal):
        set_browser_text_scale(app, 1.5)  # type: ignore[arg-type]
        set_browser_text_scale(app, 1.0)  # type: ignore[arg-type]
    assert browser.opened == [
        ("frontdesk:text-scale=1.5", False),
        ("frontdesk:text-scale=1", False),
    ]
    assert terminal.opened == []  # a terminal would open a web browser
