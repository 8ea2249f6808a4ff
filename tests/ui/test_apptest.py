"""The AppTest helpers the page tests read charts back with."""

import json

import numpy as np
import plotly.graph_objects as go

from tests.ui.apptest import decode


def test_decode_helper_reads_plotly_binary_arrays():
    """Page tests read a chart's numbers back through `tests/ui/apptest.decode`: Plotly writes numeric arrays as base64."""
    spec = json.loads(go.Figure(go.Bar(x=np.array([20, 6, 23]))).to_json())
    assert isinstance(spec["data"][0]["x"], dict)
    assert decode(spec["data"][0]["x"]) == [20, 6, 23]
