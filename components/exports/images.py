"""Plotly figures as PNG pictures for the documents (PowerPoint, Word), drawn by kaleido with the system Chromium.

fonts-noto-cjk carries the Chinese; kaleido's browser is started once per process and shared by every export.
"""

from __future__ import annotations

import atexit
import threading
import warnings

import plotly.graph_objects as go
import plotly.io as pio

_server_lock = threading.Lock()
_server_started = False


def start_image_server() -> None:
    """Start kaleido's browser once per process; later images take a fraction of a second instead of seconds.

    Cheap to call: the browser starts in the background, so a page can call this
    when it opens and the first export does not wait for Chromium.
    """
    global _server_started
    with _server_lock:
        if not _server_started:
            import kaleido

            kaleido.start_sync_server(mathjax=False, silence_warnings=True)
            atexit.register(kaleido.stop_sync_server, silence_warnings=True)  # close Chromium before the interpreter tears down
            _server_started = True


def figure_png(fig: go.Figure, width: int, height: int, scale: float) -> bytes:
    """The figure at `width` × `height` layout pixels, `scale` times as many image pixels (sharp when printed)."""
    start_image_server()
    with warnings.catch_warnings():  # "kopts ignored when using a server": the server was started with them
        warnings.simplefilter("ignore", UserWarning)
        return pio.to_image(fig, format="png", width=width, height=height, scale=scale, validate=False)
