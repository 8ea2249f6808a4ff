"""Plan text made safe for Plotly labels, label widths and shortening, count axes."""

from components.figures.style import fit_label, label_width_px, plot_text, wrap


def test_plan_text_is_escaped_for_plotly():
    assert plot_text("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert wrap("<a href='javascript:x'>点我</a>", 10).count("<a") == 0
    assert wrap("协同推进成渝综合性科学中心建设", 8) == "协同推进<br>成渝综合<br>性科学中<br>心建设"
    long = "X2<img src=x onerror=alert(1)> Department of Human Resources and Social Security"
    assert wrap(long, 20).replace("<br>", "") == plot_text(long)
    assert max(len(line) for line in wrap("Department of Human Resources and Social Security", 20).split("<br>")) <= 21


def test_a_compound_too_long_for_a_line_breaks_after_its_dashes():
    heading = "(四) Jointly deepen industry–academia–research integration"
    assert wrap(heading, 11) == "(四) <br>Jointly <br>deepen <br>industry–<br>academia–<br>research <br>integration"
    assert wrap(heading, 11).replace("<br>", "") == heading
    assert wrap("Party Committee Military–Civilian Integration Office", 30) == "Party Committee Military–<br>Civilian Integration Office"


def test_a_long_label_is_shortened_once_to_fit():
    name = "成渝综合性科学中心" * 2000  # 18,000 characters: shortened in one pass, not one character at a time
    short = fit_label(name, 200, 12)
    assert short.endswith("…") and label_width_px(short, 12) <= 200
    assert label_width_px(name[: len(short)] + "…", 12) > 200  # one more character would not fit
    assert fit_label("短名", 200, 12) == "短名"


def test_a_long_year_span_gets_a_tick_every_few_years():
    """A what-if year far from the data drew a tick for every year (1,001 of them)."""
    import plotly.graph_objects as go

    from components.figures.style import MAX_YEAR_TICKS, year_axis

    assert go.Figure(layout=year_axis({}, 2018, 2025)).layout.xaxis.dtick == 1
    wide = go.Figure(layout=year_axis({}, 1050, 2050)).layout.xaxis
    assert wide.dtick == 51 and (2050 - 1050) / wide.dtick <= MAX_YEAR_TICKS
