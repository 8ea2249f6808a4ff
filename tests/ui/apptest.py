"""AppTest helpers shared by the page tests: opening a page, and reading a Plotly chart back (`proto.spec` is its JSON)."""

from __future__ import annotations

import base64
import json

import numpy as np

from components import paths

APP = str(paths.ROOT / "app.py")


def decode(value):
    """Plotly ≥ 6 writes numeric arrays as {"dtype", "bdata"[, "shape"]}; turn them back into lists."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        if "shape" in value:
            array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
        return array.tolist()
    return value


def chart_data(element) -> list[dict]:
    """The traces of an AppTest plotly_chart element, with binary arrays decoded."""
    spec = json.loads(element.proto.spec)
    return [{key: decode(value) for key, value in trace.items()} for trace in spec["data"]]


def figure(at, index: int = 0) -> dict:
    """The raw figure JSON of the index-th chart on the page."""
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def open_page(page: str, params: dict | None = None, *, timeout: int = 60):
    """Run the app, then switch to `page`, as a user arriving with these query parameters would."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def record_downloads(monkeypatch) -> dict[str, tuple[str, object]]:
    """{label: (file name, data)} of every download button the page draws, data as the page passed it.

    Pages pass a callable that Streamlit runs on click, and AppTest has no server
    to run it: recording the call lets a test make the file the user would get.
    """
    from streamlit.elements.widgets.button import ButtonMixin  # private-api: the class behind st.download_button

    seen: dict[str, tuple[str, object]] = {}
    real = ButtonMixin.download_button

    def spy(self, label, data, file_name=None, *args, **kwargs):
        seen[label] = (file_name, data)
        return real(self, label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(ButtonMixin, "download_button", spy)
    return seen
