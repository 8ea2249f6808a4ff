"""Driving the dashboard in Debian's Chromium with Playwright: offline guard, waiting for Streamlit, page switches, charts.

Shared by tests/e2e, scripts/benchmark.py and scripts/load_test.py. Never runs
`playwright install`: the browser is /usr/bin/chromium (apt-get install chromium).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}

# private-api: Streamlit's internal data-testid names (1.67); every browser test fails at once if they change
CHART = '[data-testid="stPlotlyChart"]'
DRAWN_CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg'
EXCEPTION = '[data-testid="stException"]'
NAV_LINK = '[data-testid="stSidebarNav"] a'
NAV_MORE = '[data-testid="stSidebarNavViewButton"]'
RUNNING = ", ".join(
    f'[data-testid="{test_id}"]'
    for test_id in ("stStatusWidgetRunningIcon", "stStatusWidgetRunningManIcon", "stStatusWidgetNewYearsIcon", "stSkeleton")
)


# The conditions waited for, as JavaScript (the async load test uses them too).
RESET_SETTLED_JS = "() => { window.__settleSig = null; }"
SETTLED_JS = """([quiet, running]) => {
    const busy = !!document.querySelector(running) || document.querySelectorAll('[data-stale="true"]').length > 0;
    const sig = [
        document.querySelectorAll('[data-testid="stElementContainer"]').length,
        document.querySelectorAll('.js-plotly-plot .main-svg').length,
        busy,
    ].join('|');
    const now = performance.now();
    if (busy || window.__settleSig !== sig) { window.__settleSig = sig; window.__settleSince = now; return false; }
    return now - window.__settleSince >= quiet;
}"""
CHARTS_DRAWN_JS = """([count, running]) => {
    if (document.querySelector(running) || document.querySelectorAll('[data-stale="true"]').length) return false;
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return charts.length >= count && charts.every(c => c.querySelector('.js-plotly-plot .main-svg'));
}"""
SIGNATURES_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(c => {
    const s = c.querySelector('.js-plotly-plot .main-svg'); return s ? s.innerHTML.length + ':' + s.innerHTML : ''; })"""
CHART_CHANGED_JS = (
    """([before, running]) => {
    if (document.querySelector(running) || document.querySelectorAll('[data-stale="true"]').length) return false;
    const now = ("""
    + SIGNATURES_JS
    + """)();
    return now.length > 0 && now.every(x => x) && JSON.stringify(now) !== JSON.stringify(before);
}"""
)
PATH_IS_JS = "(path) => location.pathname.replace(/^\\/+|\\/+$/g, '') === path"


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install -r requirements-dev.txt)"
    if not Path(CHROMIUM).exists():
        return f"Chromium is not installed at {CHROMIUM} (make system-deps, or apt-get install chromium fonts-noto-cjk)"
    return None


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


def guard_offline(context, outside: list[str]) -> None:
    """Abort and record every request to anything but this machine; websockets elsewhere are recorded too."""

    def handle(route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    def watch_page(page) -> None:
        page.on("websocket", lambda ws: None if is_local(ws.url) else outside.append(ws.url))

    context.route("**/*", handle)
    context.on("page", watch_page)


def wait_settled(page, *, quiet_ms: int = 400, timeout_ms: int = 30_000) -> None:
    """Until Streamlit is not running, nothing is stale, and the element and chart counts have held still for `quiet_ms`."""
    page.evaluate(RESET_SETTLED_JS)
    page.wait_for_function(
        SETTLED_JS,
        arg=[quiet_ms, RUNNING],
        polling=50,
        timeout=timeout_ms,
    )


def open_app(page, base_url: str, *, lang: str | None = None, timeout_ms: int = 60_000) -> None:
    """Open `/` and wait for the first page to be drawn."""
    page.goto(base_url + "/" + (f"?lang={lang}" if lang else ""), wait_until="domcontentloaded", timeout=timeout_ms)
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stElementContainer"]', timeout=timeout_ms)
    wait_settled(page, timeout_ms=timeout_ms)


def sign_in(page, name: str, password: str, *, timeout_ms: int = 30_000) -> None:
    """Sign in through the sidebar's form, as a user does (the benchmark and the browser tests)."""
    show_sidebar(page)
    page.locator(".st-key-auth--panel summary").click()  # the form is drawn once its expander is open
    page.locator(".st-key-auth--username input").fill(name)
    page.locator(".st-key-auth--password input").fill(password)
    page.locator('[data-testid="stSidebar"] [data-testid="stFormSubmitButton"] button').click()
    page.locator(".st-key-auth--sign_out button").wait_for(timeout=timeout_ms)
    wait_settled(page, timeout_ms=timeout_ms)


def open_plan_uploader(page, *, timeout_ms: int = 30_000) -> None:
    """Open the sidebar's "try another plan" expander: its uploader is drawn only then."""
    show_sidebar(page)
    page.locator(".st-key-plan_upload_open summary").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').wait_for(state="attached", timeout=timeout_ms)


def current_path(page) -> str:
    return urlsplit(page.url).path.strip("/")


def warm_up(browser, base_url: str) -> None:
    """Open one throwaway session, so that measurements start with the plan loaded and the shared caches built:
    the first session after a server start pays for both."""
    context = browser.new_context()
    outside: list[str] = []
    guard_offline(context, outside)
    try:
        open_app(context.new_page(), base_url)
    finally:
        context.close()


EXPAND_SIDEBAR = '[data-testid="stExpandSidebarButton"]'


def show_sidebar(page) -> None:
    """Open the sidebar if a page started with it collapsed (the briefing page does)."""
    button = page.locator(EXPAND_SIDEBAR)
    if button.count() and button.first.is_visible():
        button.first.click()
        page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]')?.dataset.collapsed === 'false'")
        page.wait_for_timeout(300)  # the slide-in animation


def nav_link(page, url_path: str):
    """The sidebar link of a registered page ("" is the default page, served at /)."""
    show_sidebar(page)
    for _ in range(2):
        for link in page.locator(NAV_LINK).all():
            if urlsplit(link.get_attribute("href") or "").path.strip("/") == url_path:
                return link
        more = page.locator(NAV_MORE)
        if not more.count():
            break
        more.first.click()  # a long navigation is folded behind "View more"
    raise LookupError(f"no sidebar link for /{url_path}")


def go_to(page, url_path: str, *, charts: int = 0, timeout_ms: int = 30_000) -> float:
    """Switch page in-app (same session) and wait until it is settled with `charts` charts drawn; returns seconds taken.

    With one page registered Streamlit shows no navigation: then the page asked for is the one already open."""
    started = time.perf_counter()
    if current_path(page) != url_path or page.locator(NAV_LINK).count():
        nav_link(page, url_path).click()
    page.wait_for_function(
        PATH_IS_JS,
        arg=url_path,
        polling=20,
        timeout=timeout_ms,
    )
    wait_for_charts(page, charts, timeout_ms=timeout_ms)
    elapsed = time.perf_counter() - started
    wait_settled(page, timeout_ms=timeout_ms)
    return elapsed


def wait_for_charts(page, count: int, *, timeout_ms: int = 30_000) -> None:
    """Until at least `count` chart containers exist and every one of them has its SVG drawn, with no rerun pending."""
    page.wait_for_function(
        CHARTS_DRAWN_JS,
        arg=[count, RUNNING],
        polling=20,
        timeout=timeout_ms,
    )


def chart_signatures(page) -> list[str]:
    """A fingerprint of what every chart currently draws (its traces' SVG)."""
    return page.evaluate(SIGNATURES_JS)


def wait_chart_change(page, before: list[str], *, timeout_ms: int = 30_000) -> None:
    page.wait_for_function(
        CHART_CHANGED_JS,
        arg=[before, RUNNING],
        polling=20,
        timeout=timeout_ms,
    )


def visible_text(page) -> str:
    """What a reader sees: the page's rendered text plus the text drawn inside charts' SVG."""
    return page.evaluate(
        """() => document.body.innerText + '\\n' +
            [...document.querySelectorAll('svg text')].map(t => t.textContent).join('\\n')"""
    )


def set_text_input(page, key: str, value: str) -> None:
    """Type into the text_input with Streamlit key `key` and commit it (Enter)."""
    box = page.locator(f".st-key-{key} input")
    box.fill(value)
    box.press("Enter")
