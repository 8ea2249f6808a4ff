"""The briefing pack as one self-contained HTML file: opens from a USB stick with no network.

plotly.js is inlined once, from the installed plotly package; each chart's figure
JSON sits in a `<script type="application/json">` block and is drawn by one small
inline script. No `src=`, `href=`, `url()` or fetch points outside the file, and
every text from the plan or the briefing is HTML-escaped (it is data).
"""

from __future__ import annotations

import html
import json

import plotly.io as pio
from plotly.offline import get_plotlyjs

from components.figures.slides import Deck, Progress, plain_text
from components.figures.style import FONT_FAMILY, plotly_config
from components.i18n import t

STYLE = f"""
body {{ font-family: {FONT_FAMILY}; margin: 0; color: #1f2933; background: #ffffff; }}
header, section {{ max-width: 1400px; margin: 0 auto; padding: 24px 32px; }}
header {{ border-bottom: 4px solid #b22222; }}
header h1 {{ font-size: 34px; margin: 8px 0; }}
header p {{ font-size: 18px; margin: 4px 0; color: #3e4c59; }}
nav ol {{ font-size: 18px; line-height: 1.6; }}
section {{ border-bottom: 1px solid #d9dee4; page-break-before: always; }}
section h2 {{ font-size: 32px; margin: 4px 0 8px; }}
.counter {{ font-size: 16px; color: #616e7c; margin: 0; }}
.takeaway {{ font-size: 24px; margin: 0 0 12px; }}
.scenario {{ font-size: 18px; background: #f4ecf7; border-left: 6px solid #8e44ad; padding: 8px 12px; }}
.chart {{ width: 100%; }}
.source, .note {{ font-size: 15px; color: #52606d; margin: 4px 0; }}
.missing {{ font-size: 20px; color: #52606d; }}
"""

# The charts get the dashboard's own toolbar (figures/style.plotly_config), each PNG named after its chart.
DRAW = (
    """
var CONFIG = """
    + json.dumps({**plotly_config(""), "responsive": True})
    + """;
document.querySelectorAll("div.chart[data-figure]").forEach(function (div) {
  var fig = JSON.parse(document.getElementById(div.dataset.figure).textContent);
  var config = JSON.parse(JSON.stringify(CONFIG));
  config.toImageButtonOptions.filename = div.dataset.name;
  Plotly.newPlot(div, fig.data, fig.layout, config);
});
"""
)


def _json_for_script(value: str) -> str:
    """JSON placed inside <script>: `</` (and U+2028/9) must not end or break the block."""
    return value.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def build_html(deck: Deck, *, progress: Progress | None = None) -> str:
    """One HTML document: a cover with a list of slides, then one section per slide with an interactive chart."""
    esc = html.escape
    meta = deck.plan.meta
    title, slides, lang, total = deck.title, deck.slides, deck.lang, len(deck.slides)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "zh-CN"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{STYLE}</style>",
        f'<script type="text/javascript">{get_plotlyjs()}</script>',
        "</head>",
        "<body>",
        "<header>",
        f"<p>{esc(meta.title.get(lang))} · {esc(meta.doc_number)}</p>",
        f"<h1>{esc(title)}</h1>",
        f"<p>{esc(t('export.exported', lang, date=deck.exported.isoformat()))}</p>",
    ]
    if deck.scenario_count:
        parts.append(f'<p class="scenario">{esc(t("export.scenario", lang, count=deck.scenario_count))}</p>')
    parts.append(f"<p>{esc(t('export.offline', lang))}</p>")
    parts.append("<nav><ol>")
    parts += [f'<li><a href="#slide-{s.number}">{esc(s.title)}</a></li>' for s in slides]
    parts += ["</ol></nav>", "</header>"]
    for done, slide in enumerate(slides, start=1):
        if progress:
            progress(done, total, slide.title)
        parts += [
            f'<section id="slide-{slide.number}">',
            f'<p class="counter">{esc(t("export.page", lang, number=slide.number, total=total))}</p>',
            f"<h2>{esc(slide.title)}</h2>",
            f'<p class="takeaway">{esc(slide.takeaway)}</p>',
        ]
        parts += [f'<p class="scenario">{esc(notice)}</p>' for notice in slide.notices]
        if slide.figure is None:
            parts.append(f'<p class="missing">{esc(t("export.unavailable", lang))}</p>')
        else:
            figure_id = f"figure-{slide.number}"
            parts.append(f'<div class="chart" id="chart-{slide.number}" data-figure="{figure_id}" data-name="{esc(slide.chart_id)}"></div>')
            parts.append(
                f'<script type="application/json" id="{figure_id}">{_json_for_script(pio.to_json(slide.figure, validate=False))}</script>'
            )
        parts += [f'<p class="note">{esc(plain_text(note))}</p>' for note in slide.notes]
        if slide.source:
            parts.append(f'<p class="source">{esc(slide.source)}</p>')
        parts.append("</section>")
    parts += [f"<script>{DRAW}</script>", "</body>", "</html>"]
    return "\n".join(parts)
